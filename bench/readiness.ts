// Benchmark 1: DinD readiness, from the request that creates the daemon container (what
// `docker run -d` sends) to the first GET /info that answers 200 (what `docker info` asks), for
// the dind-stack image with TLS (first start, restart), without TLS, against dockerd started
// directly in the same image (the floor) and against the official image's RSA-4096 start-up
// reproduced in the same image; and until a client container has waited and connected.
// Run under the engine lock: flock /tmp/dind-stack-engine.lock npx ts-node --transpile-only bench/readiness.ts [--reps N] [--quick]
// The image is built from the stand-in engine DIND_STACK_STANDIN names (bookworm's 20.10.24 by
// default, trixie's 26.1.5); the result is readiness.json, or readiness-<engine>.json for another.
// --quick (what CI runs on both engines) measures only the floor, TLS on and the client, which
// a start-up regression shows in, without TLS off and the official image's RSA-4096 start.
// --compare-plugins also runs every unit on the same image built without the buildx and compose
// plugins, alternating, and reports the ratio with/without per repetition.
import Docker from "dockerode";
import { logsOf } from "../test/engine/support/container-io";
import { numberArg } from "./support/args";
import { BENCH_SOCKET_FLAG, buildDindImage, createBenchContainer, createBenchNetwork, engineDescription, PREFIX, removeContainer, withCleanEngine } from "./support/bench-engine";
import { describeMachine, printTable, spread, writeResult } from "./support/report";
import { CLIENT_WAIT_SCRIPT, daemonEnv, dindClientSpec, dindSpec, restartDaemon, startDaemon } from "./support/stack-like";
import { pairedRatios, summarize } from "./support/stats";
import { readStandins, standinEngine } from "../test/engine/support/standins";

const REPETITIONS = numberArg("reps", 7);
const QUICK = process.argv.includes("--quick");
const COMPARE_PLUGINS = process.argv.includes("--compare-plugins");
const ENGINE = standinEngine();

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

/** Samples per variant, of one image. */
type Samples = Record<Variant, number[]>;
const emptySamples = (): Samples => Object.fromEntries(Object.keys(VARIANTS).map((variant) => [variant, [] as number[]])) as Samples;
const samples = emptySamples();
/** With --compare-plugins: the same units on the image built without the buildx and compose plugins. */
const withoutPlugins = emptySamples();
const backends: string[] = [];

/** One measurement unit: a first start (and, for some, a restart), cleaned up afterwards; `quick` when --quick keeps it. */
type Unit = { quick: boolean; run: (image: string, network: string, into: Samples) => Promise<void> };

/** Removes a daemon container made by dindSpec, with its data and certificate volumes. */
const removeDaemon = (container: Docker.Container, name: string) => removeContainer(container, [`${PREFIX}-${name}-data`, `${PREFIX}-${name}-certs`]);
const seconds = (ms: number) => ms / 1000;

const UNITS: Unit[] = [
  {
    quick: true,
    run: async (image, network, into) => {
      const { container, ms } = await startDaemon(dindSpec(image, network, "bare", { entrypoint: ["dockerd"], env: [], cmd: ["--host=unix:///var/run/docker.sock", BENCH_SOCKET_FLAG] }));
      into.bare.push(seconds(ms));
      into["bare-restart"].push(seconds(await restartDaemon("bare", container)));
      await removeDaemon(container, "bare");
    },
  },
  {
    quick: true,
    run: async (image, network, into) => {
      const { container, ms } = await startDaemon(dindSpec(image, network, "tls"));
      into.tls.push(seconds(ms));
      backends.push(/iptables backend: (\S+)/.exec(await logsOf(container.id))?.[1] ?? "?");
      into["tls-restart"].push(seconds(await restartDaemon("tls", container)));
      await removeDaemon(container, "tls");
    },
  },
  {
    quick: false,
    run: async (image, network, into) => {
      const { container, ms } = await startDaemon(dindSpec(image, network, "tls-off", { env: daemonEnv(`${PREFIX}-tls-off`, "") }));
      into["tls-off"].push(seconds(ms));
      await removeDaemon(container, "tls-off");
    },
  },
  {
    quick: false,
    run: async (image, network, into) => {
      const spec = dindSpec(image, network, "official-rsa", {
        entrypoint: ["/usr/local/bin/docker-init", "--", "sh", "/bench/official-tls-start.sh"],
        env: [],
        binds: [`${PREFIX}-official-rsa-data:/var/lib/docker`, `${__dirname}:/bench:ro`],
      });
      const { container, ms } = await startDaemon(spec);
      into["official-rsa"].push(seconds(ms));
      await removeDaemon(container, "official-rsa");
    },
  },
  {
    quick: true,
    run: async (image, network, into) => {
      const started = Date.now();
      const daemon = await createBenchContainer(dindSpec(image, network, "client-daemon", { network: { name: network, aliases: ["docker"] } }));
      await daemon.start();
      const client = await createBenchContainer({
        ...dindClientSpec(image, network, "client", "client-daemon"),
        entrypoint: ["/bin/sh", "-c", CLIENT_WAIT_SCRIPT, "dind-client"],
        cmd: ["true"],
      });
      await client.start();
      const exit = (await client.wait()) as { StatusCode: number };
      const elapsed = Date.now() - started;
      if (exit.StatusCode !== 0) throw new Error(`the client exited ${exit.StatusCode}:\n${await logsOf(client.id)}`);
      into.client.push(seconds(elapsed));
      await removeContainer(client);
      await removeDaemon(daemon, "client-daemon");
    },
  },
];

/** The stand-in engine the image was built from, as "trixie: docker 26.1.5, buildx 0.13.1, compose 2.26.1". */
function engineStandin(): string {
  const standins = readStandins();
  return `${ENGINE}: docker ${standins.dockerVersion}, buildx ${standins.plugins.buildx.version}, compose ${standins.plugins.compose.version}`;
}

async function main(): Promise<void> {
  const result = await withCleanEngine(async () => {
    const images: [string, Samples][] = [[await buildDindImage(), samples]];
    if (COMPARE_PLUGINS) images.push([await buildDindImage({ withoutPlugins: true }), withoutPlugins]);
    const network = await createBenchNetwork("readiness");
    const units = UNITS.filter((unit) => unit.quick || !QUICK);
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      // A different order in every repetition, so no variant (and no image) always follows the same one.
      for (let index = 0; index < units.length; index++) {
        const unit = units[(index + repetition) % units.length];
        for (let turn = 0; turn < images.length; turn++) {
          const [image, into] = images[(turn + repetition) % images.length];
          await unit.run(image, network, into);
        }
      }
      process.stdout.write(`[bench] readiness: repetition ${repetition + 1}/${REPETITIONS} done\n`);
    }
    return { engine: await engineDescription() };
  });
  const measured = (Object.keys(VARIANTS) as Variant[]).filter((variant) => samples[variant].length > 0);
  const summaries = Object.fromEntries(measured.map((variant) => [variant, summarize(samples[variant])]));
  const pairs: Record<string, [Variant, Variant]> = {
    "tls / bare": ["tls", "bare"],
    "tls-restart / bare-restart": ["tls-restart", "bare-restart"],
    "tls-off / bare": ["tls-off", "bare"],
    "official-rsa / bare": ["official-rsa", "bare"],
    "official-rsa / tls": ["official-rsa", "tls"],
    "client / bare": ["client", "bare"],
  };
  const ratios = Object.fromEntries(
    Object.entries(pairs)
      .filter(([, [top, bottom]]) => measured.includes(top) && measured.includes(bottom))
      .map(([ratio, [top, bottom]]) => [ratio, pairedRatios(samples[top], samples[bottom])]),
  );
  printTable(
    `DinD readiness (${engineStandin()}): create request to first GET /info = 200, seconds, median (min-max) of ${REPETITIONS}`,
    measured.map((variant) => ({ variant, seconds: spread(summaries[variant]), measured: VARIANTS[variant] })),
  );
  printTable(
    "Ratios, per repetition (side by side in this run), median (min-max)",
    Object.entries(ratios).map(([ratio, values]) => ({ ratio, value: spread(summarize(values)) })),
  );
  const pluginCost = Object.fromEntries(measured.filter(() => COMPARE_PLUGINS).map((variant) => [variant, summarize(pairedRatios(samples[variant], withoutPlugins[variant]))]));
  if (COMPARE_PLUGINS) {
    printTable(
      "The image with the plugins against the same image without them, per repetition (side by side), median (min-max)",
      measured.map((variant) => ({ variant, "without plugins, s": spread(summarize(withoutPlugins[variant])), "with / without": spread(pluginCost[variant]) })),
    );
  }
  process.stdout.write(`\niptables backend the entrypoint chose: ${[...new Set(backends)].join(", ")}\n`);
  writeResult(`readiness${ENGINE === "bookworm" ? "" : `-${ENGINE}`}${QUICK ? "-quick" : ""}${COMPARE_PLUGINS ? "-plugins" : ""}`, describeMachine(result.engine), {
    repetitions: REPETITIONS,
    unit: "s",
    standinEngine: engineStandin(),
    variants: Object.fromEntries(measured.map((variant) => [variant, { measured: VARIANTS[variant], samples: samples[variant], ...summaries[variant] }])),
    ratios: Object.fromEntries(Object.entries(ratios).map(([ratio, values]) => [ratio, { samples: values, ...summarize(values) }])),
    iptablesBackend: [...new Set(backends)],
    ...(COMPARE_PLUGINS
      ? {
          withoutPlugins: Object.fromEntries(measured.map((variant) => [variant, { samples: withoutPlugins[variant], ...summarize(withoutPlugins[variant]) }])),
          withOverWithoutPlugins: pluginCost,
        }
      : {}),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] readiness failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
