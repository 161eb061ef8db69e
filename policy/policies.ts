import { Policies, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { ContainerView } from "./container-view";
import { DOCKER_CONTAINER, DockerContainerInputs, dockerContainerView } from "./docker-container";
import { podViewOf } from "./kubernetes-pod";
import { ResourceInput } from "./resource-input";
import { readStackOptIns, StackOptIns, stackOfUrn } from "./stack-opt-ins";
import { daemonTlsViolations } from "./checks/daemon-tls";
import { dockerSocketViolations } from "./checks/docker-socket";
import { clusterExposureViolations, hostNetworkViolations, publishedPortViolations } from "./checks/exposure";
import { dockerImageReferences, imageReferenceViolations } from "./checks/image-references";
import { privilegedViolations } from "./checks/privileged";

/** The containers a resource declares: a Docker container, or every container of a Kubernetes pod template. */
export function containersOf(resource: ResourceInput): ContainerView[] {
  if (resource.type === DOCKER_CONTAINER) return [dockerContainerView(resource.name, resource.props as DockerContainerInputs)];
  return podViewOf(resource.type, resource.name, resource.props)?.containers ?? [];
}

/** A mandatory policy that checks every container of every resource, given the stack file's opt-ins. */
function containerPolicy(name: string, description: string, check: (container: ContainerView, optIns: StackOptIns) => string[]): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      const containers = containersOf(args);
      if (containers.length === 0) return;
      const optIns = readStackOptIns(stackOfUrn(args.urn));
      for (const container of containers) check(container, optIns).forEach((message) => reportViolation(message));
    },
  };
}

/** Every policy of the pack. */
export const POLICIES: Policies = [
  containerPolicy(
    "privileged-only-dind-daemons",
    "Only DinD daemon containers run privileged (Docker containers and Kubernetes pod templates).",
    privilegedViolations,
  ),
  containerPolicy(
    "docker-socket-only-with-dood-opt-in",
    "A Docker socket is mounted from the host (bind mount or hostPath) only in stacks whose file sets dind-stack:workloads.allowDood: true.",
    dockerSocketViolations,
  ),
  containerPolicy(
    "docker-api-over-tls",
    "DinD daemons are served and reached over TCP only with TLS, unless the stack file sets dind-stack:daemon.tls: false.",
    daemonTlsViolations,
  ),
  containerPolicy(
    "host-exposure-needs-registry-auth",
    "Nothing but a registry that requires authentication (or whose stack file allows unauthenticated exposure) is published beyond loopback (Docker ports, Kubernetes hostPorts).",
    publishedPortViolations,
  ),
  {
    name: "host-network-needs-registry-auth",
    description: "No pod but an authenticated registry's (or one whose stack file allows unauthenticated exposure) uses the node's network.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      const pod = podViewOf(args.type, args.name, args.props);
      if (pod?.hostNetwork) hostNetworkViolations(pod, readStackOptIns(stackOfUrn(args.urn))).forEach((message) => reportViolation(message));
    },
  },
  {
    name: "cluster-exposure-needs-registry-auth",
    description:
      "Services reachable from outside the cluster (NodePort, LoadBalancer, externalIPs, Ingress) reach only a registry that requires authentication (or whose stack file allows unauthenticated exposure).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
      if (args.resources.length === 0) return;
      const optIns = readStackOptIns(stackOfUrn(args.resources[0].urn));
      for (const violation of clusterExposureViolations(args.resources, optIns)) reportViolation(violation.message, violation.urn);
    },
  },
  {
    name: "pinned-image-references",
    description: "Every image reference has a tag other than latest, or a digest.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      const fromContainers = containersOf(args)
        .filter((container) => container.image !== undefined)
        .map((container) => ({ where: container.label, reference: container.image! }));
      const references = [...fromContainers, ...dockerImageReferences(args.type, args.name, args.props)];
      imageReferenceViolations(references).forEach((message) => reportViolation(message));
    },
  },
];
