import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClientSettings } from "../config/schema";
import { objectLabels, podLabels, selectorLabels } from "./labels";
import { DOCKER_DATA_VOLUME, JOB_CONTAINER, RunnerPodContext, runnerPodSpec } from "./runner-pod";
import { DO_NOT_EVICT_ANNOTATIONS } from "./runner-policies";

/** One client group's workload: its kind and arguments. */
export type RunnerWorkload =
  | { kind: "Deployment"; args: k8s.apps.v1.DeploymentArgs }
  | { kind: "StatefulSet"; args: k8s.apps.v1.StatefulSetArgs };

/** What a runner workload needs besides the pod context. */
export interface RunnerWorkloadContext extends RunnerPodContext {
  /** Stack name, for labels. */
  stack: string;
  /** The runners' namespace (the Namespace resource's name, so objects wait for it). */
  namespace: pulumi.Input<string>;
  /** Digest of the daemon.json the pods mount, so a change rolls them. */
  daemonJsonDigest: string;
}

function podTemplate(client: ClientSettings, context: RunnerWorkloadContext): k8s.types.input.core.v1.PodTemplateSpec {
  const annotations: Record<string, string> = { "kubectl.kubernetes.io/default-container": JOB_CONTAINER, ...DO_NOT_EVICT_ANNOTATIONS };
  if (context.mode === "dind") annotations["org.dind-stack.daemon-json-sha256"] = context.daemonJsonDigest;
  return { metadata: { labels: podLabels(context.stack, "runner", client.name), annotations }, spec: runnerPodSpec(client, context) };
}

/**
 * The workload of one client group (replicas = count): a Deployment, or, when each DinD
 * daemon keeps its cache on a volume claim of its own, a StatefulSet (governed by the headless
 * Service of the group's name) whose claims outlive its pods (and the StatefulSet itself unless
 * workloads.retainDataOnDelete is false), ReadWriteOncePod by default so that no two daemons
 * ever share a cache. Its pods ask the autoscalers not to evict them.
 */
export function runnerWorkload(client: ClientSettings, context: RunnerWorkloadContext): RunnerWorkload {
  const metadata = { name: client.name, namespace: context.namespace, labels: podLabels(context.stack, "runner", client.name) };
  const selector = { matchLabels: selectorLabels(context.stack, "runner", client.name) };
  const template = podTemplate(client, context);
  if (context.mode === "dind" && context.kubernetes.dindCache === "volumeClaim") {
    const retained = context.workloads.retainDataOnDelete ? "Retain" : "Delete";
    return {
      kind: "StatefulSet",
      args: {
        metadata,
        spec: {
          replicas: client.count,
          serviceName: client.name,
          podManagementPolicy: "Parallel",
          selector,
          template,
          persistentVolumeClaimRetentionPolicy: { whenDeleted: retained, whenScaled: "Retain" },
          volumeClaimTemplates: [
            {
              metadata: { name: DOCKER_DATA_VOLUME, labels: objectLabels(context.stack, "dind-data") },
              spec: {
                accessModes: [context.kubernetes.dindCacheAccessMode],
                storageClassName: context.kubernetes.storageClassName,
                resources: { requests: { storage: context.kubernetes.dataVolumeSize } },
              },
            },
          ],
        },
      },
    };
  }
  return { kind: "Deployment", args: { metadata, spec: { replicas: client.count, selector, template } } };
}

/** kubectl's name of a workload, e.g. `deployment/runner`. */
export function workloadRef(kind: RunnerWorkload["kind"], name: string): string {
  return `${kind.toLowerCase()}/${name}`;
}

/** Names of the DinD cache claims a StatefulSet creates for its pods (`<template>-<set>-<ordinal>`). */
export function cacheClaimNames(client: ClientSettings): string[] {
  return Array.from({ length: client.count }, (_, ordinal) => `${DOCKER_DATA_VOLUME}-${client.name}-${ordinal}`);
}
