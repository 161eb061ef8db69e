// Benchmark 2: the DinD image's size: in total, and what it adds beyond its base image, the
// unpacked static binaries and the CLI plugins, layer by layer. Sizes are exact, so one
// measurement is enough. Built from the stand-in engine DIND_STACK_STANDIN names (bookworm's by
// default); the result is image-size.json, or image-size-<engine>.json for another.
// Run under the engine lock: flock /tmp/dind-stack-engine.lock npx ts-node --transpile-only bench/image-size.ts
import * as fs from "node:fs";
import * as zlib from "node:zlib";
import * as tar from "tar-stream";
import { readStandins, standinEngine } from "../test/engine/support/standins";
import { BENCH_IMAGE, buildDindImage, engine, engineDescription, withCleanEngine } from "./support/bench-engine";
import { describeMachine, printTable, writeResult } from "./support/report";

const ENGINE = standinEngine();
const BASE_IMAGE = readStandins().baseImage;
const MB = 1e6;

/** Total size of the regular files in a docker-<version>.tgz, i.e. of the binaries once unpacked. */
async function unpackedSize(tarball: string): Promise<number> {
  const extract = tar.extract();
  let total = 0;
  extract.on("entry", (header, stream, next) => {
    if (header.type === "file") total += header.size ?? 0;
    stream.on("end", next);
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    extract.on("finish", resolve);
    extract.on("error", reject);
    fs.createReadStream(tarball).pipe(zlib.createGunzip()).on("error", reject).pipe(extract);
  });
  return total;
}

/** A layer's instruction, shortened for a table. */
function describeStep(createdBy: string): string {
  const text = createdBy.replace(/^.*?\/bin\/sh -c (#\(nop\) )?/, "").replace(/\s+/g, " ").trim();
  return text.length > 90 ? `${text.slice(0, 87)}...` : text;
}

async function main(): Promise<void> {
  const measured = await withCleanEngine(async () => {
    await buildDindImage();
    const image = await engine.getImage(BENCH_IMAGE).inspect();
    const base = await engine.getImage(BASE_IMAGE).inspect();
    const history = (await engine.getImage(BENCH_IMAGE).history()) as { CreatedBy: string; Size: number }[];
    const baseLayers = ((await engine.getImage(BASE_IMAGE).history()) as unknown[]).length;
    // history() lists the newest step first; the base image's steps come last.
    const added = history.slice(0, history.length - baseLayers).reverse().filter((step) => step.Size > 0);
    return { total: image.Size, base: base.Size, layers: added.map((step) => ({ step: describeStep(step.CreatedBy), bytes: step.Size })), engine: await engineDescription() };
  });
  const standins = readStandins();
  const binaries = await unpackedSize(standins.tarball);
  const plugins = fs.statSync(standins.plugins.buildx.file).size + fs.statSync(standins.plugins.compose.file).size;
  const added = measured.total - measured.base - binaries - plugins;
  printTable(`DinD image ${BENCH_IMAGE} (docker ${standins.dockerVersion}${standins.tarballIsStandin ? ", stand-in binaries" : ""}), MB`, [
    { part: "total", MB: (measured.total / MB).toFixed(1) },
    { part: `base image ${BASE_IMAGE}${standins.baseImageIsStandin ? " (stand-in)" : ""}`, MB: (measured.base / MB).toFixed(1) },
    { part: "static binaries, unpacked", MB: (binaries / MB).toFixed(1) },
    { part: `plugins: buildx ${standins.plugins.buildx.version}, compose ${standins.plugins.compose.version}${standins.plugins.buildx.isStandin ? " (Debian builds)" : ""}`, MB: (plugins / MB).toFixed(1) },
    { part: "added beyond base, binaries and plugins", MB: (added / MB).toFixed(1) },
  ]);
  printTable("Layers the image adds to its base, MB", measured.layers.map((layer) => ({ MB: (layer.bytes / MB).toFixed(1), step: layer.step })));
  writeResult(`image-size${ENGINE === "bookworm" ? "" : `-${ENGINE}`}`, describeMachine(measured.engine), {
    image: BENCH_IMAGE,
    baseImage: BASE_IMAGE,
    baseImageIsStandin: standins.baseImageIsStandin,
    dockerVersion: standins.dockerVersion,
    binariesAreStandin: standins.tarballIsStandin,
    unit: "bytes",
    total: measured.total,
    base: measured.base,
    binaries,
    plugins,
    pluginVersions: { buildx: standins.plugins.buildx.version, compose: standins.plugins.compose.version, debianBuilds: standins.plugins.buildx.isStandin },
    added,
    layers: measured.layers,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] image-size failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
