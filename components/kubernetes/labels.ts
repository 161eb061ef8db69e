import { objectNames, stackLabels } from "../naming";

/** The parts of the system that run as pods. */
export type PodRole = "registry" | "runner";

/** Labels a workload's selector matches on: the recommended app.kubernetes.io labels that never change for its pods. */
export function selectorLabels(stack: string, role: PodRole, group?: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": role === "registry" ? "registry" : "dind-runner",
    ...roleLabels(stack, role),
    ...(group ? { "org.dind-stack.client": group } : {}),
  };
}

/** Labels every pod of a role carries, whatever its group: what a NetworkPolicy selects a role by. */
export function roleLabels(stack: string, role: PodRole): Record<string, string> {
  return { "app.kubernetes.io/instance": objectNames(stack).prefix, "app.kubernetes.io/component": role };
}

/**
 * Labels of every object of the stack: the recommended app.kubernetes.io labels plus the
 * stack labels the Docker target puts on its objects (so one query finds a stack's objects
 * on either target).
 */
export function objectLabels(stack: string, component: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "app.kubernetes.io/part-of": "dind-stack",
    "app.kubernetes.io/managed-by": "pulumi",
    ...Object.fromEntries(stackLabels(stack, component).map((entry) => [entry.label, entry.value])),
    ...extra,
  };
}

/** Labels of a pod (and of its workload): the selector labels plus the stack labels. */
export function podLabels(stack: string, role: PodRole, group?: string): Record<string, string> {
  return objectLabels(stack, role, selectorLabels(stack, role, group));
}

/** The namespaces of a stack: the configured names, else `dind-stack-<stack>-registry` and `-runners`. */
export function namespaceNames(stack: string, configured: { registry?: string; runners?: string }): { registry: string; runners: string } {
  const prefix = objectNames(stack).prefix;
  return { registry: configured.registry ?? `${prefix}-registry`, runners: configured.runners ?? `${prefix}-runners` };
}
