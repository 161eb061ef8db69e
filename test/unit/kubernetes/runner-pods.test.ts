// A runner pod as the kubelet runs it: which containers start in which order, how the job
// container reaches its daemon (and only its own), what each container may do, where the pod
// may run and what it keeps. Rendered by runnerPodSpec directly, one setting at a time.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runnerPodSpec } from "../../../components/kubernetes/runner-pod";
import { quantityValue } from "../../../components/kubernetes/quantity";
import { expandReferences } from "../../engine/support/kubelet/expansion";
import { dindSettings, plainPod, runnerContext } from "../../support/kubernetes-fixtures";

type Container = Record<string, any>;
type Pod = Record<string, any>;

const GiB = 2 ** 30;
// Settings are parsed inside each test, never as the file loads, so the config code they run is
// attributed to the tests (Stryker's per-test coverage; code run at load counts as static).
const client = () => dindSettings().workloads.clients[0];
const pod = (...args: Parameters<typeof runnerContext>): Pod => plainPod(runnerPodSpec(client(), runnerContext(...args)));
const every = (spec: Pod): Container[] => [...(spec.initContainers ?? []), ...spec.containers];
const container = (spec: Pod, name: string): Container => {
  const found = every(spec).find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no container ${name} in ${every(spec).map((candidate) => candidate.name)}`);
  return found;
};
const env = (spec: Container): Record<string, string> => Object.fromEntries((spec.env ?? []).map((entry: any) => [entry.name, entry.value ?? entry.valueFrom]));
const mountOf = (spec: Container, volume: string) => (spec.volumeMounts ?? []).find((mount: any) => mount.name === volume);
const volume = (spec: Pod, name: string) => spec.volumes.find((candidate: any) => candidate.name === name);
/** A string as the process in the container gets it, after the kubelet expanded `$(NAME)` and `$$` (the container's env, with HOME set). */
const asRun = (spec: Container) => (text: string) => expandReferences(text, new Map([...Object.entries(env(spec)), ["HOME", "/root"]]));
/** The daemon address a docker client in the pod is given, and whether it is told to verify TLS from which directory. */
const clientView = (spec: Container) => ({ host: env(spec).DOCKER_HOST, verify: env(spec).DOCKER_TLS_VERIFY, certPath: env(spec).DOCKER_CERT_PATH });

/**
 * Runs a prune loop on the host's sh with a `docker` that fails and a `sleep` that stops the
 * loop at its `rounds`th call; returns the commands it ran, in order.
 */
function runPruneLoop(loop: string, rounds: number): string[] {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-prune-"));
  const log = path.join(bin, "calls");
  fs.writeFileSync(path.join(bin, "docker"), `#!/bin/sh\necho "docker $*" >> ${log}\nexit 1\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, "sleep"), `#!/bin/sh\necho "sleep $*" >> ${log}\n[ "$(grep -c ^sleep ${log})" -lt ${rounds} ] || kill -TERM $PPID\n`, { mode: 0o755 });
  try {
    execFileSync("/bin/sh", ["-c", loop], { env: { PATH: `${bin}:/usr/bin:/bin` }, stdio: "ignore" });
  } catch {
    // The loop ends by its sleep's signal.
  }
  const calls = fs.readFileSync(log, "utf8").trim().split("\n");
  fs.rmSync(bin, { recursive: true, force: true });
  return calls;
}

describe("start order and stop order", () => {
  test("native sidecars: the daemon, then the prune loop, start as init containers that keep running; the job is the pod's only container", () => {
    const spec = pod();
    expect(spec.initContainers.map((init: Container) => [init.name, init.restartPolicy])).toEqual([
      ["dind", "Always"],
      ["prune", "Always"],
    ]);
    expect(spec.containers.map((main: Container) => main.name)).toEqual(["job"]);
    expect(container(spec, "dind").lifecycle).toBeUndefined();
  });

  test("classic containers (clusters before 1.29): daemon, prune loop and job side by side; the daemon holds back its stop so the job stops first", () => {
    const spec = pod(undefined, { sidecar: "classic" });
    expect(spec.initContainers).toBeUndefined();
    expect(spec.containers.map((main: Container) => main.name)).toEqual(["dind", "prune", "job"]);
    expect(every(spec).map((each) => each.restartPolicy)).toEqual([undefined, undefined, undefined]);
    const delay = container(spec, "dind").lifecycle.preStop.exec.command;
    expect(delay[0]).toBe("sleep");
    expect(Number(delay[1])).toBeGreaterThan(0);
    expect(Number(delay[1])).toBeLessThan(spec.terminationGracePeriodSeconds);
  });

  test("the grace period is the configured one", () => {
    expect(pod(undefined, { terminationGracePeriodSeconds: 300 }).terminationGracePeriodSeconds).toBe(300);
  });
});

describe("the job container reaches its own daemon", () => {
  test("with TLS: port 2376 on the pod's loopback, verified, with the client certificates the daemon writes to a shared in-memory volume", () => {
    const spec = pod();
    const daemon = container(spec, "dind");
    const job = container(spec, "job");
    expect(clientView(job)).toEqual({ host: "tcp://localhost:2376", verify: "1", certPath: mountOf(daemon, "docker-certs").mountPath });
    expect(daemon.ports).toEqual([{ name: "docker", containerPort: 2376, protocol: "TCP" }]);
    expect(env(daemon).DOCKER_TLS_CERTDIR).not.toBe("");
    expect(mountOf(daemon, "docker-certs").mountPath.startsWith(env(daemon).DOCKER_TLS_CERTDIR)).toBe(true);
    expect(mountOf(job, "docker-certs")).toMatchObject({ mountPath: mountOf(daemon, "docker-certs").mountPath, readOnly: true });
    expect(mountOf(daemon, "docker-certs").readOnly).toBeUndefined();
    expect(volume(spec, "docker-certs").emptyDir).toMatchObject({ medium: "Memory" });
    expect(quantityValue(volume(spec, "docker-certs").emptyDir.sizeLimit)).toBeLessThanOrEqual(GiB);
  });

  test("the prune loop talks to the same daemon the same way, read-only", () => {
    const spec = pod();
    expect(clientView(container(spec, "prune"))).toEqual(clientView(container(spec, "job")));
    expect(mountOf(container(spec, "prune"), "docker-certs").readOnly).toBe(true);
    const plain = pod(dindSettings({ daemon: { tls: false } }));
    expect(clientView(container(plain, "prune"))).toEqual(clientView(container(plain, "job")));
    expect(container(plain, "prune").volumeMounts).toEqual([]);
  });

  test("without TLS: port 2375, no certificates anywhere, the daemon's TLS turned off", () => {
    const spec = pod(dindSettings({ daemon: { tls: false } }));
    expect(clientView(container(spec, "job"))).toEqual({ host: "tcp://localhost:2375", verify: undefined, certPath: undefined });
    expect(container(spec, "dind").ports[0].containerPort).toBe(2375);
    expect(env(container(spec, "dind")).DOCKER_TLS_CERTDIR).toBe("");
    expect(volume(spec, "docker-certs")).toBeUndefined();
    expect(every(spec).filter((each) => mountOf(each, "docker-certs"))).toEqual([]);
  });

  test("the job knows its registry, its build cache there, and how long to wait for the daemon", async () => {
    const job = env(container(pod(dindSettings({ workloads: { readyTimeoutSeconds: 45 } })), "job"));
    expect(job.DIND_STACK_REGISTRY).toBe("registry.ns.svc:5000");
    expect(job.DIND_READY_TIMEOUT).toBe("45");
    const cache = (runnerPodSpec(client(), runnerContext()).containers as Container[])[0];
    const value = await new Promise((resolve) => (cache as any).env.find((entry: any) => entry.name === "DIND_STACK_BUILD_CACHE").value.apply(resolve));
    expect(value).toMatch(/^registry\.ns\.svc:5000\/.+/);
  });

  test("the job waits for the daemon before the client's command runs, which reaches it unchanged", () => {
    const withDollars = dindSettings({ workloads: { clients: [{ name: "builder", command: ["sh", "-c", "echo $$ $(date) $HOME"] }] } });
    const job = plainPod(runnerPodSpec(withDollars.workloads.clients[0], runnerContext(withDollars))).containers![0] as Container;
    expect(job.command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(job.args.map(asRun(job))).toEqual(["sh", "-c", "echo $$ $(date) $HOME"]);
  });
});

describe("DooD", () => {
  const dood = () => pod(undefined, { runtimeClassName: "sysbox-runc" }, { mode: "dood" });

  test("one container, on the node's Docker socket; no daemon, no prune loop, no TLS, no sandboxing runtime", () => {
    const spec = dood();
    expect(every(spec).map((each) => each.name)).toEqual(["job"]);
    expect(clientView(spec.containers[0])).toEqual({ host: "unix:///var/run/docker.sock", verify: undefined, certPath: undefined });
    expect(volume(spec, "docker-socket").hostPath).toEqual({ path: "/var/run/docker.sock", type: "Socket" });
    expect(mountOf(spec.containers[0], "docker-socket").mountPath).toBe("/var/run/docker.sock");
    expect(spec.volumes.map((each: any) => each.name)).toEqual(["docker-socket"]);
    expect(spec.runtimeClassName).toBeUndefined();
  });
});

describe("what each container may do", () => {
  test("the daemon is privileged, the job and the prune loop may not even escalate", () => {
    const spec = pod();
    expect(container(spec, "dind").securityContext).toEqual({ privileged: true });
    expect(container(spec, "job").securityContext).toEqual({ allowPrivilegeEscalation: false });
    expect(container(spec, "prune").securityContext).toEqual({ allowPrivilegeEscalation: false });
    expect(spec.runtimeClassName).toBeUndefined();
  });

  test("under a sandboxing RuntimeClass the daemon runs unprivileged and the pod names the class", () => {
    const spec = pod(undefined, { runtimeClassName: "sysbox-runc" });
    expect(container(spec, "dind").securityContext).toBeUndefined();
    expect(spec.runtimeClassName).toBe("sysbox-runc");
  });

  test("no service account token, no Service variables, the runtime's default seccomp profile", () => {
    for (const spec of [pod(), pod(undefined, {}, { mode: "dood" })]) {
      expect(spec).toMatchObject({ automountServiceAccountToken: false, enableServiceLinks: false, securityContext: { seccompProfile: { type: "RuntimeDefault" } } });
    }
  });

  test("the DinD image's pull Secret when it has one, and nothing otherwise", () => {
    expect(pod(undefined, {}, { imagePullSecret: "dind-pull" }).imagePullSecrets).toEqual([{ name: "dind-pull" }]);
    expect(pod().imagePullSecrets).toBeUndefined();
  });
});

describe("the daemon's configuration", () => {
  test("MTU: 1400 on a cluster unless daemon.mtu says otherwise", () => {
    expect(env(container(pod(), "dind")).DIND_MTU).toBe("1400");
    expect(env(container(pod(dindSettings({ daemon: { mtu: 1280 } })), "dind")).DIND_MTU).toBe("1280");
  });

  test("iptables: the entrypoint decides unless a backend is chosen", () => {
    expect(env(container(pod(), "dind")).DIND_IPTABLES_BACKEND).toBeUndefined();
    expect(env(container(pod(dindSettings({ daemon: { iptables: "legacy" } })), "dind")).DIND_IPTABLES_BACKEND).toBe("legacy");
  });

  test("extra dockerd flags reach dockerd as written; none leaves the image's own arguments", () => {
    expect(container(pod(), "dind").args).toBeUndefined();
    const daemon = container(pod(dindSettings({ daemon: { extraArgs: ["--label=build=$(DOCKER_TLS_CERTDIR)"] } })), "dind");
    expect(daemon.args.map(asRun(daemon))).toEqual(["--label=build=$(DOCKER_TLS_CERTDIR)"]);
  });

  test("daemon.json comes read-only from its ConfigMap, at the path dockerd reads", () => {
    const spec = pod();
    const mount = mountOf(container(spec, "dind"), "daemon-json");
    expect(mount).toMatchObject({ mountPath: "/etc/docker/daemon.json", readOnly: true });
    const source = volume(spec, "daemon-json").configMap;
    expect(source.items).toEqual([{ key: mount.subPath, path: mount.subPath }]);
  });

  test("a registry CA is trusted under every name the registry is reached by", () => {
    const spec = pod(undefined, {}, { registryCa: { configMap: "registry-ca", registryNames: ["registry.ns.svc:5000", "registry.ns:5000"] } });
    expect(mountOf(container(spec, "dind"), "registry-ca")).toEqual({ name: "registry-ca", mountPath: "/etc/docker/certs.d", readOnly: true });
    expect(volume(spec, "registry-ca").configMap).toEqual({
      name: "registry-ca",
      items: [
        { key: "ca.crt", path: "registry.ns.svc:5000/ca.crt" },
        { key: "ca.crt", path: "registry.ns:5000/ca.crt" },
      ],
    });
    expect(volume(pod(), "registry-ca")).toBeUndefined();
    expect(mountOf(container(pod(), "dind"), "registry-ca")).toBeUndefined();
  });

  test("readiness: the daemon answers within workloads.readyTimeoutSeconds, or the pod is restarted", () => {
    const daemon = container(pod(dindSettings({ workloads: { readyTimeoutSeconds: 45 } })), "dind");
    const startup = daemon.startupProbe;
    expect(startup.periodSeconds * startup.failureThreshold).toBeGreaterThanOrEqual(45);
    expect(startup.periodSeconds * startup.failureThreshold).toBeLessThan(45 + 2 * startup.periodSeconds);
    for (const probe of [daemon.startupProbe, daemon.readinessProbe, daemon.livenessProbe]) expect(probe.exec.command).toEqual(daemon.startupProbe.exec.command);
    expect(daemon.livenessProbe.periodSeconds * daemon.livenessProbe.failureThreshold).toBeGreaterThan(daemon.readinessProbe.periodSeconds * daemon.readinessProbe.failureThreshold);
  });
});

describe("the DinD cache", () => {
  test("emptyDir: bounded by kubernetes.dataVolumeSize, and the daemon may use that plus room for itself", () => {
    const spec = pod(undefined, { dataVolumeSize: "30Gi" });
    expect(volume(spec, "docker-data").emptyDir).toEqual({ sizeLimit: "30Gi" });
    expect(mountOf(container(spec, "dind"), "docker-data").mountPath).toBe("/var/lib/docker");
    const limit = quantityValue(container(spec, "dind").resources.limits["ephemeral-storage"]);
    expect(limit).toBeGreaterThan(30 * GiB);
    expect(limit).toBeLessThanOrEqual(34 * GiB);
  });

  test("a volume claim per pod: no emptyDir in the pod (the claim comes from the StatefulSet), and only room for the daemon itself", () => {
    const spec = pod(undefined, { dindCache: "volumeClaim", dataVolumeSize: "30Gi" });
    expect(volume(spec, "docker-data")).toBeUndefined();
    expect(mountOf(container(spec, "dind"), "docker-data").mountPath).toBe("/var/lib/docker");
    expect(quantityValue(container(spec, "dind").resources.limits["ephemeral-storage"])).toBeLessThan(30 * GiB);
  });

  test("a configured ephemeral-storage limit of the daemon is kept", () => {
    const base = runnerContext().kubernetes.resources;
    const resources = { ...base, daemon: { ...base.daemon, limits: { ...base.daemon.limits, ephemeralStorage: "7Gi" } } };
    expect(container(pod(undefined, { resources }), "dind").resources.limits["ephemeral-storage"]).toBe("7Gi");
  });

  test("unused images older than imagePruneAfterHours go every imagePruneIntervalMinutes, and a failed prune is tried again", () => {
    const base = runnerContext().kubernetes.dindStorage;
    const loop = container(pod(undefined, { dindStorage: { ...base, imagePruneAfterHours: 12, imagePruneIntervalMinutes: 15 } }), "prune").command.at(-1);
    const calls = runPruneLoop(loop, 2);
    expect(calls).toEqual(["docker image prune --all --force --filter until=12h", "sleep 900", "docker image prune --all --force --filter until=12h", "sleep 900"]);
  });
});

describe("every container's resources, and placement", () => {
  test("each container gets the requests and limits of its role, and only the quantities that are set", () => {
    const base = runnerContext().kubernetes.resources;
    const spec = pod(undefined, { resources: { ...base, runner: { requests: { cpu: "250m", memory: undefined, ephemeralStorage: undefined }, limits: { cpu: undefined, memory: undefined, ephemeralStorage: undefined } } } });
    expect(container(spec, "job").resources).toEqual({ requests: { cpu: "250m" } });
    expect(container(spec, "prune").resources).toEqual({
      requests: { cpu: base.pruner.requests.cpu, memory: base.pruner.requests.memory, "ephemeral-storage": base.pruner.requests.ephemeralStorage },
      limits: { cpu: base.pruner.limits.cpu, memory: base.pruner.limits.memory, "ephemeral-storage": base.pruner.limits.ephemeralStorage },
    });
  });

  test("runners go to Linux nodes of the DinD image's architecture, plus the configured labels, tolerations and required affinity", () => {
    expect(pod().nodeSelector).toEqual({ "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64" });
    expect(pod(undefined, {}, { arch: "aarch64" }).nodeSelector).toEqual({ "kubernetes.io/os": "linux", "kubernetes.io/arch": "arm64" });
    expect(pod()).not.toHaveProperty("tolerations");
    expect(pod()).not.toHaveProperty("affinity");
    const none = { nodeSelector: {}, tolerations: [], nodeAffinity: [] };
    const placed = pod(undefined, {
      placement: {
        registry: none,
        runners: {
          nodeSelector: { pool: "builds" },
          tolerations: [{ key: "builds", operator: "Exists", effect: "NoSchedule" }],
          nodeAffinity: [
            { key: "zone", operator: "In", values: ["a"] },
            { key: "spot", operator: "DoesNotExist", values: [] },
          ],
        },
      },
    } as any);
    expect(placed.nodeSelector).toEqual({ "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", pool: "builds" });
    expect(placed.tolerations).toEqual([{ key: "builds", operator: "Exists", effect: "NoSchedule" }]);
    expect(placed.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      {
        matchExpressions: [
          { key: "zone", operator: "In", values: ["a"] },
          { key: "spot", operator: "DoesNotExist" },
        ],
      },
    ]);
  });
});

describe("the client's own values", () => {
  const clientWith = (secret: boolean) => {
    const base = dindSettings({ workloads: { clients: [{ name: "builder", command: ["make", "$(TARGET)"], env: { TOKEN: "t-1", MODE: "$$x" } }] } });
    return { ...base, workloads: { ...base.workloads, clientValuesSecret: secret } };
  };

  test("plain values are passed as written, after the stack's own variables", () => {
    const values = clientWith(false);
    const job = plainPod(runnerPodSpec(values.workloads.clients[0], runnerContext(values))).containers![0] as Container;
    expect(job.env.slice(-2).map((entry: any) => [entry.name, asRun(job)(entry.value)])).toEqual([
      ["TOKEN", "t-1"],
      ["MODE", "$$x"],
    ]);
    expect(job.env[0].name).toBe("DOCKER_HOST");
  });

  test("values from a secret key come from the group's Secret, and its command stays secret", async () => {
    const values = clientWith(true);
    const job = (runnerPodSpec(values.workloads.clients[0], runnerContext(values)).containers as Container[])[0];
    expect(job.env.slice(-2)).toEqual([
      { name: "TOKEN", valueFrom: { secretKeyRef: { name: "builder-env", key: "TOKEN" } } },
      { name: "MODE", valueFrom: { secretKeyRef: { name: "builder-env", key: "MODE" } } },
    ]);
    expect(JSON.stringify(job.env)).not.toContain("t-1");
    expect(await job.args.isSecret).toBe(true);
    const args = (await new Promise((resolve) => job.args.apply(resolve))) as string[];
    expect(args.map(asRun(plainPod(job)))).toEqual(["make", "$(TARGET)"]);
  });

  test("the job runs the client's image when it names one, the DinD image otherwise", () => {
    const own = dindSettings({ workloads: { clients: [{ name: "builder", image: "node:22", command: ["true"] }] } });
    expect(plainPod(runnerPodSpec(own.workloads.clients[0], runnerContext(own))).containers![0].image).toBe("node:22");
    expect(container(pod(), "job").image).toBe("dind:1");
  });

  test("registry credentials: a read-only Docker config only the owner can read, and DOCKER_CONFIG pointing at it", () => {
    const spec = pod(undefined, {}, { dockerConfigSecret: "docker-config-x" });
    const job = container(spec, "job");
    expect(volume(spec, "docker-config").secret).toEqual({ secretName: "docker-config-x", items: [{ key: "config.json", path: "config.json" }], defaultMode: 0o400 });
    expect(mountOf(job, "docker-config")).toMatchObject({ mountPath: env(job).DOCKER_CONFIG, readOnly: true });
    expect(env(container(pod(), "job")).DOCKER_CONFIG).toBeUndefined();
    expect(volume(pod(), "docker-config")).toBeUndefined();
    const dood = pod(undefined, {}, { mode: "dood", dockerConfigSecret: "docker-config-x" });
    expect(mountOf(dood.containers[0], "docker-config")).toBeDefined();
  });
});
