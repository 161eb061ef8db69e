import { isIP } from "node:net";
import { NAMESPACE, SCHEMA } from "../../components/config/schema";

/** Where a stack publishes its registry on the Docker host. */
export interface RegistryBinding {
  /** Host address, e.g. `127.0.0.1`. */
  address: string;
  /** Host port, e.g. 5000. */
  port: number;
}

/**
 * The registry binding a stack file asks for, the schema's defaults applied; undefined for a
 * Kubernetes stack (no host port) or a registry section the program will refuse anyway.
 */
export function registryBinding(config: Readonly<Record<string, unknown>>): RegistryBinding | undefined {
  if (config[`${NAMESPACE}:target`] === "kubernetes") return undefined;
  const parsed = SCHEMA.shape.registry.safeParse(config[`${NAMESPACE}:registry`]);
  return parsed.success ? { address: parsed.data.bindAddress, port: parsed.data.port } : undefined;
}

/** A running container and the host addresses it publishes, as `docker inspect` reports them. */
export interface PublishingContainer {
  /** Its name, without the leading `/`. */
  name: string;
  /** Host bindings: `{ "5000/tcp": [{ HostIp: "127.0.0.1", HostPort: "5000" }] }` (NetworkSettings.Ports). */
  ports: Readonly<Record<string, readonly { HostIp?: string; HostPort?: string }[] | null>>;
}

const unspecified = (address: string) => address === "" || address === "0.0.0.0" || address === "::";

/**
 * True when a host binding takes `binding`'s address and port: the same port on the same
 * address, or on the unspecified address (0.0.0.0, ::) of either side, which takes every one.
 */
function takes(hostIp: string, hostPort: string, binding: RegistryBinding): boolean {
  if (Number(hostPort) !== binding.port) return false;
  if (unspecified(hostIp) || unspecified(binding.address)) return true;
  return isIP(hostIp) === isIP(binding.address) && hostIp === binding.address;
}

/** The containers, other than the stack's own registry, that hold the registry's host address and port. */
export function containersHolding(binding: RegistryBinding, containers: readonly PublishingContainer[], ownRegistry: string): string[] {
  return containers
    .filter((container) => container.name !== ownRegistry)
    .filter((container) => Object.values(container.ports).some((bindings) => (bindings ?? []).some((bound) => takes(bound.HostIp ?? "", bound.HostPort ?? "", binding))))
    .map((container) => container.name);
}

/** Who holds the registry's address: containers (by name), or a process of this machine that is no container. */
export type PortHolder = { containers: string[] } | { process: true };

/** The message for a taken registry port: who holds it, and the two fixes (free it, or move the registry). */
export function takenPortMessage(stack: string, binding: RegistryBinding, holder: PortHolder, freePort: number): string {
  const where = `${binding.address}:${binding.port}`;
  const who =
    "containers" in holder
      ? `container${holder.containers.length > 1 ? "s" : ""} ${holder.containers.join(", ")} (not this stack's registry); free it with \`docker stop ${holder.containers.join(" ")}\``
      : `a process of this machine that is no container; find it with \`ss -ltnp 'sport = :${binding.port}'\` and stop it`;
  return (
    `the registry's host port ${where} (${NAMESPACE}:registry.port, ${NAMESPACE}:registry.bindAddress) of stack ${stack} is taken by ${who}, ` +
    `or move the registry: \`npm run pulumi -- config set --path '${NAMESPACE}:registry.port' ${freePort} --stack ${stack}\``
  );
}
