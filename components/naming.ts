import { createHash } from "node:crypto";

/** Names of the Docker objects (containers, volumes, network) of one stack, so stacks never collide on a host. */
export interface ObjectNames {
  /** Common prefix, `dind-stack-<stack>`. */
  prefix: string;
  /** The stack's user-defined network. */
  network: string;
  /** The registry container. */
  registryContainer: string;
  /** The DinD daemon container. */
  daemonContainer: string;
  /** The volume holding the DinD client certificates. */
  certsVolume: string;
  /** The registry's data volume, unless the config names another. */
  registryDataVolume: string;
  /** The DinD daemon's data volume (/var/lib/docker), unless the config names another. */
  dindDataVolume: string;
  /** The volume of the read-only mirror registry (the mirror list's images). */
  mirrorDataVolume: string;
  /** The read-only mirror registry container. */
  mirrorContainer: string;
  /** The n-th (from 1) container of a client group. */
  client: (group: string, index: number) => string;
}

/** The read-only mirror registry's name on the stack's network (it serves the mirror list's images). */
export const MIRROR_ALIAS = "mirror";

/** Object names for a stack. */
export function objectNames(stack: string): ObjectNames {
  const prefix = `dind-stack-${stack}`;
  return {
    prefix,
    network: prefix,
    registryContainer: `${prefix}-registry`,
    daemonContainer: `${prefix}-docker`,
    certsVolume: `${prefix}-dind-certs`,
    registryDataVolume: `${prefix}-registry-data`,
    dindDataVolume: `${prefix}-dind-data`,
    mirrorDataVolume: `${prefix}-mirror-data`,
    mirrorContainer: `${prefix}-mirror`,
    client: (group, index) => `${prefix}-${group}-${index}`,
  };
}

/** Labels put on every Docker object of a stack, so they can be found (and cleaned up) by stack. */
export function stackLabels(stack: string, component: string): { label: string; value: string }[] {
  return [
    { label: "org.dind-stack.stack", value: stack },
    { label: "org.dind-stack.component", value: component },
  ];
}

/**
 * A resource-name part for an image reference: readable, plus a short hash of the exact
 * reference so that references differing only in punctuation (`a/b:c`, `a-b:c`) stay apart.
 * Derived from the reference alone, so reordering the config (clients, mirror entries) changes nothing.
 */
export function imageSlug(reference: string): string {
  const readable = reference.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return `${readable}-${createHash("sha256").update(reference).digest("hex").slice(0, 8)}`;
}
