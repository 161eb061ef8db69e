import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import Docker from "dockerode";
import { stageBuildContext } from "../../components/dind-image/build-context";
import { DindBuildArgs, dindBuildArgs, localFiles } from "../../components/dind-image/build-args";
import { parseSettings } from "../../components/config/parse-settings";
import { DindImageSettings } from "../../components/config/schema";
import { readSavedImages } from "../../components/mirror/saved-images";
import { registryArchiveProblem } from "../../components/registry/storage-archive";
import { grantPrivileges, privilegeMode } from "../../test/engine/support/privileges";
import { followStream } from "../../test/engine/support/progress";
import { airGappedImageOverrides } from "../../test/engine/support/standins";

/** The engine the benchmarks run on (DOCKER_HOST or the local socket). */
export const engine = new Docker();

/** Label on every object a benchmark creates, so a later run can remove leftovers. */
export const BENCH_LABEL = "org.dind-stack.bench";

/** Name prefix of every container, volume and network a benchmark creates. */
export const PREFIX = "dind-stack-bench";

/** The DinD image the benchmarks build from components/dind-image/docker. */
export const BENCH_IMAGE = `${PREFIX}/dind:current`;

/** Host directory holding, per daemon container, the extra unix socket the benchmarks talk to. */
const SOCKET_ROOT = "/tmp/dind-stack-bench";

/** Where that socket is inside a daemon container (the directory is a bind mount of the host's). */
const SOCKET_DIR_INSIDE = "/run/dind-bench";

/** The dockerd flag that adds the benchmark's socket to a daemon's listeners. */
export const BENCH_SOCKET_FLAG = `--host=unix://${SOCKET_DIR_INSIDE}/docker.sock`;

/** Removes every container, volume and network a benchmark made (this run's or an aborted one's). */
export async function removeBenchObjects(): Promise<void> {
  const filters = { label: [BENCH_LABEL] };
  for (const info of await engine.listContainers({ all: true, filters })) await engine.getContainer(info.Id).remove({ force: true, v: true });
  for (const info of (await engine.listVolumes({ filters })).Volumes ?? []) await engine.getVolume(info.Name).remove({ force: true });
  for (const info of await engine.listNetworks({ filters })) await engine.getNetwork(info.Id).remove();
  fs.rmSync(SOCKET_ROOT, { recursive: true, force: true });
}

/** "dockerd 20.10.24 (overlay2, cgroup v1)": the engine the figures were taken on. */
export async function engineDescription(): Promise<string> {
  const info = await engine.info();
  return `dockerd ${info.ServerVersion} (${info.Driver}, cgroup v${info.CgroupVersion ?? "1"}, ${info.NCPU} CPUs)`;
}

/** The DinD image settings of an air-gapped build from the stand-ins (tarball and plugins) of the chosen engine, the plugins left out if asked. */
export function standinImageSettings(withoutPlugins = false): DindImageSettings {
  const fileExists = (candidate: string) => fs.statSync(candidate, { throwIfNoEntry: false })?.isFile() ?? false;
  const config = { ...airGappedImageOverrides(), ...(withoutPlugins ? { buildx: { enabled: false }, compose: { enabled: false } } : {}) };
  return parseSettings(
    "bench",
    { dindImage: JSON.stringify(config) },
    { isFile: fileExists, isDirectory: () => false, isSecret: () => false, savedImages: readSavedImages, registryArchiveProblem },
  ).dindImage;
}

/**
 * Builds the DinD image from components/dind-image/docker the way the stack does on an air-gapped
 * host (the docker tarball and plugins scripts/build-standins.sh obtained for the engine
 * DIND_STACK_STANDIN names, sha256-verified), with the classic builder, as BENCH_IMAGE (or, without
 * the plugins, `<prefix>/dind:no-plugins`). Unchanged sources hit the build cache.
 */
export async function buildDindImage(options: { withoutPlugins?: boolean } = {}): Promise<string> {
  const settings = standinImageSettings(options.withoutPlugins);
  const tag = options.withoutPlugins ? `${PREFIX}/dind:no-plugins` : BENCH_IMAGE;
  const staging = path.resolve(".dind-stack", "bench", "dind-image");
  fs.rmSync(staging, { recursive: true, force: true });
  const context = stageBuildContext(staging, localFiles(settings));
  const args: DindBuildArgs = dindBuildArgs(settings);
  const started = Date.now();
  const files = ["Dockerfile", ...fs.readdirSync(context).filter((file) => file !== "Dockerfile" && file !== "offline"), "offline"];
  const stream = await engine.buildImage({ context, src: files }, { t: tag, buildargs: args, forcerm: true, version: "1" } as Docker.ImageBuildOptions);
  const log: string[] = [];
  await followStream(stream, `building ${tag}`, (event) => log.push(event.stream ?? ""), () => `\n${log.join("").split("\n").slice(-30).join("\n")}`);
  process.stdout.write(`[bench] ${tag} built from components/dind-image/docker in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return tag;
}

/** A container to run for a benchmark. */
export interface BenchContainer {
  /** Name suffix (the container is `${PREFIX}-<name>`). */
  name: string;
  /** Image. */
  image: string;
  /** Environment. */
  env?: string[];
  /** Entrypoint; the image's when absent. */
  entrypoint?: string[];
  /** Command (for the DinD image: extra dockerd arguments). */
  cmd?: string[];
  /** Binds, `source:target[:ro]`; named volumes are labelled and created first. */
  binds?: string[];
  /** Network to join, with these aliases. */
  network?: { name: string; aliases?: string[] };
  /** Run privileged (or the equivalent, on engines that refuse --privileged), in a private cgroup namespace as the stack's daemon. */
  privileged?: boolean;
  /** Give the container a host directory for the benchmark's daemon socket (see daemonSocket). */
  benchSocket?: boolean;
}

/** The host path of the benchmark socket of the daemon in container `name`. */
export function daemonSocket(name: string): string {
  return path.join(SOCKET_ROOT, name, "docker.sock");
}

/** Creates (but does not start) a benchmark container; named volumes in `binds` are created with the bench label. */
export async function createBenchContainer(spec: BenchContainer): Promise<Docker.Container> {
  const binds = [...(spec.binds ?? [])];
  for (const bind of binds) {
    const source = bind.split(":")[0];
    if (!source.startsWith("/")) await engine.createVolume({ Name: source, Labels: { [BENCH_LABEL]: "1" } });
  }
  if (spec.benchSocket) {
    fs.mkdirSync(path.dirname(daemonSocket(spec.name)), { recursive: true });
    binds.push(`${path.dirname(daemonSocket(spec.name))}:${SOCKET_DIR_INSIDE}`);
  }
  const options: Docker.ContainerCreateOptions = {
    name: `${PREFIX}-${spec.name}`,
    Image: spec.image,
    Env: spec.env,
    Entrypoint: spec.entrypoint,
    Cmd: spec.cmd,
    Hostname: spec.network?.aliases?.[0],
    Labels: { [BENCH_LABEL]: "1" },
    // CgroupnsMode (engine API 1.41) is missing from dockerode's types.
    HostConfig: { Binds: binds, NetworkMode: spec.network?.name, ...(spec.privileged ? { CgroupnsMode: "private" } : {}) } as Docker.HostConfig,
    NetworkingConfig: spec.network ? { EndpointsConfig: { [spec.network.name]: { Aliases: spec.network.aliases ?? [] } } } : undefined,
  };
  if (spec.privileged) grantPrivileges(options, await privilegeMode());
  return engine.createContainer(options);
}

/** Creates the benchmark's network. */
export async function createBenchNetwork(name: string): Promise<string> {
  await engine.createNetwork({ Name: `${PREFIX}-${name}`, Labels: { [BENCH_LABEL]: "1" }, CheckDuplicate: true });
  return `${PREFIX}-${name}`;
}

/** Removes a container with its anonymous volumes, and those of the named volumes given that exist. */
export async function removeContainer(container: Docker.Container, volumes: string[] = []): Promise<void> {
  await container.remove({ force: true, v: true });
  for (const volume of volumes) {
    await engine
      .getVolume(volume)
      .remove({ force: true })
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 404) throw error;
      });
  }
}

/** Status of GET /info on a daemon's unix socket (what `docker info` asks). */
function infoStatus(socketPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get({ socketPath, path: "/info", timeout: 60_000 }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", reject);
    request.on("timeout", () => request.destroy(new Error(`no answer on ${socketPath} within 60 s`)));
  });
}

/**
 * Polls GET /info on `socketPath` every 10 ms until it answers 200; returns the moment it did
 * (Date.now()). Fails after `timeoutMs`, or at once when `stillRunning` says the container stopped.
 */
export async function waitForInfo(socketPath: string, timeoutMs: number, stillRunning: () => Promise<boolean>): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let polls = 0;
  let last = "";
  while (Date.now() < deadline) {
    const status = await infoStatus(socketPath).catch((error: Error) => {
      last = error.message;
      return 0;
    });
    if (status === 200) return Date.now();
    if (status !== 0) last = `HTTP ${status}`;
    if (++polls % 50 === 0 && !(await stillRunning())) throw new Error(`the daemon stopped before answering on ${socketPath} (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no answer to GET /info on ${socketPath} within ${timeoutMs} ms (last: ${last})`);
}

/** True while the container is running. */
export async function isRunning(container: Docker.Container): Promise<boolean> {
  return (await container.inspect()).State.Running;
}

/** Runs `step` while holding nothing else: the caller runs the benchmark under the engine lock; this removes leftovers before and after. */
export async function withCleanEngine<T>(step: () => Promise<T>): Promise<T> {
  await removeBenchObjects();
  try {
    return await step();
  } finally {
    await removeBenchObjects();
  }
}
