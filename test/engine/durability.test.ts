// Scenario 3: durability. Restarts, crashes and replacements of the DinD daemon and the
// registry lose nothing: registry content and the DinD image cache live in volumes, and
// the daemon starts again after a crash, also when its stale pid files name live processes.
import { objectNames } from "../../components/naming";
import { ProgramRun } from "../support/run-program";
import { named } from "../support/resource-queries";
import { readyTimesMs } from "./support/daemon-log";
import { deploy, recreate } from "./support/deploy";
import { removeByNamePrefix, removeTestObjects } from "./support/cleanup";
import { execOk } from "./support/container-io";
import { engine } from "./support/engine";
import { waitFor, waitHealthy } from "./support/waiting";
import { figures } from "./support/figures";
import { pushFromHost, registryGet, removeHostImage } from "./support/host-side";
import { ensureBusybox } from "./support/test-images";

const STACK = "test-durable";
const names = objectNames(STACK);
const runner = names.client("runner", 1);
const APP = "registry:5000/e2e/durable:1";

/** The inner image cache still holds the app image. */
async function innerCacheHasApp(): Promise<boolean> {
  const result = await execOk(runner, ["docker", "image", "inspect", "--format", "{{.Id}}", APP]);
  return result.stdout.startsWith("sha256:");
}

/** The registry still serves the app image's manifest. */
async function registryHasApp(registryHost: string): Promise<void> {
  expect((await registryGet(registryHost, "/v2/_catalog")).body.repositories).toContain("e2e/durable");
  const response = await fetch(`http://${registryHost}/v2/e2e/durable/manifests/1`, { headers: { accept: "application/vnd.docker.distribution.manifest.v2+json" } });
  expect(response.status).toBe(200);
}

/** Waits until the container has been started again after `previousStart` and is healthy. */
async function restartedAndHealthy(container: string, previousStart: string): Promise<number> {
  const started = Date.now();
  await waitFor(`${container} to start again`, 60_000, async () => {
    const state = (await engine.getContainer(container).inspect()).State;
    return state.StartedAt !== previousStart && state.Running ? true : undefined;
  });
  await waitHealthy(container, 60_000);
  return Date.now() - started;
}

const startedAt = async (container: string) => (await engine.getContainer(container).inspect()).State.StartedAt;

describe("durability of the ci stack on a real engine", () => {
  let run: ProgramRun;
  let registryHost: string;

  beforeAll(async () => {
    await removeByNamePrefix(names.prefix);
    await ensureBusybox();
    run = await deploy({ configOf: "ci", stack: STACK });
    registryHost = run.outputs.registryHostAddress as string;
    await pushFromHost("dind-stack-test/busybox:local", `${registryHost}/e2e/busybox:1`);
    const script = `set -eu; mkdir -p /tmp/d && cd /tmp/d; printf 'FROM registry:5000/e2e/busybox:1\\nRUN echo durable > /proof\\n' > Dockerfile; docker build -q -t ${APP} .; docker push ${APP}`;
    await execOk(runner, ["sh", "-c", script]);
  }, 900_000);

  afterAll(async () => {
    await removeHostImage(`${registryHost}/e2e/busybox:1`);
    await removeTestObjects({ images: false });
  }, 120_000);

  test("a restarted DinD daemon is ready again and keeps its image cache", async () => {
    const before = await startedAt(names.daemonContainer);
    await engine.getContainer(names.daemonContainer).restart();
    figures.record("durable: daemon healthy after docker restart", (await restartedAndHealthy(names.daemonContainer, before)) / 1000, "s");
    expect(await innerCacheHasApp()).toBe(true);
  });

  test("a crashed dockerd (SIGKILL) is restarted by the restart policy and keeps its cache", async () => {
    const before = await startedAt(names.daemonContainer);
    await execOk(names.daemonContainer, ["sh", "-c", 'kill -9 "$(cat /var/run/docker.pid)"']);
    figures.record("durable: daemon healthy after dockerd SIGKILL (restart policy)", (await restartedAndHealthy(names.daemonContainer, before)) / 1000, "s");
    expect(await innerCacheHasApp()).toBe(true);
  });

  test("a daemon container killed with SIGKILL (docker kill) starts again with its cache", async () => {
    const container = engine.getContainer(names.daemonContainer);
    const before = await startedAt(names.daemonContainer);
    await container.kill({ signal: "SIGKILL" });
    await waitFor("the daemon container to stop or restart", 30_000, async () => {
      const state = (await container.inspect()).State;
      return !state.Running || state.StartedAt !== before ? true : undefined;
    });
    if (!(await container.inspect()).State.Running) await container.start();
    figures.record("durable: daemon healthy after container SIGKILL + start", (await restartedAndHealthy(names.daemonContainer, before)) / 1000, "s");
    expect(await innerCacheHasApp()).toBe(true);
    // Four starts so far; the watcher logs each one's ready time, possibly just after the healthcheck passes.
    const times = await waitFor("four ready times in the daemon's log", 30_000, async () => {
      const found = await readyTimesMs(names.daemonContainer);
      return found.length >= 4 ? found : undefined;
    });
    times.forEach((ms, index) => figures.record(`durable: daemon start ${index + 1}, entrypoint to ready`, ms / 1000, "s"));
  });

  // A crash leaves dockerd's pid file behind, and in the restarted container its pid belongs to
  // whatever runs there now; dockerd refuses to start while the pid in its file is alive (moby
  // v20.10 pkg/pidfile: the pid's /proc entry exists). PID 1 of the restarted container
  // (docker-init) stands for such a pid: it is alive in every container, and no daemon.
  test("a crash that leaves a pid file naming a live process that is no daemon: the restarted daemon starts and keeps its cache", async () => {
    const before = await startedAt(names.daemonContainer);
    await execOk(names.daemonContainer, ["sh", "-c", 'dockerd=$(cat /var/run/docker.pid); echo 1 > /var/run/docker.pid; kill -9 "$dockerd"']);
    await restartedAndHealthy(names.daemonContainer, before);
    expect(await innerCacheHasApp()).toBe(true);
  });

  test("the registry keeps its content across a restart and a SIGKILL", async () => {
    const registry = engine.getContainer(names.registryContainer);
    let before = await startedAt(names.registryContainer);
    await registry.restart();
    await restartedAndHealthy(names.registryContainer, before);
    await registryHasApp(registryHost);
    before = await startedAt(names.registryContainer);
    await registry.kill({ signal: "SIGKILL" });
    await waitFor("the registry to stop or restart", 30_000, async () => {
      const state = (await registry.inspect()).State;
      return !state.Running || state.StartedAt !== before ? true : undefined;
    });
    if (!(await registry.inspect()).State.Running) await registry.start();
    await restartedAndHealthy(names.registryContainer, before);
    await registryHasApp(registryHost);
  });

  test("replacing the registry container keeps its data", async () => {
    await engine.getContainer(names.registryContainer).remove({ force: true, v: true });
    await recreate(named(run.resources, `${STACK}-registry-container`));
    await registryHasApp(registryHost);
    await execOk(runner, ["docker", "rmi", APP]);
    await execOk(runner, ["docker", "pull", APP]);
  });

  test("a redeploy after every container is gone finds the registry content and the DinD cache", async () => {
    for (const info of await engine.listContainers({ all: true, filters: { label: [`org.dind-stack.stack=${STACK}`] } })) {
      await engine.getContainer(info.Id).remove({ force: true, v: true });
    }
    await engine.getNetwork(names.network).remove();
    run = await figures.time("durable: redeploy over existing volumes", () => deploy({ configOf: "ci", stack: STACK }));
    await registryHasApp(registryHost);
    expect(await innerCacheHasApp()).toBe(true);
  });
});
