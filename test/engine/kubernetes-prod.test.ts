// The prod stack (Kubernetes target) on the real engine: its objects are realized the way a
// cluster would run them (test/engine/support/kubelet): pods of containers sharing a network
// namespace, their volumes, the native DinD sidecar first and the job container after its
// startup probe, the registry as a non-root pod, its Service name resolving to it. Then a job
// container builds through its sidecar over TLS on localhost, pushes to the registry by its
// Service address, pulls back and runs a nested container. Then the classic sidecar, with the
// pushed image as a prebuilt reference.
import { ProgramRun } from "../support/run-program";
import { deploy } from "./support/deploy";
import { execIn, execOk, logsOf } from "./support/container-io";
import { engine } from "./support/engine";
import { figures } from "./support/figures";
import { ImageRegistry, startImageRegistry } from "./support/image-registry";
import { runningPods, stopClusters } from "./support/kubelet/cluster";
import { podContainer, podIp } from "./support/kubelet/pod-containers";
import { BUSYBOX_IMAGE, ensureBusybox, loadImageInto } from "./support/test-images";
import { waitFor } from "./support/waiting";

const STACK = "test-prod";
const REGISTRY_NS = `dind-stack-${STACK}-registry`;
const RUNNERS_NS = `dind-stack-${STACK}-runners`;
const SERVICE = `registry.${REGISTRY_NS}.svc`;
// The prod stack's registry requires a login by default (user dind-stack); only its password is set.
const credentials = { username: "dind-stack", password: "prod-registry-password" };
const secretKeys = ["dind-stack:registryPassword"];

let nodeRegistry: ImageRegistry;

beforeAll(async () => {
  nodeRegistry = await startImageRegistry(`dind-stack-${STACK}-node-registry`);
});

afterAll(async () => {
  await stopClusters();
  await nodeRegistry?.remove();
}, 120_000);

describe("prod stack (Kubernetes) on a real engine", () => {
  let run: ProgramRun;
  let job: string;
  let daemon: string;
  let registry: string;

  beforeAll(async () => {
    await ensureBusybox();
    run = await figures.time("k8s prod: deploy (build and push the DinD image, registry pod, 3 runner pods)", () =>
      deploy({
        configOf: "prod",
        stack: STACK,
        overrides: {
          "dind-stack:registryPassword": credentials.password,
          "dind-stack:kubernetes": { dindImage: { registry: nodeRegistry.address, repository: "dind-stack/dind" } },
        },
        secretKeys,
      }),
    );
    job = await podContainer(RUNNERS_NS, "runner-0", "job");
    daemon = await podContainer(RUNNERS_NS, "runner-0", "dind");
    registry = await podContainer(REGISTRY_NS, "registry-", "registry");
  }, 900_000);

  test("the DinD image was pushed to the nodes' registry and the pods run what was pushed", async () => {
    const catalog = (await (await fetch(`http://${nodeRegistry.address}/v2/_catalog`)).json()) as { repositories: string[] };
    expect(catalog.repositories).toEqual(["dind-stack/dind"]);
    const ref = (run.outputs.dindImage as { ref: string }).ref;
    expect(ref).toMatch(new RegExp(`^${nodeRegistry.address}/dind-stack/dind@sha256:[0-9a-f]{64}$`));
    expect((await engine.getContainer(daemon).inspect()).Config.Image).toBe(ref);
    expect(run.outputs.runnerWorkloads).toEqual(["statefulset/runner"]);
  });

  test("the native sidecar starts first; the job container only after its startup probe passed", async () => {
    const events = runningPods().find((pod) => pod.namespace === RUNNERS_NS && pod.name === "runner-0")!.events.map((event) => event.what);
    expect(events).toEqual([
      "started container dind",
      'startupProbe of container "dind" passed',
      "started container prune",
      "started container job",
      'readinessProbe of container "dind" passed',
      "pod Ready",
    ]);
    const started = async (name: string) => Date.parse((await engine.getContainer(name).inspect()).State.StartedAt);
    expect(await started(job)).toBeGreaterThan(await started(daemon));
    // The job's first look at the daemon already found it ready: it never waited.
    expect(await logsOf(job)).toContain("[dind-client] daemon at tcp://localhost:2376 ready after 0.0s");
    expect(await logsOf(daemon)).toMatch(/daemon ready on \S+ \d+ ms after entrypoint start; storage driver: overlay2/);
  });

  test("a pod's containers share one network namespace: one hostname, one interface, the daemon on localhost", async () => {
    const identity = "hostname; cat /sys/class/net/eth0/address";
    expect((await execOk(job, ["sh", "-c", identity])).stdout).toBe((await execOk(daemon, ["sh", "-c", identity])).stdout);
    expect((await execOk(job, ["hostname"])).stdout.trim()).toBe("runner-0");
    expect((await execOk(job, ["docker", "version", "--format", "{{.Server.Os}}"])).stdout.trim()).toBe("linux");
  });

  test("the pod's volumes: TLS material in a shared in-memory emptyDir (read-only for the job), daemon.json from the ConfigMap, credentials from a Secret", async () => {
    expect((await execOk(job, ["stat", "-f", "-c", "%T", "/certs/client"])).stdout.trim()).toBe("tmpfs");
    expect((await execOk(job, ["ls", "/certs/client"])).stdout.split("\n").filter(Boolean).sort()).toEqual(["ca.pem", "cert.pem", "key.pem"]);
    expect((await execIn(job, ["touch", "/certs/client/x"])).stderr).toMatch(/Read-only file system/);
    const configMap = run.resources.find((resource) => resource.name === `${STACK}-runners-daemon-json`)!.inputs.data["daemon.json"];
    expect((await execOk(daemon, ["cat", "/etc/docker/daemon.json"])).stdout).toBe(configMap);
    const indexConfigs = JSON.parse((await execOk(job, ["docker", "info", "--format", "{{json .RegistryConfig.IndexConfigs}}"])).stdout);
    expect(indexConfigs[`${SERVICE}:5000`]).toMatchObject({ Secure: false });
    expect((await execOk(job, ["docker", "network", "inspect", "bridge", "--format", '{{index .Options "com.docker.network.driver.mtu"}}'])).stdout.trim()).toBe("1400");
    expect((await execOk(job, ["stat", "-L", "-c", "%a", "/etc/dind-stack/docker/config.json"])).stdout.trim()).toBe("400");
    const dockerConfig = JSON.parse((await execOk(job, ["cat", "/etc/dind-stack/docker/config.json"])).stdout);
    expect(Object.keys(dockerConfig.auths)).toEqual([`${SERVICE}:5000`]);
  });

  test("the registry pod runs as uid 1000 without privileges on a read-only root, reading its Secret and writing its claim through fsGroup", async () => {
    expect((await execOk(registry, ["id", "-u"])).stdout.trim()).toBe("1000");
    expect((await execOk(registry, ["id", "-G"])).stdout.trim().split(" ")).toContain("1000");
    const status = (await execOk(registry, ["cat", "/proc/1/status"])).stdout;
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(status).toMatch(/^CapEff:\s+0+$/m);
    expect((await execIn(registry, ["touch", "/etc/x"])).stderr).toMatch(/Read-only file system/);
    expect((await execOk(registry, ["stat", "-L", "-c", "%a %g", "/etc/dind-stack/registry/htpasswd", "/etc/dind-stack/registry/config.yml"])).stdout).toBe("440 1000\n440 1000\n");
    expect((await execOk(registry, ["cat", "/etc/dind-stack/registry/htpasswd"])).stdout).toMatch(/^dind-stack:\$2[aby]\$/);
    expect((await execOk(registry, ["stat", "-c", "%g", "/var/lib/registry"])).stdout.trim()).toBe("1000");
  });

  test("the registry's Service name resolves to the registry pod", async () => {
    const [address] = (await execOk(job, ["getent", "hosts", SERVICE])).stdout.trim().split(/\s+/);
    expect(address).toBe(await podIp(REGISTRY_NS, "registry-"));
  });

  test("the job container builds through its sidecar over TLS on localhost, pushes to the registry by its Service, pulls back and runs a nested container", async () => {
    // `kubectl cp` of a base image into the build shell (the cluster has no other source of images here).
    await loadImageInto(job, BUSYBOX_IMAGE);
    const base = `${SERVICE}:5000/e2e/busybox:1`;
    const app = `${SERVICE}:5000/e2e/app:1`;
    await execOk(job, ["docker", "tag", BUSYBOX_IMAGE, base]);
    await figures.time("k8s prod: push of a base image by the Service address", () => execOk(job, ["docker", "push", base]));
    const build = `set -eu; mkdir -p /tmp/app && cd /tmp/app; printf 'FROM ${base}\\nRUN echo built-in-a-pod > /proof\\n' > Dockerfile; docker build -q -t ${app} .`;
    await figures.time("k8s prod: build in the job container through the sidecar", () => execOk(job, ["sh", "-c", build]));
    await figures.time("k8s prod: push by the Service address", () => execOk(job, ["docker", "push", app]));
    await execOk(job, ["docker", "rmi", app, base]);
    await figures.time("k8s prod: pull by the Service address", () => execOk(job, ["docker", "pull", app]));
    const nested = await figures.time("k8s prod: nested docker run", () => execOk(job, ["docker", "run", "--rm", "--network", "none", app, "cat", "/proof"]));
    expect(nested.stdout.trim()).toBe("built-in-a-pod");
    expect((await execOk(registry, ["ls", "/var/lib/registry/docker/registry/v2/repositories/e2e"])).stdout.split("\n").filter(Boolean).sort()).toEqual(["app", "busybox"]);
    // Without the credentials from the Secret, the registry refuses the push.
    const anonymous = await execIn(job, ["sh", "-c", `DOCKER_CONFIG=/tmp/anonymous docker push ${app} 2>&1`]);
    expect(anonymous.exitCode).not.toBe(0);
    expect(anonymous.stdout).toMatch(/no basic auth credentials|unauthorized/);
  });

  test("liveness probes kept passing: no container of any pod was restarted", () => {
    const pods = runningPods();
    expect(pods.map((pod) => `${pod.namespace}/${pod.name}`).sort()).toEqual([`${REGISTRY_NS}/${pods.find((pod) => pod.namespace === REGISTRY_NS)!.name}`, ...[0, 1, 2].map((n) => `${RUNNERS_NS}/runner-${n}`)]);
    expect(pods.flatMap((pod) => [...pod.restarts.entries()])).toEqual([]);
  });

  test("every runner pod has a daemon of its own, with its cache on its own claim", async () => {
    for (const ordinal of [1, 2]) {
      const other = await podContainer(RUNNERS_NS, `runner-${ordinal}`, "job");
      expect((await execOk(other, ["docker", "images", "-q"])).stdout.trim()).toBe("");
    }
    const claims = (await engine.listVolumes()).Volumes.map((volume) => volume.Name).filter((name) => /-pvc-dind-stack-test-prod-runners-docker-data-runner-\d$/.test(name));
    expect(claims).toHaveLength(3);
  });
});

describe("the classic sidecar on a cluster older than 1.29, with a prebuilt DinD image and the cache on an emptyDir", () => {
  const CLASSIC = "test-prod-classic";
  const namespace = `dind-stack-${CLASSIC}-runners`;
  let run: ProgramRun;
  let reference: string;

  beforeAll(async () => {
    // The image the prod scenario pushed to the nodes' registry, now a prebuilt reference.
    reference = (await engine.getContainer(await podContainer(RUNNERS_NS, "runner-0", "dind")).inspect()).Config.Image;
    run = await figures.time("k8s classic: deploy (prebuilt image, registry pod, 1 runner pod)", () =>
      deploy({
        configOf: "prod",
        stack: CLASSIC,
        overrides: {
          "dind-stack:registryPassword": credentials.password,
          "dind-stack:workloads": { clients: [{ name: "runner", count: 1 }] },
          "dind-stack:kubernetes": { clusterVersion: "1.28", sidecar: "classic", dindCache: "emptyDir", dindImage: { reference } },
        },
        secretKeys,
      }),
    );
  }, 600_000);

  test("nothing is built; the pod runs the prebuilt image with the daemon as a regular container next to the job", async () => {
    expect(reference).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(run.resources.filter((resource) => resource.type === "docker:index/image:Image")).toEqual([]);
    expect(run.outputs.runnerWorkloads).toEqual(["deployment/runner"]);
    const pod = runningPods().find((candidate) => candidate.namespace === namespace)!;
    expect(pod.events.map((event) => event.what)).toEqual([
      "started container dind",
      "started container prune",
      "started container job",
      'startupProbe of container "dind" passed',
      'readinessProbe of container "dind" passed',
      "pod Ready",
    ]);
    const daemon = await podContainer(namespace, "runner-", "dind");
    expect((await engine.getContainer(daemon).inspect()).Config.Image).toBe(reference);
  });

  test("the job container waits for its daemon itself, then builds over TLS on localhost with the cache on the emptyDir", async () => {
    const job = await podContainer(namespace, "runner-", "job");
    await waitFor("the job container's wait to end", 60_000, async () => ((await logsOf(job)).includes("ready after") ? true : undefined));
    expect(await logsOf(job)).toMatch(/\[dind-client\] daemon at tcp:\/\/localhost:2376 ready after \d+\.\ds/);
    expect((await execOk(job, ["docker", "info", "--format", "{{.Driver}}"])).stdout.trim()).toBe("overlay2");
    const built = await execOk(job, ["sh", "-c", "printf 'FROM scratch\\nLABEL built=in-a-classic-pod\\n' | docker build -q -t classic:1 - && docker inspect classic:1 --format '{{.Config.Labels.built}}'"]);
    expect(built.stdout.trim().split("\n").pop()).toBe("in-a-classic-pod");
  });
});
