import { BlockList, isIPv6 } from "node:net";
import { selects } from "./kubernetes-objects";

/** A NetworkPolicy's spec, as rendered. */
type PolicySpec = Record<string, any>;

/** Where a connection from a pod goes: an address and port, and the pod there when it is one. */
export interface Destination {
  /** IPv4 or IPv6 address (after a Service's address is translated to a pod's). */
  ip: string;
  /** Port. */
  port: number;
  /** TCP or UDP. */
  protocol: "TCP" | "UDP";
  /** The destination pod's namespace labels and pod labels, when the address is a pod's. */
  pod?: { namespaceLabels: Record<string, string>; labels: Record<string, string> };
}

function inBlock(ip: string, block: { cidr: string; except?: string[] }): boolean {
  const within = (cidr: string) => {
    const [network, prefix] = cidr.split("/");
    const list = new BlockList();
    const family = isIPv6(network) ? "ipv6" : "ipv4";
    list.addSubnet(network, Number(prefix), family);
    return (isIPv6(ip) ? "ipv6" : "ipv4") === family && list.check(ip, family);
  };
  return within(block.cidr) && !(block.except ?? []).some(within);
}

function peerMatches(peer: Record<string, any>, destination: Destination): boolean {
  if (peer.ipBlock) return inBlock(destination.ip, peer.ipBlock);
  if (!destination.pod) return false;
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector.matchLabels ?? {}, destination.pod.namespaceLabels) : true;
  const podOk = peer.podSelector ? selects(peer.podSelector.matchLabels ?? {}, destination.pod.labels) : true;
  return namespaceOk && podOk;
}

function portMatches(entry: Record<string, any>, destination: Destination): boolean {
  if ((entry.protocol ?? "TCP") !== destination.protocol) return false;
  if (entry.port === undefined) return true;
  return destination.port >= entry.port && destination.port <= (entry.endPort ?? entry.port);
}

/** Whether the policies of one direction that select a pod (none: everything is allowed) have a rule for this port and peer. */
function allowedBy(direction: "Egress" | "Ingress", policies: PolicySpec[], podLabels: Record<string, string>, peer: Destination): boolean {
  const [rules, peers] = direction === "Egress" ? ["egress", "to"] : ["ingress", "from"];
  // Without policyTypes, the API takes Ingress, and Egress when the policy has egress rules.
  const typesOf = (policy: PolicySpec) => policy.policyTypes ?? ["Ingress", ...(policy.egress ? ["Egress"] : [])];
  const selecting = policies.filter((policy) => typesOf(policy).includes(direction) && selects(policy.podSelector.matchLabels ?? {}, podLabels));
  if (selecting.length === 0) return true;
  return selecting.some((policy) =>
    (policy[rules] ?? []).some(
      (rule: Record<string, any>) =>
        (!rule.ports?.length || rule.ports.some((entry: Record<string, any>) => portMatches(entry, peer))) &&
        (!rule[peers]?.length || rule[peers].some((candidate: Record<string, any>) => peerMatches(candidate, peer))),
    ),
  );
}

/**
 * Whether the NetworkPolicies of a pod's namespace let it open a connection to `destination`,
 * as the NetworkPolicy API defines egress: a pod no Egress policy selects may go anywhere;
 * otherwise some rule of a policy that selects it must allow the port (no ports: every port)
 * and the peer (no `to`: every destination); an ipBlock matches its CIDR less its `except`.
 */
export function egressAllowed(policies: PolicySpec[], podLabels: Record<string, string>, destination: Destination): boolean {
  return allowedBy("Egress", policies, podLabels, destination);
}

/**
 * Whether the NetworkPolicies of a pod's namespace admit a connection to it, as the NetworkPolicy
 * API defines ingress: the same rules as egressAllowed, with `from` naming the connecting address
 * (and pod) and the port it connects to on the selected pod.
 */
export function ingressAllowed(policies: PolicySpec[], podLabels: Record<string, string>, from: Destination): boolean {
  return allowedBy("Ingress", policies, podLabels, from);
}
