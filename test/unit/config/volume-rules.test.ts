// Configured volume names on a Docker host: a name that is another volume of this stack is refused
// at the configured key, naming which volume it is; on a cluster the rule has nothing to judge.
import { Problem } from "../../../components/config/problem";
import { checkVolumeNames } from "../../../components/config/volume-rules";
import { onCluster, parse, problemLines } from "../../support/config-problems";

test("registry.volumeName set to this stack's default DinD data volume is refused at registry.volumeName", () => {
  expect(problemLines({ registry: { volumeName: "dind-stack-test-dind-data" } })).toEqual([expect.stringMatching(/^dind-stack:registry\.volumeName: got "dind-stack-test-dind-data", [^;]*DinD/)]);
});

test("registry.volumeName set to this stack's mirror registry volume says it is the mirror registry's", () => {
  expect(problemLines({ registry: { volumeName: "dind-stack-test-mirror-data" } })).toEqual([expect.stringMatching(/^dind-stack:registry\.volumeName: got "dind-stack-test-mirror-data", [^;]*mirror[^;]*;/)]);
});

test("on a cluster the rule reports nothing, even for a name that would clash on a Docker host", () => {
  const settings = parse(onCluster({}));
  const problems: Problem[] = [];
  checkVolumeNames({ ...settings, registry: { ...settings.registry, volumeName: "dind-stack-test-dind-data" } }, "test", problems);
  expect(problems).toEqual([]);
});
