// Prints, as GitHub step outputs (`key=value` lines for $GITHUB_OUTPUT), the stacks the CI jobs
// run for, derived from the stack files, and the Pulumi CLI version the project pins:
//   stacks=[{"stack":"ci","target":"docker",...},...]
//   pulumi-version=3.265.0
import { listStacks, readStackFile } from "../stack-files";

/** One stack's entry in the CI matrix. */
export interface StackEntry {
  /** Stack name (also the name of its GitHub environment). */
  stack: string;
  /** `dind-stack:target` of the stack file: docker (default) or kubernetes. */
  target: string;
  /** Repository secret holding the kubeconfig previews use (Kubernetes stacks), e.g. KUBECONFIG_PROD; "" otherwise. */
  previewKubeconfigSecret: string;
  /** Runner of the deploy job: the stack's own self-hosted runner for a Docker host, a hosted one for a cluster. */
  deployRunsOn: string | string[];
}

/** The secret name for a stack: upper case, anything but letters and digits as `_`. */
export function kubeconfigSecretName(stack: string): string {
  return `KUBECONFIG_${stack.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** The CI matrix entry of a stack with this target. */
export function stackEntry(stack: string, target: string): StackEntry {
  const kubernetes = target === "kubernetes";
  return {
    stack,
    target,
    previewKubeconfigSecret: kubernetes ? kubeconfigSecretName(stack) : "",
    // `pulumi up` on a Docker target changes the engine it runs next to (or DOCKER_HOST): that is
    // the stack's host, where a self-hosted runner labelled dind-stack-<stack> runs.
    deployRunsOn: kubernetes ? "ubuntu-latest" : ["self-hosted", `dind-stack-${stack}`],
  };
}

/** Every stack with a file, with its target. */
export function stackEntries(): StackEntry[] {
  return listStacks().map((stack) => {
    const target = readStackFile(stack)?.config["dind-stack:target"];
    return stackEntry(stack, typeof target === "string" ? target : "docker");
  });
}

if (require.main === module) {
  const { version } = require("pulumi/package.json") as { version: string };
  process.stdout.write(`stacks=${JSON.stringify(stackEntries())}\npulumi-version=${version}\n`);
}
