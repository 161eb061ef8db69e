import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DaemonSettings, WorkloadSettings } from "../config/schema";
import { DAEMON_STOP_SECONDS } from "../container-options";
import { stackLabels } from "../naming";
import { DaemonJson, mtuEnv } from "./daemon-json";
import { CERT_DIR, CLIENT_CERT_DIR } from "./connections";

/**
 * Healthy once the daemon answers on its unix socket inside the container (the image's own
 * check, polled faster than the image's default so `wait` returns soon after the ~1 s start).
 */
export const DIND_HEALTHCHECK = {
  tests: ["CMD", "/usr/local/bin/dind-healthcheck.sh"],
  interval: "2s",
  timeout: "5s",
  startPeriod: "5s",
  retries: 60,
};

/**
 * The entrypoint's explicit iptables backend (DIND_IPTABLES_BACKEND=legacy|nft), or nothing for
 * auto, where it detects. DOCKER_IPTABLES_LEGACY keeps the official image's meaning (any non-empty
 * value is legacy, set but empty is nft) for users who set it themselves; the stack does not.
 */
export function iptablesEnv(choice: DaemonSettings["iptables"]): string[] {
  return choice === "auto" ? [] : [`DIND_IPTABLES_BACKEND=${choice}`];
}

/** Inputs of the DinD daemon container. */
export interface DaemonContext {
  /** Stack name, for labels. */
  stack: string;
  /** Container name. */
  containerName: string;
  /** The DinD image reference. */
  image: pulumi.Input<string>;
  /** The stack's network. */
  networkName: pulumi.Input<string>;
  /** Volume mounted at /var/lib/docker. */
  dataVolume: pulumi.Input<string>;
  /** Volume shared with clients at /certs/client. */
  certsVolume: pulumi.Input<string>;
  /** The daemon.json to write. */
  daemonJson: DaemonJson;
}

/** The DinD daemon container: privileged, data on a volume, TLS material shared through a volume. */
export function dindDaemonContainerArgs(daemon: DaemonSettings, workloads: WorkloadSettings, context: DaemonContext): docker.ContainerArgs {
  const volumes: docker.types.input.ContainerVolume[] = [{ volumeName: context.dataVolume, containerPath: "/var/lib/docker" }];
  if (daemon.tls) volumes.push({ volumeName: context.certsVolume, containerPath: CLIENT_CERT_DIR });
  return {
    name: context.containerName,
    image: context.image,
    hostname: workloads.daemonAlias,
    privileged: true,
    // Its own cgroup namespace (engine API 1.41, Docker 20.10, and newer; older engines ignore
    // it): the daemon then sees its cgroup as the root, and on cgroup v2 hosts the entrypoint can
    // move its processes into /init and delegate every controller to nested containers.
    cgroupnsMode: "private",
    envs: [
      `DOCKER_TLS_CERTDIR=${daemon.tls ? CERT_DIR : ""}`,
      // Without TLS, plain TCP answers only the stack's network (eth0), never nested containers.
      ...(daemon.tls ? [] : ["DIND_PLAIN_TCP=eth0"]),
      `DOCKER_TLS_SAN=DNS:${workloads.daemonAlias},DNS:${context.containerName}`,
      `DIND_DAEMON_JSON=${JSON.stringify(context.daemonJson)}`,
      ...mtuEnv(daemon.mtu),
      ...iptablesEnv(daemon.iptables),
    ],
    command: daemon.extraArgs,
    volumes,
    networksAdvanced: [{ name: context.networkName, aliases: [workloads.daemonAlias] }],
    restart: "unless-stopped",
    healthcheck: DIND_HEALTHCHECK,
    wait: true,
    waitTimeout: 180,
    // dockerd gets time to stop its containers and finish: a clean shutdown on replace and destroy.
    stopTimeout: DAEMON_STOP_SECONDS,
    destroyGraceSeconds: DAEMON_STOP_SECONDS,
    labels: stackLabels(context.stack, "dind-daemon"),
  };
}
