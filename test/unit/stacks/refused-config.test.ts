import { runProgram } from "../../support/run-program";
import { stackConfig, withOverrides } from "../../support/stack-config";

test("a bad stack config stops the program before any resource is declared, listing every problem", async () => {
  const config = withOverrides(stackConfig("ci"), { "dind-stack:daemon": { mtu: 99999 }, "dind-stack:registry": { bindAddres: "0.0.0.0" } });
  const resources: string[] = [];
  await expect(
    runProgram("ci", config, [], {
      realize: async ({ name, inputs }) => {
        resources.push(name);
        return { id: name, state: inputs };
      },
    }),
  ).rejects.toThrow(
    [
      'stack "ci" has 2 config problems; nothing was deployed:',
      '  - dind-stack:registry.bindAddres: unknown key (did you mean "bindAddress"?); allowed keys: image, port, bindAddress, allowUnauthenticatedExposure, alias, volumeName, retainDataOnDelete, deleteEnabled, auth, proxy',
      "  - dind-stack:daemon.mtu: got 99999; allowed: an integer from 576 to 65535",
    ].join("\n"),
  );
  expect(resources).toEqual([]);
});
