// Switching a stack between dind and dood, as the harness models `pulumi up` (the engine's
// aliases and the provider's delete-first), on the real program under mocks with a provider
// that refuses a second container of a name, as the engine does: the clients keep their names
// and move to the other mode's workload, so without their aliases the switch fails on a name.
import { destroy, DeploymentFailed, up } from "../../support/lifecycle/deployment";
import { changes } from "../../support/lifecycle/plan";
import { recordingOps, RecordingOps } from "../../support/lifecycle/recording-ops";
import { emptyState, StackState } from "../../support/lifecycle/stack-state";
import { ProgramVariant } from "../../support/run-program";
import { stackConfig, withOverrides } from "../../support/stack-config";

const dood = { "dind-stack:mode": "dood", "dind-stack:workloads": { allowDood: true } };
const dind = { "dind-stack:mode": "dind" };

describe.each([
  ["dev", "builder", dind, dood],
  ["ci", "runner", dind, dood],
] as const)("the %s stack switched between modes", (stack, group, toDind, toDood) => {
  let state: StackState;
  let ops: RecordingOps;
  const base = stackConfig(stack);
  const deploy = async (overrides: Record<string, unknown>, variant?: ProgramVariant) => {
    ops.calls.length = 0;
    const result = await up({ stack, config: withOverrides(base, overrides), state, ops, variant }).catch((error: unknown) => {
      if (error instanceof DeploymentFailed) state = error.state;
      throw error;
    });
    state = result.state;
    return result;
  };
  const urns = () => state.resources.map((entry) => entry.urn);

  beforeEach(() => {
    state = emptyState();
    ops = recordingOps();
  });

  test("dood → dind → dood → dind, each in one up: the clients are replaced delete-first under their new workload, the registry is untouched, the DinD cache volume is kept and found again", async () => {
    await deploy(toDood);
    const registryId = state.resources.find((entry) => entry.name === `${stack}-registry-container`)!.id;

    const intoDind = await deploy(toDind);
    expect(changes(intoDind.steps)).toEqual(
      // The clients leave the DooD client image for the DinD image, built now.
      expect.arrayContaining([
        `create ${stack}-dind-data`,
        `create ${stack}-dind-image-image`,
        `create ${stack}-dind-daemon`,
        `replace ${stack}-dind-client-${group}-1 [envs,image,volumes]`,
        `delete ${stack}-client-image-image`,
      ]),
    );
    expect(ops.calls.indexOf(`remove ${stack}-dood-client-${group}-1`)).toBeLessThan(ops.calls.indexOf(`create ${stack}-dind-client-${group}-1`));
    expect(ops.calls.filter((call) => call.includes("registry"))).toEqual([]);
    expect(urns().some((urn) => urn.includes("DoodWorkload"))).toBe(false);

    const intoDood = await deploy(toDood);
    expect(changes(intoDood.steps)).toEqual(
      expect.arrayContaining([`replace ${stack}-dood-client-${group}-1 [envs,image,volumes]`, `delete ${stack}-dind-daemon`, `retain ${stack}-dind-data`]),
    );
    expect(ops.calls).not.toContain(`remove ${stack}-dind-data`);

    // Back in dind, the kept volume is declared again: created by name, which adopts it with its cache.
    const again = await deploy(toDind);
    expect(changes(again.steps)).toContain(`create ${stack}-dind-data`);
    expect(state.resources.find((entry) => entry.name === `${stack}-registry-container`)!.id).toBe(registryId);
  });

  test("without the aliases the switch fails on a client's name, leaves the old client in the state, and a destroy after it succeeds", async () => {
    await deploy(toDood);
    const variant: ProgramVariant = { aliases: false };
    // The clients are created side by side; whichever comes first collides.
    await expect(deploy(toDind, variant)).rejects.toThrow(new RegExp(`The container name "/dind-stack-${stack}-${group}-\\d" is already in use`));
    // What completed is kept (the daemon, its volumes), and the old client is still there, to be deleted.
    expect(state.resources.map((entry) => entry.name)).toEqual(expect.arrayContaining([`${stack}-dind-daemon`, `${stack}-dood-client-${group}-1`]));
    ops.calls.length = 0;
    const destroyed = await destroy(state, ops);
    expect(ops.calls.indexOf(`remove ${stack}-dood-client-${group}-1`)).toBeLessThan(ops.calls.indexOf(`remove ${stack}-network`));
    expect(destroyed.state).toEqual(emptyState());
  });
});
