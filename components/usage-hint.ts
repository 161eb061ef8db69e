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
  const inClient = facts.firstClient
    ? `docker exec -it ${facts.firstClient} sh -c 'docker build -t ${facts.pushRegistry}/app . && docker push ${facts.pushRegistry}/app'`
    : `add a client under workloads.clients and push to ${facts.pushRegistry}`;
  const daemon = facts.mode === "dind" ? "its own DinD daemon (TLS)" : "the host daemon (DooD)";
  return `${inClient}  # builds on ${daemon}; then pull ${facts.registryHostAddress}/app from the host`;
}
