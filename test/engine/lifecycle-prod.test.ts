// The life of the prod stack (Kubernetes, DinD with a cache claim per runner) after its first
// `pulumi up`, acted out on the engine's one-node cluster (test/engine/support/kubelet) with
// pulumi-kubernetes' own diff rules and a cluster model of the API server and its controllers
// (test/support/lifecycle): an MTU change, a password rotation, scaling, destroy and a new up.
// Each step checks what a user would see: the new daemons' MTU, the old password refused, the
// pushed images and the DinD caches still there. Then the objects the previous release deployed
// (test/fixtures/lifecycle) are upgraded by this version's first `up`, keeping every claim.
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../support/stack-config";
import { TestStack } from "./support/deploy";
import { execIn, execOk, fileInImage, logsOf } from "./support/container-io";
import { engine } from "./support/engine";
import { figures } from "./support/figures";
import { ImageRegistry, startImageRegistry } from "./support/image-registry";
import { runningPods, stoppedPods, stopClusters } from "./support/kubelet/cluster";
import { claimVolumeOf, podContainer } from "./support/kubelet/pod-containers";
import { changesOf, readVolume, repositoriesOnVolume } from "./support/stack-objects";
import { readStandins } from "./support/standins";
import { BUSYBOX_IMAGE, ensureBusybox, loadImageInto } from "./support/test-images";

const STACK = "test-life-prod";
const REGISTRY_NS = `dind-stack-${STACK}-registry`;
const RUNNERS_NS = `dind-stack-${STACK}-runners`;
const SERVICE = `registry.${REGISTRY_NS}.svc:5000`;
const APP = `${SERVICE}/life/app:1`;
const passwords = { first: "prod-first-password", rotated: "prod-second-password" };
const runners = (count: number) => ({ "dind-stack:workloads": { clients: [{ name: "runner", count, env: { CI: "true" } }] } });

const job = (ordinal: number) => podContainer(RUNNERS_NS, `runner-${ordinal}`, "job");
const daemon = (ordinal: number) => podContainer(RUNNERS_NS, `runner-${ordinal}`, "dind");
const registryContainer = () => podContainer(REGISTRY_NS, "registry-", "registry");
const dockerId = async (name: string) => (await engine.getContainer(name).inspect()).Id;

/** The DinD daemon of a runner pod lists the app image (without pulling it): its cache is there. */
async function cacheHasApp(ordinal: number): Promise<boolean> {
  const listed = await execOk(await job(ordinal), ["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"]);
  return listed.stdout.split("\n").includes(APP);
}

/** A `docker login` to the registry from a runner's job container with a password, in a throw-away client config. */
function loginWith(container: string, password: string) {
  return execIn(container, ["sh", "-c", `printf '%s' "$1" | DOCKER_CONFIG=/tmp/login docker login -u dind-stack --password-stdin ${SERVICE} 2>&1`, "login", password]);
}

// The nodes' registry, shared by both stacks: the upgrade's push finds the DinD image's layers there.
let nodeRegistry: ImageRegistry;

beforeAll(async () => {
  nodeRegistry = await startImageRegistry(`dind-stack-${STACK}-node-registry`);
}, 60_000);

afterAll(async () => {
  await nodeRegistry?.remove();
}, 60_000);

describe("the prod stack (Kubernetes) through its life on a real engine", () => {
  let stack: TestStack;
  let ids: Record<string, string> = {};

  beforeAll(async () => {
    await ensureBusybox();
    stack = new TestStack({
      configOf: "prod",
      stack: STACK,
      overrides: {
        // The registry requires a login by default (user dind-stack); only its password is set.
        "dind-stack:registryPassword": passwords.first,
        "dind-stack:kubernetes": { dindImage: { registry: nodeRegistry.address, repository: "dind-stack/dind" } },
        ...runners(2),
      },
      secretKeys: ["dind-stack:registryPassword"],
    });
  }, 300_000);

  afterAll(async () => {
    await stopClusters();
  }, 120_000);

  test("up: the registry and two runner pods; a job container builds and pushes to the registry by its Service address", async () => {
    const result = await figures.time("k8s lifecycle: first up (image build and push, registry pod, 2 runner pods)", () => stack.up());
    expect(result.steps.filter((step) => step.op !== "same" && step.op !== "create")).toEqual([]);
    const shell = await job(0);
    await loadImageInto(shell, BUSYBOX_IMAGE);
    const build = `set -eu; docker tag ${BUSYBOX_IMAGE} ${SERVICE}/life/busybox:1; docker push ${SERVICE}/life/busybox:1
      mkdir -p /tmp/app && cd /tmp/app; printf 'FROM ${SERVICE}/life/busybox:1\\nRUN echo life > /proof\\n' > Dockerfile; docker build -q -t ${APP} .; docker push ${APP}`;
    await execOk(shell, ["sh", "-c", build]);
    expect((await execOk(await registryContainer(), ["ls", "/var/lib/registry/docker/registry/v2/repositories/life"])).stdout.split("\n").filter(Boolean)).toEqual(["app", "busybox"]);
    ids = { dind0: await dockerId(await daemon(0)), dind1: await dockerId(await daemon(1)), job0: await dockerId(shell) };
  });

  test("an MTU change: the preview names the StatefulSet; up rolls the runners, whose new daemons use the MTU, and their caches on the claims survive", async () => {
    stack.configure({ "dind-stack:daemon": { mtu: 1300 } });
    const planned = await stack.preview();
    const expected = [`update ${STACK}-runners-runner [spec.template.spec.initContainers[0].env[1].value]`];
    expect(changesOf(planned.steps)).toEqual(expected);
    expect(await dockerId(await daemon(0))).toBe(ids.dind0);

    const applied = await figures.time("k8s lifecycle: up rolling 2 runner pods (MTU change)", () => stack.up());
    expect(changesOf(applied.steps)).toEqual(expected);
    for (const ordinal of [0, 1]) {
      expect(await dockerId(await daemon(ordinal))).not.toBe(ids[`dind${ordinal}`]);
      const shell = await job(ordinal);
      expect((await engine.getContainer(await daemon(ordinal)).inspect()).Config.Env).toContain("DIND_MTU=1300");
      const mtu = await execOk(shell, ["docker", "network", "inspect", "bridge", "--format", '{{index .Options "com.docker.network.driver.mtu"}}']);
      expect(mtu.stdout.trim()).toBe("1300");
      // A nested container's interface has it too.
      const nested = await execOk(shell, ["docker", "run", "--rm", `${SERVICE}/life/busybox:1`, "cat", "/sys/class/net/eth0/mtu"]);
      expect(nested.stdout.trim()).toBe("1300");
    }
    expect(await cacheHasApp(0)).toBe(true);
    // The old pods stopped when asked: the job container ended on SIGTERM (143), not SIGKILL after the grace period (137).
    const stopped = stoppedPods().filter((pod) => pod.namespace === RUNNERS_NS).map((pod) => [pod.name, pod.events.filter((event) => event.what.startsWith("container ")).map((event) => event.what.replace(/ after .*/, ""))]);
    // The job first, then the native sidecars, the last started first: the prune container, then the daemon.
    const inOrder = ["container job stopped: exit 143", "container prune stopped: exit 143", "container dind stopped: exit 0"];
    expect(stopped).toEqual([
      ["runner-1", inOrder],
      ["runner-0", inOrder],
    ]);
    ids.job0 = await dockerId(await job(0));
  });

  test("a rotated password: a new config Secret restarts the registry; the old password is refused, the new one accepted, and the running job pushes with its rewritten credentials", async () => {
    const before = await dockerId(await registryContainer());
    stack.configure({ "dind-stack:registryPassword": passwords.rotated });
    const applied = await figures.time("k8s lifecycle: up rotating the registry password", () => stack.up());
    expect(changesOf(applied.steps)).toEqual([
      `update ${STACK}-runners-registry-credentials [stringData["config.json"]]`,
      `replace ${STACK}-registry-config [stringData.htpasswd]`,
      `update ${STACK}-registry-deployment [spec.template.spec.volumes[1].secret.secretName]`,
      `delete ${STACK}-registry-config`,
    ]);
    expect(await dockerId(await registryContainer())).not.toBe(before);
    const shell = await job(0);
    expect(await dockerId(shell)).toBe(ids.job0);
    const refused = await loginWith(shell, passwords.first);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stdout).toMatch(/unauthorized/i);
    expect((await loginWith(shell, passwords.rotated)).stdout).toContain("Login Succeeded");
    await execOk(shell, ["sh", "-c", `docker tag ${APP} ${SERVICE}/life/rotated:1 && docker push ${SERVICE}/life/rotated:1`]);
    expect((await execOk(await registryContainer(), ["ls", "/var/lib/registry/docker/registry/v2/repositories/life"])).stdout.split("\n").filter(Boolean)).toEqual(["app", "busybox", "rotated"]);
  });

  test("scaling 2 → 3 → 1: the new pod gets a claim of its own; the pods scaled away leave their claims", async () => {
    stack.configure(runners(3));
    expect(changesOf((await stack.up()).steps)).toEqual([`update ${STACK}-runners-runner [spec.replicas]`]);
    expect((await execOk(await job(2), ["docker", "info", "--format", "{{.Driver}}"])).stdout.trim()).toBe("overlay2");
    expect(await claimVolumeOf(RUNNERS_NS, "docker-data-runner-2")).toBeDefined();

    stack.configure(runners(1));
    expect(changesOf((await stack.up()).steps)).toEqual([`update ${STACK}-runners-runner [spec.replicas]`]);
    expect(runningPods().filter((pod) => pod.namespace === RUNNERS_NS).map((pod) => pod.name)).toEqual(["runner-0"]);
    await expect(job(1)).rejects.toThrow("no running container job");
    for (const ordinal of [1, 2]) expect(await claimVolumeOf(RUNNERS_NS, `docker-data-runner-${ordinal}`)).toBeDefined();
    expect(await dockerId(await job(0))).toBe(ids.job0);
  });

  test("destroy: pods, Services and Secrets go; the namespaces and the claims stay, with the registry's content and the DinD cache", async () => {
    const steps = await stack.destroy();
    expect(steps.filter((step) => step.op === "retain").map((step) => step.name)).toEqual([`${STACK}-registry-data`, `${STACK}-runners-namespace`, `${STACK}-registry-namespace`]);
    expect(runningPods().filter((pod) => pod.namespace === RUNNERS_NS || pod.namespace === REGISTRY_NS)).toEqual([]);
    expect(await repositoriesOnVolume((await claimVolumeOf(REGISTRY_NS, "registry-data"))!)).toBe("life/app\nlife/busybox\nlife/rotated\n");
    expect(await readVolume((await claimVolumeOf(RUNNERS_NS, "docker-data-runner-0"))!, "cat /data/image/overlay2/repositories.json")).toContain(APP);
  });

  test("up again adopts the kept namespaces and claims: the registry serves what was pushed before, and the cache is warm", async () => {
    const result = await figures.time("k8s lifecycle: up after destroy, over the kept claims", () => stack.up());
    expect(result.steps.every((step) => step.op === "create")).toBe(true);
    expect(await cacheHasApp(0)).toBe(true);
    const shell = await job(0);
    await execOk(shell, ["docker", "rmi", `${SERVICE}/life/rotated:1`]);
    await execOk(shell, ["docker", "pull", `${SERVICE}/life/rotated:1`]);
    expect(await fileInImage(shell, `${SERVICE}/life/rotated:1`, "/proof")).toBe("life\n");
  });
});

describe("the prod stack as the previous release (15d325d) deployed it, upgraded by this version on a real engine", () => {
  const OLD_REGISTRY_NS = "dind-stack-prod-registry";
  const OLD_RUNNERS_NS = "dind-stack-prod-runners";
  const OLD_SERVICE = `registry.${OLD_REGISTRY_NS}.svc:5000`;
  const pushed = `${OLD_SERVICE}/kept/busybox:1`;
  const built = `${OLD_SERVICE}/kept/app:1`;
  const oldJob = (ordinal: number) => podContainer(OLD_RUNNERS_NS, `runner-${ordinal}`, "job");
  let stack: TestStack;
  let claimsBefore: (string | undefined)[];

  beforeAll(async () => {
    await ensureBusybox();
    // The state the previous release's `pulumi up` left (its harness, under mocks), and this version's config of the same stack.
    const fixture = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "test", "fixtures", "lifecycle", "kubernetes-states-15d325d.json"), "utf8")).prod;
    stack = new TestStack({
      configOf: "prod",
      stack: "prod",
      overrides: {
        "dind-stack:registryPassword": "first-password-1",
        "dind-stack:kubernetes": { dindImage: { registry: nodeRegistry.address, repository: "dind-stack/dind" } },
        ...runners(2),
      },
      secretKeys: ["dind-stack:registryPassword"],
    });
    // A preview builds the DinD image (buildOnPreview); the old pods run it in place of the mocked digest the fixture has.
    await figures.time("k8s upgrade: preview (builds the DinD image)", () => stack.preview());
    const image = `${nodeRegistry.address}/dind-stack/dind:${readStandins().dockerVersion}-prod`;
    const mockedDigest = fixture.resources.find((entry: { type: string }) => entry.type === "docker:index/image:Image").outputs.repoDigest;
    await figures.time("k8s upgrade: the previous release's objects on the cluster", () => stack.adopt(JSON.parse(JSON.stringify(fixture).split(mockedDigest).join(image))));
  }, 900_000);

  afterAll(async () => {
    await stopClusters();
  }, 120_000);

  test("the old objects run: the registry with its old command, runners with daemon.json's mtu and no prune container; a job pushes an image and builds one into its cache", async () => {
    const registry = runningPods().find((pod) => pod.namespace === OLD_REGISTRY_NS)!;
    expect(registry.template.spec.containers[0].args).toEqual(["/etc/dind-stack/registry/config.yml"]);
    expect(runningPods().filter((pod) => pod.namespace === OLD_RUNNERS_NS).map((pod) => pod.template.spec.initContainers.map((container: { name: string }) => container.name))).toEqual([["dind"], ["dind"]]);
    const shell = await oldJob(0);
    await loadImageInto(shell, BUSYBOX_IMAGE);
    await execOk(shell, ["sh", "-c", `set -eu; docker tag ${BUSYBOX_IMAGE} ${pushed}; docker push ${pushed}; mkdir -p /tmp/kept && cd /tmp/kept; printf 'FROM ${pushed}\\nRUN echo kept > /proof\\n' > Dockerfile; docker build -q -t ${built} .; docker push ${built}`]);
    claimsBefore = await Promise.all(["registry-data", "docker-data-runner-0", "docker-data-runner-1"].map((claim) => claimVolumeOf(claim === "registry-data" ? OLD_REGISTRY_NS : OLD_RUNNERS_NS, claim)));
    expect(claimsBefore.every(Boolean)).toBe(true);
  });

  test("the first up of this version replaces only the registry's config Secret (create first) and deletes nothing else; the same claims hold the registry's images and the cache; the registry collects garbage on its restart and serves everything pushed before", async () => {
    const result = await figures.time("k8s upgrade: first up of this version", () => stack.up());
    // The registry's config gained http.draintimeout: a new Secret, then the old one goes.
    expect(result.steps.filter((step) => step.op === "replace" || step.op === "delete").map((step) => `${step.op} ${step.name}`)).toEqual(["replace prod-registry-config", "delete prod-registry-config"]);
    expect(changesOf(result.steps).filter((change) => change.startsWith("create ")).sort()).toEqual(["create prod-runners-egress-policy", "create prod-runners-runner-disruption", "create prod-runners-runner-pods"]);
    const claimsAfter = await Promise.all(["registry-data", "docker-data-runner-0", "docker-data-runner-1"].map((claim) => claimVolumeOf(claim === "registry-data" ? OLD_REGISTRY_NS : OLD_RUNNERS_NS, claim)));
    expect(claimsAfter).toEqual(claimsBefore);
    expect(await logsOf(await podContainer(OLD_REGISTRY_NS, "registry-", "registry"))).toMatch(/\[registry-gc\] garbage-collect done/);
    const shell = await oldJob(0);
    expect((await execOk(shell, ["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"])).stdout.split("\n")).toContain(built);
    expect(runningPods().filter((pod) => pod.namespace === OLD_RUNNERS_NS).map((pod) => pod.template.spec.initContainers.map((container: { name: string }) => container.name))).toEqual([["dind", "prune"], ["dind", "prune"]]);
    const other = await oldJob(1);
    await execOk(other, ["docker", "pull", built]);
    expect(await fileInImage(other, built, "/proof")).toBe("kept\n");
    expect(changesOf((await stack.up()).steps)).toEqual([]);
  }, 900_000);
});
