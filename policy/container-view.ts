import * as path from "node:path";

/** A port a container publishes on a host (Docker host or Kubernetes node). */
export interface PublishedPort {
  /** The host address it listens on; 0.0.0.0 when none is given. */
  ip: string;
  /** The host port. */
  port: number;
}

/** Where a file a container reads comes from. */
export type FileSource =
  /** Nothing the resource declares puts a file there: the image's own file, if any. */
  | { from: "image" }
  /** A file uploaded with this content (Docker uploads). */
  | { from: "content"; content: string }
  /** A key of a Secret or ConfigMap mounted there (Kubernetes), to be found among the stack's resources. */
  | { from: "object"; kind: "Secret" | "ConfigMap"; namespace: string; name: string; key: string }
  /** Something the pack cannot read: a host path, a volume, an upload from a local file. */
  | { from: "elsewhere" };

/** One container as the checks see it, whichever target (Docker or Kubernetes) declares it. */
export interface ContainerView {
  /** How messages name it, e.g. `container dind-stack-ci-docker` or `Deployment ci/runner, container dind`. */
  label: string;
  /** Image reference or image ID; read lazily, as it is often unknown during a preview. */
  readonly image?: string;
  /** Environment variables; the value is undefined when it comes from a Secret or ConfigMap. */
  env: ReadonlyMap<string, string | undefined>;
  /** The entrypoint (Docker) or command (Kubernetes) the container sets; undefined runs the image's own. */
  entrypoint?: readonly string[];
  /** The arguments (Docker command, Kubernetes args); undefined keeps the image's (only when the entrypoint is the image's too). */
  args?: readonly string[];
  /** What it gets beyond a default container, each in the words of its setting: `is privileged`, `adds capability SYS_ADMIN`, ... */
  escalations: readonly string[];
  /** Host namespaces it joins besides the network, with the setting: `the host's PID namespace (pidMode: host)`, ... */
  hostNamespaces: readonly string[];
  /** True when it uses the host's (node's) network: Docker `networkMode: host`, Kubernetes `hostNetwork`. */
  hostNetwork: boolean;
  /** Host paths mounted into the container. */
  hostMounts: readonly string[];
  /** Containers whose mounts it inherits (Docker `volumes[].fromContainer`, i.e. volumes-from). */
  inheritsMountsFrom: readonly string[];
  /** Paths in the container that a mount, volume or uploaded file replaces. */
  replacedPaths: readonly string[];
  /** Ports published on the host. */
  published: readonly PublishedPort[];
  /** True when every port the image exposes is published on all host addresses (Docker `publishAllPorts`). */
  publishesAllPorts: boolean;
  /** Where the file at a path in the container comes from. */
  fileSource(file: string): FileSource;
}

/** Address Docker and Kubernetes use when a published port names none. */
export const ALL_ADDRESSES = "0.0.0.0";

/** The whole command line a container runs, as far as it sets it (entrypoint, then arguments). */
export function commandLine(container: ContainerView): string[] {
  return [...(container.entrypoint ?? []), ...(container.args ?? [])];
}

/** A path in normal form: no `..`, `.` or doubled or trailing slashes. */
export function normalPath(file: string): string {
  return path.posix.normalize(file).replace(/(.)\/+$/, "$1");
}

/** True when `outer` is `inner` or a folder above it. */
export function covers(outer: string, inner: string): boolean {
  const [a, b] = [normalPath(outer), normalPath(inner)];
  return a === b || b.startsWith(a === "/" ? "/" : `${a}/`);
}
