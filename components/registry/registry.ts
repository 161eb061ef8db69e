import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { RegistrySettings } from "../config/schema";
import { stackLabels } from "../naming";
import { REGISTRY_CONTAINER_PORT, registryAddresses } from "./addresses";
import { htpasswdLine } from "./htpasswd";
import { HTPASSWD_PATH, REGISTRY_CONFIG_PATH, REGISTRY_FILE_MODE, REGISTRY_HEALTHCHECK, registryConfig } from "./registry-config";

/** Arguments of a Registry. */
export interface RegistryArgs {
  /** Validated registry settings of the stack. */
  settings: RegistrySettings;
  /** Stack name, for labels and the htpasswd salt. */
  stack: string;
  /** Name of the registry container. */
  containerName: string;
  /** Name of the data volume. */
  volumeName: string;
  /** Name of the stack's network. */
  networkName: pulumi.Input<string>;
  /** Password of settings.auth.username (a Pulumi secret). */
  password?: pulumi.Output<string>;
  /** Password of settings.proxy.username (a Pulumi secret). */
  proxyPassword?: pulumi.Output<string>;
}

/**
 * A registry:2 on the stack's network: data in a named volume that outlives the container,
 * published on the configured host address, optional htpasswd auth and pull-through cache.
 */
export class Registry extends pulumi.ComponentResource {
  /** host:port for the host and DooD pushes, e.g. `127.0.0.1:5000`. */
  readonly hostAddress: string;
  /** alias:5000 for containers on the network, e.g. `registry:5000`. */
  readonly networkAddress: string;
  /** The registry container. */
  readonly container: docker.Container;
  /** The data volume's name. */
  readonly volumeName: pulumi.Output<string>;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-stack:registry:Registry", name, {}, opts);
    const { settings } = args;
    const addresses = registryAddresses(settings);
    const image = new docker.RemoteImage(`${name}-image`, { name: settings.image, keepLocally: true }, { parent: this });
    // The data volume is named by the config and outlives the container. It is deleted only when
    // the stack is destroyed with retainDataOnDelete: false; renaming it (registry.volumeName)
    // points the registry at another volume and leaves this one in place while retained. Label
    // changes (a code change, never a config one) are ignored so they can never replace it.
    const volume = new docker.Volume(
      `${name}-data`,
      { name: args.volumeName, labels: stackLabels(args.stack, "registry") },
      { parent: this, retainOnDelete: settings.retainDataOnDelete, ignoreChanges: ["labels"] },
    );
    const config = args.proxyPassword
      ? pulumi.secret(args.proxyPassword.apply((password) => JSON.stringify(registryConfig(settings, password), null, 2)))
      : JSON.stringify(registryConfig(settings), null, 2);
    const uploads: docker.types.input.ContainerUpload[] = [{ file: REGISTRY_CONFIG_PATH, content: config, permissions: REGISTRY_FILE_MODE }];
    if (settings.auth && args.password) {
      const username = settings.auth.username;
      const htpasswd = pulumi.secret(args.password.apply((password) => htpasswdLine(args.stack, username, password)));
      uploads.push({ file: HTPASSWD_PATH, content: htpasswd, permissions: REGISTRY_FILE_MODE });
    }
    this.container = new docker.Container(
      `${name}-container`,
      {
        name: args.containerName,
        image: image.imageId,
        command: [REGISTRY_CONFIG_PATH],
        uploads,
        ports: [{ internal: REGISTRY_CONTAINER_PORT, external: settings.port, ip: settings.bindAddress }],
        volumes: [{ volumeName: volume.name, containerPath: "/var/lib/registry" }],
        networksAdvanced: [{ name: args.networkName, aliases: [settings.alias] }],
        restart: "unless-stopped",
        healthcheck: REGISTRY_HEALTHCHECK,
        wait: true,
        waitTimeout: 60,
        labels: stackLabels(args.stack, "registry"),
      },
      // A fixed container name and host port: a replacement (new image, config, password or
      // port) must remove the old container before creating the new one, or it collides with it.
      { parent: this, deleteBeforeReplace: true },
    );
    this.hostAddress = addresses.host;
    this.networkAddress = addresses.network;
    this.volumeName = volume.name;
    this.registerOutputs({ hostAddress: this.hostAddress, networkAddress: this.networkAddress, volumeName: this.volumeName });
  }
}
