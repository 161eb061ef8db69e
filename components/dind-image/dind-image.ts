import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DindImageSettings } from "../config/schema";
import { describeAdvisories } from "./advisories";
import { dindBuildArgs, dindImageTag, localFiles, platformOf } from "./build-args";
import { stageBuildContext } from "./build-context";

/** Arguments of a DindImage. */
export interface DindImageArgs {
  /** Validated dindImage settings of the stack. */
  settings: DindImageSettings;
  /** Stack name, used in the default tag. */
  stack: string;
  /** Directory (relative to the project) where the build context is assembled. */
  stagingDir: string;
  /** Push the image to this registry (for a cluster, which cannot use this engine's images); absent keeps it local. */
  push?: ImagePush;
}

/** Where the DinD image is pushed, and with which credentials. */
export interface ImagePush {
  /** Registry host[:port]. */
  registry: string;
  /** Repository inside the registry, without tag. */
  repository: string;
  /** User, when the registry needs one. */
  username?: string;
  /** That user's password (a Pulumi secret). */
  password?: pulumi.Input<string>;
}

/**
 * The DinD image: static Docker binaries (downloaded or from a local tarball, sha256-verified)
 * on an apt-based image with iptables and an entrypoint that prepares the nested daemon.
 * Kept on the local engine, or pushed to a registry a cluster pulls from.
 */
export class DindImage extends pulumi.ComponentResource {
  /** The image's tag, e.g. `dind-stack/dind:24.0.6-ci`. */
  readonly imageName: pulumi.Output<string>;
  /** The image's unique reference (its local image id, or `<repository>@sha256:...` once pushed), which changes on every rebuild. */
  readonly imageRef: pulumi.Output<string>;

  constructor(name: string, args: DindImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-stack:image:DindImage", name, {}, opts);
    const { settings, push } = args;
    // With dindImage.advisories: refuse, such a version never gets here (config/advisory-rules.ts).
    const advisories = describeAdvisories(settings.dockerVersion);
    if (advisories) pulumi.log.warn(`${advisories}. Set dind-stack:dindImage.dockerVersion to a fixed release.`, this);
    const context = stageBuildContext(args.stagingDir, localFiles(settings));
    const image = new docker.Image(
      `${name}-image`,
      {
        imageName: dindImageTag(push ? { ...settings, imageName: `${push.registry}/${push.repository}` } : settings, args.stack),
        build: {
          context,
          dockerfile: `${context}/Dockerfile`,
          args: dindBuildArgs(settings),
          platform: platformOf(settings.arch),
          network: settings.buildNetwork,
        },
        // Without a push target the image is only used on this engine.
        skipPush: push === undefined,
        registry: push && { server: push.registry, username: push.username, password: push.password && pulumi.secret(push.password) },
        // Building in `pulumi preview` proves the Dockerfile and checksum in PRs and gives containers exact diffs.
        buildOnPreview: settings.buildOnPreview,
      },
      { parent: this },
    );
    this.imageName = image.imageName;
    this.imageRef = image.repoDigest;
    this.registerOutputs({ imageName: this.imageName, imageRef: this.imageRef });
  }
}
