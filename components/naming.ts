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
  /** The n-th (from 1) container of a client group. */
  client: (group: string, index: number) => string;
}

/** Object names for a stack. */
export function objectNames(stack: string): ObjectNames {
  const prefix = `dind-stack-${stack}`;
  return {
    prefix,
    network: prefix,
    registryContainer: `${prefix}-registry`,
    daemonContainer: `${prefix}-docker`,
    certsVolume: `${prefix}-dind-certs`,
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
