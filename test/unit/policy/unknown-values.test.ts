import { DockerContainerInputs, dockerContainerView } from "../../../policy/docker-container";
import { readKnown } from "../../../policy/unknown-values";

// During a preview @pulumi/policy hands the pack proxies that throw when a value not known yet is read.
const { unknownCheckingProxy, unknownStringValue } = require("@pulumi/policy/proxy") as { unknownCheckingProxy: <T>(props: T) => T; unknownStringValue: string };

test("an upload whose content is not known yet (a preview) is a file the pack cannot read", () => {
  const props = unknownCheckingProxy<DockerContainerInputs>({ image: "i", uploads: [{ file: "/etc/docker/registry/config.yml", content: unknownStringValue }] });
  expect(dockerContainerView("c", props).fileSource("/etc/docker/registry/config.yml")).toEqual({ from: "elsewhere" });
});

test("a failure other than an unknown value is not taken for one", () => {
  expect(() =>
    readKnown(() => {
      throw new TypeError("broken read");
    }),
  ).toThrow("broken read");
});
