import * as fs from "node:fs";
import * as path from "node:path";
import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { NAMED_CONTAINER_OPTIONS } from "../container-options";
import { dockerCliEnvironment } from "../docker-cli";
import { imageSlug, MIRROR_ALIAS, stackLabels } from "../naming";
import { REGISTRY_CONTAINER_PORT } from "../registry/addresses";
import { readOnlyRegistryConfig, REGISTRY_CONFIG_PATH, REGISTRY_HEALTHCHECK } from "../registry/registry-config";
import { LoadedImage } from "./image-mirror";

/** The mirror registry's address on the stack's network. */
export const READ_ONLY_MIRROR_ADDRESS = `${MIRROR_ALIAS}:${REGISTRY_CONTAINER_PORT}`;

/** What publishes one image into the mirror's volume (see the script's header). */
const PUBLISH_SCRIPT = fs.readFileSync(path.join(__dirname, "publish-image.sh"), "utf8");

/** Arguments of a ReadOnlyMirror. */
export interface ReadOnlyMirrorArgs {
  /** Stack name, for labels. */
  stack: string;
  /** Name of the mirror registry container. */
  containerName: string;
  /** Name of the volume holding the mirror's data. */
  volumeName: string;
  /** Keep the volume when the stack is destroyed (registry.retainDataOnDelete). */
  retainDataOnDelete: boolean;
  /** The registry image's ID (the stack's registry image). */
  registryImageId: pulumi.Input<string>;
  /** The stack's network, where the DinD daemons reach the mirror. */
  networkName: pulumi.Input<string>;
  /** The mirror list's images, loaded or pulled on the engine. */
  entries: LoadedImage[];
}

/**
 * The DinD daemons' Docker Hub mirror, and where the mirror list's images are pulled from: a
 * registry on the stack's network that refuses every write (read-only mode, storage mounted
 * read-only). Only `pulumi up` puts images into its volume, each through a registry that exists
 * while the image is pushed, on the engine host's loopback: no runner, nested container or
 * other tenant of the network can change what `FROM <Docker Hub image>` resolves to.
 */
export class ReadOnlyMirror extends pulumi.ComponentResource {
  /** The mirror's address on the stack's network, e.g. `mirror:5000`. */
  readonly address: string;
  /** The mirror registry container. */
  readonly container: docker.Container;
  /** The volume holding its data. */
  readonly volumeName: pulumi.Output<string>;

  constructor(name: string, args: ReadOnlyMirrorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-stack:mirror:ReadOnlyMirror", name, {}, opts);
    const volume = new docker.Volume(
      `${name}-data`,
      { name: args.volumeName, labels: stackLabels(args.stack, "mirror-data") },
      // Deleted only on destroy with retainDataOnDelete: false. Label changes (a code change,
      // never a config one) are ignored so they can never replace it.
      { parent: this, retainOnDelete: args.retainDataOnDelete, ignoreChanges: ["labels"] },
    );
    const published = args.entries.map(
      (entry) =>
        new command.local.Command(
          `${name}-${imageSlug(entry.image.localName)}-publish`,
          {
            create: PUBLISH_SCRIPT,
            environment: {
              ...dockerCliEnvironment(),
              DIND_STACK_STACK: args.stack,
              DIND_STACK_MIRROR_VOLUME: volume.name,
              DIND_STACK_REGISTRY_IMAGE: args.registryImageId,
              DIND_STACK_IMAGE_ID: entry.imageId,
              DIND_STACK_LOCAL_NAME: entry.image.localName,
            },
            // Another image (or another volume) is published again; a removed entry stays in the
            // mirror, as it stays in the stack's registry: nothing to undo on delete.
            triggers: [entry.imageId, volume.name],
          },
          { parent: this, dependsOn: entry.ready },
        ),
    );
    this.container = new docker.Container(
      `${name}-container`,
      {
        name: args.containerName,
        image: args.registryImageId,
        command: [REGISTRY_CONFIG_PATH],
        uploads: [{ file: REGISTRY_CONFIG_PATH, content: JSON.stringify(readOnlyRegistryConfig(), null, 2) }],
        volumes: [{ volumeName: volume.name, containerPath: "/var/lib/registry", readOnly: true }],
        networksAdvanced: [{ name: args.networkName, aliases: [MIRROR_ALIAS] }],
        restart: "unless-stopped",
        healthcheck: REGISTRY_HEALTHCHECK,
        wait: true,
        waitTimeout: 60,
        labels: stackLabels(args.stack, "mirror"),
      },
      // A fixed container name: a replacement removes the old container first; one that never
      // became healthy is replaced by the next up (NAMED_CONTAINER_OPTIONS).
      { parent: this, ...NAMED_CONTAINER_OPTIONS, dependsOn: published },
    );
    this.address = READ_ONLY_MIRROR_ADDRESS;
    this.volumeName = volume.name;
    this.registerOutputs({ address: this.address, volumeName: this.volumeName });
  }
}
