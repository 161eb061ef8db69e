// Benchmark: the registry as BuildKit's build cache. One two-stage Dockerfile, built with the
// command docs/buildkit.md gives clients (`docker buildx build --cache-from type=registry,...
// --cache-to type=inline --push`, the docker driver, nothing else installed), three ways:
//   cold        on a fresh DinD daemon, nothing cached anywhere (the cache is pushed with the image);
//   registry    on another fresh DinD daemon (an empty /var/lib/docker), with the cache in the registry;
//   warm        on the first daemon again, everything in its local build cache.
// Each repetition uses its own build argument, so nothing is shared between repetitions. The
// registry build must run none of the Dockerfile's steps, the warm one neither.
// Run under the engine lock: flock /tmp/dind-stack-engine.lock npx ts-node --transpile-only bench/build-cache.ts [--reps N]
// The images are built from the stand-in engine DIND_STACK_STANDIN names (bookworm's by default).
import Docker from "dockerode";
import { execIn, execOk } from "../test/engine/support/container-io";
import { cachedBuildScript, putFiles } from "../test/engine/support/buildkit-scenarios";
import { followStream } from "../test/engine/support/progress";
import { readStandins, standinEngine } from "../test/engine/support/standins";
import { waitFor } from "../test/engine/support/waiting";
import { numberArg } from "./support/args";
import { buildDindImage, createBenchContainer, createBenchNetwork, daemonSocket, engine, engineDescription, PREFIX, removeContainer, withCleanEngine } from "./support/bench-engine";
import { describeMachine, printTable, spread, writeResult } from "./support/report";
import { dindClientSpec, dindSpec, startDaemon } from "./support/stack-like";
import { pairedRatios, summarize } from "./support/stats";

const REPETITIONS = numberArg("reps", 3);
const ENGINE = standinEngine();
const BASE = "registry:5000/bench/base:1";

/** Two stages: the first makes 32 MB of random data and 1,000 files, the second copies and unpacks them; each RUN says it ran. */
const DOCKERFILE = [
  `FROM ${BASE} AS build`,
  "ARG RUN_ID",
  'RUN echo "bench-step-1-ran $RUN_ID" && head -c 32M /dev/urandom > /blob && sha256sum /blob > /blob.sha256',
  'RUN echo bench-step-2-ran && mkdir /files && for i in $(seq 1 1000); do echo "$i" > /files/$i; done',
  "RUN echo bench-step-3-ran && tar -czf /files.tgz /files",
  `FROM ${BASE}`,
  "ARG RUN_ID",
  "COPY --from=build /blob.sha256 /files.tgz /out/",
  'RUN echo "bench-step-4-ran $RUN_ID" && tar -xzf /out/files.tgz -C /out && ls /out/files | wc -l > /out/count',
  "",
].join("\n");

type Way = "cold" | "registry" | "warm";
const samples: Record<Way, number[]> = { cold: [], registry: [], warm: [] };

/** A fresh DinD daemon (its own data volume) with a client of the stack's kind; returns both. */
async function freshDaemon(image: string, network: string, name: string): Promise<{ daemon: Docker.Container; client: Docker.Container }> {
  const { container: daemon } = await startDaemon(dindSpec(image, network, `${name}-daemon`));
  // The daemon's certificate names its container (DOCKER_TLS_SAN), which the network resolves.
  const spec = dindClientSpec(image, network, `${name}-client`, `${name}-daemon`);
  const client = await createBenchContainer({ ...spec, env: [...(spec.env ?? []).filter((entry) => !entry.startsWith("DOCKER_HOST=")), `DOCKER_HOST=tcp://${PREFIX}-${name}-daemon:2376`] });
  await client.start();
  return { daemon, client };
}

/** Runs the documented cached build in a client; returns the seconds it took and which steps ran. */
async function build(client: Docker.Container, run: string): Promise<{ seconds: number; ran: number[]; imported: boolean }> {
  const started = Date.now();
  const log = (await execOk(client.id, ["sh", "-c", `exec 2>&1\n${cachedBuildScript(`app-${run}`, "/tmp/app", ["--build-arg", "RUN_ID"])}`], [`RUN_ID=${run}`])).stdout;
  const seconds = (Date.now() - started) / 1000;
  const ran = [...log.matchAll(/^#\d+ \d+\.\d+ bench-step-(\d)-ran/gm)].map((match) => Number(match[1]));
  return { seconds, ran, imported: log.includes("importing cache manifest from") };
}

/** Fails unless `ran` lists exactly the steps `expected`. */
function expectRan(way: Way, ran: number[], expected: number[]): void {
  if (ran.join() !== expected.join()) throw new Error(`${way} build ran steps [${ran.join(", ")}], expected [${expected.join(", ")}]`);
}

async function repetition(image: string, network: string, run: string): Promise<void> {
  const first = await freshDaemon(image, network, "first");
  const second = await freshDaemon(image, network, "second");
  try {
    for (const { client } of [first, second]) await putFiles(client.id, "/tmp/app", { Dockerfile: DOCKERFILE });
    const cold = await build(first.client, run);
    expectRan("cold", cold.ran, [1, 2, 3, 4]);
    const registry = await build(second.client, run);
    expectRan("registry", registry.ran, []);
    if (!registry.imported) throw new Error("the registry build imported no cache manifest");
    const warm = await build(first.client, run);
    expectRan("warm", warm.ran, []);
    samples.cold.push(cold.seconds);
    samples.registry.push(registry.seconds);
    samples.warm.push(warm.seconds);
  } finally {
    for (const [name, pair] of [["first", first], ["second", second]] as const) {
      await removeContainer(pair.client);
      await removeContainer(pair.daemon, [`${PREFIX}-${name}-daemon-data`, `${PREFIX}-${name}-daemon-certs`]);
    }
  }
}

/** Starts the registry (registry:2, as the stack runs it) on the network as `registry`, and puts the base image into it through a throwaway DinD daemon. */
async function startRegistry(image: string, network: string): Promise<void> {
  const registry = await createBenchContainer({ name: "cache-registry", image: "registry:2", network: { name: network, aliases: ["registry"] } });
  await registry.start();
  await waitFor("the registry", 30_000, async () => ((await execIn(registry.id, ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:5000/v2/"])).exitCode === 0 ? true : undefined));
  const loader = await freshDaemon(image, network, "loader");
  const base = readStandins().baseImage;
  const inner = new Docker({ socketPath: daemonSocket("loader-daemon") });
  await followStream(await inner.loadImage(await engine.getImage(base).get()), `loading ${base} into DinD`);
  await execOk(loader.client.id, ["sh", "-c", `docker tag ${base} ${BASE} && docker push -q ${BASE}`]);
  await removeContainer(loader.client);
  await removeContainer(loader.daemon, [`${PREFIX}-loader-daemon-data`, `${PREFIX}-loader-daemon-certs`]);
}

async function main(): Promise<void> {
  const measured = await withCleanEngine(async () => {
    const image = await buildDindImage();
    const network = await createBenchNetwork("build-cache");
    await startRegistry(image, network);
    for (let index = 0; index < REPETITIONS; index++) {
      await repetition(image, network, `${Date.now().toString(36)}-${index}`);
      process.stdout.write(`[bench] build-cache: repetition ${index + 1}/${REPETITIONS} done\n`);
    }
    return { engine: await engineDescription() };
  });
  const standins = readStandins();
  const ways = { cold: summarize(samples.cold), registry: summarize(samples.registry), warm: summarize(samples.warm) };
  const ratios = { "registry / cold": summarize(pairedRatios(samples.registry, samples.cold)), "warm / cold": summarize(pairedRatios(samples.warm, samples.cold)) };
  const engineText = `${ENGINE}: docker ${standins.dockerVersion}, buildx ${standins.plugins.buildx.version}`;
  printTable(`Registry build cache (${engineText}): the same build three ways, seconds, median (min-max) of ${REPETITIONS}`, [
    { build: "cold: fresh daemon, no cache anywhere (pushes image and inline cache)", seconds: spread(ways.cold), "/ cold": "1" },
    { build: "registry: another fresh daemon, cache from the registry", seconds: spread(ways.registry), "/ cold": spread(ratios["registry / cold"], 3) },
    { build: "warm: the first daemon again, local cache", seconds: spread(ways.warm), "/ cold": spread(ratios["warm / cold"], 3) },
  ]);
  writeResult(`build-cache${ENGINE === "bookworm" ? "" : `-${ENGINE}`}`, describeMachine(measured.engine), {
    repetitions: REPETITIONS,
    unit: "s",
    standinEngine: engineText,
    command: cachedBuildScript("app-<run id>", "/tmp/app", ["--build-arg", "RUN_ID"]).split("\n"),
    dockerfile: DOCKERFILE.trim().split("\n"),
    ways: Object.fromEntries((Object.keys(samples) as Way[]).map((way) => [way, { samples: samples[way], ...ways[way] }])),
    ratios: Object.fromEntries(Object.entries(ratios).map(([name, summary]) => [name, summary])),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] build-cache failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
