import * as fs from "node:fs";
import Docker from "dockerode";
import { FIGURES_FILE } from "./figures";
import { readStandins } from "./standins";

/**
 * Runs once before the engine tests: the engine must answer and the local images and
 * tarball must exist. Anything missing fails the run loudly; nothing is skipped.
 */
export default async function globalSetup(): Promise<void> {
  const docker = new Docker();
  try {
    await docker.ping();
  } catch (error) {
    throw new Error(`engine tests need a Docker engine and none answers (${String(error)}); start one with scripts/engine-up.sh`);
  }
  const standins = readStandins();
  for (const image of ["debian:bookworm-slim", "registry:2"]) {
    await docker
      .getImage(image)
      .inspect()
      .catch(() => {
        throw new Error(`image ${image} is missing: run scripts/build-standins.sh`);
      });
  }
  if (!fs.existsSync(standins.tarball)) throw new Error(`${standins.tarball} is missing: run scripts/build-standins.sh`);
  process.env.DIND_STACK_TEST_RUN = `run-${process.pid}-${Date.now().toString(36)}`;
  const { removeStaleTestObjects } = await import("./cleanup");
  await removeStaleTestObjects(2 * 3600 * 1000);
  process.env.DIND_STACK_FIGURES = FIGURES_FILE;
  fs.rmSync(FIGURES_FILE, { force: true });
  const version = await docker.version();
  console.log(
    `\n[harness] engine ${version.Version}; base image ${standins.baseImageIsStandin ? "stand-in" : "real"}, ` +
      `registry:2 ${standins.registryImageIsStandin ? "stand-in" : "real"}, ` +
      `docker tarball ${standins.tarballIsStandin ? "stand-in" : "official"} ${standins.dockerVersion} (${standins.sha256.slice(0, 12)}...)`,
  );
}
