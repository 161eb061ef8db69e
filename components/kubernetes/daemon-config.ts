import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DaemonSettings, KubernetesSettings } from "../config/schema";
import { REGISTRY_CONTAINER_PORT } from "../registry/addresses";
import { DaemonJson, renderDaemonJson } from "../workloads/daemon-json";
import { objectLabels } from "./labels";

/**
 * The MTU the DinD daemons get on a cluster when daemon.mtu is not set: below the common overlay
 * MTUs (VXLAN 1450, IP-in-IP 1480, WireGuard 1420). The entrypoint still takes eth0's when that
 * is smaller (an IPsec or WireGuard pod network below 1400).
 */
export const CLUSTER_DEFAULT_MTU = 1400;

/** Key of the daemon.json in its ConfigMap, and the file name it is mounted as. */
export const DAEMON_JSON_KEY = "daemon.json";

/** Where the DinD image's entrypoint reads an existing daemon.json from. */
export const DAEMON_JSON_PATH = "/etc/docker/daemon.json";

/** Name of the ConfigMap holding the DinD daemons' daemon.json. */
export const DAEMON_JSON_CONFIG_MAP = "dind-daemon-json";

/**
 * Seconds of a runner pod's grace period kept for dockerd itself beyond its shutdown-timeout: how
 * long dockerd waits for its nested containers to stop (each with its own stop timeout, 10 s
 * unless `docker run --stop-timeout` says otherwise; moby cmd/dockerd `shutdownDaemon` waits
 * the larger of shutdown-timeout and the longest stop timeout + 5 s), after which it still stops
 * containerd and unmounts its storage.
 */
export const DOCKERD_EXIT_SECONDS = 30;

/** The daemon.json of a DinD daemon on a cluster: the Docker host's keys, builder GC and the shutdown timeout. */
export interface ClusterDaemonJson extends DaemonJson {
  /** BuildKit's garbage collection of the build cache. */
  builder: { gc: { enabled: true; defaultKeepStorage: string } };
  /** Seconds dockerd waits for its containers to stop when it is stopped, before it forces its own shutdown. */
  "shutdown-timeout": number;
}

/** The MTU a DinD daemon is configured with on a cluster (the entrypoint lowers it to eth0's when that is smaller). */
export function clusterMtu(daemon: DaemonSettings): number {
  return daemon.mtu ?? CLUSTER_DEFAULT_MTU;
}

/**
 * The DinD daemons' daemon.json on a cluster. `insecureRegistries` are the registry's names the
 * daemons may use over plain HTTP (none when it serves TLS); the stack's registry is also their
 * Docker Hub mirror (`hubMirror`) when it can serve as one. Build cache above
 * kubernetes.dindStorage.buildCacheKeepStorage is collected, and dockerd waits for its nested
 * containers for the pod's grace period less the time it needs to exit itself.
 */
export function clusterDaemonJson(daemon: DaemonSettings, kubernetes: KubernetesSettings, insecureRegistries: readonly string[], hubMirror?: string): ClusterDaemonJson {
  return {
    ...renderDaemonJson(daemon, insecureRegistries, hubMirror),
    builder: { gc: { enabled: true, defaultKeepStorage: kubernetes.dindStorage.buildCacheKeepStorage } },
    "shutdown-timeout": kubernetes.terminationGracePeriodSeconds - DOCKERD_EXIT_SECONDS,
  };
}

/**
 * Every name of the registry's Service the clients may push to: `<alias>.<namespace>`,
 * `<alias>.<namespace>.svc` (the one the stack gives them) and the fully qualified
 * `<alias>.<namespace>.svc.<cluster domain>`, each with the port. A daemon matches
 * insecure-registries and certs.d by the name as written, so each needs its entry.
 */
export function registryServiceNames(alias: string, namespace: string, clusterDomain: string): string[] {
  return [`${alias}.${namespace}.svc`, `${alias}.${namespace}`, `${alias}.${namespace}.svc.${clusterDomain}`].map((host) => `${host}:${REGISTRY_CONTAINER_PORT}`);
}

/** daemon.json as the file's text. */
export function daemonJsonText(json: DaemonJson): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** The ConfigMap holding daemon.json (the entrypoint validates it and uses it as is). */
export function daemonJsonConfigMapArgs(stack: string, namespace: pulumi.Input<string>, text: string): k8s.core.v1.ConfigMapArgs {
  return {
    metadata: { name: DAEMON_JSON_CONFIG_MAP, namespace, labels: objectLabels(stack, "dind-config") },
    data: { [DAEMON_JSON_KEY]: text },
  };
}

/**
 * A short digest of a file's content, put on the pod template so that a changed daemon.json
 * rolls the pods (a daemon reads daemon.json only when it starts).
 */
export function contentDigest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
