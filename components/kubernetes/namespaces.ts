import * as k8s from "@pulumi/kubernetes";
import { objectLabels } from "./labels";
import { PodSecurityLevel, podSecurityLabels } from "./pod-security";

/**
 * The level the runners' namespace enforces: privileged when a pod needs it (a privileged
 * DinD daemon, or DooD's hostPath socket), baseline when a sandboxing runtime (e.g.
 * sysbox-runc) runs the daemon without privilege.
 */
export function runnerNamespaceLevel(mode: "dind" | "dood", runtimeClassName: string | undefined): PodSecurityLevel {
  return mode === "dind" && runtimeClassName ? "baseline" : "privileged";
}

/** A namespace of the stack that enforces a Pod Security level. */
export function namespaceArgs(stack: string, name: string, role: "registry" | "runners", level: PodSecurityLevel): k8s.core.v1.NamespaceArgs {
  return { metadata: { name, labels: { ...objectLabels(stack, `${role}-namespace`), ...podSecurityLabels(level) } } };
}
