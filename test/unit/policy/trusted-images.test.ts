import { repositoryOf } from "../../../policy/image-names";
import { trustedImagesFromConfig } from "../../../policy/trusted-images";

// The repositories a stack file trusts for each part: only those it names (or their defaults),
// nothing for a setting it leaves out.

test("a stack file that names only its DinD image trusts that repository alone as the DinD image", () => {
  const trusted = trustedImagesFromConfig({ "dind-stack:dindImage": { imageName: "example.com/team/dind" } });
  expect([...trusted.dind]).toStrictEqual([repositoryOf("example.com/team/dind")]);
});
