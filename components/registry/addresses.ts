import { RegistrySettings } from "../config/schema";

/** How the registry is reached from the host and from containers on the stack's network. */
export interface RegistryAddresses {
  /** host:port for the host and for DooD pushes, e.g. `127.0.0.1:5000`. */
  host: string;
  /** alias:5000 for containers and DinD daemons on the network, e.g. `registry:5000`. */
  network: string;
}

/** The port the registry listens on inside its container. */
export const REGISTRY_CONTAINER_PORT = 5000;

/** The registry's addresses; an unspecified bind address (0.0.0.0, ::) is reached through loopback. */
export function registryAddresses(settings: RegistrySettings): RegistryAddresses {
  const bind = settings.bindAddress;
  const hostIp = bind === "0.0.0.0" ? "127.0.0.1" : bind === "::" ? "[::1]" : bind.includes(":") ? `[${bind}]` : bind;
  return { host: `${hostIp}:${settings.port}`, network: `${settings.alias}:${REGISTRY_CONTAINER_PORT}` };
}
