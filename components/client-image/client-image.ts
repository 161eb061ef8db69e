import * as path from "node:path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DindImageSettings } from "../config/schema";
import { dindBuildArgs, dindImageTag, localFiles, platformOf } from "../dind-image/build-args";
import { DOCKERFILE_DIR, filesOf, stageBuildContext } from "../dind-image/build-context";

/** The directory holding the client image's Dockerfile, kept in the repo. */
export const CLIENT_DOCKERFILE_DIR = path.join(__dirname, "docker");

/** The client image's build context: its own folder and the DinD image's fetch and check scripts (the same verification for both images). */
const CLIENT_SOURCE_FILES = [
  ...filesOf(CLIENT_DOCKERFILE_DIR),
  ...["fetch-verified.sh", "fetch-docker-bundle.sh", "fetch-plugin.sh", "check-plugins.sh"].map((script) => path.join(DOCKERFILE_DIR, script)),
];

/** Repository of the client image (kept local, never pushed); the tag is the DinD image's (dindImage.tag or <dockerVersion>-<stack>). */
export const CLIENT_IMAGE_REPOSITORY = "dind-stack/client";

/** Arguments of a ClientImage. */
export interface ClientImageArgs {
  /** Validated dindImage settings of the stack: the same tarball, checksum, base image and build network. */
  settings: DindImageSettings;
  /** Stack name, used in the default tag. */
  stack: string;
  /** Directory (relative to the project) where the build context is assembled. */
  stagingDir: string;
}

/**
 * The image DooD clients run when their group names none: the base image and the docker CLI
 * from the same sha256-verified tarball as the DinD image (the same build args), without its
 * engine, iptables or apt packages (apt runs only for dindImage.extraPackages), so a DooD stack
 * never builds the DinD image. Kept on the local engine.
 */
export class ClientImage extends pulumi.ComponentResource {
  /** The image's tag, e.g. `dind-stack/client:24.0.6-dev`. */
  readonly imageName: pulumi.Output<string>;
  /** The image's unique reference (its local image id), which changes on every rebuild. */
  readonly imageRef: pulumi.Output<string>;

  constructor(name: string, args: ClientImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-stack:image:ClientImage", name, {}, opts);
    const { settings } = args;
    const context = stageBuildContext(args.stagingDir, localFiles(settings), CLIENT_SOURCE_FILES);
    const image = new docker.Image(
      `${name}-image`,
      {
        imageName: dindImageTag({ ...settings, imageName: CLIENT_IMAGE_REPOSITORY }, args.stack),
        build: { context, dockerfile: `${context}/Dockerfile`, args: dindBuildArgs(settings), platform: platformOf(settings.arch), network: settings.buildNetwork },
        skipPush: true,
        buildOnPreview: settings.buildOnPreview,
      },
      { parent: this },
    );
    this.imageName = image.imageName;
    this.imageRef = image.repoDigest;
    this.registerOutputs({ imageName: this.imageName, imageRef: this.imageRef });
  }
}
