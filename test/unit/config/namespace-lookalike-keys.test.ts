// The look-alike namespace check called directly (the program-run test beside it proves the
// warnings reach preview and up): which keys draw a warning, and which key each one points to.
import { namespaceLookalikes } from "../../../components/config/namespace-lookalikes";

/** The key each warning suggests, in order. */
const meant = (config: Record<string, string>) => namespaceLookalikes(config).map((warning) => /did you mean "([^"]+)"/.exec(warning)?.[1]);

test("a typo of the namespace points to the same key in dind-stack, and a typo of the key too", () => {
  expect(meant({ "dind-stak:mode": "dood", "dind_stack:registy": "{}", "Dind-Stack:workloads": "{}" })).toEqual(["dind-stack:mode", "dind-stack:registry", "dind-stack:workloads"]);
});

test("each warning names the ignored key", () => {
  const [warning] = namespaceLookalikes({ "dindstack:target": "docker" });
  expect(warning).toContain("dindstack:target");
  expect(warning).toMatch(/ignored/);
});

test("a key name like none of the program's is suggested as it was written", () => {
  expect(meant({ "dind-stak:zzzzzzzz": "1" })).toEqual(["dind-stack:zzzzzzzz"]);
});

test("the program's own namespace, other namespaces and names without a namespace draw nothing", () => {
  expect(namespaceLookalikes({ "dind-stack:mode": "dind", "docker:host": "unix:///var/run/docker.sock", "kubernetes:context": "kind", "pulumi:tags": "{}", "dind-stack": "x" })).toEqual([]);
});
