import * as fs from "node:fs";
import Docker from "dockerode";
import { FIGURES_FILE } from "./figures";
import { readStandins, StandinEngine, standinEngine } from "./standins";

/**
 * Runs once before the engine tests of a project: the engine must answer and the chosen stand-in
 * engine's images, tarball and plugins must exist. Anything missing fails the run loudly; nothing
 * is skipped. The first project to run it in a jest process starts the run (its id, the removal of
 * stale objects, the figures file); another project's setup in the same process only checks.
 */
export async function setUpEngineRun(chosen: StandinEngine): Promise<void> {
  const docker = new Docker();
  try {
    await docker.ping();
  } catch (error) {
    throw new Error(`engine tests need a Docker engine and none answers (${String(error)}); start one with scripts/engine-up.sh`);
  }
  const standins = readStandins(chosen);
  for (const image of [standins.baseImage, "registry:2"]) {
    await docker
      .getImage(image)
      .inspect()
      .catch(() => {
        throw new Error(`image ${image} is missing: run scripts/build-standins.sh`);
      });
  }
  for (const file of [standins.tarball, standins.plugins.buildx.file, standins.plugins.compose.file]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run scripts/build-standins.sh`);
  }
  if (process.env.DIND_STACK_TEST_RUN === undefined) {
    process.env.DIND_STACK_TEST_RUN = `run-${process.pid}-${Date.now().toString(36)}`;
    const { removeStaleTestObjects } = await import("./cleanup");
    await removeStaleTestObjects(2 * 3600 * 1000);
    process.env.DIND_STACK_FIGURES = FIGURES_FILE;
    fs.rmSync(FIGURES_FILE, { force: true });
  }
  const version = await docker.version();
  const plugins = `buildx ${standins.plugins.buildx.version}, compose ${standins.plugins.compose.version}${standins.plugins.buildx.isStandin ? " (Debian builds)" : ""}`;
  console.log(
    `\n[harness] engine ${version.Version}; stand-in engine ${chosen}: base image ${standins.baseImage} ${standins.baseImageIsStandin ? "stand-in" : "real"}, ` +
      `registry:2 ${standins.registryImageIsStandin ? "stand-in" : "real"}, ` +
      `docker tarball ${standins.tarballIsStandin ? "stand-in" : "official"} ${standins.dockerVersion} (${standins.sha256.slice(0, 12)}...), plugins ${plugins}`,
  );
}

/** The engine project's setup: the stand-in engine DIND_STACK_STANDIN names (bookworm's by default). */
export default function globalSetup(): Promise<void> {
  return setUpEngineRun(standinEngine());
}
