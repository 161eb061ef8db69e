// Benchmark 3: warm rebuild. A multi-stage build runs twice with the classic builder (what the
// stack's clients use by default): in DinD, with a restart of the DinD daemon container between
// the two builds (the cache lives on the data volume); in DooD, on the host's engine, with a
// restart of the client container between them. The second build must be all cache hits; its
// time is reported as a ratio to the first.
// Run under the engine lock: flock /tmp/dind-stack-engine.lock npx ts-node --transpile-only bench/warm-rebuild.ts [--reps N]
import Docker from "dockerode";
import { execOk } from "../test/engine/support/container-io";
import { followStream } from "../test/engine/support/progress";
import { numberArg } from "./support/args";
import { BENCH_LABEL, buildDindImage, createBenchContainer, createBenchNetwork, daemonSocket, engine, engineDescription, PREFIX, removeContainer, withCleanEngine } from "./support/bench-engine";
import { describeMachine, printTable, spread, writeResult } from "./support/report";
import { dindClientSpec, dindSpec, restartDaemon, startDaemon } from "./support/stack-like";
import { pairedRatios, summarize } from "./support/stats";

const REPETITIONS = numberArg("reps", 3);
const BASE_IMAGE = "debian:bookworm-slim";

/** A two-stage build: the first stage makes data, the second copies and unpacks it. `run` makes the first build's cache unique. */
function dockerfile(run: string): string {
  return [
    `FROM ${BASE_IMAGE} AS build`,
    `LABEL ${BENCH_LABEL}.run=${run}`,
    "RUN head -c 32M /dev/urandom > /blob && sha256sum /blob > /blob.sha256",
    "RUN mkdir /files && for i in $(seq 1 1000); do echo \"$i\" > /files/$i; done",
    "RUN tar -czf /files.tgz /files",
    `FROM ${BASE_IMAGE}`,
    `LABEL ${BENCH_LABEL}.run=${run}`,
    "COPY --from=build /blob.sha256 /files.tgz /out/",
    "RUN tar -xzf /out/files.tgz -C /out && ls /out/files | wc -l > /out/count",
  ].join("\n");
}

/** Writes the build context into the client container. */
async function writeContext(client: string, run: string): Promise<void> {
  await execOk(client, ["sh", "-c", 'mkdir -p /tmp/build && printf "%s\\n" "$1" > /tmp/build/Dockerfile', "write-context", dockerfile(run)]);
}

/** Builds the context in the client container; returns the seconds taken and how many steps that can be cached were. */
async function build(client: string, tag: string): Promise<{ seconds: number; cached: number; cacheable: number }> {
  const started = Date.now();
  const output = (await execOk(client, ["docker", "build", "-t", tag, "/tmp/build"], ["DOCKER_BUILDKIT=0"])).stdout;
  const seconds = (Date.now() - started) / 1000;
  const steps = output.match(/^Step \d+\/\d+ : .*$/gm) ?? [];
  return { seconds, cached: (output.match(/^ ---> Using cache$/gm) ?? []).length, cacheable: steps.filter((step) => !/ : FROM /.test(step)).length };
}

/** Builds twice with `restart` in between; fails unless the second build is all cache hits. */
async function twoBuilds(mode: string, client: string, tag: string, restart: () => Promise<void>): Promise<{ first: number; second: number }> {
  const first = await build(client, tag);
  await restart();
  const second = await build(client, tag);
  if (second.cached !== second.cacheable) throw new Error(`${mode}: the second build hit the cache in ${second.cached} of ${second.cacheable} steps`);
  return { first: first.seconds, second: second.seconds };
}

const results: Record<"dind" | "dood", { first: number[]; second: number[] }> = { dind: { first: [], second: [] }, dood: { first: [], second: [] } };

async function dindRepetition(image: string, network: string, run: string): Promise<void> {
  const { container: daemon } = await startDaemon(dindSpec(image, network, "rebuild-daemon", { network: { name: network, aliases: ["docker"] } }));
  // The base image comes from the host's engine (nothing can be pulled here); loading it is not timed.
  const inner = new Docker({ socketPath: daemonSocket("rebuild-daemon") });
  await followStream(await inner.loadImage(await engine.getImage(BASE_IMAGE).get()), `loading ${BASE_IMAGE} into DinD`);
  const client = await createBenchContainer(dindClientSpec(image, network, "rebuild-client", "rebuild-daemon"));
  await client.start();
  await writeContext(client.id, run);
  const times = await twoBuilds("DinD", client.id, "bench/rebuild:1", async () => void (await restartDaemon("rebuild-daemon", daemon)));
  results.dind.first.push(times.first);
  results.dind.second.push(times.second);
  await removeContainer(client);
  await removeContainer(daemon, [`${PREFIX}-rebuild-daemon-data`, `${PREFIX}-rebuild-daemon-certs`]);
}

async function doodRepetition(image: string, network: string, run: string): Promise<void> {
  const client = await createBenchContainer({
    name: "rebuild-dood",
    image,
    entrypoint: ["sleep", "infinity"],
    binds: ["/var/run/docker.sock:/var/run/docker.sock"],
    network: { name: network },
  });
  await client.start();
  await writeContext(client.id, run);
  const tag = `${PREFIX}/rebuild:${run}`;
  try {
    const times = await twoBuilds("DooD", client.id, tag, () => client.restart());
    results.dood.first.push(times.first);
    results.dood.second.push(times.second);
  } finally {
    // The host's engine is shared: remove what the builds left there (the tag, and the first stage's image).
    await engine.getImage(tag).remove({ force: true }).catch(() => undefined);
    await engine.pruneImages({ filters: { label: [`${BENCH_LABEL}.run=${run}`], dangling: ["true"] } } as object);
    await removeContainer(client);
  }
}

async function main(): Promise<void> {
  const measured = await withCleanEngine(async () => {
    const image = await buildDindImage();
    const network = await createBenchNetwork("rebuild");
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      const run = `${Date.now().toString(36)}-${repetition}`;
      await dindRepetition(image, network, run);
      await doodRepetition(image, network, run);
      process.stdout.write(`[bench] warm-rebuild: repetition ${repetition + 1}/${REPETITIONS} done\n`);
    }
    return { engine: await engineDescription() };
  });
  const rows = (["dind", "dood"] as const).map((mode) => {
    const { first, second } = results[mode];
    return {
      mode,
      first: summarize(first),
      second: summarize(second),
      ratio: summarize(pairedRatios(second, first)),
      restarted: mode === "dind" ? "the DinD daemon container" : "the DooD client container (the host's engine is shared)",
    };
  });
  printTable(
    `Warm rebuild: two-stage build twice, classic builder, seconds, median (min-max) of ${REPETITIONS}`,
    rows.map((row) => ({ mode: row.mode, "first build": spread(row.first), "second build (all cached)": spread(row.second), "second / first": spread(row.ratio, 3), "restarted in between": row.restarted })),
  );
  writeResult("warm-rebuild", describeMachine(measured.engine), {
    repetitions: REPETITIONS,
    unit: "s",
    dockerfile: dockerfile("<run id>").split("\n"),
    modes: Object.fromEntries(rows.map((row) => [row.mode, { restarted: row.restarted, first: { samples: results[row.mode].first, ...row.first }, second: { samples: results[row.mode].second, ...row.second }, secondOverFirst: row.ratio }])),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] warm-rebuild failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
