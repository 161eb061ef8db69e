import { createHash } from "node:crypto";
import { Fields, onlyFields, onlyValues } from "../../engine/support/kubelet/fields";

/** A pod a workload controller keeps running. */
export interface ModelPod {
  /** Namespace. */
  namespace: string;
  /** Pod name. */
  name: string;
  /** The workload that owns it, e.g. `StatefulSet/runner`. */
  owner: string;
  /** The pod template it runs (a StatefulSet's claims added as volumes). */
  template: Fields;
}

/**
 * The model cluster's default StorageClass: a claim made without a class gets it, as the
 * DefaultStorageClass admission plugin sets spec.storageClassName on create (kubernetes
 * plugin/pkg/admission/storage/storageclass/setdefault); a StatefulSet's claim templates are
 * stored as given, and the claims made from them are defaulted.
 */
export const MODEL_DEFAULT_STORAGE_CLASS = "standard";

/** A volume claim: one the program declares, or one a StatefulSet made from its volumeClaimTemplates. */
export interface ModelClaim {
  /** Namespace. */
  namespace: string;
  /** Claim name. */
  name: string;
  /** The claim's spec. */
  spec: Fields;
  /** The StatefulSet whose template made it, if one did. */
  statefulSet?: string;
}

/** What the cluster does for one API call, in order: what kubelets and a storage provisioner then act out. */
export type ClusterAction =
  | { op: "create-claim"; claim: ModelClaim }
  | { op: "delete-claim"; claim: ModelClaim }
  | { op: "start-pod"; pod: ModelPod }
  | { op: "stop-pod"; pod: ModelPod }
  | { op: "rewrite-volumes"; kind: "ConfigMap" | "Secret"; namespace: string; name: string }
  | { op: "route-service"; namespace: string; name: string };

/** What a controller sees of the cluster. */
export interface ControllerView {
  /** The running pods a workload owns, oldest first. */
  podsOf(namespace: string, owner: string): ModelPod[];
  /** A volume claim, if it exists. */
  claim(namespace: string, name: string): ModelClaim | undefined;
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

const sameTemplate = (a: Fields, b: Fields) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The Deployment controller: its ReplicaSet of the current template runs `replicas` pods named
 * `<name>-<template hash>-<n>`. A changed template rolls the pods: Recreate stops every old pod
 * before the first new one starts; RollingUpdate (the default) starts one new pod, then stops
 * one old one, and so on (one surge pod at a time, which the default 25 % surge and
 * unavailability allow at any size). A changed replicas count starts pods, or stops the
 * highest-numbered ones.
 */
export function deploymentActions(namespace: string, name: string, spec: Fields, view: ControllerView): ClusterAction[] {
  onlyFields(`Deployment ${name}.spec`, spec, ["replicas", "selector", "template", "strategy"]);
  onlyFields(`Deployment ${name}.spec.strategy`, spec.strategy, ["type"]);
  onlyValues(`Deployment ${name}.spec.strategy.type`, spec.strategy?.type, ["Recreate", "RollingUpdate"], "the strategies Kubernetes has");
  checkSelector("Deployment", name, spec);
  const owner = `Deployment/${name}`;
  const hash = createHash("sha256").update(JSON.stringify(spec.template)).digest("hex").slice(0, 10);
  const replicas: number = spec.replicas ?? 1;
  const current = view.podsOf(namespace, owner);
  const old = current.filter((pod) => !sameTemplate(pod.template, spec.template));
  const kept = current.filter((pod) => !old.includes(pod));
  const taken = new Set(kept.map((pod) => pod.name));
  const fresh = (): ModelPod => {
    let index = 0;
    while (taken.has(`${name}-${hash}-${index}`)) index++;
    taken.add(`${name}-${hash}-${index}`);
    return { namespace, name: `${name}-${hash}-${index}`, owner, template: spec.template };
  };
  const actions: ClusterAction[] = [];
  const stop = (pod: ModelPod) => actions.push({ op: "stop-pod", pod });
  const start = () => actions.push({ op: "start-pod", pod: fresh() });
  if (spec.strategy?.type === "Recreate") old.splice(0).forEach(stop);
  for (let count = kept.length; count < replicas; count++) {
    start();
    const replaced = old.shift();
    if (replaced) stop(replaced);
  }
  old.forEach(stop);
  kept.slice(replicas).reverse().forEach(stop);
  return actions;
}

/** A StatefulSet's claim retention policy, with the API server's defaults (Retain, Retain). */
function retention(spec: Fields): { whenDeleted: string; whenScaled: string } {
  onlyFields("StatefulSet.spec.persistentVolumeClaimRetentionPolicy", spec.persistentVolumeClaimRetentionPolicy, ["whenDeleted", "whenScaled"]);
  return { whenDeleted: "Retain", whenScaled: "Retain", ...spec.persistentVolumeClaimRetentionPolicy };
}

/** The pod of one ordinal: `<name>-<ordinal>`, each volumeClaimTemplate mounted as its claim `<template>-<name>-<ordinal>`. */
function statefulPod(namespace: string, name: string, spec: Fields, ordinal: number): { pod: ModelPod; claims: ModelClaim[] } {
  const claims: ModelClaim[] = (spec.volumeClaimTemplates ?? []).map((template: Fields) => ({
    namespace,
    name: `${template.metadata.name}-${name}-${ordinal}`,
    spec: { ...template.spec, storageClassName: template.spec.storageClassName ?? MODEL_DEFAULT_STORAGE_CLASS },
    statefulSet: name,
  }));
  const volumes = [
    ...(spec.template.spec.volumes ?? []),
    ...claims.map((claim, index) => ({ name: spec.volumeClaimTemplates[index].metadata.name, persistentVolumeClaim: { claimName: claim.name } })),
  ];
  const template = { ...spec.template, spec: { ...spec.template.spec, volumes } };
  return { pod: { namespace, name: `${name}-${ordinal}`, owner: `StatefulSet/${name}`, template }, claims };
}

/**
 * The StatefulSet controller: pods `<name>-<ordinal>` for ordinals below `replicas`, each with
 * its claims made from the volumeClaimTemplates when they do not exist yet (an existing claim of
 * that name is used as it is, whatever the template says now). Scaling down stops the highest
 * ordinals and keeps their claims unless whenScaled is Delete; a changed template rolls the pods
 * one at a time from the highest ordinal down, each stopped before it starts again (it keeps its
 * name and claims); scaling up starts the new ordinals.
 */
export function statefulSetActions(namespace: string, name: string, spec: Fields, view: ControllerView): ClusterAction[] {
  onlyFields(`StatefulSet ${name}.spec`, spec, ["replicas", "serviceName", "selector", "template", "podManagementPolicy", "persistentVolumeClaimRetentionPolicy", "volumeClaimTemplates"]);
  onlyValues(`StatefulSet ${name}.spec.podManagementPolicy`, spec.podManagementPolicy, ["Parallel"], "pods are started one after the other anyway");
  checkSelector("StatefulSet", name, spec);
  const replicas: number = spec.replicas ?? 1;
  const current = view.podsOf(namespace, `StatefulSet/${name}`);
  const ordinalOf = (pod: ModelPod) => Number(pod.name.slice(name.length + 1));
  const actions: ClusterAction[] = [];
  for (const pod of [...current].sort((a, b) => ordinalOf(b) - ordinalOf(a))) {
    const ordinal = ordinalOf(pod);
    const wanted = statefulPod(namespace, name, spec, ordinal);
    if (ordinal >= replicas) {
      actions.push({ op: "stop-pod", pod });
      if (retention(spec).whenScaled === "Delete") actions.push(...wanted.claims.filter((claim) => view.claim(namespace, claim.name)).map((claim) => ({ op: "delete-claim" as const, claim })));
    } else if (!sameTemplate(pod.template, wanted.pod.template)) {
      actions.push({ op: "stop-pod", pod }, { op: "start-pod", pod: wanted.pod });
    }
  }
  const running = new Set(current.map(ordinalOf));
  for (let ordinal = 0; ordinal < replicas; ordinal++) {
    if (running.has(ordinal)) continue;
    const wanted = statefulPod(namespace, name, spec, ordinal);
    actions.push(...wanted.claims.filter((claim) => !view.claim(namespace, claim.name)).map((claim) => ({ op: "create-claim" as const, claim })));
    actions.push({ op: "start-pod", pod: wanted.pod });
  }
  return actions;
}

/** What deleting a workload does: its pods stop; a StatefulSet's claims go too when its whenDeleted policy says Delete. */
export function workloadDeletion(kind: "Deployment" | "StatefulSet", namespace: string, name: string, spec: Fields, view: ControllerView, claims: ModelClaim[]): ClusterAction[] {
  const actions: ClusterAction[] = view.podsOf(namespace, `${kind}/${name}`).map((pod) => ({ op: "stop-pod", pod }));
  if (kind === "StatefulSet" && retention(spec).whenDeleted === "Delete") {
    actions.push(...claims.filter((claim) => claim.namespace === namespace && claim.statefulSet === name).map((claim) => ({ op: "delete-claim" as const, claim })));
  }
  return actions;
}
