import * as path from "node:path";
import { ContainerView } from "../container-view";
import { StackOptIns } from "../stack-opt-ins";

/** Where Docker engines put their socket. */
const SOCKET_PATHS = ["/var/run/docker.sock", "/run/docker.sock"];

/** True when mounting this host path gives the container a Docker socket: the socket itself, a folder holding it, or any `*docker.sock`. */
export function isDockerSocketPath(hostPath: string): boolean {
  const normalized = path.posix.normalize(hostPath).replace(/(.)\/+$/, "$1");
  if (normalized.endsWith("docker.sock")) return true;
  return SOCKET_PATHS.some((socket) => socket === normalized || socket.startsWith(normalized === "/" ? "/" : `${normalized}/`));
}

/** A Docker socket mount in a stack that has not opted into DooD. */
export function dockerSocketViolations(container: ContainerView, optIns: StackOptIns): string[] {
  if (optIns.allowDood) return [];
  return container.hostMounts
    .filter(isDockerSocketPath)
    .map(
      (hostPath) =>
        `${container.label} mounts the host's Docker socket (host path ${hostPath}), which is root on the host; allowed only in stacks whose file sets dind-stack:workloads.allowDood: true`,
    );
}
