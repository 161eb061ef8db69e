import { BlockList, isIPv4, isIPv6 } from "node:net";
import { JudgedContainer, JudgedResource } from "../stack-containers";
import { StackOptIns } from "../stack-opt-ins";

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** True for an address only the host itself reaches (127.0.0.0/8, ::1). */
export function isLoopback(ip: string): boolean {
  if (isIPv4(ip)) return LOOPBACK.check(ip, "ipv4");
  if (isIPv6(ip)) return LOOPBACK.check(ip, "ipv6");
  return false;
}

/** Who may be exposed, for messages. */
export const ONLY_REGISTRY =
  "only a registry whose config file (the one its command loads) requires authentication (htpasswd or token), or the registry of a stack whose file sets dind-stack:registry.allowUnauthenticatedExposure: true,";

/** True when a container may be reached from outside: a registry with authentication, or any registry when the stack file allows that. */
export function mayBeExposed(container: JudgedContainer, optIns: StackOptIns): boolean {
  return container.authenticated || (optIns.unauthenticatedRegistry && container.role?.kind === "registry");
}

/** Ports published beyond loopback (Docker ports and publishAllPorts, Kubernetes hostPorts) by a container that may not be exposed. */
export function publishedPortViolations(container: JudgedContainer, optIns: StackOptIns): string[] {
  const { view } = container;
  const exposed = view.published.filter((port) => !isLoopback(port.ip));
  if ((exposed.length === 0 && !view.publishesAllPorts) || mayBeExposed(container, optIns)) return [];
  const all = view.publishesAllPorts ? [`${view.label} publishes every port its image exposes on all host addresses (publishAllPorts); ${ONLY_REGISTRY} may be published`] : [];
  return [...all, ...exposed.map((port) => `${view.label} publishes host port ${port.port} on ${port.ip}, beyond loopback; ${ONLY_REGISTRY} may be published there`)];
}

/**
 * The host's (node's) network used by anything but registries that may be exposed: whatever
 * listens there is reachable from outside. A Docker container with networkMode host; a pod with
 * hostNetwork, where every container shares that network.
 */
export function hostNetworkViolations(resource: JudgedResource, optIns: StackOptIns): string[] {
  if (resource.pod) {
    if (!resource.pod.hostNetwork || resource.containers.every((container) => mayBeExposed(container, optIns))) return [];
    return [`${resource.pod.label} uses the node's network, which exposes whatever it listens on outside the cluster; ${ONLY_REGISTRY} may use it (every container of the pod)`];
  }
  return resource.containers
    .filter((container) => container.view.hostNetwork && !mayBeExposed(container, optIns))
    .map((container) => `${container.view.label} uses the host's network (networkMode: host), which exposes whatever it listens on beyond the host; ${ONLY_REGISTRY} may use it`);
}
