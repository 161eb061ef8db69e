/** What the one-line usage hint of a cluster stack needs to know. */
export interface ClusterUsageFacts {
  /** The stack's mode. */
  mode: "dind" | "dood";
  /** kubeconfig context, when configured. */
  context?: string;
  /** The runners' namespace. */
  namespace: string;
  /** kubectl name of the first runner workload, if any. */
  firstWorkload?: string;
  /** Job container name. */
  container: string;
  /** Registry address pushes go to. */
  pushRegistry: string;
}

/** A one-line hint on how to use a stack deployed on a cluster: the kubectl exec that opens a build shell. */
export function clusterUsageHint(facts: ClusterUsageFacts): string {
  const daemon = facts.mode === "dind" ? "the pod's DinD sidecar, over TLS on localhost" : "the node's Docker Engine (DooD)";
  if (!facts.firstWorkload) return `no runners: add one under workloads.clients; it would build on ${daemon} and push to ${facts.pushRegistry}`;
  const kubectl = `kubectl${facts.context ? ` --context ${facts.context}` : ""} -n ${facts.namespace}`;
  return (
    `${kubectl} exec -it ${facts.firstWorkload} -c ${facts.container} -- sh, then in a checkout: ` +
    `docker build -t ${facts.pushRegistry}/app . && docker push ${facts.pushRegistry}/app (builds on ${daemon})`
  );
}
