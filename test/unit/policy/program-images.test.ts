// The program's own image references are judged by the config before the pack sees them.
import { runProgram } from "../../support/run-program";
import { stackConfig, withOverrides } from "../../support/stack-config";

test("the program's own images: a client image without a tag is refused by the config, naming the key, before the pack would see the pull", async () => {
  const config = withOverrides(stackConfig("ci"), { "dind-stack:workloads": { clients: [{ name: "runner", image: "alpine", count: 1 }] } });
  await expect(runProgram("ci", config)).rejects.toThrow(
    'dind-stack:workloads.clients[0].image: got "alpine"; allowed: an image reference with a tag other than latest, or a digest',
  );
});
