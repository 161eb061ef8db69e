// Benchmark 1: DinD readiness, from the request that creates the daemon container (what
// `docker run -d` sends) to the first GET /info that answers 200 (what `docker info` asks), for
// the dind-stack image with TLS (first start, restart), without TLS, against dockerd started
// directly in the same image (the floor) and against the official image's RSA-4096 start-up
// reproduced in the same image; and until a client container has waited and connected.
// Run under the engine lock: flock /tmp/dind-stack-engine.lock npx ts-node --transpile-only bench/readiness.ts [--reps N]
import * as fs from "node:fs";
import * as path from "node:path";
import Docker from "dockerode";
import { logsOf } from "../test/engine/support/container-io";
import { numberArg } from "./support/args";
import {
  BENCH_SOCKET_FLAG, BenchContainer, buildDindImage, createBenchContainer, createBenchNetwork, daemonSocket, engineDescription,
  isRunning, PREFIX, removeContainer, waitForInfo, withCleanEngine,
} from "./support/bench-engine";
import { describeMachine, printTable, spread, writeResult } from "./support/report";
import { pairedRatios, summarize } from "./support/stats";

const REPETITIONS = numberArg("reps", 7);
const CLIENT_WAIT_SCRIPT = fs.readFileSync(path.join(__dirname, "..", "components", "workloads", "client-wait.sh"), "utf8");
/** The daemon.json the ci stack's program renders. */
const DAEMON_JSON = JSON.stringify({ "insecure-registries": ["registry:5000"], "log-driver": "json-file", "log-opts": { "max-size": "20m", "max-file": "3" } });

const VARIANTS = {
  bare: "dockerd started directly in the image (the floor): no entrypoint, unix socket only",
  tls: "dind-stack entrypoint, TLS on, first start (CA, client and server certificates made)",
  "tls-restart": "dind-stack entrypoint, TLS on, container restarted (CA and client certificate reused)",
  "bare-restart": "dockerd started directly, container restarted (the floor for restarts)",
  "tls-off": "dind-stack entrypoint, DOCKER_TLS_CERTDIR empty (plain TCP on 2375)",
  "official-rsa": "official image's approach: RSA-4096 CA, server and client made with openssl, then dockerd with TLS",
  client: "TLS daemon first start until a client container (the stack's wait script) has connected and exited 0",
} as const;
type Variant = keyof typeof VARIANTS;

const samples = Object.fromEntries(Object.keys(VARIANTS).map((variant) => [variant, [] as number[]])) as Record<Variant, number[]>;
const backends: string[] = [];

/** Environment the program gives the DinD daemon container. */
function daemonEnv(container: string, certDir: string): string[] {
  return [`DOCKER_TLS_CERTDIR=${certDir}`, `DOCKER_TLS_SAN=DNS:docker,DNS:${container}`, `DIND_DAEMON_JSON=${DAEMON_JSON}`];
}

/** Starts a daemon container and returns the seconds from the create request to GET /info = 200. */
async function timedFirstStart(spec: BenchContainer): Promise<{ seconds: number; container: Docker.Container }> {
  const started = Date.now();
  const container = await createBenchContainer(spec);
  await container.start();
  const ready = await waitForInfo(daemonSocket(spec.name), 120_000, () => isRunning(container));
  return { seconds: (ready - started) / 1000, container };
}

/** Stops a ready daemon container (dockerd shuts down cleanly), starts it again and returns the seconds to GET /info = 200. */
async function timedRestart(name: string, container: Docker.Container): Promise<number> {
  await container.stop({ t: 30 });
  const started = Date.now();
  await container.start();
  const ready = await waitForInfo(daemonSocket(name), 120_000, () => isRunning(container));
  return (ready - started) / 1000;
}

/** One measurement unit: a first start (and, for some, a restart), cleaned up afterwards. */
type Unit = (image: string, network: string) => Promise<void>;

function dindSpec(image: string, network: string, name: string, extra: Partial<BenchContainer> = {}): BenchContainer {
  return {
    name,
    image,
    privileged: true,
    benchSocket: true,
    network: { name: network },
    binds: [`${PREFIX}-${name}-data:/var/lib/docker`],
    cmd: [BENCH_SOCKET_FLAG],
    ...extra,
  };
}

const UNITS: Unit[] = [
  async (image, network) => {
    const spec = dindSpec(image, network, "bare", { entrypoint: ["dockerd"], cmd: ["--host=unix:///var/run/docker.sock", BENCH_SOCKET_FLAG] });
    const { seconds, container } = await timedFirstStart(spec);
    samples.bare.push(seconds);
    samples["bare-restart"].push(await timedRestart(spec.name, container));
    await removeContainer(container, [`${PREFIX}-bare-data`]);
  },
  async (image, network) => {
    const name = "tls";
    const spec = dindSpec(image, network, name, { env: daemonEnv(`${PREFIX}-${name}`, "/certs"), binds: [`${PREFIX}-${name}-data:/var/lib/docker`, `${PREFIX}-${name}-certs:/certs/client`] });
    const { seconds, container } = await timedFirstStart(spec);
    samples.tls.push(seconds);
    backends.push(/iptables backend: (\S+)/.exec(await logsOf(container.id))?.[1] ?? "?");
    samples["tls-restart"].push(await timedRestart(name, container));
    await removeContainer(container, [`${PREFIX}-${name}-data`, `${PREFIX}-${name}-certs`]);
  },
  async (image, network) => {
    const { seconds, container } = await timedFirstStart(dindSpec(image, network, "tls-off", { env: daemonEnv(`${PREFIX}-tls-off`, "") }));
    samples["tls-off"].push(seconds);
    await removeContainer(container, [`${PREFIX}-tls-off-data`]);
  },
  async (image, network) => {
    const spec = dindSpec(image, network, "official-rsa", {
      entrypoint: ["/usr/local/bin/docker-init", "--", "sh", "/bench/official-tls-start.sh"],
      binds: [`${PREFIX}-official-rsa-data:/var/lib/docker`, `${__dirname}:/bench:ro`],
    });
    const { seconds, container } = await timedFirstStart(spec);
    samples["official-rsa"].push(seconds);
    await removeContainer(container, [`${PREFIX}-official-rsa-data`]);
  },
  async (image, network) => {
    const daemonName = `${PREFIX}-client-daemon`;
    const certs = `${PREFIX}-client-certs`;
    const started = Date.now();
    const daemon = await createBenchContainer(
      dindSpec(image, network, "client-daemon", {
        env: daemonEnv(daemonName, "/certs"),
        network: { name: network, aliases: ["docker"] },
        binds: [`${PREFIX}-client-daemon-data:/var/lib/docker`, `${certs}:/certs/client`],
      }),
    );
    await daemon.start();
    const client = await createBenchContainer({
      name: "client",
      image,
      entrypoint: ["/bin/sh", "-c", CLIENT_WAIT_SCRIPT, "dind-client"],
      cmd: ["true"],
      env: ["DOCKER_HOST=tcp://docker:2376", "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=/certs/client", "DIND_READY_TIMEOUT=120"],
      binds: [`${certs}:/certs/client:ro`],
      network: { name: network },
    });
    await client.start();
    const exit = (await client.wait()) as { StatusCode: number };
    const seconds = (Date.now() - started) / 1000;
    if (exit.StatusCode !== 0) throw new Error(`the client exited ${exit.StatusCode}:\n${await logsOf(client.id)}`);
    samples.client.push(seconds);
    await removeContainer(client);
    await removeContainer(daemon, [`${PREFIX}-client-daemon-data`, certs]);
  },
];

async function main(): Promise<void> {
  const result = await withCleanEngine(async () => {
    const image = await buildDindImage();
    const network = await createBenchNetwork("readiness");
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      // A different order in every repetition, so no variant always follows the same one.
      for (let index = 0; index < UNITS.length; index++) await UNITS[(index + repetition) % UNITS.length](image, network);
      process.stdout.write(`[bench] readiness: repetition ${repetition + 1}/${REPETITIONS} done\n`);
    }
    return { engine: await engineDescription() };
  });
  const summaries = Object.fromEntries(Object.entries(samples).map(([variant, values]) => [variant, summarize(values)]));
  const ratios: Record<string, number[]> = {
    "tls / bare": pairedRatios(samples.tls, samples.bare),
    "tls-restart / bare-restart": pairedRatios(samples["tls-restart"], samples["bare-restart"]),
    "tls-off / bare": pairedRatios(samples["tls-off"], samples.bare),
    "official-rsa / bare": pairedRatios(samples["official-rsa"], samples.bare),
    "official-rsa / tls": pairedRatios(samples["official-rsa"], samples.tls),
    "client / bare": pairedRatios(samples.client, samples.bare),
  };
  printTable(
    `DinD readiness: create request to first GET /info = 200, seconds, median (min-max) of ${REPETITIONS}`,
    (Object.keys(VARIANTS) as Variant[]).map((variant) => ({ variant, seconds: spread(summaries[variant]), measured: VARIANTS[variant] })),
  );
  printTable(
    "Ratios, per repetition (side by side in this run), median (min-max)",
    Object.entries(ratios).map(([ratio, values]) => ({ ratio, value: spread(summarize(values)) })),
  );
  process.stdout.write(`\niptables backend the entrypoint chose: ${[...new Set(backends)].join(", ")}\n`);
  writeResult("readiness", describeMachine(result.engine), {
    repetitions: REPETITIONS,
    unit: "s",
    variants: Object.fromEntries((Object.keys(VARIANTS) as Variant[]).map((variant) => [variant, { measured: VARIANTS[variant], samples: samples[variant], ...summaries[variant] }])),
    ratios: Object.fromEntries(Object.entries(ratios).map(([ratio, values]) => [ratio, { samples: values, ...summarize(values) }])),
    iptablesBackend: [...new Set(backends)],
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] readiness failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
