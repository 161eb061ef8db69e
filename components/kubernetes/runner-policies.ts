import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClientSettings, KubernetesSettings } from "../config/schema";
import { objectLabels, roleLabels, selectorLabels } from "./labels";

/** DNS over UDP and TCP. */
const DNS_PORTS = [
  { port: 53, protocol: "UDP" },
  { port: 53, protocol: "TCP" },
];

/** Every address of one family, and the config's denied ranges of that family. */
function allowedRange(cidr: string, denied: readonly string[]): k8s.types.input.networking.v1.NetworkPolicyPeer {
  const ipv6 = cidr.includes(":");
  const except = denied.filter((range) => range.includes(":") === ipv6);
  return { ipBlock: { cidr, ...(except.length > 0 ? { except } : {}) } };
}

/**
 * The runner pods' egress: DNS (port 53) anywhere, so a node-local DNS cache on a link-local
 * address keeps answering; everything else to every address but the denied ranges (by default
 * link-local, where clouds serve the node's credentials at 169.254.169.254, and AWS's IPv6
 * metadata address). The registry is a pod address, so it stays reachable. Enforced where the
 * CNI enforces NetworkPolicy (egress ipBlock rules apply to pod and Service traffic after the
 * Service's address is translated to a pod's).
 */
export function runnerEgressPolicyArgs(stack: string, namespace: pulumi.Input<string>, kubernetes: KubernetesSettings): k8s.networking.v1.NetworkPolicyArgs {
  const denied = kubernetes.runnerEgress.deniedCidrs;
  return {
    metadata: { name: "runners-egress", namespace, labels: objectLabels(stack, "runner") },
    spec: {
      podSelector: { matchLabels: roleLabels(stack, "runner") },
      policyTypes: ["Egress"],
      egress: [{ ports: DNS_PORTS }, { to: [allowedRange("0.0.0.0/0", denied), allowedRange("::/0", denied)] }],
    },
  };
}

/** Pod annotations that keep the cluster autoscaler and Karpenter from evicting a runner pod to consolidate nodes. */
export const DO_NOT_EVICT_ANNOTATIONS: Readonly<Record<string, string>> = {
  "cluster-autoscaler.kubernetes.io/safe-to-evict": "false",
  "karpenter.sh/do-not-disrupt": "true",
};

/**
 * A client group's PodDisruptionBudget: a node drain (the Eviction API) may take at most
 * kubernetes.runnerDisruption.maxUnavailable of its pods at once; with 0, none until an operator
 * scales the group down, so no running build is killed by a drain.
 */
export function runnerDisruptionBudgetArgs(stack: string, namespace: pulumi.Input<string>, client: ClientSettings, kubernetes: KubernetesSettings): k8s.policy.v1.PodDisruptionBudgetArgs {
  return {
    metadata: { name: client.name, namespace, labels: objectLabels(stack, "runner") },
    spec: { maxUnavailable: kubernetes.runnerDisruption.maxUnavailable, selector: { matchLabels: selectorLabels(stack, "runner", client.name) } },
  };
}

/**
 * The headless Service that governs a client group's StatefulSet (its `serviceName`): each pod
 * gets a DNS name `<pod>.<group>.<namespace>.svc`. No ports: the runners' NetworkPolicy admits
 * no connection to them anyway.
 */
export function runnerHeadlessServiceArgs(stack: string, namespace: pulumi.Input<string>, client: ClientSettings): k8s.core.v1.ServiceArgs {
  return {
    metadata: { name: client.name, namespace, labels: objectLabels(stack, "runner") },
    spec: { clusterIP: "None", selector: selectorLabels(stack, "runner", client.name) },
  };
}
