import { DindImageSettings } from "../config/schema";
import { pinnedDockerSha256 } from "../config/pins";
import { pluginBuildArgs, pluginLocalFiles } from "./plugins";

/** Build args of the DinD Dockerfile (components/dind-image/docker/Dockerfile). */
export interface DindBuildArgs {
  /** apt-based base image. */
  BASE_IMAGE: string;
  /** Version of the static binaries. */
  DOCKER_VERSION: string;
  /** Architecture folder of the static binaries. */
  DOCKER_ARCH: string;
  /** Expected sha256 of the tarball. */
  DOCKER_SHA256: string;
  /** Base URL the tarball is downloaded from when DOCKER_TARBALL is empty. */
  DOCKER_DOWNLOAD_URL: string;
  /** Path of the tarball inside the build context, or empty to download. */
  DOCKER_TARBALL: string;
  /** Space-separated extra apt packages. */
  EXTRA_PACKAGES: string;
  /** buildx version, or empty to leave the plugin out. */
  BUILDX_VERSION: string;
  /** Expected sha256 of the buildx binary. */
  BUILDX_SHA256: string;
  /** URL of the buildx binary, downloaded when BUILDX_FILE is empty. */
  BUILDX_URL: string;
  /** Path of the buildx binary inside the build context, or empty to download. */
  BUILDX_FILE: string;
  /** compose version, or empty to leave the plugin out. */
  COMPOSE_VERSION: string;
  /** Expected sha256 of the compose binary. */
  COMPOSE_SHA256: string;
  /** URL of the compose binary, downloaded when COMPOSE_FILE is empty. */
  COMPOSE_URL: string;
  /** Path of the compose binary inside the build context, or empty to download. */
  COMPOSE_FILE: string;
  /** Index signature, as docker.Image build args require. */
  [name: string]: string;
}

/** The Docker platform of a static-binary architecture. */
export function platformOf(arch: DindImageSettings["arch"]): string {
  return arch === "aarch64" ? "linux/arm64" : "linux/amd64";
}

/** Where a local tarball is placed inside the build context. */
export function tarballContextPath(settings: DindImageSettings): string {
  return `offline/docker-${settings.dockerVersion}-${settings.arch}.tgz`;
}

/** The sha256 the build verifies: the configured one, else the pinned one (config validation guarantees one exists). */
export function expectedSha256(settings: DindImageSettings): string {
  const sha256 = settings.sha256 ?? pinnedDockerSha256(settings.dockerVersion, settings.arch);
  if (sha256 === undefined) throw new Error(`no sha256 for docker ${settings.dockerVersion} (${settings.arch})`);
  return sha256;
}

/** Build args for the DinD image from validated settings. */
export function dindBuildArgs(settings: DindImageSettings): DindBuildArgs {
  return {
    BASE_IMAGE: settings.baseImage,
    DOCKER_VERSION: settings.dockerVersion,
    DOCKER_ARCH: settings.arch,
    DOCKER_SHA256: expectedSha256(settings),
    DOCKER_DOWNLOAD_URL: settings.downloadUrl.replace(/\/+$/, ""),
    DOCKER_TARBALL: settings.localTarball ? tarballContextPath(settings) : "",
    EXTRA_PACKAGES: settings.extraPackages.join(" "),
    ...(pluginBuildArgs(settings) as PluginBuildArgs),
  };
}

/** The build args pluginBuildArgs makes. */
type PluginBuildArgs = Pick<DindBuildArgs, `${"BUILDX" | "COMPOSE"}_${"VERSION" | "SHA256" | "URL" | "FILE"}`>;

/** The local files of the build context, by path inside it: the tarball (offline/) and plugin files (plugins/). */
export function localFiles(settings: DindImageSettings): Record<string, string> {
  return { ...(settings.localTarball ? { [tarballContextPath(settings)]: settings.localTarball } : {}), ...pluginLocalFiles(settings) };
}

/** The local tag of the DinD image: `<imageName>:<tag>`, the tag defaulting to `<dockerVersion>-<stack>`. */
export function dindImageTag(settings: DindImageSettings, stack: string): string {
  return `${settings.imageName}:${settings.tag ?? `${settings.dockerVersion}-${stack}`}`;
}
