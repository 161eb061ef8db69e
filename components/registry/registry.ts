import * as fs from "node:fs";
import * as path from "node:path";
import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { RegistrySettings } from "../config/schema";
import { NAMED_CONTAINER_OPTIONS, REGISTRY_STOP_SECONDS } from "../container-options";
import { dockerCliEnvironment } from "../docker-cli";
import { stackLabels } from "../naming";
import { REGISTRY_CONTAINER_PORT, registryAddresses } from "./addresses";
import { quantityValue } from "../kubernetes/quantity";
import { htpasswdLine } from "./htpasswd";
import { inspectArchive } from "./storage-archive";
import { HTPASSWD_PATH, REGISTRY_CONFIG_PATH, REGISTRY_FILE_MODE, REGISTRY_HEALTHCHECK, registryConfig } from "./registry-config";

/** Where the registry keeps its data inside its container. */
const DATA_PATH = "/var/lib/registry";

/** The restore, run on the machine running Pulumi, and the part of it that runs in a registry container. */
const RESTORE_SCRIPTS = {
  host: fs.readFileSync(path.join(__dirname, "restore-storage.sh"), "utf8"),
  container: fs.readFileSync(path.join(__dirname, "restore-into-volume.sh"), "utf8"),
};

/** Arguments of a Registry. */
export interface RegistryArgs {
  /** Validated registry settings of the stack. */
  settings: RegistrySettings;
  /** Stack name, for labels and the htpasswd salt. */
  stack: string;
  /** Name of the registry container. */
  containerName: string;
  /** Name of the data volume (unused with settings.hostPath). */
  volumeName: string;
  /** Name of the stack's network. */
  networkName: pulumi.Input<string>;
  /** Password of settings.auth.username (a Pulumi secret). */
  password?: pulumi.Output<string>;
  /** Password of settings.proxy.username (a Pulumi secret). */
  proxyPassword?: pulumi.Output<string>;
}

/**
 * A registry:2 on the stack's network: data in a named volume that outlives the container
 * (restored once from an archive when configured) or in an existing host directory, published
 * on the configured host address, optional htpasswd auth and pull-through cache.
 */
export class Registry extends pulumi.ComponentResource {
  /** host:port for the host and DooD pushes, e.g. `127.0.0.1:5000`. */
  readonly hostAddress: string;
  /** alias:5000 for containers on the network, e.g. `registry:5000`. */
  readonly networkAddress: string;
  /** The registry container. */
  readonly container: docker.Container;
  /** Where the data lives: the data volume's name, or the host directory (registry.hostPath). */
  readonly storage: pulumi.Output<string>;
  /** The registry image's ID (the mirror registry runs it too). */
  readonly imageId: pulumi.Output<string>;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-stack:registry:Registry", name, {}, opts);
    const { settings } = args;
    const addresses = registryAddresses(settings);
    const image = new docker.RemoteImage(`${name}-image`, { name: settings.image, keepLocally: true }, { parent: this });
    const storage = settings.hostPath !== undefined ? this.hostDirectory(settings.hostPath) : this.dataVolume(name, args, image);
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
        volumes: [storage.mount],
        networksAdvanced: [{ name: args.networkName, aliases: [settings.alias] }],
        restart: "unless-stopped",
        healthcheck: REGISTRY_HEALTHCHECK,
        wait: true,
        waitTimeout: 60,
        stopTimeout: REGISTRY_STOP_SECONDS,
        destroyGraceSeconds: REGISTRY_STOP_SECONDS,
        labels: stackLabels(args.stack, "registry"),
      },
      // A fixed container name and host port: a replacement (new image, config, password or
      // port) must remove the old container before creating the new one, or it collides with it;
      // one that never became healthy is replaced by the next up (NAMED_CONTAINER_OPTIONS).
      // A restore, when configured, has filled the volume before the registry first starts.
      { parent: this, ...NAMED_CONTAINER_OPTIONS, dependsOn: storage.restore ? [storage.restore] : [] },
    );
    this.hostAddress = addresses.host;
    this.networkAddress = addresses.network;
    this.storage = storage.name;
    this.imageId = image.imageId;
    this.registerOutputs({ hostAddress: this.hostAddress, networkAddress: this.networkAddress, storage: this.storage, imageId: this.imageId });
  }

  /** An existing host directory, bind-mounted as it is; the stack never creates or deletes it. */
  private hostDirectory(hostPath: string): RegistryStorage {
    return { name: pulumi.output(hostPath), mount: { hostPath, containerPath: DATA_PATH } };
  }

  /**
   * The named data volume, and the restore that fills it from registry.restoreArchive. The
   * volume is named by the config and outlives the container. It is deleted only when the stack
   * is destroyed with retainDataOnDelete: false; renaming it (registry.volumeName) points the
   * registry at another volume and leaves this one in place while retained. Label changes (a
   * code change, never a config one) are ignored so they can never replace it.
   */
  private dataVolume(name: string, args: RegistryArgs, image: docker.RemoteImage): RegistryStorage {
    const volume = new docker.Volume(
      `${name}-data`,
      { name: args.volumeName, labels: stackLabels(args.stack, "registry") },
      // Renamed, the new volume is created first and the old one deleted (or, retained, dropped)
      // only after the registry runs on the new one: the provider would delete a named volume
      // first (the bridge's autonaming), and this option outranks it.
      { parent: this, retainOnDelete: args.settings.retainDataOnDelete, ignoreChanges: ["labels"], deleteBeforeReplace: false },
    );
    const archive = args.settings.restoreArchive;
    // Runs again when an input changes (another archive, volume or registry image), and then
    // restores only into a volume without registry data: what the registry holds is never
    // overwritten. Nothing to undo on delete: the data belongs to the volume.
    const restore =
      archive === undefined
        ? undefined
        : new command.local.Command(
            `${name}-restore`,
            {
              create: RESTORE_SCRIPTS.host,
              environment: {
                ...dockerCliEnvironment(),
                DIND_STACK_STACK: args.stack,
                DIND_STACK_RESTORE_ARCHIVE: path.resolve(archive),
                // The archive the config check read; the restore refuses a file changed since.
                DIND_STACK_RESTORE_SHA256: inspectArchive(archive, quantityValue(args.settings.restoreSizeLimit)).sha256,
                DIND_STACK_RESTORE_VOLUME: volume.name,
                DIND_STACK_RESTORE_IMAGE: image.imageId,
                DIND_STACK_RESTORE_SCRIPT: RESTORE_SCRIPTS.container,
              },
            },
            { parent: this },
          );
    return { name: volume.name, mount: { volumeName: volume.name, containerPath: DATA_PATH }, restore };
  }
}

/** Where the registry's data lives and how it is mounted. */
interface RegistryStorage {
  /** The volume's name or the host directory. */
  name: pulumi.Output<string>;
  /** The mount at /var/lib/registry. */
  mount: docker.types.input.ContainerVolume;
  /** The restore that must finish before the registry starts, when one is configured. */
  restore?: command.local.Command;
}
