import { ContainerView, isDindDaemon } from "../container-view";
import { StackOptIns } from "../stack-opt-ins";

/** True when dockerd arguments listen on TCP (`-H`/`--host` tcp://...) without `--tlsverify`. */
function listensOnPlainTcp(command: readonly string[]): boolean {
  const hosts = command.flatMap((arg, index) => {
    const inline = /^(?:--host=|-H=?)(.+)$/.exec(arg);
    if (inline) return [inline[1]];
    return arg === "--host" || arg === "-H" ? [command[index + 1] ?? ""] : [];
  });
  const tlsVerify = command.some((arg) => arg === "--tlsverify" || arg === "--tlsverify=true");
  return hosts.some((host) => host.startsWith("tcp://")) && !tlsVerify;
}

/** A DinD daemon served, or a Docker API reached, over TCP without TLS, unless the stack file turned TLS off. */
export function daemonTlsViolations(container: ContainerView, optIns: StackOptIns): string[] {
  if (optIns.plainTcpDaemon) return [];
  const violations: string[] = [];
  const optOut = "allowed only in stacks whose file sets dind-stack:daemon.tls: false";
  if (isDindDaemon(container)) {
    if (container.env.get("DOCKER_TLS_CERTDIR") === "") {
      violations.push(`${container.label} is a DinD daemon with DOCKER_TLS_CERTDIR empty, so it serves the Docker API over plain TCP (2375); ${optOut}`);
    }
    if (listensOnPlainTcp(container.command)) {
      violations.push(`${container.label} is a DinD daemon told to listen on tcp:// without --tlsverify; ${optOut}`);
    }
  }
  const dockerHost = container.env.get("DOCKER_HOST");
  // The Docker CLI verifies TLS when DOCKER_TLS_VERIFY is non-empty (a value from a Secret counts as set).
  const verifies = container.env.has("DOCKER_TLS_VERIFY") && container.env.get("DOCKER_TLS_VERIFY") !== "";
  if (dockerHost?.startsWith("tcp://") && !verifies) {
    violations.push(`${container.label} reaches its daemon at ${dockerHost} without DOCKER_TLS_VERIFY, i.e. over plain TCP; ${optOut}`);
  }
  return violations;
}
