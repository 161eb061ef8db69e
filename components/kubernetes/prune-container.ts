import * as k8s from "@pulumi/kubernetes";
import { CLIENT_WAIT_SCRIPT } from "../workloads/client-spec";
import { CLIENT_CERT_DIR, DAEMON_PORT } from "../workloads/connections";
import type { RunnerPodContext } from "./runner-pod";
import { resourceRequirements } from "./settings";
import { verbatim } from "./verbatim";

/** Name of the container that prunes a runner pod's DinD daemon. */
export const PRUNE_CONTAINER = "prune";

/**
 * The image prune loop: every interval, the images no container uses that were created more
 * than the configured hours ago go (`docker image prune --all --filter until=`); the daemon's
 * builder GC (daemon.json) bounds the build cache. A failed prune is logged and tried again.
 */
export function pruneLoop(afterHours: number, intervalMinutes: number): string {
  return [
    "while :; do",
    `  echo "[dind-prune] pruning images unused and older than ${afterHours}h"`,
    `  docker image prune --all --force --filter until=${afterHours}h || echo "[dind-prune] image prune failed; trying again in ${intervalMinutes} min"`,
    `  sleep ${intervalMinutes * 60}`,
    "done",
  ].join("\n");
}

/**
 * The prune container of a DinD runner pod: the DinD image's docker CLI, pointed at the pod's
 * daemon like the job container (same TLS client certificates, read-only), waiting for it with
 * the clients' wait script, then running the prune loop. A native sidecar after the daemon (so
 * it stops before the daemon), or a regular container in classic mode.
 */
export function pruneContainer(context: RunnerPodContext): k8s.types.input.core.v1.Container {
  const { daemon, kubernetes } = context;
  const storage = kubernetes.dindStorage;
  return {
    name: PRUNE_CONTAINER,
    image: context.image,
    imagePullPolicy: "IfNotPresent",
    command: ["/bin/sh", "-c", verbatim(CLIENT_WAIT_SCRIPT), "dind-prune", "/bin/sh", "-c", pruneLoop(storage.imagePruneAfterHours, storage.imagePruneIntervalMinutes)],
    env: [
      { name: "DOCKER_HOST", value: `tcp://localhost:${daemon.tls ? DAEMON_PORT.tls : DAEMON_PORT.plain}` },
      ...(daemon.tls ? [{ name: "DOCKER_TLS_VERIFY", value: "1" }, { name: "DOCKER_CERT_PATH", value: CLIENT_CERT_DIR }] : []),
      { name: "DIND_READY_TIMEOUT", value: String(context.workloads.readyTimeoutSeconds) },
    ],
    volumeMounts: daemon.tls ? [{ name: "docker-certs", mountPath: CLIENT_CERT_DIR, readOnly: true }] : [],
    resources: resourceRequirements(kubernetes.resources.pruner),
    securityContext: { allowPrivilegeEscalation: false },
    ...(kubernetes.sidecar === "native" ? { restartPolicy: "Always" } : {}),
  };
}
