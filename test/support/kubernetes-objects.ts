import { enforcedLevel, PlainPodSpec, POD_SECURITY_LEVELS, podSecurityViolations, PodSecurityLevel } from "../../components/kubernetes/pod-security";
import { fakeRealize, Realize, RecordedResource } from "./run-program";

/** Type tokens of the Kubernetes objects the program declares. */
export const K8S = {
  namespace: "kubernetes:core/v1:Namespace",
  namespacePatch: "kubernetes:core/v1:NamespacePatch",
  secret: "kubernetes:core/v1:Secret",
  configMap: "kubernetes:core/v1:ConfigMap",
  claim: "kubernetes:core/v1:PersistentVolumeClaim",
  service: "kubernetes:core/v1:Service",
  deployment: "kubernetes:apps/v1:Deployment",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  podDisruptionBudget: "kubernetes:policy/v1:PodDisruptionBudget",
} as const;

/** Every Kubernetes object of a run. */
export function kubernetesObjects(resources: RecordedResource[]): RecordedResource[] {
  return resources.filter((resource) => resource.type.startsWith("kubernetes:"));
}

/** A workload's pod template, with the namespace the pods run in. */
export interface PodTemplate {
  /** Workload name. */
  workload: string;
  /** Namespace. */
  namespace: string;
  /** Pod labels. */
  labels: Record<string, string>;
  /** Pod annotations. */
  annotations: Record<string, string>;
  /** Pod spec. */
  spec: PlainPodSpec & Record<string, any>;
}

/** The pod templates of every Deployment and StatefulSet. */
export function podTemplates(resources: RecordedResource[]): PodTemplate[] {
  return resources
    .filter((resource) => resource.type === K8S.deployment || resource.type === K8S.statefulSet)
    .map((resource) => ({
      workload: resource.inputs.metadata.name,
      namespace: resource.inputs.metadata.namespace,
      labels: resource.inputs.spec.template.metadata.labels,
      annotations: resource.inputs.spec.template.metadata.annotations ?? {},
      spec: resource.inputs.spec.template.spec,
    }));
}

/** The namespaces the program declares (Namespaces of its own, and NamespacePatches of namespaces it uses). */
function namespaceResources(resources: RecordedResource[]): RecordedResource[] {
  return resources.filter((resource) => resource.type === K8S.namespace || resource.type === K8S.namespacePatch);
}

/** The labels the program gives a namespace (the API server adds kubernetes.io/metadata.name to every namespace). */
export function namespaceLabels(resources: RecordedResource[], name: string): Record<string, string> {
  const namespace = namespaceResources(resources).find((resource) => resource.inputs.metadata.name === name);
  if (!namespace) throw new Error(`no namespace ${name}`);
  return { ...namespace.inputs.metadata.labels, "kubernetes.io/metadata.name": name };
}

/** True when a matchLabels selector selects these labels. */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** Per namespace: the level it enforces, why its pods would be refused there (none, when admitted), and at the next stricter level. */
export function admission(resources: RecordedResource[]): Record<string, { level: PodSecurityLevel; refused: string[]; refusedIfStricter: string[] | undefined }> {
  const report: Record<string, { level: PodSecurityLevel; refused: string[]; refusedIfStricter: string[] | undefined }> = {};
  for (const namespace of namespaceResources(resources).map((resource) => resource.inputs.metadata.name as string)) {
    const level = enforcedLevel(namespaceLabels(resources, namespace));
    const stricter = POD_SECURITY_LEVELS[POD_SECURITY_LEVELS.indexOf(level) + 1];
    const pods = podTemplates(resources).filter((pod) => pod.namespace === namespace);
    const violations = (at: PodSecurityLevel) => pods.flatMap((pod) => podSecurityViolations(at, pod.spec, pod.annotations).map((text) => `${pod.workload}: ${text}`));
    report[namespace] = { level, refused: violations(level), refusedIfStricter: stricter && violations(stricter) };
  }
  return report;
}

/** The mocked provider, plus what the API server gives a Service: its cluster IP. */
export function withClusterIp(clusterIp: string): Realize {
  return async (resource) => {
    const realized = await fakeRealize(resource);
    if (resource.type === K8S.service) realized.state = { ...realized.state, spec: { ...realized.state.spec, clusterIP: clusterIp } };
    return realized;
  };
}
