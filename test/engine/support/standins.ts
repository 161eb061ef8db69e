import * as fs from "node:fs";
import * as path from "node:path";

/** What scripts/build-standins.sh made available on this machine (standins.json). */
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
  /** True when debian:bookworm-slim was built locally. */
  baseImageIsStandin: boolean;
  /** True when registry:2 was built locally. */
  registryImageIsStandin: boolean;
  /** True when the tarball was packed from Debian's binaries (no download site reachable). */
  tarballIsStandin: boolean;
}

/** Path of standins.json. */
export const STANDINS_FILE = path.join(process.env.DIND_STACK_CACHE ?? "/var/cache/dind-stack", "standins", "standins.json");

/** Reads standins.json; fails with what to run when it is missing. */
export function readStandins(): Standins {
  if (!fs.existsSync(STANDINS_FILE)) {
    throw new Error(`${STANDINS_FILE} is missing: run scripts/build-standins.sh (it makes the base image, registry:2 and the docker tarball available)`);
  }
  return JSON.parse(fs.readFileSync(STANDINS_FILE, "utf8")) as Standins;
}
