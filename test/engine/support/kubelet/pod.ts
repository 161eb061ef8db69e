import * as fs from "node:fs";
import * as path from "node:path";
import Docker from "dockerode";
import { enforcedLevel, podSecurityViolations } from "../../../../components/kubernetes/pod-security";
import { execIn, logsOf } from "../container-io";
import { engine } from "../engine";
import { followStream } from "../progress";
import { grantPrivileges, PrivilegeMode } from "../privileges";
import { containerCreateOptions, PodRuntime } from "./container-options";
import { expandReferences } from "./expansion";
import { Fields, onlyFields, onlyValues } from "./fields";
import { Probe, probeOf, runUntilDecided } from "./probes";
import { checkSchedulable, nodeLabels } from "./scheduling";
import { projectVolume, realizeVolumes, resolveSubPath, VolumeContext } from "./volumes";

/** Something that happened to a pod, as `kubectl describe` lists events. */
export interface PodEvent {
  /** When (ms since the epoch). */
  at: number;
  /** What, e.g. `started container dind` or `startupProbe of container "dind" passed`. */
  what: string;
}

/** A pod the harness runs on the engine. */
export interface RunningPod {
  /** Namespace. */
  namespace: string;
  /** Pod name (also its hostname). */
  name: string;
  /** Labels. */
  labels: Record<string, string>;
  /** The pod's IP on the cluster network. */
  ip: string;
  /** The sandbox container (holds the pod's network and IPC namespaces). */
  sandbox: string;
  /** Docker container name of each of the pod's containers, by container name. */
  containers: Map<string, string>;
  /** What happened, in order. */
  events: PodEvent[];
  /** When the sandbox was created and when the pod became Ready. */
  times: { created: number; ready: number };
  /** Liveness restarts per container. */
  restarts: Map<string, number>;
  /** The pod's template (metadata and spec) as it was started. */
  template: Fields;
  /** The Service names its sandbox answers to on the cluster network. */
  aliases: string[];
  /** True once the pod is being stopped (its liveness probes end). */
  stopped: boolean;
  /** Each container's log as it was when the pod stopped (`kubectl logs --previous`), by container name. */
  lastLogs: Map<string, string>;
}

/** What a pod needs from the cluster that runs it. */
export interface PodHost {
  /** The cluster's Docker network. */
  network: string;
  /** Prefix of the Docker objects of the cluster. */
  prefix: string;
  /** Directory on this host for the pods' ConfigMap and Secret volumes. */
  hostRoot: string;
  /** Labels every Docker object of the cluster carries. */
  labels: Record<string, string>;
  /** DNS names of the Services that select a pod with these labels in this namespace. */
  serviceNames(namespace: string, labels: Record<string, string>): string[];
  /** An object of the cluster, if it exists. */
  lookup(kind: string, namespace: string, name: string): Fields | undefined;
  /** The Docker volume standing for a volume claim, if it exists. */
  claimVolume(namespace: string, claim: string): string | undefined;
  /** How `privileged: true` is realized on this engine. */
  privilegeMode(): Promise<PrivilegeMode>;
  /** True once the cluster is being stopped (background probing ends). */
  stopped(): boolean;
}

const POD_FIELDS = [
  "containers", "initContainers", "volumes", "securityContext", "automountServiceAccountToken", "enableServiceLinks", "imagePullSecrets",
  "runtimeClassName", "restartPolicy", "terminationGracePeriodSeconds", "nodeSelector", "tolerations", "affinity",
];
const POD_SECURITY_FIELDS = ["runAsUser", "runAsGroup", "runAsNonRoot", "fsGroup", "fsGroupChangePolicy", "supplementalGroups", "seccompProfile"];

const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000).unref());

/** The API server's checks before a pod exists: its namespace exists and Pod Security admission admits it. */
function admit(host: PodHost, namespace: string, name: string, template: Fields): void {
  const ns = host.lookup("Namespace", "", namespace);
  if (!ns) throw new Error(`kubelet: namespaces "${namespace}" not found (pod ${name})`);
  const level = enforcedLevel(ns.metadata?.labels);
  const violations = podSecurityViolations(level, template.spec, template.metadata?.annotations ?? {});
  if (violations.length > 0) throw new Error(`pods "${name}" is forbidden: violates PodSecurity "${level}:latest": ${violations.join(", ")}`);
}

/** Credentials for a pull from the pod's imagePullSecrets (kubernetes.io/dockerconfigjson), by registry. */
function pullAuth(host: PodHost, namespace: string, spec: Fields, image: string): Docker.AuthConfig | undefined {
  const registry = image.includes("/") && /[.:]|^localhost\//.test(image.split("/")[0]) ? image.split("/")[0] : "docker.io";
  for (const reference of spec.imagePullSecrets ?? []) {
    const secret = host.lookup("Secret", namespace, reference.name);
    const text = secret?.stringData?.[".dockerconfigjson"] ?? (secret?.data?.[".dockerconfigjson"] && Buffer.from(secret.data[".dockerconfigjson"], "base64").toString());
    const auth = text && JSON.parse(text).auths?.[registry]?.auth;
    if (auth) {
      const [username, password] = Buffer.from(auth, "base64").toString().split(/:(.*)/s);
      return { username, password, serveraddress: registry };
    }
  }
  return undefined;
}

/** The image as imagePullPolicy says: used when present (IfNotPresent, Never), else pulled. */
async function ensureImage(host: PodHost, namespace: string, spec: Fields, container: Fields, where: string): Promise<Docker.ImageInspectInfo> {
  const policy = container.imagePullPolicy ?? (/:latest$|^[^:@]+$/.test(container.image) ? "Always" : "IfNotPresent");
  onlyValues(`${where}.imagePullPolicy`, policy, ["IfNotPresent", "Never", "Always"], "the kubelet's policies");
  const present = await engine.getImage(container.image).inspect().catch(() => undefined);
  if (present && policy !== "Always") return present;
  if (policy === "Never") throw new Error(`kubelet: ${where}: image ${container.image} is not present and imagePullPolicy is Never (ErrImageNeverPull)`);
  await followStream(await engine.pull(container.image, { authconfig: pullAuth(host, namespace, spec, container.image) }), `pull of ${container.image} (${where})`);
  return engine.getImage(container.image).inspect();
}

/** The container's environment (values from Secrets and ConfigMaps resolved, `$(NAME)` expanded in order) and its expanded command. */
function commandOf(host: PodHost, namespace: string, container: Fields, where: string): { entrypoint?: string[]; cmd?: string[]; env: string[] } {
  const variables = new Map<string, string>();
  for (const [index, entry] of (container.env ?? []).entries()) {
    const at = `${where}.env[${index}]`;
    onlyFields(at, entry, ["name", "value", "valueFrom"]);
    let value: string;
    if (entry.valueFrom) {
      onlyFields(`${at}.valueFrom`, entry.valueFrom, ["secretKeyRef", "configMapKeyRef"]);
      const [kind, ref] = entry.valueFrom.secretKeyRef ? ["Secret", entry.valueFrom.secretKeyRef] : ["ConfigMap", entry.valueFrom.configMapKeyRef];
      onlyFields(`${at}.valueFrom`, ref, ["name", "key"]);
      const object = host.lookup(kind, namespace, ref.name);
      const raw = object?.stringData?.[ref.key] ?? (object?.data?.[ref.key] !== undefined ? (kind === "Secret" ? Buffer.from(object.data[ref.key], "base64").toString() : object.data[ref.key]) : undefined);
      if (raw === undefined) throw new Error(`kubelet: ${at}: ${kind} ${namespace}/${ref.name} has no key ${ref.key} (CreateContainerConfigError)`);
      value = raw;
    } else {
      value = expandReferences(entry.value ?? "", variables);
    }
    variables.set(entry.name, value);
  }
  const expand = (list: string[] | undefined) => list?.map((item) => expandReferences(item, variables));
  return { entrypoint: expand(container.command), cmd: expand(container.args), env: [...variables].map(([name, value]) => `${name}=${value}`) };
}

/** The kubelet refuses to start a container that would run as root when runAsNonRoot is set. */
function checkNonRoot(container: Fields, podSecurity: Fields, image: Docker.ImageInspectInfo, where: string): void {
  if ((container.securityContext?.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) return;
  const uid = container.securityContext?.runAsUser ?? podSecurity.runAsUser ?? image.Config.User?.split(":")[0];
  if (uid === undefined || uid === "" || Number(uid) === 0) throw new Error(`kubelet: ${where}: container has runAsNonRoot and image will run as root (CreateContainerConfigError)`);
  if (!/^\d+$/.test(String(uid))) throw new Error(`kubelet: ${where}: container has runAsNonRoot and image has non-numeric user (${uid}), cannot verify user is non-root`);
}

/** The pod's sandbox: the container that holds its network (on the cluster network, with its Services' names) and IPC namespaces. */
async function startSandbox(host: PodHost, namespace: string, name: string, aliases: string[]): Promise<{ id: string; ip: string }> {
  const sandbox = await engine.createContainer({
    name: `${host.prefix}_POD_${name}_${namespace}`,
    Image: "debian:bookworm-slim",
    Cmd: ["sleep", "infinity"],
    Hostname: name,
    Labels: { ...host.labels, "io.kubernetes.pod.namespace": namespace, "io.kubernetes.pod.name": name },
    HostConfig: { NetworkMode: host.network, IpcMode: "shareable", Init: true },
    NetworkingConfig: { EndpointsConfig: { [host.network]: { Aliases: aliases } } },
  });
  await sandbox.start();
  const ip = (await sandbox.inspect()).NetworkSettings.Networks[host.network].IPAddress;
  return { id: sandbox.id, ip };
}

/** Labels of the Docker objects of a pod. */
function podObjectLabels(host: PodHost, namespace: string, name: string): Record<string, string> {
  return { ...host.labels, "io.kubernetes.pod.namespace": namespace, "io.kubernetes.pod.name": name };
}

/** What realizing (or refreshing) the pod's volumes needs: where its files go, and what its volumes refer to. */
function volumeContext(host: PodHost, namespace: string, name: string, spec: Fields): VolumeContext {
  return {
    where: `pod ${namespace}/${name}`,
    namespace,
    objectPrefix: `${host.prefix}-${namespace}-${name}`,
    hostDir: path.join(host.hostRoot, namespace, name),
    labels: podObjectLabels(host, namespace, name),
    lookup: (kind, ns, objectName) => host.lookup(kind, ns, objectName),
    claimVolume: (ns, claim) => host.claimVolume(ns, claim),
    podSecurity: spec.securityContext ?? {},
  };
}

/** Starts one container of the pod. */
async function startContainer(host: PodHost, pod: RunningPod, spec: Fields, container: Fields, runtime: Omit<PodRuntime, "where" | "dockerName">): Promise<string> {
  const where = `pod ${pod.namespace}/${pod.name} container "${container.name}"`;
  const image = await ensureImage(host, pod.namespace, spec, container, where);
  checkNonRoot(container, spec.securityContext ?? {}, image, where);
  const dockerName = `${host.prefix}_${container.name}_${pod.name}_${pod.namespace}`;
  const options = containerCreateOptions(container, commandOf(host, pod.namespace, container, where), { ...runtime, where, dockerName });
  if (container.securityContext?.privileged) grantPrivileges(options, await host.privilegeMode());
  await (await engine.createContainer(options)).start();
  pod.containers.set(container.name, dockerName);
  pod.events.push({ at: Date.now(), what: `started container ${container.name}` });
  return dockerName;
}

function probeTarget(pod: RunningPod, container: Fields) {
  const ports = new Map<string, number>((container.ports ?? []).filter((port: Fields) => port.name).map((port: Fields) => [port.name, port.containerPort]));
  return { container: pod.containers.get(container.name)!, podIp: pod.ip, ports };
}

/** Runs a startup or readiness probe until it passes; fails the pod with the container's log when it fails. */
async function awaitProbe(pod: RunningPod, container: Fields, kind: "startupProbe" | "readinessProbe"): Promise<void> {
  if (!container[kind]) return;
  const probe = probeOf(container[kind], `${kind} of container "${container.name}" (pod ${pod.namespace}/${pod.name})`, probeTarget(pod, container));
  const docker = pod.containers.get(container.name)!;
  const running = async () => (await engine.getContainer(docker).inspect()).State.Running;
  const result = await runUntilDecided(probe, running);
  if (!result.passed) throw new Error(`kubelet: ${probe.what} failed ${result.failures} times; log:\n${await logsOf(docker)}`);
  pod.events.push({ at: result.at, what: `${kind} of container "${container.name}" passed` });
}

/** The liveness probe in the background, as long as the cluster runs: after failureThreshold failures in a row the container is restarted. */
function watchLiveness(host: PodHost, pod: RunningPod, container: Fields): void {
  if (!container.livenessProbe) return;
  const probe: Probe = probeOf(container.livenessProbe, `livenessProbe of container "${container.name}" (pod ${pod.namespace}/${pod.name})`, probeTarget(pod, container));
  const docker = pod.containers.get(container.name)!;
  void (async () => {
    await sleep(probe.initialDelaySeconds);
    let failures = 0;
    while (!host.stopped() && !pod.stopped) {
      failures = (await probe.check()) ? 0 : failures + 1;
      if (failures >= probe.failureThreshold && !host.stopped() && !pod.stopped) {
        pod.events.push({ at: Date.now(), what: `${probe.what} failed ${failures} times; restarting the container` });
        pod.restarts.set(container.name, (pod.restarts.get(container.name) ?? 0) + 1);
        await engine.getContainer(docker).restart().catch(() => undefined);
        failures = 0;
      }
      await sleep(probe.periodSeconds);
    }
  })();
}

/**
 * Runs a pod the way a kubelet does, after the API server's admission: a sandbox holding the
 * network and IPC namespaces; the volumes (fsGroup ownership applied); the init containers in
 * order, a native sidecar (restartPolicy Always) started and, when it has a startup probe,
 * waited for before the next; then the containers; then startup and readiness probes until
 * the pod is Ready; liveness probes keep running in the background.
 */
export async function runPod(host: PodHost, namespace: string, name: string, template: Fields): Promise<RunningPod> {
  const where = `pod ${namespace}/${name}`;
  onlyFields(`${where}.metadata`, template.metadata, ["labels", "annotations"]);
  const spec: Fields = template.spec;
  onlyFields(`${where}.spec`, spec, POD_FIELDS);
  onlyFields(`${where}.spec.securityContext`, spec.securityContext, POD_SECURITY_FIELDS);
  onlyValues(`${where}.spec.automountServiceAccountToken`, spec.automountServiceAccountToken, [false], "no API server, so no service account token to mount");
  onlyValues(`${where}.spec.enableServiceLinks`, spec.enableServiceLinks ?? true, [false], "no Service environment variables are injected");
  onlyValues(`${where}.spec.restartPolicy`, spec.restartPolicy, ["Always"], "what Deployments and StatefulSets allow");
  admit(host, namespace, name, template);
  checkSchedulable(where, spec, await nodeLabels());
  let runtime: string | undefined;
  if (spec.runtimeClassName !== undefined) {
    const runtimes = Object.keys(((await engine.info()) as { Runtimes?: Record<string, unknown> }).Runtimes ?? {});
    if (!runtimes.includes(spec.runtimeClassName)) throw new Error(`kubelet: ${where}.spec.runtimeClassName ${spec.runtimeClassName}: this engine has no such runtime (it has ${runtimes.join(", ")})`);
    runtime = spec.runtimeClassName;
  }
  const labels: Record<string, string> = template.metadata?.labels ?? {};
  const created = Date.now();
  const aliases = host.serviceNames(namespace, labels);
  const sandbox = await startSandbox(host, namespace, name, aliases);
  const pod: RunningPod = {
    namespace,
    name,
    labels,
    ip: sandbox.ip,
    sandbox: sandbox.id,
    containers: new Map(),
    events: [],
    times: { created, ready: 0 },
    restarts: new Map(),
    template,
    aliases,
    stopped: false,
    lastLogs: new Map(),
  };
  const containerLabels = podObjectLabels(host, namespace, name);
  const volumes = await realizeVolumes(spec.volumes ?? [], volumeContext(host, namespace, name, spec));
  const runtimeOf = (container: Fields): Omit<PodRuntime, "where" | "dockerName"> => ({
    sandboxId: sandbox.id,
    labels: { ...containerLabels, "io.kubernetes.container.name": container.name },
    podSecurity: spec.securityContext ?? {},
    restart: "always",
    stopTimeout: spec.terminationGracePeriodSeconds,
    runtime,
    volumes,
    resolveSubPath,
  });
  const sidecars: Fields[] = [];
  for (const init of spec.initContainers ?? []) {
    onlyValues(`${where} init container "${init.name}".restartPolicy`, init.restartPolicy, ["Always"], "a regular init container (run to completion) is not used by the stack");
    await startContainer(host, pod, spec, init, runtimeOf(init));
    sidecars.push(init);
    await awaitProbe(pod, init, "startupProbe");
  }
  for (const container of spec.containers) {
    if (container.restartPolicy !== undefined) throw new Error(`kubelet: ${where} container "${container.name}".restartPolicy is only allowed on init containers`);
    await startContainer(host, pod, spec, container, runtimeOf(container));
  }
  await Promise.all(spec.containers.map((container: Fields) => awaitProbe(pod, container, "startupProbe")));
  await Promise.all([...sidecars, ...spec.containers].map((container: Fields) => awaitProbe(pod, container, "readinessProbe")));
  pod.times.ready = Date.now();
  pod.events.push({ at: pod.times.ready, what: "pod Ready" });
  for (const container of [...sidecars, ...spec.containers]) watchLiveness(host, pod, container);
  return pod;
}

/**
 * Stops a pod as the kubelet does when it is deleted (pkg/kubelet/kuberuntime
 * killContainersWithSyncResult, and for native sidecars KEP-753): terminationGracePeriodSeconds
 * (30 s by default) is the whole pod's. Its regular containers stop together: each runs its
 * preStop hook, then gets SIGTERM, and SIGKILL when the grace period is over; then its native
 * sidecars the same way, the last started first, with what is left of the grace period (at
 * least 2 s). Then the sandbox, the pod's emptyDir volumes and its ConfigMap and Secret files go.
 * Volume claims stay. Returns how long it took, in seconds.
 */
export async function stopPod(host: PodHost, pod: RunningPod): Promise<number> {
  const started = Date.now();
  pod.stopped = true;
  const spec: Fields = pod.template.spec;
  const deadline = started + (spec.terminationGracePeriodSeconds ?? 30) * 1000;
  const remaining = () => Math.max(2, Math.ceil((deadline - Date.now()) / 1000));
  const stop = async (container: Fields) => {
    const begun = Date.now();
    const docker = engine.getContainer(pod.containers.get(container.name)!);
    const preStop: Fields | undefined = container.lifecycle?.preStop;
    if (preStop) {
      onlyFields(`pod ${pod.namespace}/${pod.name} container "${container.name}".lifecycle.preStop`, preStop, ["exec"]);
      pod.events.push({ at: Date.now(), what: `preStop hook of container ${container.name}: ${preStop.exec.command.join(" ")}` });
      await Promise.race([execIn(pod.containers.get(container.name)!, preStop.exec.command), sleep(remaining())]);
    }
    pod.events.push({ at: Date.now(), what: `SIGTERM to container ${container.name}` });
    await docker.stop({ t: remaining() }).catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 304) throw error;
    });
    const exitCode = (await docker.inspect()).State.ExitCode;
    pod.events.push({ at: Date.now(), what: `container ${container.name} stopped: exit ${exitCode} after ${((Date.now() - begun) / 1000).toFixed(1)} s` });
  };
  await Promise.all(spec.containers.map(stop));
  for (const sidecar of [...(spec.initContainers ?? [])].reverse()) await stop(sidecar);
  for (const [name, docker] of pod.containers) pod.lastLogs.set(name, await logsOf(docker));
  for (const docker of [...pod.containers.values(), pod.sandbox]) await engine.getContainer(docker).remove({ force: true, v: true });
  const context = volumeContext(host, pod.namespace, pod.name, spec);
  for (const volume of spec.volumes ?? []) if (volume.emptyDir) await engine.getVolume(`${context.objectPrefix}-emptydir-${volume.name}`).remove();
  fs.rmSync(context.hostDir, { recursive: true, force: true });
  return (Date.now() - started) / 1000;
}

/** What the kubelet does when a ConfigMap or Secret changes: the pod's volumes made from it are written again (atomically); a subPath mount keeps the file it had. */
export function refreshProjectedVolumes(host: PodHost, pod: RunningPod, kind: "ConfigMap" | "Secret", name: string): void {
  const spec: Fields = pod.template.spec;
  const context = volumeContext(host, pod.namespace, pod.name, spec);
  for (const volume of spec.volumes ?? []) {
    const source = kind === "ConfigMap" ? volume.configMap?.name : volume.secret?.secretName;
    if (source !== name) continue;
    projectVolume(volume, kind, context);
    pod.events.push({ at: Date.now(), what: `volume ${volume.name} rewritten from ${kind} ${name}` });
  }
}
