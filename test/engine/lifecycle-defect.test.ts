// What keeps a stack of fixed-name containers from colliding with itself, shown on the engine
// with the program's options changed on their way to the engine, as `pulumi up` would act:
// - pulumi-docker asks for delete-first for every container by itself, so with the program's
//   deleteBeforeReplace left unset a daemon setting change still goes through delete-first;
// - set to false, the option outranks the provider: the new daemon is created first and fails
//   on the old one's name, which keeps running;
// - a change that moves the clients to other URNs (a mode switch) without the aliases that tie
//   them to their old URNs creates them before the old ones are deleted, and fails on a name;
//   the state keeps the old client, and a destroy after that failed up succeeds.
import { objectNames } from "../../components/naming";
import { TestStack } from "./support/deploy";
import { scenarioHooks } from "./support/scenario-hooks";
import { changesOf, containerId, networkExists, stackContainers } from "./support/stack-objects";

const STACK = "test-life-nodbr";
const names = objectNames(STACK);
const runner = names.client("runner", 1);

describe("replacements and fixed names under the provider's and the engine's rules", () => {
  const stack = new TestStack({
    configOf: "ci",
    stack: STACK,
    overrides: { "dind-stack:registry": { port: 5031 }, "dind-stack:workloads": { allowDood: true, clients: [{ name: "runner", count: 1 }] } },
  });
  let daemonId: string | undefined;

  scenarioHooks(stack, { prefix: names.prefix });

  beforeAll(async () => {
    await stack.up();
    daemonId = await containerId(names.daemonContainer);
  }, 300_000);

  test("with deleteBeforeReplace left to the provider, a daemon setting change replaces the daemon delete-first", async () => {
    stack.configure({ "dind-stack:daemon": { mtu: 1400 } });
    const applied = await stack.up({ deleteBeforeReplace: "unset" });
    expect(changesOf(applied.steps)).toEqual([`replace ${STACK}-dind-daemon [envs]`]);
    expect(applied.steps.find((step) => step.op === "replace")?.deleteBeforeReplace).toBe(true);
    expect(await containerId(names.daemonContainer)).not.toBe(daemonId);
    daemonId = await containerId(names.daemonContainer);
  });

  test("with deleteBeforeReplace set to false, it outranks the provider: the new daemon is created first and fails on the name; the running daemon is untouched", async () => {
    stack.configure({ "dind-stack:daemon": { mtu: 1300 } });
    await expect(stack.up({ deleteBeforeReplace: false })).rejects.toThrow(new RegExp(`name "/${names.daemonContainer}" is already in use`));
    expect(await containerId(names.daemonContainer)).toBe(daemonId);
    expect(stack.entry(`${STACK}-dind-daemon`)?.id).toBe(daemonId);
  });

  test("without aliases, switching to dood fails on the client's name; the old client stays in the state, and a destroy after the failed up succeeds", async () => {
    const clientId = await containerId(runner);
    stack.configure({ "dind-stack:mode": "dood" });
    await expect(stack.up({ aliases: false })).rejects.toThrow(new RegExp(`name "/${runner}" is already in use`));
    expect(await containerId(runner)).toBe(clientId);
    expect(stack.entry(`${STACK}-dind-client-runner-1`)?.id).toBe(clientId);

    // Deleted in dependency order, the old client before the network it is on.
    await stack.destroy();
    expect(await stackContainers(STACK)).toEqual([]);
    expect(await networkExists(names.network)).toBe(false);
  });
});
