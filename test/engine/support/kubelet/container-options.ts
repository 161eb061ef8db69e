import * as os from "node:os";
import Docker from "dockerode";
import { Fields, onlyFields, onlyValues } from "./fields";
import { quantityValue } from "../../../../components/kubernetes/quantity";

/** A pod volume as the runtime mounts it. */
export interface MountSource {
  /** A Docker volume, or a directory or file on the engine's host. */
  type: "volume" | "bind";
  /** Volume name or host path. */
  source: string;
  /** Always read-only, whatever the mount says (ConfigMap and Secret volumes). */
  readOnly: boolean;
}

/** What a container's options need from its pod. */
export interface PodRuntime {
  /** Path of the container in error messages, e.g. `pod ns/name container "job"`. */
  where: string;
  /** Docker name of the container. */
  dockerName: string;
  /** The pod's sandbox container, whose network and IPC namespaces every container joins. */
  sandboxId: string;
  /** Labels put on the container. */
  labels: Record<string, string>;
  /** The pod's securityContext. */
  podSecurity: Fields;
  /** Docker restart policy that stands for the kubelet restarting the container. */
  restart: "always" | "no";
  /** terminationGracePeriodSeconds. */
  stopTimeout?: number;
  /** Docker runtime standing for the pod's RuntimeClass. */
  runtime?: string;
  /** The pod's volumes, by name. */
  volumes: ReadonlyMap<string, MountSource>;
  /** Resolves a subPath inside a bind-mounted volume to the host path the kubelet bind-mounts. */
  resolveSubPath(source: string, subPath: string): string;
}

/** Fields of a container the harness realizes; anything else fails by name. */
export const CONTAINER_FIELDS = [
  "name", "image", "imagePullPolicy", "command", "args", "env", "ports", "volumeMounts", "workingDir", "resources", "securityContext",
  "startupProbe", "readinessProbe", "livenessProbe", "restartPolicy", "lifecycle",
] as const;

const SECURITY_FIELDS = ["runAsUser", "runAsGroup", "runAsNonRoot", "privileged", "allowPrivilegeEscalation", "capabilities", "readOnlyRootFilesystem", "seccompProfile"];

/** Docker binds for a container's volumeMounts (read-only where the mount or the volume type says so). */
function binds(container: Fields, pod: PodRuntime): string[] {
  return (container.volumeMounts ?? []).map((mount: Fields, index: number) => {
    const where = `${pod.where}.volumeMounts[${index}]`;
    onlyFields(where, mount, ["name", "mountPath", "readOnly", "subPath"]);
    const volume = pod.volumes.get(mount.name);
    if (!volume) throw new Error(`kubelet: ${where} mounts volume "${mount.name}", which the pod does not declare`);
    let source = volume.source;
    if (mount.subPath !== undefined) {
      if (volume.type !== "bind") throw new Error(`kubelet: ${where}.subPath into a Docker volume needs engine API 1.45 (this engine mounts whole volumes only)`);
      source = pod.resolveSubPath(volume.source, mount.subPath);
    }
    // A kubelet mounts a volume as it is; Docker would first copy the image's files (and their
    // owner) at the mount path into an empty volume, undoing fsGroup ownership: nocopy.
    const options = [...(mount.readOnly || volume.readOnly ? ["ro"] : []), ...(volume.type === "volume" ? ["nocopy"] : [])];
    return `${source}:${mount.mountPath}${options.length > 0 ? `:${options.join(",")}` : ""}`;
  });
}

/** Resource limits and requests as the kubelet passes them to the runtime (memory requests only inform the scheduler). */
function resources(container: Fields, where: string): Docker.HostConfig {
  const { requests = {}, limits = {} } = container.resources ?? {};
  onlyFields(`${where}.resources`, container.resources, ["requests", "limits"]);
  onlyFields(`${where}.resources.requests`, requests, ["cpu", "memory", "ephemeral-storage"]);
  onlyFields(`${where}.resources.limits`, limits, ["cpu", "memory", "ephemeral-storage"]);
  // Ephemeral storage informs the scheduler and the kubelet's eviction manager, which evicts a
  // pod above its limit; the runtime gets no limit, and the harness evicts nothing (only the
  // quantities are checked).
  for (const quantity of [requests["ephemeral-storage"], limits["ephemeral-storage"]]) if (quantity !== undefined) quantityValue(quantity);
  const config: Docker.HostConfig = {};
  if (limits.memory !== undefined) config.Memory = Math.round(quantityValue(limits.memory));
  // A CFS quota of more CPUs than the node has limits nothing; the kubelet sets it anyway, Docker
  // refuses it ("Range of CPUs is from 0.01 to <n>"), so the harness caps it at this machine's CPUs.
  if (limits.cpu !== undefined) config.NanoCpus = Math.round(Math.min(quantityValue(limits.cpu), os.availableParallelism()) * 1e9);
  // The kubelet's cpu.shares for a request: milli-CPU * 1024 / 1000 (at least 2).
  if (requests.cpu !== undefined) config.CpuShares = Math.max(2, Math.round(quantityValue(requests.cpu) * 1024));
  if (requests.memory !== undefined) quantityValue(requests.memory);
  return config;
}

/** The container's securityContext over the pod's, as the runtime applies it. */
function security(container: Fields, pod: PodRuntime): { user?: string; host: Docker.HostConfig } {
  const where = `${pod.where}.securityContext`;
  const context: Fields = container.securityContext ?? {};
  onlyFields(where, context, SECURITY_FIELDS);
  onlyFields(`${where}.capabilities`, context.capabilities, ["add", "drop"]);
  const uid = context.runAsUser ?? pod.podSecurity.runAsUser;
  const gid = context.runAsGroup ?? pod.podSecurity.runAsGroup;
  if (gid !== undefined && uid === undefined) throw new Error(`kubelet: ${where}.runAsGroup without runAsUser is not realized (Docker takes the user's group from the image)`);
  const seccomp = context.seccompProfile?.type ?? pod.podSecurity.seccompProfile?.type;
  onlyValues(`${where}.seccompProfile.type`, seccomp, ["RuntimeDefault", "Unconfined"], "a Localhost profile would need a file on the node");
  if (context.privileged && context.allowPrivilegeEscalation === false) throw new Error(`kubelet: ${where} is privileged with allowPrivilegeEscalation false, which the API server refuses`);
  const groups = [pod.podSecurity.fsGroup, ...(pod.podSecurity.supplementalGroups ?? [])].filter((group) => group !== undefined).map(String);
  const host: Docker.HostConfig = {
    CapAdd: context.capabilities?.add,
    CapDrop: context.capabilities?.drop,
    ReadonlyRootfs: context.readOnlyRootFilesystem || undefined,
    GroupAdd: groups.length > 0 ? groups : undefined,
    SecurityOpt: [
      ...(context.allowPrivilegeEscalation === false ? ["no-new-privileges:true"] : []),
      ...(seccomp === "Unconfined" ? ["seccomp=unconfined"] : []),
    ],
  };
  return { user: uid === undefined ? undefined : gid === undefined ? String(uid) : `${uid}:${gid}`, host };
}

/**
 * The engine's create-container body for one container of a pod: it joins the sandbox's
 * network and IPC namespaces (as a pod's containers share them), gets the expanded command,
 * args and environment, the pod's volumes, its security context and resources. `privileged`
 * is applied by the caller (the engine decides how).
 */
export function containerCreateOptions(container: Fields, command: { entrypoint?: string[]; cmd?: string[]; env: string[] }, pod: PodRuntime): Docker.ContainerCreateOptions {
  onlyFields(pod.where, container, CONTAINER_FIELDS);
  for (const [index, port] of (container.ports ?? []).entries()) onlyFields(`${pod.where}.ports[${index}]`, port, ["name", "containerPort", "protocol"]);
  const { user, host } = security(container, pod);
  return {
    name: pod.dockerName,
    Image: container.image,
    Entrypoint: command.entrypoint,
    Cmd: command.cmd,
    Env: command.env,
    User: user,
    WorkingDir: container.workingDir,
    Labels: pod.labels,
    StopTimeout: pod.stopTimeout,
    HostConfig: {
      ...host,
      ...resources(container, pod.where),
      Binds: binds(container, pod),
      NetworkMode: `container:${pod.sandboxId}`,
      IpcMode: `container:${pod.sandboxId}`,
      RestartPolicy: { Name: pod.restart },
      Runtime: pod.runtime,
    },
  };
}
