import * as path from "node:path";
import type * as k8s from "@pulumi/kubernetes";
import type { Unwrap } from "@pulumi/pulumi";
import { ALL_ADDRESSES, ContainerView } from "./container-view";

type PodTemplate = Unwrap<k8s.types.input.core.v1.PodTemplateSpec>;
type PodSpec = Unwrap<k8s.types.input.core.v1.PodSpec>;
type Container = Unwrap<k8s.types.input.core.v1.Container>;

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

function containerView(podLabel: string, container: Container, spec: PodSpec): ContainerView {
  return {
    label: `${podLabel}, container ${container.name}`,
    // Read only when a check asks (an image built in the same update is unknown during a preview).
    get image() {
      return container.image;
    },
    privileged: container.securityContext?.privileged === true,
    env: envMap(container),
    command: [...(container.command ?? []), ...(container.args ?? [])],
    hostMounts: hostMounts(container, spec),
    published: (container.ports ?? []).filter((port) => port.hostPort !== undefined).map((port) => ({ ip: port.hostIP ?? ALL_ADDRESSES, port: port.hostPort! })),
    // A pod's files come from ConfigMaps and Secrets, other resources: its registry is recognized by REGISTRY_* variables.
    configFiles: [],
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
  return {
    label,
    namespace,
    labels: template.metadata?.labels ?? {},
    hostNetwork: spec.hostNetwork === true,
    containers: containers.map((container) => containerView(label, container as Container, spec)),
  };
}
