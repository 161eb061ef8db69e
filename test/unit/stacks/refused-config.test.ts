import { runProgram } from "../../support/run-program";
import { deployableStack, stackConfig, withOverrides } from "../../support/stack-config";

/** Runs the program with a config it must refuse; returns the error and what it declared anyway. */
async function refused(stack: string, config: Record<string, string>, secretKeys: string[] = []): Promise<{ message: string; declared: string[] }> {
  const declared: string[] = [];
  const run = runProgram(stack, config, secretKeys, {
    realize: async ({ name, inputs }) => {
      declared.push(name);
      return { id: name, state: inputs };
    },
  });
  const message = await run.then(
    () => "the program ran",
    (error: Error) => error.message,
  );
  return { message, declared };
}

test("a bad stack config stops the program before any resource is declared, listing every problem", async () => {
  const config = withOverrides(stackConfig("ci"), { "dind-stack:daemon": { mtu: 99999 }, "dind-stack:registry": { bindAddres: "0.0.0.0" } });
  expect(await refused("ci", config)).toEqual({
    message: [
      'stack "ci" has 2 config problems; nothing was deployed:',
      '  - dind-stack:registry.bindAddres: unknown key (did you mean "bindAddress"?); allowed keys: image, port, bindAddress, allowUnauthenticatedExposure, alias, volumeName, hostPath, restoreArchive, restoreSizeLimit, retainDataOnDelete, deleteEnabled, auth, proxy',
      "  - dind-stack:daemon.mtu: got 99999; allowed: an integer from 576 to 65535",
    ].join("\n"),
    declared: [],
  });
});

test("on the Kubernetes target too, every problem is reported before any object is declared", async () => {
  const prod = deployableStack("prod");
  const config = withOverrides(prod.config, {
    "dind-stack:mode": "dood",
    "dind-stack:kubernetes": { registryStorageSize: "50GB", clusterVersion: "1.27" },
  });
  expect(await refused("prod", config, prod.secretKeys)).toEqual({
    message: [
      'stack "prod" has 4 config problems; nothing was deployed:',
      '  - dind-stack:kubernetes.registryStorageSize: got "50GB"; allowed: a Kubernetes quantity such as "20Gi"',
      '  - dind-stack:mode: got "dood" without dind-stack:workloads.allowDood: true; allowed: "dind", or "dood" once the stack opts in (DooD mounts the host\'s Docker socket: root on the host)',
      '  - dind-stack:kubernetes.sidecar: got "native" with dind-stack:kubernetes.clusterVersion "1.27"; allowed: "classic" on clusters older than 1.29 (native sidecars, init containers with restartPolicy Always, need 1.29)',
      "  - dind-stack:kubernetes.nodeCidrs: missing; allowed: a list of CIDRs, required with mode dood because the nodes' Docker Engine pushes to the registry and its NetworkPolicy admits only the runner pods and these ranges",
    ].join("\n"),
    declared: [],
  });
});
