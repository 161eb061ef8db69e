// The prod stack's real-cluster settings acted out on the engine's one-node cluster
// (test/engine/support/kubelet), with a DinD image of Docker 26.1 (the stand-in packed from
// Debian trixie's docker.io; --default-network-opt needs dockerd 24.0 or newer):
// - MTU: a network the runner pod's daemon makes with `docker network create` gets the smaller
//   of the pod's eth0 MTU and the configured one, and so do the containers on it;
// - termination: the job container stops first, then the prune sidecar, then the daemon, which
//   gives a nested container its stop timeout and exits cleanly within the grace period;
// - storage: the prune container removes an unused image older than the prune age from the
//   daemon's cache; the registry's garbage collection, which runs with the registry stopped
//   when its pod starts, frees the layers of an image whose tag was pushed again.
import { TestStack } from "./support/deploy";
import { execIn, execOk, logsOf } from "./support/container-io";
import { figures } from "./support/figures";
import { ImageRegistry, startImageRegistry } from "./support/image-registry";
import { runningPods, stoppedPods, stopClusters } from "./support/kubelet/cluster";
import { podContainer } from "./support/kubelet/pod-containers";
import { readStandins } from "./support/standins";
import { agedArchive, BUSYBOX_IMAGE, ensureBusybox, loadArchiveInto, loadImageInto } from "./support/test-images";
import { waitFor } from "./support/waiting";

const STACK = "test-k8s-real";
const REGISTRY_NS = `dind-stack-${STACK}-registry`;
const RUNNERS_NS = `dind-stack-${STACK}-runners`;
const SERVICE = `registry.${REGISTRY_NS}.svc:5000`;
const GRACE = 45;
const OLD_IMAGE = "dind-stack-test/aged:1";

const job = () => podContainer(RUNNERS_NS, "runner-0", "job");
const daemon = () => podContainer(RUNNERS_NS, "runner-0", "dind");
const registry = () => podContainer(REGISTRY_NS, "registry-", "registry");
const runner = (count: number) => ({ "dind-stack:workloads": { clients: [{ name: "runner", count }] } });

/** The MTU of a network of the pod's daemon, and of the interface of a container on it. */
async function networkMtu(shell: string, network: string): Promise<{ network: string; container: string }> {
  const option = await execOk(shell, ["docker", "network", "inspect", network, "--format", '{{index .Options "com.docker.network.driver.mtu"}}']);
  const nested = await execOk(shell, ["docker", "run", "--rm", "--network", network, BUSYBOX_IMAGE, "cat", "/sys/class/net/eth0/mtu"]);
  return { network: option.stdout.trim(), container: nested.stdout.trim() };
}

/** Kilobytes the registry's storage takes. */
async function registryKilobytes(): Promise<number> {
  return Number((await execOk(await registry(), ["du", "-sk", "/var/lib/registry"])).stdout.split(/\s/)[0]);
}

describe("a real cluster's settings on the engine (DinD image of Docker 26.1)", () => {
  let nodeRegistry: ImageRegistry;
  let stack: TestStack;

  beforeAll(async () => {
    await ensureBusybox();
    // The Docker 26.1 stand-in (Debian trixie's docker.io on a debian:trixie-slim base), made by scripts/build-standins.sh.
    const trixie = readStandins("trixie");
    nodeRegistry = await startImageRegistry(`dind-stack-${STACK}-node-registry`);
    stack = new TestStack({
      configOf: "prod",
      stack: STACK,
      overrides: {
        "dind-stack:registryPassword": "real-cluster-password",
        "dind-stack:dindImage": { dockerVersion: trixie.dockerVersion, sha256: trixie.sha256, localTarball: trixie.tarball, baseImage: trixie.baseImage, extraPackages: trixie.extraPackages },
        "dind-stack:kubernetes": { dindImage: { registry: nodeRegistry.address, repository: "dind-stack/dind" }, terminationGracePeriodSeconds: GRACE },
        ...runner(1),
      },
      secretKeys: ["dind-stack:registryPassword"],
    });
    await figures.time("k8s real: first up (Docker 26.1 DinD image, registry pod, 1 runner pod)", () => stack.up());
    await loadImageInto(await job(), BUSYBOX_IMAGE);
  }, 900_000);

  afterAll(async () => {
    await stopClusters();
    await nodeRegistry?.remove();
  }, 120_000);

  test("MTU: docker0 and a network made with docker network create get the configured 1400, below eth0's 1500, and so do containers on it", async () => {
    const shell = await job();
    expect((await execOk(shell, ["cat", "/sys/class/net/eth0/mtu"])).stdout.trim()).toBe("1500");
    await execOk(shell, ["docker", "network", "create", "made-by-a-job"]);
    expect(await networkMtu(shell, "made-by-a-job")).toEqual({ network: "1400", container: "1400" });
    expect(await networkMtu(shell, "bridge")).toEqual({ network: "1400", container: "1400" });
    expect(await logsOf(await daemon())).toContain("MTU: eth0 has 1500, configured 1400; passing --mtu=1400, and the same for every bridge network the daemon creates");
  });

  test("MTU: a configured MTU above eth0's gives way to eth0's, for new networks too", async () => {
    stack.configure({ "dind-stack:daemon": { mtu: 9000 } });
    await figures.time("k8s real: up rolling the runner (MTU 9000)", () => stack.up());
    const shell = await job();
    await loadImageInto(shell, BUSYBOX_IMAGE);
    await execOk(shell, ["docker", "network", "create", "jumbo-requested"]);
    expect(await networkMtu(shell, "jumbo-requested")).toEqual({ network: "1500", container: "1500" });
    // The tests below keep this MTU (no roll back): they do not depend on it.
  });

  test("termination: the job stops first, then the prune sidecar, then the daemon, which gives a nested container its stop timeout within its shutdown-timeout and exits cleanly within the grace period; the cache is there after", async () => {
    const shell = await job();
    // A container that ignores SIGTERM and asks for 12 s to stop (docker run --stop-timeout); dockerd
    // waits up to its shutdown-timeout (45 - 30 = 15 s) for its containers.
    await execOk(shell, ["docker", "run", "-d", "--stop-timeout", "12", "--name", "stubborn", BUSYBOX_IMAGE, "sh", "-c", "trap '' TERM; while :; do sleep 1; done"]);
    // For the image prune below: an unused image made eight days ago (the default prune age is 168 h), kept in the cache.
    await loadArchiveInto(shell, await agedArchive(BUSYBOX_IMAGE, OLD_IMAGE, new Date(Date.now() - 8 * 24 * 3600_000)));
    stack.configure(runner(0));
    await figures.time("k8s real: up scaling the runner to 0 (a nested container ignores SIGTERM)", () => stack.up());
    const pod = stoppedPods().filter((stopped) => stopped.namespace === RUNNERS_NS).at(-1)!;
    const stops = pod.events.filter((event) => / stopped: /.test(event.what)).map((event) => event.what);
    expect(stops.map((what) => what.replace(/ after .*/, ""))).toEqual(["container job stopped: exit 143", "container prune stopped: exit 143", "container dind stopped: exit 0"]);
    const seconds = (what: string) => Number(/after ([\d.]+) s/.exec(what)![1]);
    expect(seconds(stops[2])).toBeGreaterThanOrEqual(12);
    expect(stops.reduce((sum, what) => sum + seconds(what), 0)).toBeLessThan(GRACE);
    const log = pod.lastLogs.get("dind")!;
    expect(log).toMatch(/Container failed to exit within 12s of signal 15 - using the force/);
    expect(log).not.toContain("Force shutdown daemon");
    stack.configure(runner(1));
    await stack.up();
    const images = await execOk(await job(), ["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"]);
    expect(images.stdout.split("\n")).toContain(BUSYBOX_IMAGE);
  });

  test("image prune: when the runner pod starts on its cache again, its prune container removes the unused image made eight days ago and keeps the recent ones", async () => {
    const shell = await job();
    const listed = await waitFor("the prune container's first prune", 60_000, async () => {
      const images = (await execOk(shell, ["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"])).stdout.split("\n");
      return images.includes(OLD_IMAGE) ? undefined : images;
    });
    expect(listed).toContain(BUSYBOX_IMAGE);
    expect(await logsOf(await podContainer(RUNNERS_NS, "runner-0", "prune"))).toMatch(/\[dind-prune\] pruning images unused and older than 168h[\s\S]*untagged: dind-stack-test\/aged:1/i);
  });

  test("registry storage: an image pushed again under the same tag leaves the old layers, which the garbage collection at the registry's next start frees", async () => {
    const shell = await job();
    const image = `${SERVICE}/gc/app:1`;
    const build = (seed: string) =>
      execOk(shell, ["sh", "-c", `set -eu; mkdir -p /tmp/${seed} && cd /tmp/${seed}; printf 'FROM ${BUSYBOX_IMAGE}\\nRUN head -c 8000000 /dev/urandom > /blob-${seed}\\n' > Dockerfile; docker build -q -t ${image} . && docker push ${image}`]);
    await build("first");
    await build("second");
    const before = await registryKilobytes();
    expect(before).toBeGreaterThan(2 * 7800);
    // A new interval is a new pod template: the registry restarts (Recreate), and collects first.
    stack.configure({ "dind-stack:kubernetes": { registryGarbageCollect: { intervalHours: 12 } } });
    await figures.time("k8s real: up restarting the registry (garbage collection at start)", () => stack.up());
    const log = await waitFor("the registry's garbage collection", 120_000, async () => {
      const text = await logsOf(await registry());
      return /\[registry-gc\] garbage-collect done/.test(text) ? text : undefined;
    });
    expect(log).toMatch(/\[registry-gc\] registry stopped; garbage-collect --delete-untagged/);
    const after = await registryKilobytes();
    expect(before - after).toBeGreaterThan(7000);
    // The image under the tag is whole: it pulls back.
    await execOk(shell, ["docker", "rmi", image]);
    await execOk(shell, ["docker", "pull", image]);
    expect((await execIn(shell, ["docker", "run", "--rm", image, "ls", "/blob-second"])).exitCode).toBe(0);
    expect(runningPods().flatMap((pod) => [...pod.restarts.entries()])).toEqual([]);
  });
});
