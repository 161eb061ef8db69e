// Benchmark 6: the dev stack's first `pulumi up` on the engine, as the engine tests deploy it (the
// harness's TestStack, with the stand-in base image, registry and docker tarball), from a cold
// build cache: each repetition builds on a base image of its own (the stand-in base plus a layer
// of its own: BuildKit, which the provider builds with, keys its cache on layer content, so no
// step of an earlier build is reused), as on a machine that has never built the stack. Reported: the whole `up`, and the size of the image the client runs.
// Run under the engine lock:
//   flock /tmp/dind-stack-engine.lock npx jest --config bench/jest.config.js bench/dev-first-up.bench.ts
import { performance } from "node:perf_hooks";
import { objectNames } from "../components/naming";
import { removeByNamePrefix, removeTestObjects } from "../test/engine/support/cleanup";
import { TestStack } from "../test/engine/support/deploy";
import { engine } from "../test/engine/support/engine";
import { buildLabelled } from "../test/engine/support/test-images";
import { DOCKER, named } from "../test/support/resource-queries";
import { describeMachine, printTable, spread, writeResult } from "./support/report";
import { summarize } from "./support/stats";
import { freePort } from "../test/engine/support/free-port";

const REPETITIONS = Number(process.env.BENCH_REPS ?? 3);
const STACK = "bench-dev";

/** Removes what a repetition left: the stack's containers, network and volumes, and the images it built (tags ending in -bench-dev). */
async function removeStack(): Promise<void> {
  await removeByNamePrefix(objectNames(STACK).prefix);
  for (const image of await engine.listImages()) {
    for (const tag of image.RepoTags ?? []) if (tag.startsWith("dind-stack/") && tag.endsWith(`-${STACK}`)) await engine.getImage(tag).remove({ force: true }).catch(() => undefined);
  }
}

test("the dev stack's first up from a cold build cache (figures printed and written to bench/results)", async () => {
  const seconds: number[] = [];
  let clientImageBytes = 0;
  let clientImage = "";
  for (let repetition = 0; repetition < REPETITIONS; repetition++) {
    await removeStack();
    const base = `dind-stack-bench/base:cold-${Date.now().toString(36)}`;
    await buildLabelled(base, `FROM debian:bookworm-slim\nRUN echo ${base} > /etc/dind-stack-bench-cold\n`);
    const stack = new TestStack({ configOf: "dev", stack: STACK, overrides: { "dind-stack:registry": { port: await freePort() }, "dind-stack:dindImage": { baseImage: base } } });
    const started = performance.now();
    const { run } = await stack.up();
    seconds.push((performance.now() - started) / 1000);
    const client = named(run.resources, `${STACK}-dood-client-builder-1`);
    const imageId = (await engine.getContainer(client.inputs.name).inspect()).Image;
    const inspected = await engine.getImage(imageId).inspect();
    clientImageBytes = inspected.Size;
    clientImage = inspected.RepoTags?.[0] ?? imageId;
    expect(run.resources.filter((resource) => resource.type === DOCKER.container).length).toBe(2);
    await stack.destroy();
  }
  await removeStack();
  await removeTestObjects({ images: true });
  const summary = summarize(seconds);
  printTable(`dev stack, first up from a cold build cache (${REPETITIONS} repetitions)`, [
    { measure: "first up, seconds", value: spread(summary) },
    { measure: `client image ${clientImage}, MB`, value: (clientImageBytes / 1e6).toFixed(0) },
  ]);
  const version = await engine.version();
  writeResult("dev-first-up", describeMachine(`${version.Version}`), { seconds: { samples: seconds, ...summary }, clientImage, clientImageBytes });
});
