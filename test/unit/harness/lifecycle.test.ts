// The lifecycle the engine harness acts out (test/support/lifecycle), checked against the real
// program under Pulumi mocks with a provider that only records what it is asked to do: the
// order of creates and deletes, which changes update and which replace, what is retained.
import { destroy, preview, up } from "../../support/lifecycle/deployment";
import { changes, formatPlan } from "../../support/lifecycle/plan";
import { deletionOrder, dependentReplacements, emptyState, StackState, StateEntry } from "../../support/lifecycle/stack-state";
import { recordingOps } from "../../support/lifecycle/recording-ops";
import { ProgramVariant } from "../../support/run-program";
import { deployableStack, stackConfig, stackNames, withOverrides } from "../../support/stack-config";

describe("the lifecycle of the ci stack, as the harness models `pulumi up`", () => {
  const base = stackConfig("ci");
  let state: StackState;
  let ops: ReturnType<typeof recordingOps>;

  const deploy = async (overrides: Record<string, unknown> = {}, variant?: ProgramVariant) => {
    ops.calls.length = 0;
    const result = await up({ stack: "ci", config: withOverrides(base, overrides), state, ops, variant });
    state = result.state;
    return result;
  };

  beforeEach(async () => {
    state = emptyState();
    ops = recordingOps();
    await deploy();
  });

  test("the first up creates every resource; a second up with the same config changes nothing", async () => {
    expect(state.resources.filter((entry) => entry.custom)).toHaveLength(10);
    const again = await deploy();
    expect(ops.calls).toEqual([]);
    expect(changes(again.steps)).toEqual([]);
  });

  test("a daemon setting replaces only the daemon, deleting the old container before creating the new one", async () => {
    const result = await deploy({ "dind-stack:daemon": { mtu: 1400 } });
    expect(changes(result.steps)).toEqual(["replace ci-dind-daemon [envs]"]);
    expect(ops.calls).toEqual(["remove ci-dind-daemon", "create ci-dind-daemon"]);
  });

  test("left to the provider, the daemon is still deleted first: pulumi-docker asks for it for every container", async () => {
    const result = await deploy({ "dind-stack:daemon": { mtu: 1400 } }, { deleteBeforeReplace: "unset" });
    expect(ops.calls).toEqual(["remove ci-dind-daemon", "create ci-dind-daemon"]);
    expect(result.steps.find((step) => step.name === "ci-dind-daemon")).toMatchObject({ op: "replace", deleteBeforeReplace: true });
  });

  test("deleteBeforeReplace set to false wins over the provider: the new daemon is created first and collides with the old one's name", async () => {
    await expect(deploy({ "dind-stack:daemon": { mtu: 1400 } }, { deleteBeforeReplace: false })).rejects.toThrow(
      'The container name "/dind-stack-ci-docker" is already in use',
    );
    expect(ops.calls).toEqual(["create ci-dind-daemon"]);
  });

  test("a reordered client env is no change: the provider compares a container's env as a set", async () => {
    const clients = (env: Record<string, string>) => ({ "dind-stack:workloads": { clients: [{ name: "runner", count: 2, env }] } });
    await deploy(clients({ CI: "true", TOOL: "x" }));
    expect(changes((await deploy(clients({ TOOL: "x", CI: "true" }))).steps)).toEqual([]);
  });

  test("a rebuilt image updates in place and replaces the daemon and every client that runs it", async () => {
    const result = await deploy({ "dind-stack:dindImage": { extraPackages: ["git", "jq"] } });
    // The two clients are replaced side by side, in either order.
    expect(changes(result.steps).sort()).toEqual([
      "replace ci-dind-client-runner-1 [image]",
      "replace ci-dind-client-runner-2 [image]",
      "replace ci-dind-daemon [image]",
      "update ci-dind-image-image [build]",
    ]);
    expect(ops.calls.indexOf("remove ci-dind-daemon")).toBeLessThan(ops.calls.indexOf("create ci-dind-daemon"));
  });

  test("scaling a client group creates the new containers, then deletes the dropped ones after everything else", async () => {
    const runners = (count: number) => ({ "dind-stack:workloads": { clients: [{ name: "runner", count, env: { CI: "true" } }] } });
    expect(changes((await deploy(runners(3))).steps)).toEqual(["create ci-dind-client-runner-3"]);
    const down = await deploy(runners(1));
    expect(changes(down.steps).sort()).toEqual(["delete ci-dind-client-runner-2", "delete ci-dind-client-runner-3"]);
    expect(ops.calls.sort()).toEqual(["remove ci-dind-client-runner-2", "remove ci-dind-client-runner-3"]);
  });

  test("moving the registry's port replaces the registry container alone, delete first", async () => {
    const result = await deploy({ "dind-stack:registry": { port: 5002 } });
    expect(changes(result.steps)).toEqual(["replace ci-registry-container [ports]"]);
    expect(ops.calls).toEqual(["remove ci-registry-container", "create ci-registry-container"]);
  });

  test("renaming a data volume creates the new one and leaves the retained old one in place", async () => {
    const result = await deploy({ "dind-stack:registry": { volumeName: "ci-registry-moved" } });
    expect(changes(result.steps)).toEqual(["replace ci-registry-data [name]", "replace ci-registry-container [volumes]", "retain ci-registry-data"]);
    expect(ops.calls).not.toContain("remove ci-registry-data");
  });

  test("renaming a data volume that is not retained deletes the old one only after the registry runs on the new one", async () => {
    const unretained = { "dind-stack:registry": { retainDataOnDelete: false } };
    await deploy(unretained);
    const result = await deploy({ "dind-stack:registry": { retainDataOnDelete: false, volumeName: "ci-registry-moved" } });
    expect(ops.calls).toEqual(["create ci-registry-data", "remove ci-registry-container", "create ci-registry-container", "remove ci-registry-data"]);
    expect(result.steps.find((step) => step.name === "ci-registry-data" && step.op === "replace")?.deleteBeforeReplace).toBe(false);
  });

  test("a preview lists the steps and calls the provider for nothing, leaving the state as it was", async () => {
    const before = state;
    const planned = await preview({ stack: "ci", config: withOverrides(base, { "dind-stack:daemon": { mtu: 1400 } }), state, ops: (ops.calls.length = 0, ops) });
    expect(changes(planned.steps)).toEqual(["replace ci-dind-daemon [envs]"]);
    expect(ops.calls).toEqual([]);
    expect(planned.state).toBe(before);
    expect(formatPlan(planned.steps)).toContain("+- docker:index/container:Container ci-dind-daemon replace [envs] (delete before replace)");
  });

  test("destroy deletes clients before the daemon, containers before volumes and the network; data volumes stay", async () => {
    const result = await destroy(state, ops);
    const removed = ops.calls.map((call) => call.replace("remove ", ""));
    expect(removed.indexOf("ci-dind-client-runner-1")).toBeLessThan(removed.indexOf("ci-dind-daemon"));
    expect(removed.indexOf("ci-dind-daemon")).toBeLessThan(removed.indexOf("ci-dind-certs"));
    expect(removed.indexOf("ci-registry-container")).toBeLessThan(removed.indexOf("ci-network"));
    expect(removed).not.toContain("ci-registry-data");
    expect(removed).not.toContain("ci-dind-data");
    expect(result.steps.filter((step) => step.op === "retain").map((step) => step.name).sort()).toEqual(["ci-dind-data", "ci-registry-data"]);
    expect(result.state).toEqual(emptyState());
  });
});

test.each(stackNames())("stack %s: a second up with an unchanged config changes nothing (the program is deterministic)", async (stack) => {
  const ops = recordingOps();
  const { config, secretKeys } = deployableStack(stack);
  const first = await up({ stack, config, secretKeys, state: emptyState(), ops });
  ops.calls.length = 0;
  const second = await up({ stack, config, secretKeys, state: first.state, ops });
  expect(changes(second.steps)).toEqual([]);
  expect(ops.calls).toEqual([]);
});

test("with registry auth too: the htpasswd file is the same on every run, so nothing is replaced", async () => {
  const ops = recordingOps();
  const config = withOverrides(stackConfig("ci"), { "dind-stack:registry": { auth: { username: "builder" } }, "dind-stack:registryPassword": "a-long-password" });
  const secretKeys = ["dind-stack:registryPassword"];
  const first = await up({ stack: "ci", config, secretKeys, state: emptyState(), ops });
  const second = await up({ stack: "ci", config, secretKeys, state: first.state, ops });
  expect(changes(second.steps)).toEqual([]);
});

describe("dependents of a resource replaced delete-first", () => {
  const entry = (name: string, type: string, propertyDependencies: Record<string, string[]> = {}): StateEntry => ({
    urn: `urn:${name}`,
    type,
    name,
    custom: true,
    id: name,
    inputs: {},
    outputs: {},
    options: { dependsOn: Object.values(propertyDependencies).flat(), propertyDependencies, deleteBeforeReplace: true, retainOnDelete: false, ignoreChanges: [], replaceOnChanges: [], aliases: [] },
  });
  const network = entry("net", "docker:index/network:Network");
  const registry = entry("registry", "docker:index/container:Container", { networksAdvanced: ["urn:net"] });
  const client = entry("client", "docker:index/container:Container", { volumes: ["urn:certs"] });
  const waiter = { ...entry("waiter", "docker:index/container:Container"), options: { ...registry.options, propertyDependencies: {}, dependsOn: ["urn:registry"] } };
  const state = [network, registry, client, waiter];

  test("are those whose replace-forcing inputs come from it, transitively; an explicit dependsOn alone does not count", () => {
    expect(dependentReplacements(state, network)).toEqual([registry]);
    expect(dependentReplacements(state, registry)).toEqual([]);
  });

  test("are deleted dependents first", () => {
    expect(deletionOrder([network, registry], state)).toEqual([registry, network]);
  });
});
