// The life of the ci stack (DinD) after its first `pulumi up`, acted out on a real engine with
// the provider's own update/replace/delete rules (test/support/lifecycle): a daemon setting
// changes, the DinD image is rebuilt, the registry password is rotated, a client group is
// scaled, the registry moves to another port, the stack is destroyed and deployed again.
// Each step checks what a user would see, and that no pushed image and no cache is lost.
import { objectNames } from "../../components/naming";
import { execOk, fileInImage, FollowedLog, followLog } from "./support/container-io";
import { TestStack } from "./support/deploy";
import { figures } from "./support/figures";
import { pullToHost, pushFromHost, registryGet, removeHostImage } from "./support/host-side";
import { changesOf, containerId, networkExists, readVolume, repositoriesOnVolume, stackContainers, volumeExists } from "./support/stack-objects";
import { scenarioHooks } from "./support/scenario-hooks";
import { BUSYBOX_IMAGE } from "./support/test-images";

const STACK = "test-life-ci";
const names = objectNames(STACK);
const runner = (index: number) => names.client("runner", index);
const volumes = { registry: `${names.prefix}-registry-data`, dind: `${names.prefix}-dind-data` };
const credentials = { username: "builder", password: "first-password-1" };
const rotated = { ...credentials, password: "second-password-2" };
const ports = { first: 5011, moved: 5012 };
const APP = "registry:5000/life/app:1";
const runners = (count: number) => ({ "dind-stack:workloads": { clients: [{ name: "runner", count, env: { CI: "true" } }] } });

/** dockerd's last words after a SIGTERM it had time to act on (a SIGKILL leaves none). */
const CLEAN_SHUTDOWN = /Daemon shutdown complete/;

/** The log of a daemon that was stopped and removed, once it has ended. */
async function finalLog(log: FollowedLog): Promise<string> {
  await Promise.race([log.ended, new Promise((resolve) => setTimeout(resolve, 60_000))]);
  return log.text();
}

/** The DinD daemon's image store lists the app image (without pulling it). */
async function cacheHasApp(client: string): Promise<boolean> {
  const listed = await execOk(client, ["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"]);
  return listed.stdout.split("\n").includes(APP);
}

describe("the ci stack (DinD) through its life on a real engine", () => {
  const stack = new TestStack({
    configOf: "ci",
    stack: STACK,
    overrides: {
      "dind-stack:registry": { port: ports.first, auth: { username: credentials.username } },
      "dind-stack:registryPassword": credentials.password,
    },
    secretKeys: ["dind-stack:registryPassword"],
  });
  let ids: Record<string, string | undefined> = {};
  const snapshotIds = async () => {
    ids = Object.fromEntries(await Promise.all([names.registryContainer, names.daemonContainer, runner(1), runner(2)].map(async (name) => [name, await containerId(name)] as const)));
  };

  scenarioHooks(stack, { prefix: names.prefix, busybox: true, hostImages: Object.values(ports).map((port) => `127.0.0.1:${port}/life/busybox:1`) });

  test("up: everything is created; a client builds, pushes, and the image lands in the registry", async () => {
    const result = await figures.time("lifecycle ci: first up", () => stack.up());
    expect(result.steps.filter((step) => step.op !== "same" && step.op !== "create")).toEqual([]);
    await pushFromHost(BUSYBOX_IMAGE, `127.0.0.1:${ports.first}/life/busybox:1`, credentials);
    await execOk(runner(1), ["sh", "-c", `set -eu; mkdir -p /tmp/a && cd /tmp/a; printf 'FROM registry:5000/life/busybox:1\\nRUN echo life > /proof\\n' > Dockerfile; docker build -q -t ${APP} .; docker push ${APP}`]);
    expect((await registryGet(`127.0.0.1:${ports.first}`, "/v2/_catalog", credentials)).body.repositories).toEqual(["life/app", "life/busybox"]);
    await snapshotIds();
  });

  test("a daemon setting (an extra insecure registry, the MTU): the preview names the daemon alone; up replaces it delete-first, the old daemon shuts down cleanly, and its cache is kept", async () => {
    stack.configure({ "dind-stack:daemon": { insecureRegistries: ["mirror.test:5000"], mtu: 1400 } });
    const planned = await stack.preview();
    expect(changesOf(planned.steps)).toEqual([`replace ${STACK}-dind-daemon [envs]`]);
    expect(await containerId(names.daemonContainer)).toBe(ids[names.daemonContainer]);

    const oldDaemon = await followLog(names.daemonContainer);
    const applied = await figures.time("lifecycle ci: up replacing the daemon", () => stack.up());
    expect(changesOf(applied.steps)).toEqual(changesOf(planned.steps));
    expect(await containerId(names.daemonContainer)).not.toBe(ids[names.daemonContainer]);
    // Stopped with its grace period (destroyGraceSeconds), not killed: dockerd finished its shutdown.
    expect(await finalLog(oldDaemon)).toMatch(CLEAN_SHUTDOWN);
    expect(await containerId(runner(1))).toBe(ids[runner(1)]);
    expect(await containerId(names.registryContainer)).toBe(ids[names.registryContainer]);
    const insecure = JSON.parse((await execOk(runner(1), ["docker", "info", "--format", "{{json .RegistryConfig.IndexConfigs}}"])).stdout);
    expect(insecure["mirror.test:5000"]).toMatchObject({ Secure: false });
    const mtu = await execOk(runner(1), ["docker", "network", "inspect", "bridge", "--format", '{{index .Options "com.docker.network.driver.mtu"}}']);
    expect(mtu.stdout.trim()).toBe("1400");
    expect(await cacheHasApp(runner(1))).toBe(true);
    await snapshotIds();
  });

  test("a rebuilt DinD image (an extra package) is built in the preview, then replaces the daemon and every client; the cache survives", async () => {
    stack.configure({ "dind-stack:dindImage": { extraPackages: ["git", "jq"] } });
    const planned = await stack.preview();
    // The two clients are replaced side by side, in either order.
    expect(changesOf(planned.steps).sort()).toEqual([
      `replace ${STACK}-dind-client-runner-1 [image]`,
      `replace ${STACK}-dind-client-runner-2 [image]`,
      `replace ${STACK}-dind-daemon [image]`,
      `update ${STACK}-dind-image-image [build]`,
    ]);
    expect(await containerId(runner(1))).toBe(ids[runner(1)]);

    const applied = await figures.time("lifecycle ci: up after an image rebuild", () => stack.up());
    expect(changesOf(applied.steps).sort()).toEqual(changesOf(planned.steps).sort());
    expect(await containerId(runner(1))).not.toBe(ids[runner(1)]);
    expect((await execOk(runner(1), ["jq", "--version"])).stdout).toMatch(/^jq-/);
    expect(await cacheHasApp(runner(2))).toBe(true);
    await snapshotIds();
  });

  test("a rotated registry password: the old one is refused, the new one works, and the clients push with it", async () => {
    stack.configure({ "dind-stack:registryPassword": rotated.password });
    const applied = await stack.up();
    expect(changesOf(applied.steps).sort()).toEqual([
      `replace ${STACK}-dind-client-runner-1 [uploads]`,
      `replace ${STACK}-dind-client-runner-2 [uploads]`,
      `replace ${STACK}-registry-container [uploads]`,
    ]);
    const host = `127.0.0.1:${ports.first}`;
    expect((await registryGet(host, "/v2/_catalog", credentials)).status).toBe(401);
    expect((await registryGet(host, "/v2/_catalog", rotated)).body.repositories).toEqual(["life/app", "life/busybox"]);
    await execOk(runner(2), ["sh", "-c", `docker tag ${APP} registry:5000/life/rotated:1 && docker push registry:5000/life/rotated:1`]);
    expect((await registryGet(host, "/v2/life/rotated/tags/list", rotated)).body.tags).toEqual(["1"]);
    await snapshotIds();
  });

  test("scaling the runners 2 → 3 → 1 creates and deletes only the containers that come and go", async () => {
    stack.configure(runners(3));
    expect(changesOf((await stack.up()).steps)).toEqual([`create ${STACK}-dind-client-runner-3`]);
    expect(await cacheHasApp(runner(3))).toBe(true);

    stack.configure(runners(1));
    expect(changesOf((await stack.up()).steps).sort()).toEqual([`delete ${STACK}-dind-client-runner-2`, `delete ${STACK}-dind-client-runner-3`]);
    expect(await stackContainers(STACK)).toEqual([names.daemonContainer, names.registryContainer, runner(1)].sort());
    expect(await containerId(runner(1))).toBe(ids[runner(1)]);
  });

  test("the registry moves to another port: the old one is closed, the new one serves the same content", async () => {
    stack.configure({ "dind-stack:registry": { port: ports.moved } });
    const applied = await stack.up();
    expect(changesOf(applied.steps)).toEqual([`replace ${STACK}-registry-container [ports]`, `replace ${STACK}-dind-client-runner-1 [uploads]`]);
    await expect(registryGet(`127.0.0.1:${ports.first}`, "/v2/")).rejects.toThrow();
    expect((await registryGet(`127.0.0.1:${ports.moved}`, "/v2/_catalog", rotated)).body.repositories).toEqual(["life/app", "life/busybox", "life/rotated"]);
    await execOk(runner(1), ["docker", "push", APP]);
  });

  test("destroy: containers and the network are gone, the daemon shut down cleanly; the data volumes stay, with their data", async () => {
    const daemon = await followLog(names.daemonContainer);
    const steps = await stack.destroy();
    expect(await finalLog(daemon)).toMatch(CLEAN_SHUTDOWN);
    expect(steps.filter((step) => step.op === "retain").map((step) => step.name).sort()).toEqual([`${STACK}-dind-data`, `${STACK}-registry-data`]);
    expect(await stackContainers(STACK)).toEqual([]);
    expect(await networkExists(names.network)).toBe(false);
    expect(await repositoriesOnVolume(volumes.registry)).toBe("life/app\nlife/busybox\nlife/rotated\n");
    expect(await readVolume(volumes.dind, "cat /data/image/overlay2/repositories.json")).toContain(APP);
    expect(await volumeExists(names.certsVolume)).toBe(false);
  });

  test("up again: the registry serves what was pushed before the destroy, and the DinD cache is warm", async () => {
    const result = await figures.time("lifecycle ci: up after destroy, over the retained volumes", () => stack.up());
    expect(result.steps.every((step) => step.op === "create")).toBe(true);
    expect(await cacheHasApp(runner(1))).toBe(true);
    await execOk(runner(1), ["docker", "rmi", "registry:5000/life/rotated:1"]);
    await execOk(runner(1), ["docker", "pull", "registry:5000/life/rotated:1"]);
    expect(await fileInImage(runner(1), "registry:5000/life/rotated:1", "/proof")).toBe("life\n");
    await removeHostImage(`127.0.0.1:${ports.moved}/life/busybox:1`);
    await pullToHost(`127.0.0.1:${ports.moved}/life/busybox:1`, rotated);
  });
});
