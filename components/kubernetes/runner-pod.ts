import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { output as pulumiOutput, secret as pulumiSecret } from "@pulumi/pulumi/output";
import { BUILD_CACHE_ENV, buildCacheRepository } from "../workloads/build-cache";
import { CLIENT_DOCKER_CONFIG_DIR, CLIENT_WAIT_SCRIPT } from "../workloads/client-spec";
import { CERT_DIR, CLIENT_CERT_DIR, DAEMON_PORT } from "../workloads/connections";
import { DIND_HEALTHCHECK, iptablesEnv } from "../workloads/dind-daemon-spec";
import { DAEMON_JSON_CONFIG_MAP, DAEMON_JSON_KEY, DAEMON_JSON_PATH } from "./daemon-config";
import { ClientSettings, DaemonSettings, DindImageSettings, KubernetesSettings, WorkloadSettings } from "../config/schema";
import { mtuEnv } from "../workloads/daemon-json";
import { clusterMtu } from "./daemon-config";
import { podPlacement } from "./placement";
import { pruneContainer } from "./prune-container";
import { daemonResources, resourceRequirements } from "./settings";
import { verbatim } from "./verbatim";

/** Name of the job container (the build shell) in every runner pod. */
export const JOB_CONTAINER = "job";

/** Name of the DinD daemon container (a native sidecar, or a second container in classic mode). */
export const DAEMON_CONTAINER = "dind";

/** Name of the volume holding the DinD daemon's /var/lib/docker (an emptyDir, or a claim per pod). */
export const DOCKER_DATA_VOLUME = "docker-data";

/** Where DooD pods mount the node's Docker socket. */
export const DOCKER_SOCKET = "/var/run/docker.sock";

/** ConfigMap key of the registry's CA certificate. */
export const REGISTRY_CA_KEY = "ca.crt";

/** Secret key of the clients' Docker config (registry credentials). */
export const DOCKER_CONFIG_KEY = "config.json";

/** What every runner pod of a stack shares. */
export interface RunnerPodContext {
  /** dind or dood. */
  mode: "dind" | "dood";
  /** Validated daemon settings. */
  daemon: DaemonSettings;
  /** Validated workload settings. */
  workloads: WorkloadSettings;
  /** Validated Kubernetes settings. */
  kubernetes: KubernetesSettings;
  /** The DinD image: the daemon's image, and the job container's when the client names none. */
  image: pulumi.Input<string>;
  /** Where pushes go, as the pushing daemon reaches the registry. */
  pushRegistry: pulumi.Input<string>;
  /** Secret with the clients' Docker config, when the registry needs credentials. */
  dockerConfigSecret?: string;
  /** Secret with the credentials to pull the DinD image, when its registry needs them. */
  imagePullSecret?: string;
  /** The architecture the DinD image is built for (the runner pods' kubernetes.io/arch). */
  arch: DindImageSettings["arch"];
  /** ConfigMap with the CA the DinD daemons trust for the registry's TLS, and the registry names it serves under. */
  registryCa?: { configMap: string; registryNames: string[] };
}

/** Seconds a classic DinD daemon container waits in its preStop hook, so that the job container (SIGTERM at once) stops first. */
export const CLASSIC_DAEMON_STOP_DELAY_SECONDS = 10;

/** Where the DinD daemon looks for the CA of a registry it reaches over TLS (certs.d/<host:port>/ca.crt). */
const DOCKER_CERTS_DIR = "/etc/docker/certs.d";

/** An environment variable of a `NAME=value` assignment. */
function keyValue(assignment: string): k8s.types.input.core.v1.EnvVar {
  const [name, value] = assignment.split(/=(.*)/s);
  return { name, value };
}

/** The daemon's own readiness check (the DinD image's healthcheck script), as an exec probe. */
function daemonProbe(periodSeconds: number, failureThreshold: number): k8s.types.input.core.v1.Probe {
  return { exec: { command: DIND_HEALTHCHECK.tests.slice(1) }, periodSeconds, failureThreshold, timeoutSeconds: 5 };
}

/**
 * The DinD daemon container. Privileged unless a RuntimeClass (e.g. sysbox-runc) runs it
 * unprivileged; never given a DOCKER_HOST. Its startup probe runs until the daemon answers
 * (up to workloads.readyTimeoutSeconds); as a native sidecar the job container starts only
 * after it passed.
 */
function daemonContainer(context: RunnerPodContext): k8s.types.input.core.v1.Container {
  const { daemon, kubernetes } = context;
  const native = kubernetes.sidecar === "native";
  const mounts: k8s.types.input.core.v1.VolumeMount[] = [
    { name: DOCKER_DATA_VOLUME, mountPath: "/var/lib/docker" },
    { name: "daemon-json", mountPath: DAEMON_JSON_PATH, subPath: DAEMON_JSON_KEY, readOnly: true },
  ];
  if (daemon.tls) mounts.push({ name: "docker-certs", mountPath: CLIENT_CERT_DIR });
  if (context.registryCa) mounts.push({ name: "registry-ca", mountPath: DOCKER_CERTS_DIR, readOnly: true });
  return {
    name: DAEMON_CONTAINER,
    image: context.image,
    imagePullPolicy: "IfNotPresent",
    args: daemon.extraArgs.length > 0 ? daemon.extraArgs.map(verbatim) : undefined,
    env: [
      { name: "DOCKER_TLS_CERTDIR", value: daemon.tls ? CERT_DIR : "" },
      // Without TLS, plain TCP only on the pod's loopback, where the job container reaches it.
      ...(daemon.tls ? [] : [{ name: "DIND_PLAIN_TCP", value: "localhost" }]),
      ...mtuEnv(clusterMtu(daemon)).map(keyValue),
      ...iptablesEnv(daemon.iptables).map(keyValue),
    ],
    ports: [{ name: "docker", containerPort: daemon.tls ? DAEMON_PORT.tls : DAEMON_PORT.plain, protocol: "TCP" }],
    volumeMounts: mounts,
    startupProbe: daemonProbe(2, Math.ceil(context.workloads.readyTimeoutSeconds / 2)),
    readinessProbe: daemonProbe(5, 3),
    livenessProbe: daemonProbe(10, 6),
    resources: resourceRequirements(daemonResources(kubernetes)),
    securityContext: kubernetes.runtimeClassName ? undefined : { privileged: true },
    // A native sidecar stops only after the job container has exited (Kubernetes 1.29, KEP-753).
    // Classic containers all get SIGTERM at once: the daemon's is held back so the job's
    // client stops first.
    ...(native ? { restartPolicy: "Always" } : { lifecycle: { preStop: { exec: { command: ["sleep", String(CLASSIC_DAEMON_STOP_DELAY_SECONDS)] } } } }),
  };
}

/** The Secret holding a client group's env values, when they came from a secret config key. */
export function clientEnvSecretName(client: ClientSettings): string {
  return `${client.name}-env`;
}

/** The client's own variables: plain values, or references into its env Secret when they are secret. */
function clientEnv(client: ClientSettings, context: RunnerPodContext): k8s.types.input.core.v1.EnvVar[] {
  return Object.entries(client.env).map(([name, value]) =>
    context.workloads.clientValuesSecret
      ? { name, valueFrom: { secretKeyRef: { name: clientEnvSecretName(client), key: name } } }
      : { name, value: verbatim(value) },
  );
}

/** Environment of the job container: how to reach its daemon and registry, then the client's own variables. */
function jobEnv(client: ClientSettings, context: RunnerPodContext): k8s.types.input.core.v1.EnvVar[] {
  const { daemon, mode } = context;
  const dockerHost = mode === "dood" ? `unix://${DOCKER_SOCKET}` : `tcp://localhost:${daemon.tls ? DAEMON_PORT.tls : DAEMON_PORT.plain}`;
  const tls = mode === "dind" && daemon.tls;
  return [
    { name: "DOCKER_HOST", value: dockerHost },
    ...(tls ? [{ name: "DOCKER_TLS_VERIFY", value: "1" }, { name: "DOCKER_CERT_PATH", value: CLIENT_CERT_DIR }] : []),
    { name: "DIND_STACK_REGISTRY", value: context.pushRegistry },
    { name: BUILD_CACHE_ENV, value: pulumiOutput(context.pushRegistry).apply(buildCacheRepository) },
    { name: "DIND_READY_TIMEOUT", value: String(context.workloads.readyTimeoutSeconds) },
    ...(context.dockerConfigSecret ? [{ name: "DOCKER_CONFIG", value: CLIENT_DOCKER_CONFIG_DIR }] : []),
    ...clientEnv(client, context),
  ];
}

/** The job container: waits for its daemon (the clients' wait script), then runs the client's command. */
function jobContainer(client: ClientSettings, context: RunnerPodContext): k8s.types.input.core.v1.Container {
  const mounts: k8s.types.input.core.v1.VolumeMount[] = [];
  if (context.mode === "dood") mounts.push({ name: "docker-socket", mountPath: DOCKER_SOCKET });
  else if (context.daemon.tls) mounts.push({ name: "docker-certs", mountPath: CLIENT_CERT_DIR, readOnly: true });
  if (context.dockerConfigSecret) mounts.push({ name: "docker-config", mountPath: CLIENT_DOCKER_CONFIG_DIR, readOnly: true });
  return {
    name: JOB_CONTAINER,
    image: client.image ?? context.image,
    imagePullPolicy: "IfNotPresent",
    command: ["/bin/sh", "-c", verbatim(CLIENT_WAIT_SCRIPT), "dind-client"],
    // A command from a secret config key stays a secret in the state (on the cluster, whoever
    // may read the pod sees it: secrets belong in env, which comes from a Secret).
    args: context.workloads.clientValuesSecret ? pulumiSecret(client.command.map(verbatim)) : client.command.map(verbatim),
    env: jobEnv(client, context),
    volumeMounts: mounts,
    resources: resourceRequirements(context.kubernetes.resources.runner),
    securityContext: { allowPrivilegeEscalation: false },
  };
}

/** Volumes of a runner pod (the DinD data volume only when it is an emptyDir; a claim comes from the StatefulSet's template). */
function runnerVolumes(context: RunnerPodContext): k8s.types.input.core.v1.Volume[] {
  const volumes: k8s.types.input.core.v1.Volume[] = [];
  if (context.mode === "dood") {
    volumes.push({ name: "docker-socket", hostPath: { path: DOCKER_SOCKET, type: "Socket" } });
  } else {
    // The emptyDir cache is bounded: above its size the kubelet evicts the pod (and the cache goes with it).
    if (context.kubernetes.dindCache === "emptyDir") volumes.push({ name: DOCKER_DATA_VOLUME, emptyDir: { sizeLimit: context.kubernetes.dataVolumeSize } });
    if (context.registryCa) {
      const items = context.registryCa.registryNames.map((name) => ({ key: REGISTRY_CA_KEY, path: `${name}/ca.crt` }));
      volumes.push({ name: "registry-ca", configMap: { name: context.registryCa.configMap, items } });
    }
    volumes.push({ name: "daemon-json", configMap: { name: DAEMON_JSON_CONFIG_MAP, items: [{ key: DAEMON_JSON_KEY, path: DAEMON_JSON_KEY }] } });
    // TLS material stays in memory: the client key never touches the node's disk.
    if (context.daemon.tls) volumes.push({ name: "docker-certs", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } });
  }
  if (context.dockerConfigSecret) {
    volumes.push({ name: "docker-config", secret: { secretName: context.dockerConfigSecret, items: [{ key: DOCKER_CONFIG_KEY, path: DOCKER_CONFIG_KEY }], defaultMode: 0o400 } });
  }
  return volumes;
}

/**
 * A runner pod. DinD: the daemon as a native sidecar (an init container with restartPolicy
 * Always) or, for clusters older than 1.29, as a first regular container, then the image prune
 * container; the job container reaches the daemon over TLS on localhost with the client
 * certificates from an in-memory emptyDir. DooD: only the job container, with the node's Docker
 * socket. On nodes of the DinD image's architecture, with the configured placement, and a grace
 * period that lets the job container stop first, then the daemon and its nested containers.
 */
export function runnerPodSpec(client: ClientSettings, context: RunnerPodContext): k8s.types.input.core.v1.PodSpec {
  const job = jobContainer(client, context);
  const containers =
    context.mode === "dood"
      ? { containers: [job] }
      : context.kubernetes.sidecar === "native"
        ? { initContainers: [daemonContainer(context), pruneContainer(context)], containers: [job] }
        : { containers: [daemonContainer(context), pruneContainer(context), job] };
  return {
    ...containers,
    ...podPlacement(context.kubernetes.placement.runners, context.arch),
    terminationGracePeriodSeconds: context.kubernetes.terminationGracePeriodSeconds,
    volumes: runnerVolumes(context),
    runtimeClassName: context.mode === "dind" ? context.kubernetes.runtimeClassName : undefined,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    imagePullSecrets: context.imagePullSecret ? [{ name: context.imagePullSecret }] : undefined,
    securityContext: { seccompProfile: { type: "RuntimeDefault" } },
  };
}
