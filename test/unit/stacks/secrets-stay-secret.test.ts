import { runProgram } from "../../support/run-program";
import { plainOccurrences } from "../../support/secret-scan";
import { stackConfig, stackNames } from "../../support/stack-config";

// A value set with `pulumi config set --secret` stays a secret wherever the program puts it:
// for every stack file, the passwords and a runner token in a client's env and command are
// set as secrets, and nothing the program registers or outputs holds them outside a secret.

const token = "glrt-env-token-7f3a9c";
const commandToken = "glrt-cmd-token-1b2d4e";
const registryPassword = "registry-pass-5e6f7a";
const pullPassword = "pull-pass-8b9c0d";

const base64 = (text: string) => Buffer.from(text).toString("base64");

/** The stack's config with every secret-capable value set, and the keys set as secrets. */
function withSecrets(stack: string): { config: Record<string, string>; secretKeys: string[] } {
  const config = stackConfig(stack);
  const section = (name: string) => JSON.parse(config[`dind-stack:${name}`] ?? "{}");
  const workloads = section("workloads");
  const clients = workloads.clients ?? [{ name: "builder" }];
  clients[0] = { ...clients[0], env: { ...clients[0].env, RUNNER_TOKEN: token }, command: ["sh", "-c", `register --token ${commandToken} && exec sleep infinity`] };
  config["dind-stack:workloads"] = JSON.stringify({ ...workloads, clients });
  config["dind-stack:registry"] = JSON.stringify({ ...section("registry"), auth: { username: "builder" } });
  config["dind-stack:registryPassword"] = registryPassword;
  const secretKeys = ["dind-stack:workloads", "dind-stack:registryPassword"];
  const kubernetes = section("kubernetes");
  if (kubernetes.dindImage?.registry) {
    config["dind-stack:kubernetes"] = JSON.stringify({ ...kubernetes, dindImage: { ...kubernetes.dindImage, username: "pusher" } });
    config["dind-stack:dindImagePassword"] = pullPassword;
    secretKeys.push("dind-stack:dindImagePassword");
  }
  return { config, secretKeys };
}

describe.each(stackNames())("stack %s", (stack) => {
  test("no secret reaches a resource input or a stack output in plain text", async () => {
    const { config, secretKeys } = withSecrets(stack);
    const run = await runProgram(stack, config, secretKeys);
    const needles = [token, commandToken, registryPassword, base64(`builder:${registryPassword}`), pullPassword, base64(`pusher:${pullPassword}`)];
    for (const needle of needles) expect({ needle, plain: plainOccurrences(run.resources, needle).plain }).toEqual({ needle, plain: [] });
    // The client's token and command reach its containers (so the check above saw them).
    expect(plainOccurrences(run.resources, token).found).toBeGreaterThan(0);
    expect(plainOccurrences(run.resources, commandToken).found).toBeGreaterThan(0);
    const outputs = JSON.stringify(run.outputs);
    for (const needle of needles) expect(outputs).not.toContain(needle);
  });
});
