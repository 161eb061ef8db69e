/** What the one-line usage hint needs to know. */
export interface UsageFacts {
  /** The stack's mode. */
  mode: "dind" | "dood";
  /** First client container's name, if there is a client. */
  firstClient?: string;
  /** Registry address clients push to. */
  pushRegistry: string;
  /** Registry address on the host. */
  registryHostAddress: string;
}

/** A one-line hint on how to use a deployed stack. */
export function usageHint(facts: UsageFacts): string {
  const daemon = facts.mode === "dind" ? "the stack's DinD daemon (TLS)" : "the host daemon (DooD)";
  if (!facts.firstClient) return `no client containers: add one under workloads.clients; it would build on ${daemon} and push to ${facts.pushRegistry}`;
  return (
    `docker exec -it ${facts.firstClient} sh, then in a checkout: docker build -t ${facts.pushRegistry}/app . && docker push ${facts.pushRegistry}/app ` +
    `(builds on ${daemon}); on the host: docker pull ${facts.registryHostAddress}/app`
  );
}
