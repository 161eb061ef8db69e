import { createHash } from "node:crypto";
import { Fields, onlyFields, onlyValues } from "./fields";

/** One pod a workload controller would create: its name, template and the claims it needs. */
export interface PodPlan {
  /** Pod name. */
  name: string;
  /** The pod template (with the StatefulSet's claim volumes added). */
  template: Fields;
  /** Volume claims to create for this pod (StatefulSet volumeClaimTemplates). */
  claims: { name: string; spec: Fields }[];
}

/** The API server's check that a workload's selector selects its own pod template. */
function checkSelector(kind: string, name: string, spec: Fields): void {
  onlyFields(`${kind} ${name}.spec.selector`, spec.selector, ["matchLabels"]);
  const labels: Record<string, string> = spec.template?.metadata?.labels ?? {};
  const mismatched = Object.entries<string>(spec.selector?.matchLabels ?? {}).filter(([key, value]) => labels[key] !== value);
  if (!spec.selector?.matchLabels || mismatched.length > 0) {
    throw new Error(`kubelet: ${kind} ${name} is invalid: spec.template.metadata.labels: \`selector\` does not match template \`labels\` (${mismatched.map(([key]) => key).join(", ") || "no selector"})`);
  }
}

/** The pods a Deployment's ReplicaSet creates: `<name>-<template hash>-<n>`. */
export function deploymentPods(name: string, spec: Fields): PodPlan[] {
  onlyFields(`Deployment ${name}.spec`, spec, ["replicas", "selector", "template", "strategy"]);
  onlyFields(`Deployment ${name}.spec.strategy`, spec.strategy, ["type"]);
  checkSelector("Deployment", name, spec);
  const hash = createHash("sha256").update(JSON.stringify(spec.template)).digest("hex").slice(0, 10);
  return Array.from({ length: spec.replicas ?? 1 }, (_, index) => ({ name: `${name}-${hash}-${index}`, template: spec.template, claims: [] }));
}

/** The pods of a StatefulSet (`<name>-<ordinal>`), each with its claims `<template>-<name>-<ordinal>` mounted as the template's volumes. */
export function statefulSetPods(name: string, spec: Fields): PodPlan[] {
  onlyFields(`StatefulSet ${name}.spec`, spec, ["replicas", "selector", "template", "podManagementPolicy", "persistentVolumeClaimRetentionPolicy", "volumeClaimTemplates"]);
  onlyValues(`StatefulSet ${name}.spec.podManagementPolicy`, spec.podManagementPolicy, ["Parallel"], "pods are started one after the other anyway");
  checkSelector("StatefulSet", name, spec);
  return Array.from({ length: spec.replicas ?? 1 }, (_, ordinal) => {
    const claims = (spec.volumeClaimTemplates ?? []).map((template: Fields) => ({ name: `${template.metadata.name}-${name}-${ordinal}`, template: template.metadata.name, spec: template.spec }));
    const volumes = [
      ...(spec.template.spec.volumes ?? []),
      ...claims.map((claim: { name: string; template: string }) => ({ name: claim.template, persistentVolumeClaim: { claimName: claim.name } })),
    ];
    return { name: `${name}-${ordinal}`, template: { ...spec.template, spec: { ...spec.template.spec, volumes } }, claims };
  });
}
