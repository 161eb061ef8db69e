import { engine } from "../engine";
import { Fields, onlyFields } from "./fields";

/** Kubernetes' name (kubernetes.io/arch) of the engine's architecture, as `docker info` reports it (Go's or uname's). */
const ARCH: Readonly<Record<string, string>> = { x86_64: "amd64", amd64: "amd64", aarch64: "arm64", arm64: "arm64" };

/**
 * The labels of the one node the harness has, as a kubelet registers them: kubernetes.io/os,
 * kubernetes.io/arch and kubernetes.io/hostname, read off the engine. It has no taints.
 */
export async function nodeLabels(): Promise<Record<string, string>> {
  const info = (await engine.info()) as { OSType: string; Architecture: string; Name: string };
  return { "kubernetes.io/os": info.OSType, "kubernetes.io/arch": ARCH[info.Architecture] ?? info.Architecture, "kubernetes.io/hostname": info.Name };
}

/** Does a node selector requirement (matchExpressions entry) hold for these labels? */
function requirementHolds(requirement: Fields, labels: Record<string, string>): boolean {
  onlyFields("nodeSelectorRequirement", requirement, ["key", "operator", "values"]);
  const value = labels[requirement.key];
  const values: string[] = requirement.values ?? [];
  switch (requirement.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt":
      return value !== undefined && (requirement.operator === "Gt" ? Number(value) > Number(values[0]) : Number(value) < Number(values[0]));
    default:
      throw new Error(`kubelet: node selector operator ${requirement.operator} is not realized`);
  }
}

/**
 * The scheduler's decision for a pod on the harness's one node: its nodeSelector and its required
 * node affinity (any term whose expressions all hold) must match the node's labels, else the pod
 * stays Pending, with the scheduler's message. The node has no taints, so any tolerations are
 * fine (their fields are checked); preferred affinity, pod affinity and anti-affinity are not
 * realized and fail by name.
 */
export function checkSchedulable(where: string, spec: Fields, labels: Record<string, string>): void {
  for (const [index, toleration] of (spec.tolerations ?? []).entries()) onlyFields(`${where}.spec.tolerations[${index}]`, toleration, ["key", "operator", "value", "effect", "tolerationSeconds"]);
  onlyFields(`${where}.spec.affinity`, spec.affinity, ["nodeAffinity"]);
  onlyFields(`${where}.spec.affinity.nodeAffinity`, spec.affinity?.nodeAffinity, ["requiredDuringSchedulingIgnoredDuringExecution"]);
  const terms: Fields[] = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) onlyFields(`${where}.spec.affinity...nodeSelectorTerms[]`, term, ["matchExpressions"]);
  const selected = Object.entries<string>(spec.nodeSelector ?? {}).every(([key, value]) => labels[key] === value);
  const affine = terms.length === 0 || terms.some((term) => (term.matchExpressions ?? []).every((requirement: Fields) => requirementHolds(requirement, labels)));
  if (!selected || !affine) {
    throw new Error(`kubelet: ${where} is Pending: 0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector (the node's labels: ${JSON.stringify(labels)})`);
  }
}
