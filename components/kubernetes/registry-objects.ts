import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesSettings, RegistrySettings } from "../config/schema";
import { REGISTRY_CONTAINER_PORT } from "../registry/addresses";
import { objectLabels, podLabels, roleLabels, selectorLabels } from "./labels";
import { registryPodSpec } from "./registry-pod";

/** The registry's address inside the cluster: its Service, which resolves from every namespace. */
export function registryClusterAddress(alias: string, namespace: string): string {
  return `${alias}.${namespace}.svc:${REGISTRY_CONTAINER_PORT}`;
}

/** What the registry's objects need to know. */
export interface RegistryObjectsContext {
  /** Stack name, for labels. */
  stack: string;
  /** The registry's namespace (the Namespace resource's name, so objects wait for it). */
  namespace: pulumi.Input<string>;
  /** The runners' namespace, whose runner pods may reach the registry. */
  runnersNamespace: pulumi.Input<string>;
  /** Validated registry settings. */
  settings: RegistrySettings;
  /** Validated Kubernetes settings. */
  kubernetes: KubernetesSettings;
  /** Names of the claim and the config Secret the pod uses. */
  refs: { claim: string; configSecret: string };
}

/** The registry's data volume claim (ReadWriteOnce, storage class and size from the config). */
export function registryClaimArgs(context: RegistryObjectsContext): k8s.core.v1.PersistentVolumeClaimArgs {
  return {
    metadata: { name: context.refs.claim, namespace: context.namespace, labels: objectLabels(context.stack, "registry-data") },
    spec: {
      accessModes: ["ReadWriteOnce"],
      storageClassName: context.kubernetes.storageClassName,
      resources: { requests: { storage: context.kubernetes.registryStorageSize } },
    },
  };
}

/** Annotation of the registry's pod template that changes with its config Secret (see secretRolloutDigest). */
const REGISTRY_CONFIG_DIGEST_ANNOTATION = "org.dind-stack.registry-config-digest";

/**
 * The registry as a one-replica Deployment; Recreate, since its ReadWriteOnce claim cannot be
 * mounted by two pods on different nodes. `configDigest` (of its config Secret) is on the pod
 * template: registry:2 reads config.yml and htpasswd only when it starts, so a rotated password
 * or a changed setting must roll the pod.
 */
export function registryDeploymentArgs(context: RegistryObjectsContext, configDigest: pulumi.Input<string>): k8s.apps.v1.DeploymentArgs {
  return {
    metadata: { name: "registry", namespace: context.namespace, labels: podLabels(context.stack, "registry") },
    spec: {
      replicas: 1,
      strategy: { type: "Recreate" },
      selector: { matchLabels: selectorLabels(context.stack, "registry") },
      template: {
        metadata: { labels: podLabels(context.stack, "registry"), annotations: { [REGISTRY_CONFIG_DIGEST_ANNOTATION]: configDigest } },
        spec: registryPodSpec(context.settings, context.kubernetes.resources.registry, context.refs),
      },
    },
  };
}

/** The registry's Service on port 5000, named after registry.alias. */
export function registryServiceArgs(context: RegistryObjectsContext): k8s.core.v1.ServiceArgs {
  return {
    metadata: { name: context.settings.alias, namespace: context.namespace, labels: objectLabels(context.stack, "registry") },
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(context.stack, "registry"),
      ports: [{ name: "http", port: REGISTRY_CONTAINER_PORT, targetPort: "http", protocol: "TCP" }],
    },
  };
}

/**
 * Admits only the stack's runner pods (and, for DooD, the nodes whose Docker Engine pushes)
 * to the registry's port; everything else that tries to reach the registry pod is dropped.
 */
export function registryNetworkPolicyArgs(context: RegistryObjectsContext): k8s.networking.v1.NetworkPolicyArgs {
  const runnerPods = {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": context.runnersNamespace } },
    podSelector: { matchLabels: roleLabels(context.stack, "runner") },
  };
  return {
    metadata: { name: "registry-ingress", namespace: context.namespace, labels: objectLabels(context.stack, "registry") },
    spec: {
      podSelector: { matchLabels: selectorLabels(context.stack, "registry") },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [runnerPods, ...context.kubernetes.nodeCidrs.map((cidr) => ({ ipBlock: { cidr } }))],
          ports: [{ port: REGISTRY_CONTAINER_PORT, protocol: "TCP" }],
        },
      ],
    },
  };
}

/** An Opaque Secret (its values stay Pulumi secrets). */
export function secretArgs(stack: string, component: string, namespace: pulumi.Input<string>, name: string, data: Record<string, pulumi.Input<string>>): k8s.core.v1.SecretArgs {
  const stringData = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, pulumi.secret(value)]));
  return { metadata: { name, namespace, labels: objectLabels(stack, component) }, type: "Opaque", stringData };
}
