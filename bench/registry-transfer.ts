// Benchmark 4: moving an image from one DinD daemon to another through the stack's local registry
// (`docker push` from daemon A, `docker pull` into daemon B, both daemons doing the transfer
// themselves) against `docker save` from A piped into `docker load` on B (the floor: the same
// bytes, no registry), for single-layer images of random data of about 10, 100 and 500 MB.
// Run under the engine lock: flock /tmp/dind-stack-engine.lock npx ts-node --transpile-only bench/registry-transfer.ts [--reps N]
import { execFileSync } from "node:child_process";
import Docker from "dockerode";
import { execOk } from "../test/engine/support/container-io";
import { numberArg } from "./support/args";
import { buildDindImage, createBenchContainer, createBenchNetwork, daemonSocket, engineDescription, PREFIX, removeContainer, withCleanEngine } from "./support/bench-engine";
import { describeMachine, printTable, spread, writeResult } from "./support/report";
import { dindSpec, startDaemon } from "./support/stack-like";
import { pairedRatios, summarize } from "./support/stats";

const REPETITIONS = numberArg("reps", 3);
const SIZES_MB = [10, 100, 500];

/** Runs a shell pipeline on the host with the docker CLI (bash, so a failing stage fails the whole); returns seconds. */
function timed(script: string): number {
  const started = Date.now();
  execFileSync("bash", ["-o", "pipefail", "-c", script], { stdio: ["ignore", "ignore", "inherit"] });
  return (Date.now() - started) / 1000;
}

/** The docker CLI talking to a benchmark daemon through its socket. */
const cli = (daemon: string) => `docker -H unix://${daemonSocket(daemon)}`;

/** A registry:2 container with a fresh data volume, aliased `registry` (as the stack's), once it answers. */
async function startRegistry(network: string): Promise<Docker.Container> {
  const registry = await createBenchContainer({
    name: "registry",
    image: "registry:2",
    binds: [`${PREFIX}-registry-data:/var/lib/registry`],
    network: { name: network, aliases: ["registry"] },
  });
  await registry.start();
  const address = (await registry.inspect()).NetworkSettings.Networks[network].IPAddress;
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`http://${address}:5000/v2/`).then((response) => response.ok, () => false))) {
    if (Date.now() > deadline) throw new Error(`the registry at ${address}:5000 did not answer within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return registry;
}

type Series = Record<"push" | "pull" | "pipe", number[]>;
const results = new Map<number, Series>(SIZES_MB.map((size) => [size, { push: [], pull: [], pipe: [] }]));

async function main(): Promise<void> {
  const measured = await withCleanEngine(async () => {
    const image = await buildDindImage();
    const network = await createBenchNetwork("registry");
    const { container: source } = await startDaemon(dindSpec(image, network, "daemon-a"));
    await startDaemon(dindSpec(image, network, "daemon-b"));
    for (const size of SIZES_MB) {
      // Random bytes do not compress: every megabyte travels. Making the image is not timed.
      await execOk(source.id, ["sh", "-c", `mkdir -p /tmp/p && head -c ${size}M /dev/urandom > /tmp/p/blob && tar -C /tmp/p -cf - blob | docker import - registry:5000/bench/payload:${size}mb >/dev/null && rm -rf /tmp/p`]);
    }
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      // A registry with no blobs in every repetition, so every push uploads.
      const registry = await startRegistry(network);
      for (const size of SIZES_MB) {
        const ref = `registry:5000/bench/payload:${size}mb`;
        const series = results.get(size)!;
        const viaRegistry = () => {
          series.push.push(timed(`${cli("daemon-a")} push -q ${ref} >/dev/null`));
          series.pull.push(timed(`${cli("daemon-b")} pull -q ${ref} >/dev/null`));
          timed(`${cli("daemon-b")} rmi ${ref} >/dev/null`);
        };
        const viaPipe = () => {
          series.pipe.push(timed(`${cli("daemon-a")} save ${ref} | ${cli("daemon-b")} load -q >/dev/null`));
          timed(`${cli("daemon-b")} rmi ${ref} >/dev/null`);
        };
        // Alternate which goes first, so neither always runs on a warmer page cache.
        if (repetition % 2 === 0) [viaRegistry, viaPipe].forEach((step) => step());
        else [viaPipe, viaRegistry].forEach((step) => step());
      }
      await removeContainer(registry, [`${PREFIX}-registry-data`]);
      process.stdout.write(`[bench] registry-transfer: repetition ${repetition + 1}/${REPETITIONS} done\n`);
    }
    return { engine: await engineDescription() };
  });
  const rows = SIZES_MB.map((size) => {
    const series = results.get(size)!;
    const roundTrip = series.push.map((push, index) => push + series.pull[index]);
    return { size, push: summarize(series.push), pull: summarize(series.pull), roundTrip: summarize(roundTrip), pipe: summarize(series.pipe), ratio: summarize(pairedRatios(roundTrip, series.pipe)), roundTripSamples: roundTrip };
  });
  printTable(
    `Registry: image from DinD daemon A to DinD daemon B, seconds, median (min-max) of ${REPETITIONS}`,
    rows.map((row) => ({
      image: `${row.size} MB`,
      "push (A)": spread(row.push),
      "pull (B)": spread(row.pull),
      "push + pull": spread(row.roundTrip),
      "save A | load B": spread(row.pipe),
      "(push + pull) / (save | load)": spread(row.ratio),
    })),
  );
  writeResult("registry-transfer", describeMachine(measured.engine), {
    repetitions: REPETITIONS,
    unit: "s",
    sizes: Object.fromEntries(
      rows.map((row) => {
        const series = results.get(row.size)!;
        return [`${row.size}MB`, { push: { samples: series.push, ...row.push }, pull: { samples: series.pull, ...row.pull }, pushPlusPull: { samples: row.roundTripSamples, ...row.roundTrip }, saveLoad: { samples: series.pipe, ...row.pipe }, ratio: row.ratio }];
      }),
    ),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] registry-transfer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
