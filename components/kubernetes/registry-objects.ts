import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { secret as pulumiSecret } from "@pulumi/pulumi/output";
import { KubernetesSettings, RegistrySettings } from "../config/schema";
import { REGISTRY_CONTAINER_PORT } from "../registry/addresses";
import { objectLabels, podLabels, roleLabels, selectorLabels } from "./labels";
import { RegistryRefs, registryPodSpec } from "./registry-pod";

/** The registry's address inside the cluster: its Service, which resolves from every namespace (the name the runners push to). */
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
  refs: RegistryRefs;
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

/**
 * The registry as a one-replica Deployment; Recreate, since its ReadWriteOnce claim cannot be
 * mounted by two pods on different nodes. Its pod template names the config Secret, whose name
 * changes with its content (see registryConfigSecretArgs): registry:2 reads config.yml and
 * htpasswd only when it starts, so a rotated password or a changed setting rolls the pod.
 */
export function registryDeploymentArgs(context: RegistryObjectsContext): k8s.apps.v1.DeploymentArgs {
  return {
    metadata: { name: "registry", namespace: context.namespace, labels: podLabels(context.stack, "registry") },
    spec: {
      replicas: 1,
      strategy: { type: "Recreate" },
      selector: { matchLabels: selectorLabels(context.stack, "registry") },
      template: {
        metadata: { labels: podLabels(context.stack, "registry") },
        spec: registryPodSpec(context.settings, context.kubernetes, context.refs),
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
      ports: [{ name: context.kubernetes.registryTls ? "https" : "http", port: REGISTRY_CONTAINER_PORT, targetPort: "http", protocol: "TCP" }],
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

/**
 * The registry's config Secret: immutable and without a name, so pulumi-kubernetes names it
 * `<resource name>-<random suffix>` (provider.go `Check`, metadata/naming.go), and a change of
 * its content replaces it, create first, by one of a new name (an immutable Secret's data
 * forces a replacement even with enableSecretMutable, provider/pkg/provider/diff.go; the
 * engine runs Check again for the replacement with a fresh random seed, pulumi
 * pkg/resource/deploy/step_generator.go).
 */
export function registryConfigSecretArgs(stack: string, namespace: pulumi.Input<string>, data: Record<string, pulumi.Input<string>>): k8s.core.v1.SecretArgs {
  return { ...secretArgs(stack, "registry", namespace, undefined, data), immutable: true };
}

/** An Opaque Secret (its values stay Pulumi secrets); without a name, pulumi-kubernetes names it. */
export function secretArgs(stack: string, component: string, namespace: pulumi.Input<string>, name: string | undefined, data: Record<string, pulumi.Input<string>>): k8s.core.v1.SecretArgs {
  const stringData = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, pulumiSecret(value)]));
  return { metadata: { name, namespace, labels: objectLabels(stack, component) }, type: "Opaque", stringData };
}
