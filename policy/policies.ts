import { EnforcementLevel, Policies, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ContainerView } from "./container-view";
import { containersOf, judgeStack, JudgedResource } from "./stack-containers";
import { readStackOptIns, StackOptIns, stackOfUrn } from "./stack-opt-ins";
import { readTrustedImages } from "./trusted-images";
import { clusterExposureViolations } from "./checks/cluster-exposure";
import { daemonTlsViolations } from "./checks/daemon-tls";
import { dockerSocketViolations } from "./checks/docker-socket";
import { engineAdvisoryFindings, engineVersionsOf } from "./checks/engine-advisories";
import { hostNamespaceViolations } from "./checks/host-namespaces";
import { hostNetworkViolations, publishedPortViolations } from "./checks/host-exposure";
import { dockerImageReferences, imageReferenceViolations } from "./checks/image-references";
import { privilegedViolations } from "./checks/privileged";

export { containersOf } from "./stack-containers";

/** A mandatory policy that checks every container of every resource on its own, given the stack file's opt-ins. */
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

/**
 * A mandatory policy that needs the whole stack: each container's role comes from its image,
 * and a Docker container names its image by an ID whose origin only the stack view shows (the
 * image resource its `image` input comes from). Runs at the end of a preview (which `pulumi up`
 * does first), and at the end of an update.
 */
function rolePolicy(name: string, description: string, check: (resource: JudgedResource, optIns: StackOptIns) => string[]): StackValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
      if (args.resources.length === 0) return;
      const stack = stackOfUrn(args.resources[0].urn);
      const judged = judgeStack(args.resources, readTrustedImages(stack));
      const optIns = readStackOptIns(stack);
      for (const resource of judged) check(resource, optIns).forEach((message) => reportViolation(message, resource.resource.urn));
    },
  };
}

/** The engine advisories policy at one enforcement level: it reports only in stacks whose file chose that level (dindImage.advisories). */
function engineAdvisoryPolicy(name: string, enforcementLevel: EnforcementLevel, refused: boolean, consequence: string): ResourceValidationPolicy {
  return {
    name,
    description: `The Docker releases the stack builds or runs have no known security advisory (components/dind-image/advisories.ts); ${enforcementLevel} ${refused ? "where the stack file sets dind-stack:dindImage.advisories: refuse" : "by default"}.`,
    enforcementLevel,
    validateResource: (args, reportViolation) => {
      const versions = engineVersionsOf(args.type, args.name, args.props, containersOf(args));
      if (versions.length === 0 || readStackOptIns(stackOfUrn(args.urn)).refuseEngineAdvisories !== refused) return;
      engineAdvisoryFindings(versions, consequence).forEach((message) => reportViolation(message));
    },
  };
}

/** Every policy of the pack. */
export const POLICIES: Policies = [
  rolePolicy(
    "privileged-only-dind-daemons",
    "Only DinD daemons (the stack's DinD image running its daemon) run privileged or with more than a default container gets: capabilities beyond the baseline, seccomp or AppArmor off, unmasked /proc, host devices (Docker containers and Kubernetes pod templates).",
    (resource) => resource.containers.flatMap(privilegedViolations),
  ),
  containerPolicy(
    "no-host-namespaces",
    "No container shares the host's PID, IPC or user namespace (Docker pidMode/ipcMode/usernsMode host, Kubernetes hostPID/hostIPC).",
    hostNamespaceViolations,
  ),
  containerPolicy(
    "docker-socket-only-with-dood-opt-in",
    "A host's Docker socket is mounted (bind mount, volume or hostPath) only in stacks whose file sets dind-stack:workloads.allowDood: true, and only the socket itself; other runtimes' sockets (containerd, CRI-O, Podman, ...), folders that hold sockets (/run, /var/run, ...) and volumes-from never.",
    dockerSocketViolations,
  ),
  containerPolicy(
    "docker-api-over-tls",
    "The Docker API is served and reached over TCP only with TLS, unless the stack file sets dind-stack:daemon.tls: false.",
    daemonTlsViolations,
  ),
  rolePolicy(
    "host-exposure-needs-registry-auth",
    "Nothing but a registry that requires authentication (or whose stack file allows unauthenticated exposure) is published beyond loopback (Docker ports and publishAllPorts, Kubernetes hostPorts).",
    (resource, optIns) => resource.containers.flatMap((container) => publishedPortViolations(container, optIns)),
  ),
  rolePolicy(
    "host-network-needs-registry-auth",
    "Nothing but a registry that requires authentication (or whose stack file allows unauthenticated exposure) uses the host's or node's network (Docker networkMode host, Kubernetes hostNetwork).",
    hostNetworkViolations,
  ),
  {
    name: "cluster-exposure-needs-registry-auth",
    description:
      "Services reachable from outside the cluster (NodePort, LoadBalancer, externalIPs, Ingress) reach only a registry that requires authentication (or whose stack file allows unauthenticated exposure).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
      if (args.resources.length === 0) return;
      const stack = stackOfUrn(args.resources[0].urn);
      const judged = judgeStack(args.resources, readTrustedImages(stack));
      for (const violation of clusterExposureViolations(args.resources, judged, readStackOptIns(stack))) reportViolation(violation.message, violation.urn);
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
  engineAdvisoryPolicy(
    "engine-advisories",
    "advisory",
    false,
    "Advisory: set dind-stack:dindImage.dockerVersion to a fixed release; dind-stack:dindImage.advisories: refuse makes this mandatory.",
  ),
  engineAdvisoryPolicy(
    "engine-advisories-refused",
    "mandatory",
    true,
    "The stack file refuses such releases (dind-stack:dindImage.advisories: refuse): set dind-stack:dindImage.dockerVersion to a fixed release.",
  ),
];
