// Where, inside a `dind-stack:workloads` set as a secret, the stack file may store a value
// encrypted: a client's env value, a command word or the whole command. Anywhere else the secret
// would land in plain text (resource names, URNs), so it is refused at its key; shapes the
// schema refuses anyway (a clients mapping, nested env values) are refused for the secret too.
import { KeyPath } from "../../../components/config/key-path";
import { Problem } from "../../../components/config/problem";
import { checkSecretPlacement } from "../../../components/config/secret-rules";

/** The keys refused for holding a secret, when `dind-stack:workloads` is a secret whose stack file stores `leaves` encrypted. */
function refusedKeys(leaves: KeyPath[]): string[] {
  const problems: Problem[] = [];
  checkSecretPlacement(["workloads"], (name) => name === "workloads", (name) => (name === "workloads" ? leaves : undefined), problems);
  return problems.map((problem) => problem.key);
}

test("a client's env value, one of its command words and a whole command may be secrets", () => {
  expect(
    refusedKeys([
      ["clients", 0, "env", "RUNNER_TOKEN"],
      ["clients", 0, "command", 2],
      ["clients", 1, "command"],
    ]),
  ).toEqual([]);
});

test("clients written as a mapping: a secret env value or command under it is refused at its key", () => {
  expect(
    refusedKeys([
      ["clients", "runner", "env", "RUNNER_TOKEN"],
      ["clients", "runner", "command"],
    ]),
  ).toEqual(["dind-stack:workloads.clients.runner.env.RUNNER_TOKEN", "dind-stack:workloads.clients.runner.command"]);
});

test("a secret nested below an env value is refused at its key", () => {
  expect(refusedKeys([["clients", 0, "env", "RUNNER_TOKEN", "value"]])).toEqual(["dind-stack:workloads.clients[0].env.RUNNER_TOKEN.value"]);
});

test("a command written as a mapping, or a list inside a command word: the secret in it is refused at its key", () => {
  expect(
    refusedKeys([
      ["clients", 0, "command", "token"],
      ["clients", 1, "command", 0, "token"],
    ]),
  ).toEqual(["dind-stack:workloads.clients[0].command.token", "dind-stack:workloads.clients[1].command[0].token"]);
});
