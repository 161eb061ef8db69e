import { stackConfig } from "./stack-config";

/** A client env value the operator sets as a secret (`config set --secret --path '...env.<NAME>'`), added to the first client group. */
function withClientSecret(config: Record<string, string>, name: string, value: string): Record<string, string> {
  const workloads = JSON.parse(config["dind-stack:workloads"]);
  workloads.clients[0].env = { ...workloads.clients[0].env, [name]: value };
  return { ...config, "dind-stack:workloads": JSON.stringify(workloads) };
}

/** The secrets each example's header tells the operator to set before its first `up`, with test values. */
const OPERATOR_SECRETS: Readonly<Record<string, (config: Record<string, string>) => { config: Record<string, string>; secretKeys: string[] }>> = {
  "gitlab-runner": (config) => ({ config: withClientSecret(config, "RUNNER_TOKEN", "glrt-example-token"), secretKeys: ["dind-stack:workloads"] }),
  "github-runner": (config) => ({ config: withClientSecret(config, "GITHUB_PAT", "github_pat_example"), secretKeys: ["dind-stack:workloads"] }),
  "registry-auth": (config) => ({ config: { ...config, "dind-stack:registryPassword": "registry-password-1" }, secretKeys: ["dind-stack:registryPassword"] }),
};

/** An example stack file (examples/Pulumi.<name>.yaml) as `pulumi up` runs it once its secrets are set. */
export function deployableExample(name: string): { config: Record<string, string>; secretKeys: string[] } {
  const config = stackConfig(name, "examples");
  return OPERATOR_SECRETS[name]?.(config) ?? { config, secretKeys: [] };
}
