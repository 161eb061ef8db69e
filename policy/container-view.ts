/** A port a container publishes on a host (Docker host or Kubernetes node). */
export interface PublishedPort {
  /** The host address it listens on; 0.0.0.0 when none is given. */
  ip: string;
  /** The host port. */
  port: number;
}

/** One container as the checks see it, whichever target (Docker or Kubernetes) declares it. */
export interface ContainerView {
  /** How messages name it, e.g. `container dind-stack-ci-docker` or `Deployment ci/runner, container dind`. */
  label: string;
  /** Image reference, when one is given; read lazily, as it may be unknown during a preview. */
  readonly image?: string;
  /** True when the container runs privileged. */
  privileged: boolean;
  /** Environment variables; the value is undefined when it comes from a Secret or ConfigMap. */
  env: ReadonlyMap<string, string | undefined>;
  /** Entrypoint (Docker) or command (Kubernetes) followed by the arguments, in order. */
  command: string[];
  /** Host paths mounted into the container. */
  hostMounts: string[];
  /** Ports published on the host. */
  published: PublishedPort[];
}

/** Address Docker and Kubernetes use when a published port names none. */
export const ALL_ADDRESSES = "0.0.0.0";

const DAEMON_BINARIES = new Set(["dockerd", "dockerd-entrypoint.sh", "dind-entrypoint.sh"]);

/**
 * True for a DinD daemon container: it runs dockerd (directly or through a DinD entrypoint), or it
 * sets DOCKER_TLS_CERTDIR, the DinD entrypoint's TLS switch, and is not itself a client of a daemon.
 */
export function isDindDaemon(container: ContainerView): boolean {
  if (container.env.has("DOCKER_HOST")) return false;
  const program = container.command[0]?.split("/").pop() ?? "";
  return DAEMON_BINARIES.has(program) || container.env.has("DOCKER_TLS_CERTDIR");
}

/** True for a registry (distribution) that requires authentication: REGISTRY_AUTH is htpasswd or token. */
export function isAuthenticatedRegistry(container: ContainerView): boolean {
  const auth = container.env.get("REGISTRY_AUTH");
  return auth === "htpasswd" || auth === "token";
}
