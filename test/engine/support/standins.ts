import * as fs from "node:fs";
import * as path from "node:path";

/** A CLI plugin binary scripts/build-standins.sh made available (plugins.json). */
export interface StandinPlugin {
  /** Its version. */
  version: string;
  /** Path of the binary. */
  file: string;
  /** Its sha256. */
  sha256: string;
  /** True when it is a Debian build standing in for the upstream release binary. */
  isStandin: boolean;
}

/** What scripts/build-standins.sh made available on this machine for one engine (standins.json, standins-trixie.json). */
export interface Standins {
  /** Version of the binaries in the tarball. */
  dockerVersion: string;
  /** Architecture folder. */
  arch: string;
  /** Path of docker-<version>.tgz. */
  tarball: string;
  /** Its sha256. */
  sha256: string;
  /** Folder laid out like download.docker.com/linux/static/stable (<arch>/docker-<version>.tgz). */
  mirrorDir: string;
  /** apt packages the tarball's binaries need on the base image. */
  extraPackages: string[];
  /** The base image the tarball's binaries run on (debian:bookworm-slim, debian:trixie-slim). */
  baseImage: string;
  /** True when the base image was built locally. */
  baseImageIsStandin: boolean;
  /** True when registry:2 was built locally. */
  registryImageIsStandin: boolean;
  /** True when the tarball was packed from Debian's binaries (no download site reachable). */
  tarballIsStandin: boolean;
}

/** The buildx and compose plugins both engines' DinD images carry (plugins.json). */
export interface StandinPlugins {
  /** docker-buildx. */
  buildx: StandinPlugin;
  /** docker-compose. */
  compose: StandinPlugin;
}

/** The stand-in engines: bookworm's (the default) and trixie's, chosen with DIND_STACK_STANDIN. */
export const STANDIN_ENGINES = ["bookworm", "trixie"] as const;

/** One of STANDIN_ENGINES. */
export type StandinEngine = (typeof STANDIN_ENGINES)[number];

/** The engine a run uses: DIND_STACK_STANDIN, else bookworm. */
export function standinEngine(): StandinEngine {
  const chosen = process.env.DIND_STACK_STANDIN ?? "bookworm";
  if (!(STANDIN_ENGINES as readonly string[]).includes(chosen)) {
    throw new Error(`DIND_STACK_STANDIN=${JSON.stringify(chosen)} names no stand-in engine; allowed: ${STANDIN_ENGINES.join(", ")}`);
  }
  return chosen as StandinEngine;
}

const STANDINS_DIR = path.join(process.env.DIND_STACK_CACHE ?? "/var/cache/dind-stack", "standins");

/** Path of an engine's metadata file: standins.json for bookworm's, standins-<release>.json for another. */
export function standinsFile(engine: StandinEngine = standinEngine()): string {
  return path.join(STANDINS_DIR, engine === "bookworm" ? "standins.json" : `standins-${engine}.json`);
}

/** Reads a JSON file scripts/build-standins.sh writes; fails with what to run when it is missing. */
function readMetadata<T>(file: string): T {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run scripts/build-standins.sh (it makes the base images, registry:2, the docker tarballs and the plugins available)`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

/** Reads the chosen engine's metadata, with the plugins both engines' images carry. */
export function readStandins(engine: StandinEngine = standinEngine()): Standins & { plugins: StandinPlugins } {
  return { ...readMetadata<Standins>(standinsFile(engine)), plugins: readMetadata<StandinPlugins>(path.join(STANDINS_DIR, "plugins.json")) };
}

/**
 * The air-gapped path docs/air-gapped.md documents, used on machines that reach no download site: the
 * DinD image is built from the chosen engine's local docker tarball and plugin binaries made by
 * scripts/build-standins.sh (their versions and checksums), on its base image, with the packages
 * its binaries need added to `stackImageConfig`'s. Without `plugins` both plugins are turned off.
 */
export function airGappedImageOverrides(stackImageConfig: Record<string, unknown> = {}, plugins = true): Record<string, unknown> {
  const standins = readStandins();
  const packages = [...((stackImageConfig.extraPackages as string[]) ?? []), ...standins.extraPackages];
  const plugin = (binary: StandinPlugin) => (plugins ? { version: binary.version, sha256: binary.sha256, localFile: binary.file } : { enabled: false });
  return {
    dockerVersion: standins.dockerVersion,
    arch: standins.arch,
    sha256: standins.sha256,
    localTarball: standins.tarball,
    baseImage: standins.baseImage,
    extraPackages: [...new Set(packages)],
    buildx: plugin(standins.plugins.buildx),
    compose: plugin(standins.plugins.compose),
  };
}
