import { DaemonSettings } from "../config/schema";

/** The daemon.json of a DinD daemon, as written by the image's entrypoint. */
export interface DaemonJson {
  /** Registries reached over plain HTTP. */
  "insecure-registries": string[];
  /** Docker Hub mirrors. */
  "registry-mirrors"?: string[];
  /** DNS servers for nested containers. */
  dns?: string[];
  /** Storage driver. */
  "storage-driver"?: string;
  /** Log driver of nested containers. */
  "log-driver": "json-file";
  /** Log rotation of nested containers. */
  "log-opts": { "max-size": string; "max-file": string };
}

/**
/**
 * How a plain-HTTP registry is written in insecure-registries: as http://host[:port]. The
 * engine's registry code strips the scheme (with a warning in the daemon's log) and treats the
 * rest as before; the daemon's BuildKit needs it to talk plain HTTP to a host:port registry:
 * moby's daemon.RegistryHosts (v20.10.24 and v24.0.6, daemon/daemon.go) parses each entry as a
 * URL, so "registry:5000" comes out as scheme "registry" with no host and BuildKit tries HTTPS
 * ("server gave HTTP response to HTTPS client"), while "http://registry:5000" gets PlainHTTP.
 * (v26.1.5 reads the registry service's normalised entries instead.) CIDRs are left as they are.
 */
export function plainHttpEntry(entry: string): string {
  return entry.includes("/") ? entry : `http://${entry}`;
}

/**
 * daemon.json for the DinD daemons: the stack's registries (by their in-network addresses: the
 * registry, and the mirror registry when there is one) plus any configured extra registries are
 * insecure, nothing else (each written by plainHttpEntry). The stack's Docker Hub mirror, when
 * it has one (`hubMirror`), comes first, before the configured mirrors. `hosts` is never
 * written, since the entrypoint passes --host and dockerd refuses a setting made twice; nor is
 * the MTU, which the entrypoint gets as DIND_MTU (see mtuEnv) and compares with its eth0's
 * before it passes it on.
 */
export function renderDaemonJson(daemon: DaemonSettings, stackRegistries: readonly string[], hubMirror?: string): DaemonJson {
  const json: DaemonJson = {
    "insecure-registries": [...new Set([...stackRegistries, ...daemon.insecureRegistries])].map(plainHttpEntry),
    "log-driver": "json-file",
    "log-opts": { "max-size": daemon.logOpts.maxSize, "max-file": String(daemon.logOpts.maxFile) },
  };
  const mirrors = [...new Set([...(hubMirror ? [hubMirror] : []), ...daemon.registryMirrors])];
  if (mirrors.length > 0) json["registry-mirrors"] = mirrors;
  if (daemon.dns.length > 0) json.dns = daemon.dns;
  if (daemon.storageDriver !== undefined) json["storage-driver"] = daemon.storageDriver;
  return json;
}

/**
 * For the host's daemon (DooD clients, mirror pushes): the daemon.json snippet it needs to push to the registry at
 * `hostAddress`, or undefined when none is needed. Every engine trusts 127.0.0.0/8 over plain
 * HTTP; ::1 only from some release on, so an IPv6 loopback address gets the snippet too.
 */
export function doodDaemonJsonSnippet(hostAddress: string): string | undefined {
  if (hostAddress.startsWith("127.")) return undefined;
  return JSON.stringify({ "insecure-registries": [hostAddress] });
}

/**
 * The configured MTU for the DinD image's entrypoint, which gives the daemon the smaller of it
 * and its eth0's MTU, for docker0 (--mtu) and for every network it creates
 * (--default-network-opt, dockerd 24.0 and newer); none when nothing is configured.
 */
export function mtuEnv(mtu: number | undefined): string[] {
  return mtu === undefined ? [] : [`DIND_MTU=${mtu}`];
}
