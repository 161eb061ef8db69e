// How the schema's own problems read: an unknown key with no near name offers no guess, and a
// key the schema refuses inside a secret section is not shown.
import { problemLines, ruleContext } from "../../support/config-problems";

/** The message of the one problem at `key` (with its namespace) among a config's problems. */
function messageAt(lines: string[], key: string): string {
  const matching = lines.filter((line) => line.startsWith(`${key}: `));
  expect(matching).toHaveLength(1);
  return matching[0].slice(key.length + 2);
}

test("an unknown key like none of the allowed ones: no guess, straight to the allowed keys", () => {
  const message = messageAt(problemLines({ registry: { qqqqqqqqqqqq: 1 } }), "dind-stack:registry.qqqqqqqqqqqq");
  expect(message).toMatch(/^unknown key; allowed keys: .*\bport\b/);
});

test("an environment variable name refused in a workloads section set as a secret is not shown", () => {
  const workloads = { clients: [{ name: "runner", env: { "9-TOKEN-glrt": "x" } }] };
  const message = messageAt(problemLines({ workloads }, ruleContext([], ["workloads"])), "dind-stack:workloads.clients[0].env.9-TOKEN-glrt");
  expect(message).toMatch(/^got a key \(not shown\); allowed: /);
  expect(message).not.toContain("9-TOKEN-glrt");
});

test("the same name in a plain workloads section is shown", () => {
  const workloads = { clients: [{ name: "runner", env: { "9-TOKEN": "x" } }] };
  expect(messageAt(problemLines({ workloads }), "dind-stack:workloads.clients[0].env.9-TOKEN")).toMatch(/^got key "9-TOKEN"; allowed: /);
});
