import * as fs from "node:fs";
import * as path from "node:path";
import * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import { secret as pulumiSecret } from "@pulumi/pulumi/output";
import { ClientSettings } from "../config/schema";
import { stackLabels } from "../naming";
import { BUILD_CACHE_ENV, buildCacheRepository } from "./build-cache";

/** The script clients run before their command (waits for the daemon). */
export const CLIENT_WAIT_SCRIPT = fs.readFileSync(path.join(__dirname, "client-wait.sh"), "utf8");

/** Where a client's Docker CLI config (registry credentials) is uploaded. */
export const CLIENT_DOCKER_CONFIG_DIR = "/etc/dind-stack/docker";

/**
 * Mode of the uploaded config.json: it holds the registry password (base64), so only its owner
 * (root, as the client's command runs in the DinD image) may read it.
 */
export const CLIENT_DOCKER_CONFIG_MODE = "0600";

/** How clients reach their daemon: environment and mounts that differ between DinD and DooD. */
export interface DaemonConnection {
  /** DOCKER_HOST as clients use it. */
  dockerHost: string;
  /** TLS variables, if any. */
  env: string[];
  /** Certificate or socket mounts. */
  volumes: docker.types.input.ContainerVolume[];
  /** Registry address pushes go to, as the daemon doing the push sees it. */
  pushRegistry: string;
}

/** Inputs shared by every client container of a stack. */
export interface ClientContext {
  /** Stack name, for labels. */
  stack: string;
  /** Image used when a client group names none (the DinD image, or in DooD mode the client image: both have the docker CLI). */
  defaultImage: pulumi.Input<string>;
  /** Pulled image ids of client images named in the config, by reference. */
  images: Readonly<Record<string, pulumi.Input<string>>>;
  /** The stack's network. */
  networkName: pulumi.Input<string>;
  /** Container name of the n-th (from 1) client of a group. */
  containerName: (group: string, index: number) => string;
  /** Seconds a client waits for its daemon. */
  readyTimeoutSeconds: number;
  /** Daemon connection. */
  connection: DaemonConnection;
  /** Docker CLI config.json with registry credentials, when the registry needs them. */
  dockerConfig?: pulumi.Input<string>;
  /** True when the client groups' env values and commands came from a secret config key: they stay Pulumi secrets. */
  secretValues: boolean;
}

/**
 * `value` as a Pulumi secret when `secret` holds. A whole list is made secret, not its items:
 * the bridged docker provider keeps `envs` as a set, whose items it may reorder, so only the
 * list as a whole reliably keeps its secrecy in the outputs and the state.
 */
function sealed(value: string[], secret: boolean): pulumi.Input<string[]> {
  return secret ? pulumiSecret(value) : value;
}

/** One client container, as docker.Container args plus the logical name suffix. */
export interface ClientContainerSpec {
  /** `<group>-<n>`, used in the resource's logical name. */
  id: string;
  /** docker.Container arguments. */
  args: docker.ContainerArgs;
}

/** The containers of every client group: each waits for its daemon, then runs its command. */
export function clientContainerSpecs(clients: readonly ClientSettings[], context: ClientContext): ClientContainerSpec[] {
  const specs: ClientContainerSpec[] = [];
  for (const client of clients) {
    for (let index = 1; index <= client.count; index++) {
      const env = [
        `DOCKER_HOST=${context.connection.dockerHost}`,
        ...context.connection.env,
        `DIND_STACK_REGISTRY=${context.connection.pushRegistry}`,
        `${BUILD_CACHE_ENV}=${buildCacheRepository(context.connection.pushRegistry)}`,
        `DIND_READY_TIMEOUT=${context.readyTimeoutSeconds}`,
        ...(context.dockerConfig ? [`DOCKER_CONFIG=${CLIENT_DOCKER_CONFIG_DIR}`] : []),
        ...Object.entries(client.env).map(([name, value]) => `${name}=${value}`),
      ];
      specs.push({
        id: `${client.name}-${index}`,
        args: {
          name: context.containerName(client.name, index),
          image: client.image ? context.images[client.image] : context.defaultImage,
          entrypoints: ["/bin/sh", "-c", CLIENT_WAIT_SCRIPT, "dind-client"],
          command: sealed(client.command, context.secretValues),
          envs: sealed(env, context.secretValues),
          volumes: context.connection.volumes,
          uploads: context.dockerConfig ? [{ file: `${CLIENT_DOCKER_CONFIG_DIR}/config.json`, content: context.dockerConfig, permissions: CLIENT_DOCKER_CONFIG_MODE }] : [],
          networksAdvanced: [{ name: context.networkName }],
          restart: "unless-stopped",
          // The DinD image's HEALTHCHECK probes a local daemon that clients do not run.
          healthcheck: { tests: ["NONE"] },
          labels: [...stackLabels(context.stack, "client"), { label: "org.dind-stack.client", value: client.name }],
        },
      });
    }
  }
  return specs;
}
