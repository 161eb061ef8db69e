import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { fullKey } from "../config/key-path";
import { renderValue } from "../config/problem";
import { dockerCliEnvironment } from "../docker-cli";
import { imageSlug } from "../naming";
import { PlannedImage } from "./mirror-plan";

/** Loads an archive into the engine, then fails unless the engine now has the image the archive was checked to hold. */
const LOAD_COMMAND = `docker load -i "$DIND_STACK_ARCHIVE" && docker image inspect --format '{{.Id}}' "$DIND_STACK_IMAGE_ID"`;

/** Arguments of an ImageMirror. */
export interface ImageMirrorArgs {
  /** Stack name, for errors. */
  stack: string;
  /** The images to mirror, resolved from the config. */
  images: PlannedImage[];
  /** The registry as the engine that pushes reaches it (its host address), e.g. `127.0.0.1:5000`. */
  registryHostAddress: string;
  /** The registry address in the local references the stack reports (where clients pull from). */
  referenceRegistry: string;
  /** Where the registry keeps its data: when it changes, every image is pushed again. */
  registryStorage: pulumi.Input<string>;
  /** The registry's user and password (a secret), when it has auth. */
  auth?: { username: string; password: pulumi.Output<string> };
  /** The registry container: pushes wait until it is healthy. */
  registry: pulumi.Resource;
}

/** One image of the mirror list on the engine: the image ID it was checked to have, and what made it available. */
export interface LoadedImage {
  /** The planned image. */
  image: PlannedImage;
  /** Its image ID on the engine. */
  imageId: pulumi.Input<string>;
  /** The resources that must finish before it is there (a load). */
  ready: pulumi.Resource[];
}

/** One mirrored image, as the stack reports it. */
export interface MirroredImage {
  /** The source reference, as configured. */
  source: string;
  /** Its reference in the stack's registry, e.g. `registry:5000/library/nginx:alpine`. */
  reference: string;
  /** Its image ID. */
  imageId: string;
}

/** A pulled image whose ID is not the pinned one: `pulumi up` stops before pushing it. */
export class MirrorDigestMismatch extends pulumi.RunError {
  constructor(stack: string, image: PlannedImage, actual: string) {
    super(
      `stack "${stack}": ${fullKey(["mirror", image.index, "digest"])}: got ${renderValue(image.digest)}, but ${image.source} was pulled as ${actual}; ` +
        `allowed: the image ID of the image to mirror (\`docker inspect -f '{{.Id}}' ${image.source}\`); nothing was pushed for this entry, the registry keeps what it had`,
    );
  }
}

/**
 * Puts a list of images into the stack's registry: each is pulled from its upstream
 * (RemoteImage) or loaded from its `docker save` archive (a local `docker load`), checked
 * against its pinned ID, tagged with its local reference (Tag) and pushed from the engine
 * (RegistryImage). An image whose ID changes is pushed again; a removed entry stays in the
 * registry (keepRemotely): the stack never deletes what the registry serves.
 */
export class ImageMirror extends pulumi.ComponentResource {
  /** Every mirrored image: source, local reference, image ID. */
  readonly images: pulumi.Output<MirroredImage[]>;
  /** Every image of the list on the engine, once loaded or pulled. */
  readonly loaded: LoadedImage[];

  constructor(name: string, args: ImageMirrorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-stack:mirror:ImageMirror", name, {}, opts);
    const authConfig = {
      address: `http://${args.registryHostAddress}`,
      ...(args.auth ? { username: args.auth.username, password: pulumi.secret(args.auth.password) } : {}),
    };
    this.loaded = args.images.map((image) => {
      const base = `${name}-${imageSlug(image.localName)}`;
      const { imageId, loaded } = image.archive ? this.load(base, image.archive) : this.pull(base, image, args.stack);
      return { image, imageId, ready: loaded };
    });
    const mirrored = this.loaded.map(({ image, imageId, ready: loaded }) => {
      const base = `${name}-${imageSlug(image.localName)}`;
      // Tagging the image by its ID tags exactly the image that was checked. Neither a Tag nor
      // a RegistryImage has a fixed identity that a create-first replacement would collide
      // with: a new tag or push moves the name, and the old one's delete removes nothing.
      const tag = new docker.Tag(`${base}-tag`, { sourceImage: imageId, targetImage: `${args.registryHostAddress}/${image.localName}` }, { parent: this, dependsOn: loaded });
      new docker.RegistryImage(
        `${base}-push`,
        { name: tag.targetImage, keepRemotely: true, authConfig, triggers: { imageId, storage: args.registryStorage } },
        { parent: this, dependsOn: [args.registry, tag] },
      );
      return pulumi.all([imageId]).apply(([id]) => ({ source: image.source, reference: `${args.referenceRegistry}/${image.localName}`, imageId: id }));
    });
    this.images = pulumi.all(mirrored);
    this.registerOutputs({ images: this.images });
  }

  /** `docker load` of an archive whose image ID the config rules have read (and checked against the pin). */
  private load(base: string, archive: NonNullable<PlannedImage["archive"]>): { imageId: pulumi.Input<string>; loaded: pulumi.Resource[] } {
    const load = new command.local.Command(
      `${base}-load`,
      {
        create: LOAD_COMMAND,
        environment: { ...dockerCliEnvironment(), DIND_STACK_ARCHIVE: archive.path, DIND_STACK_IMAGE_ID: archive.imageId },
        // Another image in the archive loads it again (a replacement); the same image under
        // another path only runs the load again (an update).
        triggers: [archive.imageId],
      },
      { parent: this },
    );
    return { imageId: archive.imageId, loaded: [load] };
  }

  /** A pull from the image's upstream; its ID is checked against the pin before anything uses it. */
  private pull(base: string, image: PlannedImage, stack: string): { imageId: pulumi.Input<string>; loaded: pulumi.Resource[] } {
    const pulled = new docker.RemoteImage(`${base}-pull`, { name: image.source, keepLocally: true }, { parent: this });
    const imageId = pulled.imageId.apply((id) => {
      if (image.digest !== undefined && id !== image.digest) throw new MirrorDigestMismatch(stack, image, id);
      return id;
    });
    return { imageId, loaded: [] };
  }
}
