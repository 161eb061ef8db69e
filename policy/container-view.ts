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
  /**
   * Configuration files the container is given (Docker uploads), parsed as YAML; read lazily, as
   * their content may be unknown during a preview. Files that are not a YAML mapping are left out.
   */
  readonly configFiles: Record<string, unknown>[];
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

/** Distribution's configuration among the container's files: a mapping with `storage` and `http`. */
function registryConfigs(container: ContainerView): Record<string, unknown>[] {
  return container.configFiles.filter((file) => "storage" in file && "http" in file);
}

/** True when an image reference names distribution's image (`registry`, from Docker Hub or a mirror of it). */
function isRegistryImage(reference: string | undefined): boolean {
  const path = reference?.split("@")[0].replace(/:[^:/]*$/, "") ?? "";
  return path.split("/").pop() === "registry";
}

/** True for a registry (distribution): its image, REGISTRY_* variables, or a registry config file say so. */
export function isRegistry(container: ContainerView): boolean {
  return (
    isRegistryImage(container.image) || [...container.env.keys()].some((name) => name.startsWith("REGISTRY_")) || registryConfigs(container).length > 0
  );
}

const REAL_AUTH = ["htpasswd", "token"];

/**
 * True for a registry that requires authentication: htpasswd or token auth, set by REGISTRY_AUTH
 * or in its config file (distribution's `silly` auth checks nothing and does not count).
 */
export function isAuthenticatedRegistry(container: ContainerView): boolean {
  if (REAL_AUTH.includes(container.env.get("REGISTRY_AUTH") ?? "")) return true;
  return registryConfigs(container).some((config) => {
    const auth = config.auth;
    return auth !== null && typeof auth === "object" && REAL_AUTH.some((kind) => kind in auth);
  });
}
