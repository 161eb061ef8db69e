import { imageSlug } from "../../../components/naming";
import { DOCKER, ofType } from "../../support/resource-queries";
import { runProgram } from "../../support/run-program";
import { stackConfig, withOverrides } from "../../support/stack-config";

describe("client images", () => {
  test("references that differ only in punctuation get resources of their own", async () => {
    const clients = [
      { name: "slash", image: "mirror.test/ci/tools:1" },
      { name: "dash", image: "mirror.test/ci-tools:1" },
      { name: "again", image: "mirror.test/ci/tools:1" },
    ];
    const run = await runProgram("ci", withOverrides(stackConfig("ci"), { "dind-stack:workloads": { clients } }));
    const pulls = ofType(run.resources, DOCKER.remoteImage).filter((resource) => resource.name.includes("client-image"));
    expect(pulls.map((resource) => resource.inputs.name).sort()).toEqual(["mirror.test/ci-tools:1", "mirror.test/ci/tools:1"]);
    expect(new Set(pulls.map((resource) => resource.name)).size).toBe(2);
  });

  test("a reference's resource name does not depend on where it appears in the config", () => {
    expect(imageSlug("mirror.test/ci/tools:1")).toBe(imageSlug("mirror.test/ci/tools:1"));
    expect(imageSlug("mirror.test/ci/tools:1")).toMatch(/^mirror-test-ci-tools-1-[0-9a-f]{8}$/);
  });
});
