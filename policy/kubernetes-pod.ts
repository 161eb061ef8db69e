import * as path from "node:path";
import type * as k8s from "@pulumi/kubernetes";
import type { Unwrap } from "@pulumi/pulumi";
import { ALL_ADDRESSES, ContainerView, covers, FileSource, normalPath } from "./container-view";
import { addedCapabilities } from "./escalations";

type PodTemplate = Unwrap<k8s.types.input.core.v1.PodTemplateSpec>;
type PodSpec = Unwrap<k8s.types.input.core.v1.PodSpec>;
type Container = Unwrap<k8s.types.input.core.v1.Container>;
type KeyToPath = Unwrap<k8s.types.input.core.v1.KeyToPath>;

/** A pod, or a workload's pod template, as the checks see it. */
export interface PodView {
  /** How messages name it, e.g. `Deployment ci/runner`. */
  label: string;
  /** Namespace of the pods ("default" when none is given). */
  namespace: string;
  /** Labels of the pods (what Services select). */
  labels: Readonly<Record<string, string>>;
  /** True when the pods use the node's network namespace. */
  hostNetwork: boolean;
  /** Every container of the pods: init, app and ephemeral. */
  containers: ContainerView[];
}

/** Where each kind keeps its pod template, from the resource's top level. */
const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  PodTemplate: ["template"],
  ReplicationController: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  Deployment: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
};

/** API groups whose kinds carry pods (any version; `...Patch` resources too). */
const WORKLOAD_TYPE = /^kubernetes:(core|apps|batch|extensions)\/[^:]+:([A-Za-z]+?)(Patch)?$/;

/** The kind of a @pulumi/kubernetes type token that carries pods, e.g. `Deployment`; undefined otherwise. */
export function workloadKind(type: string): string | undefined {
  const kind = WORKLOAD_TYPE.exec(type)?.[2];
  return kind !== undefined && kind in TEMPLATE_PATHS ? kind : undefined;
}

function envMap(container: Container): Map<string, string | undefined> {
  return new Map((container.env ?? []).map((variable) => [variable.name, variable.valueFrom ? undefined : (variable.value ?? "")]));
}

function hostMounts(container: Container, spec: PodSpec): string[] {
  const hostPaths = new Map((spec.volumes ?? []).filter((volume) => volume.hostPath).map((volume) => [volume.name, volume.hostPath!.path]));
  return (container.volumeMounts ?? [])
    .filter((mount) => hostPaths.has(mount.name))
    .map((mount) => path.posix.join(hostPaths.get(mount.name)!, mount.subPath ?? ""));
}

/** What a container gets beyond a default one, from its securityContext, the pod's, and the AppArmor annotation. */
function escalations(container: Container, spec: PodSpec, annotations: Readonly<Record<string, string>>): string[] {
  const context = container.securityContext ?? {};
  const found: string[] = context.privileged ? ["is privileged"] : [];
  found.push(...addedCapabilities(context.capabilities?.add ?? []).map((cap) => `adds capability ${cap}`));
  const seccomp = context.seccompProfile?.type ?? spec.securityContext?.seccompProfile?.type;
  if (seccomp === "Unconfined") found.push("turns seccomp off (seccompProfile Unconfined)");
  const appArmor = context.appArmorProfile?.type ?? spec.securityContext?.appArmorProfile?.type;
  if (appArmor === "Unconfined" || annotations[`container.apparmor.security.beta.kubernetes.io/${container.name}`] === "unconfined") {
    found.push("turns AppArmor off (Unconfined)");
  }
  if (context.procMount === "Unmasked") found.push("unmasks /proc (procMount Unmasked)");
  return found;
}

/** The file of a Secret or ConfigMap volume at `within` (a path inside the volume): through `items` when they are given, else the key of that name. */
function objectKey(items: readonly KeyToPath[] | undefined, within: string): string | undefined {
  if (items) return items.find((item) => normalPath(item.path) === within)?.key;
  return within.includes("/") ? undefined : within;
}

/** Where a file of a container comes from: the deepest volume mount over it, else the image. */
function fileSource(container: Container, spec: PodSpec, namespace: string, file: string): FileSource {
  const mount = (container.volumeMounts ?? [])
    .filter((candidate) => covers(candidate.mountPath, file))
    .sort((a, b) => normalPath(b.mountPath).length - normalPath(a.mountPath).length)[0];
  if (!mount) return { from: "image" };
  if (mount.subPathExpr) return { from: "elsewhere" };
  const inside = path.posix.relative(normalPath(mount.mountPath), normalPath(file));
  const within = normalPath(path.posix.join(mount.subPath ?? "", inside));
  const volume = (spec.volumes ?? []).find((candidate) => candidate.name === mount.name);
  const secret = volume?.secret;
  const configMap = volume?.configMap;
  const key = secret ? objectKey(secret.items, within) : configMap ? objectKey(configMap.items, within) : undefined;
  if (key === undefined) return { from: "elsewhere" };
  return secret ? { from: "object", kind: "Secret", namespace, name: secret.secretName!, key } : { from: "object", kind: "ConfigMap", namespace, name: configMap!.name!, key };
}

function containerView(pod: { label: string; namespace: string; annotations: Readonly<Record<string, string>> }, container: Container, spec: PodSpec): ContainerView {
  const entrypoint = container.command?.length ? container.command : undefined;
  const args = container.args?.length ? container.args : entrypoint ? [] : undefined;
  return {
    label: `${pod.label}, container ${container.name}`,
    // Read only when a check asks (an image built in the same update is unknown during a preview).
    get image() {
      return container.image;
    },
    env: envMap(container),
    entrypoint,
    args,
    escalations: escalations(container, spec, pod.annotations),
    hostNamespaces: [spec.hostPID ? "the node's PID namespace (hostPID)" : "", spec.hostIPC ? "the node's IPC namespace (hostIPC)" : ""].filter((joined) => joined !== ""),
    hostNetwork: spec.hostNetwork === true,
    hostMounts: hostMounts(container, spec),
    inheritsMountsFrom: [],
    replacedPaths: (container.volumeMounts ?? []).map((mount) => mount.mountPath),
    published: (container.ports ?? []).filter((port) => port.hostPort !== undefined).map((port) => ({ ip: port.hostIP ?? ALL_ADDRESSES, port: port.hostPort! })),
    publishesAllPorts: false,
    fileSource: (file) => fileSource(container, spec, pod.namespace, file),
  };
}

/** The pod template of a Kubernetes resource that carries pods; undefined for any other resource. */
export function podViewOf(type: string, name: string, props: Record<string, any>): PodView | undefined {
  const kind = workloadKind(type);
  if (kind === undefined) return undefined;
  const template = TEMPLATE_PATHS[kind].reduce<any>((value, key) => value?.[key], props) as PodTemplate | undefined;
  const spec = template?.spec;
  if (!spec) return undefined;
  const namespace = props.metadata?.namespace ?? "default";
  const label = `${kind} ${namespace}/${props.metadata?.name ?? name}`;
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  const pod = { label, namespace, annotations: template.metadata?.annotations ?? {} };
  return {
    label,
    namespace,
    labels: template.metadata?.labels ?? {},
    hostNetwork: spec.hostNetwork === true,
    containers: containers.map((container) => containerView(pod, container as Container, spec)),
  };
}
