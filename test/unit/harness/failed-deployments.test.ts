// What a failed `pulumi up` leaves in the state and what the next one does with it, as the
// harness models the engine (every completed step kept; pending deletes, pending replacements
// and init errors), on the real ci stack under mocks with a recording provider.
import { destroy, DeploymentFailed, preview, up } from "../../support/lifecycle/deployment";
import { changes } from "../../support/lifecycle/plan";
import { recordingOps, RecordingOps } from "../../support/lifecycle/recording-ops";
import { emptyState, StackState } from "../../support/lifecycle/stack-state";
import { ProgramVariant } from "../../support/run-program";
import { stackConfig, withOverrides } from "../../support/stack-config";

const DAEMON = "ci-dind-daemon";
const UNHEALTHY = "container failed to be in healthy state";

describe("failed deployments of the ci stack", () => {
  const base = stackConfig("ci");
  let state: StackState;
  let ops: RecordingOps;
  const deploy = async (overrides: Record<string, unknown> = {}, variant?: ProgramVariant) => {
    ops.calls.length = 0;
    try {
      const result = await up({ stack: "ci", config: withOverrides(base, overrides), state, ops, variant });
      state = result.state;
      return result;
    } catch (error) {
      if (error instanceof DeploymentFailed) state = error.state;
      throw error;
    }
  };
  const entry = (name: string) => state.resources.find((candidate) => candidate.name === name && !candidate.delete);

  beforeEach(() => {
    state = emptyState();
    ops = recordingOps();
  });

  test("a daemon whose health wait fails is kept with init errors; the next up replaces it (replaceOnChanges *), delete-first, and waits again", async () => {
    ops.failCreate(DAEMON, UNHEALTHY);
    await expect(deploy()).rejects.toThrow(UNHEALTHY);
    expect(entry(DAEMON)).toMatchObject({ id: `${DAEMON}-id`, initErrors: [UNHEALTHY] });
    // The clients, which wait for the daemon, were never created.
    expect(entry("ci-dind-client-runner-1")).toBeUndefined();

    ops.failCreate(DAEMON);
    const next = await deploy();
    expect(changes(next.steps)).toEqual(expect.arrayContaining(["replace ci-dind-daemon [#initerror]", "create ci-dind-client-runner-1"]));
    expect(ops.calls.slice(0, 2)).toEqual(["remove ci-dind-daemon", "create ci-dind-daemon"]);
    expect(entry(DAEMON)?.initErrors).toBeUndefined();
  });

  test("without replaceOnChanges, as the engine does it: the next up only updates the unhealthy daemon, changing nothing on the engine, and is green", async () => {
    ops.failCreate(DAEMON, UNHEALTHY);
    await expect(deploy({}, { replaceOnChanges: false })).rejects.toThrow(UNHEALTHY);
    ops.failCreate(DAEMON);
    const next = await deploy({}, { replaceOnChanges: false });
    expect(changes(next.steps)).toContain("update ci-dind-daemon");
    expect(ops.calls).not.toContain("create ci-dind-daemon");
    expect(ops.calls).not.toContain("remove ci-dind-daemon");
    expect(entry(DAEMON)?.initErrors).toBeUndefined();
  });

  test("a delete-first replacement whose create fails leaves the old daemon as a pending replacement: the next up creates without deleting again, a destroy deletes nothing for it", async () => {
    await deploy();
    // Fails before the engine has the container (no init errors): nothing new is kept.
    ops.failCreate(DAEMON, "Unable to create container: no space left on device", false);
    await expect(deploy({ "dind-stack:daemon": { mtu: 1400 } })).rejects.toThrow("no space left on device");
    expect(state.resources.filter((candidate) => candidate.name === DAEMON)).toEqual([expect.objectContaining({ pendingReplacement: true })]);
    expect(ops.calls.slice(0, 2)).toEqual(["remove ci-dind-daemon", "create ci-dind-daemon"]);

    ops.failCreate(DAEMON);
    const retried = await deploy({ "dind-stack:daemon": { mtu: 1400 } });
    expect(ops.calls[0]).toBe("create ci-dind-daemon");
    expect(changes(retried.steps)[0]).toBe("replace ci-dind-daemon [envs]");
    ops.failCreate(DAEMON, "Unable to create container: no space left on device", false);
    await expect(deploy({ "dind-stack:daemon": { mtu: 1300 } })).rejects.toThrow("no space left on device");

    ops.calls.length = 0;
    const destroyed = await destroy(state, ops);
    expect(ops.calls).not.toContain(`remove ${DAEMON}`);
    expect(destroyed.steps.map((step) => step.name)).not.toContain(DAEMON);
  });

  test("a create-first replacement whose later step fails keeps the old resource as a pending delete, deleted by the next up", async () => {
    await deploy({ "dind-stack:registry": { retainDataOnDelete: false } });
    ops.failCreate("ci-registry-container", "Unable to start container: port is already allocated");
    await expect(deploy({ "dind-stack:registry": { retainDataOnDelete: false, volumeName: "ci-registry-moved" } })).rejects.toThrow("port is already allocated");
    expect(state.resources.filter((candidate) => candidate.name === "ci-registry-data").map((candidate) => [candidate.inputs.name, candidate.delete ?? false])).toEqual([
      ["ci-registry-moved", false],
      ["dind-stack-ci-registry-data", true],
    ]);
    ops.failCreate("ci-registry-container");
    const next = await deploy({ "dind-stack:registry": { retainDataOnDelete: false, volumeName: "ci-registry-moved" } });
    expect(changes(next.steps)).toEqual(["replace ci-registry-container [#initerror]", "delete ci-registry-data"]);
    expect(ops.calls.at(-1)).toBe("remove ci-registry-data");
  });
});

test("a preview does not run applies on values it cannot know: a pinned pull of a new mirror entry previews without a digest mismatch", async () => {
  const ops = recordingOps();
  const config = stackConfig("ci");
  const first = await up({ stack: "ci", config, state: emptyState(), ops });
  const mirror = { "dind-stack:mirror": [{ source: "mysql:5.7", digest: `sha256:${"1".repeat(64)}` }] };
  const planned = await preview({ stack: "ci", config: withOverrides(config, mirror), state: first.state, ops });
  expect(changes(planned.steps)).toEqual(expect.arrayContaining(["create ci-mirror-library-mysql-5-7-77a2bae3-pull"]));
  expect(planned.run.outputs.mirroredImages).toBe("(known after apply)");
});
