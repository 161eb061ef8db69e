import type * as k8s from "@pulumi/kubernetes";
import type { Unwrap } from "@pulumi/pulumi";
import { PodView } from "../kubernetes-pod";
import { ResourceInput } from "../resource-input";
import { JudgedResource } from "../stack-containers";
import { StackOptIns } from "../stack-opt-ins";
import { mayBeExposed, ONLY_REGISTRY } from "./host-exposure";

type ServiceInputs = Unwrap<k8s.core.v1.ServiceArgs>;

/** A violation of a stack-wide check, on the resource it concerns. */
export interface StackViolation {
  /** URN of the exposing resource. */
  urn: string;
  /** What is wrong and what is allowed. */
  message: string;
}

interface Service {
  urn: string;
  label: string;
  name: string;
  namespace: string;
  selector: Readonly<Record<string, string>>;
  /** Why the Service itself is reachable from outside the cluster, if it is. */
  exposedAs?: string;
}

const SERVICE_TYPE = /^kubernetes:core\/v1:Service(Patch)?$/;
/** An Ingress of any API group: networking.k8s.io and extensions, or an ingress controller's own custom resource of that kind (Voyager's), which routes the same way. */
const INGRESS_TYPE = /^kubernetes:[^:]+:Ingress(Patch)?$/;

function serviceOf(resource: ResourceInput): Service | undefined {
  if (!SERVICE_TYPE.test(resource.type)) return undefined;
  const props = resource.props as ServiceInputs;
  const name = props.metadata?.name ?? resource.name;
  const type = props.spec?.type ?? "ClusterIP";
  const externalIPs = props.spec?.externalIPs ?? [];
  const exposedAs = type === "NodePort" || type === "LoadBalancer" ? `type ${type}` : externalIPs.length > 0 ? `externalIPs ${externalIPs.join(", ")}` : undefined;
  const namespace = props.metadata?.namespace ?? "default";
  return { urn: resource.urn, label: `Service ${namespace}/${name}`, name, namespace, selector: props.spec?.selector ?? {}, exposedAs };
}

/** Names of the Services an Ingress routes to (networking.k8s.io/v1 and the older v1beta1 shapes). */
function ingressBackends(props: Record<string, any>): string[] {
  const spec = props.spec ?? {};
  const backends = [spec.defaultBackend, spec.backend, ...(spec.rules ?? []).flatMap((rule: any) => (rule.http?.paths ?? []).map((p: any) => p.backend))];
  return backends.map((backend: any) => backend?.service?.name ?? backend?.serviceName).filter((name): name is string => typeof name === "string");
}

function selects(service: Service, pod: PodView): boolean {
  const wanted = Object.entries(service.selector);
  return pod.namespace === service.namespace && wanted.length > 0 && wanted.every(([key, value]) => pod.labels[key] === value);
}

/** Why what a Service sends traffic to may not be exposed; undefined when it only reaches pods with a registry that may be. */
function unexposableTargets(service: Service, pods: readonly JudgedResource[], optIns: StackOptIns): string | undefined {
  const targets = pods.filter((pod) => selects(service, pod.pod!));
  if (targets.length === 0) return "it selects no pod this stack declares";
  const open = targets.filter((pod) => !pod.containers.some((container) => mayBeExposed(container, optIns)));
  return open.length > 0 ? `it sends traffic to ${open.map((pod) => pod.pod!.label).join(", ")}` : undefined;
}

/**
 * Services reachable from outside the cluster (NodePort, LoadBalancer, externalIPs, or behind an
 * Ingress) that send traffic to anything but the pods of a registry that may be exposed.
 */
export function clusterExposureViolations(resources: readonly ResourceInput[], judged: readonly JudgedResource[], optIns: StackOptIns): StackViolation[] {
  const pods = judged.filter((resource) => resource.pod !== undefined);
  const services = resources.map(serviceOf).filter((service): service is Service => service !== undefined);
  const violations: StackViolation[] = [];
  const check = (urn: string, exposure: string, service: Service) => {
    const problem = unexposableTargets(service, pods, optIns);
    if (problem) violations.push({ urn, message: `${exposure} reaches outside the cluster and ${problem}; ${ONLY_REGISTRY} may be exposed` });
  };
  for (const service of services) {
    if (service.exposedAs) check(service.urn, `${service.label} (${service.exposedAs})`, service);
  }
  for (const ingress of resources.filter((resource) => INGRESS_TYPE.test(resource.type))) {
    const namespace = ingress.props.metadata?.namespace ?? "default";
    const label = `Ingress ${namespace}/${ingress.props.metadata?.name ?? ingress.name}`;
    for (const backend of ingressBackends(ingress.props)) {
      const service = services.find((candidate) => candidate.name === backend && candidate.namespace === namespace);
      if (service) check(ingress.urn, `${label} (to ${service.label})`, service);
      else violations.push({ urn: ingress.urn, message: `${label} routes to Service ${namespace}/${backend}, which this stack does not declare; ${ONLY_REGISTRY} may be exposed` });
    }
  }
  return violations;
}
