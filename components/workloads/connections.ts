import * as pulumi from "@pulumi/pulumi";
import { DaemonSettings, WorkloadSettings } from "../config/schema";
import { DaemonConnection } from "./client-spec";

/** Where the DinD image's entrypoint keeps TLS material (DOCKER_TLS_CERTDIR). */
export const CERT_DIR = "/certs";

/** Where clients find their certificates (the shared volume). */
export const CLIENT_CERT_DIR = `${CERT_DIR}/client`;

/** The DinD daemon's TCP port with and without TLS. */
export const DAEMON_PORT = { tls: 2376, plain: 2375 } as const;

/** How DinD clients reach the daemon: TCP with TLS (certs from the shared volume, read-only), or plain TCP when TLS is off. */
export function dindConnection(daemon: DaemonSettings, workloads: WorkloadSettings, certsVolume: pulumi.Input<string>, registryNetworkAddress: string): DaemonConnection {
  if (!daemon.tls) {
    return { dockerHost: `tcp://${workloads.daemonAlias}:${DAEMON_PORT.plain}`, env: [], volumes: [], pushRegistry: registryNetworkAddress };
  }
  return {
    dockerHost: `tcp://${workloads.daemonAlias}:${DAEMON_PORT.tls}`,
    env: ["DOCKER_TLS_VERIFY=1", `DOCKER_CERT_PATH=${CLIENT_CERT_DIR}`],
    volumes: [{ volumeName: certsVolume, containerPath: CLIENT_CERT_DIR, readOnly: true }],
    pushRegistry: registryNetworkAddress,
  };
}

/** How DooD clients reach the host daemon: its socket, mounted in; pushes use the registry's host address. */
export function doodConnection(registryHostAddress: string): DaemonConnection {
  return {
    dockerHost: "unix:///var/run/docker.sock",
    env: [],
    volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }],
    pushRegistry: registryHostAddress,
  };
}
