// A key whose namespace is a typo of dind-stack (`dind-stak:mode`) would be ignored without a
// word: Pulumi hands the program every namespace, and other namespaces are legitimate. The
// program warns at preview and up, naming the key and the one meant.
import { runProgram } from "../../support/run-program";
import { stackConfig } from "../../support/stack-config";

/** The config-key warnings one program run logs. */
async function warningsOf(config: Record<string, string>): Promise<string[]> {
  return (await runProgram("ci", config)).warnings.filter((line) => line.includes("config key"));
}

test("keys of a namespace that looks like dind-stack are warned about, each with the key meant", async () => {
  const warnings = await warningsOf({
    ...stackConfig("ci"),
    "dind-stak:mode": "dood",
    "dind_stack:registy": JSON.stringify({ port: 5002 }),
    "Dind-Stack:workloads": JSON.stringify({ readyTimeoutSeconds: 30 }),
  });
  expect(warnings).toEqual([
    'warning: [runtime] config key dind-stak:mode is ignored: this program reads only the dind-stack namespace (did you mean "dind-stack:mode"?)',
    'warning: [runtime] config key dind_stack:registy is ignored: this program reads only the dind-stack namespace (did you mean "dind-stack:registry"?)',
    'warning: [runtime] config key Dind-Stack:workloads is ignored: this program reads only the dind-stack namespace (did you mean "dind-stack:workloads"?)',
  ]);
});

test("other namespaces (the providers', the project's) draw no warning", async () => {
  const warnings = await warningsOf({ ...stackConfig("ci"), "docker:host": "unix:///var/run/docker.sock", "kubernetes:context": "kind", "command:shell": "sh", "pulumi:tags": "{}" });
  expect(warnings).toEqual([]);
});
