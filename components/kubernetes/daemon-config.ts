import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DaemonSettings } from "../config/schema";
import { DaemonJson, renderDaemonJson } from "../workloads/daemon-json";
import { objectLabels } from "./labels";

/**
 * MTU of the DinD daemons' networks on a cluster when daemon.mtu is not set: below the
 * common overlay MTUs (VXLAN 1450, IP-in-IP 1480, WireGuard 1420), so nested containers
 * never send packets the pod network has to drop.
 */
export const CLUSTER_DEFAULT_MTU = 1400;

/** Key of the daemon.json in its ConfigMap, and the file name it is mounted as. */
export const DAEMON_JSON_KEY = "daemon.json";

/** Where the DinD image's entrypoint reads an existing daemon.json from. */
export const DAEMON_JSON_PATH = "/etc/docker/daemon.json";

/** Name of the ConfigMap holding the DinD daemons' daemon.json. */
export const DAEMON_JSON_CONFIG_MAP = "dind-daemon-json";

/**
 * The DinD daemons' daemon.json on a cluster: the stack's registry by its Service address (and
 * as their Docker Hub mirror, `hubMirror`, when it can serve as one), the cluster's MTU default.
 */
export function clusterDaemonJson(daemon: DaemonSettings, registryAddress: string, hubMirror?: string): DaemonJson {
  return renderDaemonJson({ ...daemon, mtu: daemon.mtu ?? CLUSTER_DEFAULT_MTU }, [registryAddress], hubMirror);
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
