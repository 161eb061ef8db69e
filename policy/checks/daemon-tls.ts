import { parse as parseShell } from "shell-quote";
import { commandLine, ContainerView } from "../container-view";
import { StackOptIns } from "../stack-opt-ins";

/** The words of a command line, an argument that is a shell script (`sh -c 'dockerd ...'`) split as sh would split it. */
function commandWords(command: readonly string[]): string[] {
  return command.flatMap((arg) => (/\s/.test(arg) ? parseShell(arg).filter((word): word is string => typeof word === "string") : [arg]));
}

/** True when a dockerd or docker command line names a tcp:// host (`-H`/`--host`) without `--tlsverify`. */
function plainTcpHost(command: readonly string[]): boolean {
  const words = commandWords(command);
  const hosts = words.flatMap((arg, index) => {
    const inline = /^(?:--host=|-H=?)(.+)$/.exec(arg);
    if (inline) return [inline[1]];
    return arg === "--host" || arg === "-H" ? [words[index + 1] ?? ""] : [];
  });
  const tlsVerify = words.some((arg) => arg === "--tlsverify" || arg === "--tlsverify=true");
  return hosts.some((host) => host.startsWith("tcp://")) && !tlsVerify;
}

/**
 * The Docker API served or reached over TCP without TLS, whatever the container is: an empty
 * DOCKER_TLS_CERTDIR (the DinD entrypoints then serve plain TCP on 2375, the docker image's
 * client entrypoint reaches it there), a tcp:// `--host` without `--tlsverify` (dockerd
 * listening, or docker connecting), a tcp:// DOCKER_HOST without DOCKER_TLS_VERIFY. Allowed
 * only where the stack file turned TLS off.
 */
export function daemonTlsViolations(container: ContainerView, optIns: StackOptIns): string[] {
  if (optIns.plainTcpDaemon) return [];
  const violations: string[] = [];
  const optOut = "allowed only in stacks whose file sets dind-stack:daemon.tls: false";
  if (container.env.get("DOCKER_TLS_CERTDIR") === "") {
    violations.push(`${container.label} sets DOCKER_TLS_CERTDIR empty, which makes the DinD entrypoint serve the Docker API over plain TCP (2375); ${optOut}`);
  }
  if (plainTcpHost(commandLine(container))) {
    violations.push(`${container.label} names a tcp:// Docker host (--host/-H) without --tlsverify, i.e. the Docker API over plain TCP; ${optOut}`);
  }
  const dockerHost = container.env.get("DOCKER_HOST");
  // The Docker CLI verifies TLS when DOCKER_TLS_VERIFY is non-empty (a value from a Secret counts as set).
  const verifies = container.env.has("DOCKER_TLS_VERIFY") && container.env.get("DOCKER_TLS_VERIFY") !== "";
  if (dockerHost?.startsWith("tcp://") && !verifies) {
    violations.push(`${container.label} reaches its daemon at ${dockerHost} without DOCKER_TLS_VERIFY, i.e. over plain TCP; ${optOut}`);
  }
  return violations;
}
