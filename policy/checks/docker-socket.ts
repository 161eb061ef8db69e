import * as path from "node:path";
import { ContainerView, covers, normalPath } from "../container-view";
import { StackOptIns } from "../stack-opt-ins";

/** Where container runtimes put their API sockets on a host: each is root on the host to whoever can write to it. */
const SOCKET_LOCATIONS = [
  "/var/run/docker.sock",
  "/run/docker.sock",
  "/run/containerd/containerd.sock",
  "/run/docker/containerd/containerd.sock",
  "/run/k3s/containerd/containerd.sock",
  "/run/crio/crio.sock",
  "/run/podman/podman.sock",
  "/run/cri-dockerd.sock",
  "/run/buildkit/buildkitd.sock",
  "/run/dockershim.sock",
  "/var/snap/microk8s/common/run/containerd.sock",
];

/** Folders of runtime state (sockets, shims, task directories) under /run. */
const RUNTIME_FOLDERS = ["/run/containerd", "/run/docker", "/run/k3s", "/run/crio", "/run/podman", "/run/buildkit", "/var/snap/microk8s/common/run"];

/** Socket file names of container runtimes, wherever they are (`docker.sock` is the Docker engine's). */
const RUNTIME_SOCKET_NAME = /^(docker|containerd|crio|podman|cri-dockerd|buildkitd|dockershim)\.sock$/;

/** A per-user runtime folder (rootless Docker and Podman keep their sockets in $XDG_RUNTIME_DIR, /run/user/<uid>). */
const USER_RUNTIME = /^\/run\/user(\/\d+)?$/;

/** What a host path gives a container that mounts it. */
export type SocketMount = "docker-socket" | "runtime-socket" | "socket-folder";

/** /var/run is a link to /run on current systems: paths are compared in the /run form. */
function inRunForm(hostPath: string): string {
  const normalized = normalPath(hostPath);
  return covers("/var/run", normalized) ? normalized.replace(/^\/var\/run/, "/run") : normalized;
}

/**
 * What mounting a host path gives: the Docker engine's socket (`docker.sock`), another runtime's
 * socket or state (containerd, CRI-O, Podman, cri-dockerd, BuildKit), a folder that holds such
 * sockets (`/`, `/run`, `/var/run`, `/run/user/<uid>`, ...), or none of these (undefined).
 */
export function socketMountOf(hostPath: string): SocketMount | undefined {
  const mounted = inRunForm(hostPath);
  const name = path.posix.basename(mounted);
  if (name === "docker.sock") return "docker-socket";
  if (RUNTIME_SOCKET_NAME.test(name) || RUNTIME_FOLDERS.some((folder) => covers(folder, mounted)) || /^\/run\/user\/\d+\/(podman|docker)(\/|$)/.test(mounted)) {
    return "runtime-socket";
  }
  const holds = (socket: string) => covers(mounted, inRunForm(socket)) || covers(normalPath(hostPath), socket);
  if (USER_RUNTIME.test(mounted) || SOCKET_LOCATIONS.some(holds)) return "socket-folder";
  return undefined;
}

const ROOT_ON_HOST = "which is root on the host";

/**
 * Host mounts that give a container a runtime's socket: the Docker socket itself only in stacks
 * whose file opted into DooD; another runtime's socket, a folder holding sockets, or another
 * container's mounts (volumes-from, which the pack cannot see) never.
 */
export function dockerSocketViolations(container: ContainerView, optIns: StackOptIns): string[] {
  const violations = container.hostMounts.flatMap((hostPath) => {
    switch (socketMountOf(hostPath)) {
      case "docker-socket":
        return optIns.allowDood
          ? []
          : [`${container.label} mounts the host's Docker socket (host path ${hostPath}), ${ROOT_ON_HOST}; allowed only in stacks whose file sets dind-stack:workloads.allowDood: true`];
      case "runtime-socket":
        return [`${container.label} mounts a container runtime's socket or state (host path ${hostPath}: containerd, CRI-O, Podman, ...), ${ROOT_ON_HOST}; no opt-in allows it`];
      case "socket-folder":
        return [
          `${container.label} mounts host path ${hostPath}, a folder that holds container runtime sockets, ${ROOT_ON_HOST}; no opt-in allows it (with workloads.allowDood: true, mount the Docker socket file itself)`,
        ];
      default:
        return [];
    }
  });
  const inherited = container.inheritsMountsFrom.map(
    (source) => `${container.label} takes the mounts of container ${source} (volumes-from), which may hold a runtime socket the pack cannot see; mount what it needs itself`,
  );
  return [...violations, ...inherited];
}
