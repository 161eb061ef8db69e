import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "./engine";
import { execOk } from "./container-io";
import { followStream } from "./progress";

/** A tiny image (static busybox on scratch) for nested containers and in-DinD builds. */
export const BUSYBOX_IMAGE = "dind-stack-test/busybox:local";

const BUSYBOX_DOCKERFILE = `FROM debian:bookworm-slim AS busybox
RUN apt-get update && apt-get install -y --no-install-recommends busybox-static && rm -rf /var/lib/apt/lists/*
FROM scratch
COPY --from=busybox /bin/busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["sh"]
`;

/**
 * Builds `dockerfile` (classic builder, no context files) as `tag`, labelled with the run's id so
 * the run's teardown removes it (`labels` replaces that label); returns the image ID.
 */
export async function buildLabelled(tag: string, dockerfile: string, labels: Record<string, string> = { [TEST_RUN_LABEL]: TEST_RUN_ID }): Promise<string> {
  const tar = await import("tar-stream");
  const pack = tar.pack();
  pack.entry({ name: "Dockerfile" }, dockerfile);
  pack.finalize();
  const stream = await engine.buildImage(pack as unknown as NodeJS.ReadableStream, { t: tag, labels, forcerm: true, version: "1" });
  await followStream(stream, `building ${tag}`);
  return (await engine.getImage(tag).inspect()).Id;
}

/**
 * Builds the busybox test image when the engine lacks it. It is kept between runs, like the
 * stand-in base images (no run label): two test runs side by side (scripts/run-tests.sh) both
 * use it, and one's teardown must not take it from the other.
 */
export async function ensureBusybox(): Promise<string> {
  const existing = await engine.getImage(BUSYBOX_IMAGE).inspect().catch(() => undefined);
  if (!existing) await buildLabelled(BUSYBOX_IMAGE, BUSYBOX_DOCKERFILE, { "org.dind-stack.test-standin": "busybox" });
  return BUSYBOX_IMAGE;
}

/**
 * Builds a stand-in for an upstream image under its upstream name (e.g. `nginx:alpine`): the
 * busybox image plus /standin holding `content`, so a container of it tells which one it is.
 * Returns its image ID.
 */
export async function buildStandinImage(reference: string, content: string): Promise<string> {
  await ensureBusybox();
  return buildLabelled(reference, `FROM ${BUSYBOX_IMAGE}\nRUN echo ${content} > /standin\nCMD ["cat", "/standin"]\n`);
}

/** `docker save -o file reference`. */
export async function saveImage(reference: string, file: string): Promise<void> {
  await pipeline((await engine.getImage(reference).get()) as NodeJS.ReadableStream, fs.createWriteStream(file));
}

/** The `docker save` archive of an image of the engine, read whole. */
async function savedArchive(image: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await engine.getImage(image).get()) as NodeJS.ReadableStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The `docker save` archive of `image` tagged `tag` whose config says it was created at
 * `created`: the same layers, another image ID, and the age that `docker image prune --filter
 * until=` judges an image by (its config's `created`, moby daemon/images/image_prune.go).
 */
export async function agedArchive(image: string, tag: string, created: Date): Promise<Buffer> {
  const tar = await import("tar-stream");
  const files = new Map<string, Buffer>();
  const extract = tar.extract();
  const read = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (entry.header.type === "file") files.set(entry.header.name, Buffer.concat(chunks));
    }
  })();
  extract.end(await savedArchive(image));
  await read;
  const manifest = JSON.parse(files.get("manifest.json")!.toString());
  const config = JSON.parse(files.get(manifest[0].Config)!.toString());
  files.delete(manifest[0].Config);
  files.delete("repositories");
  const aged = Buffer.from(JSON.stringify({ ...config, created: created.toISOString() }));
  manifest[0].Config = `${crypto.createHash("sha256").update(aged).digest("hex")}.json`;
  manifest[0].RepoTags = [tag];
  files.set(manifest[0].Config, aged);
  files.set("manifest.json", Buffer.from(JSON.stringify(manifest)));
  const pack = tar.pack();
  for (const [name, content] of files) pack.entry({ name }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Copies a `docker save` archive into a container (as `kubectl cp` would) and loads it into the daemon the container uses. */
export async function loadArchiveInto(container: string, archive: Buffer): Promise<void> {
  const tar = await import("tar-stream");
  const pack = tar.pack();
  pack.entry({ name: "tmp/loaded-image.tar" }, archive);
  pack.finalize();
  await engine.getContainer(container).putArchive(pack as unknown as NodeJS.ReadableStream, { path: "/" });
  await execOk(container, ["docker", "load", "-i", "/tmp/loaded-image.tar"]);
}

/** Copies an image of the engine into a container as a `docker save` archive and loads it into the daemon the container uses. */
export async function loadImageInto(container: string, image: string): Promise<void> {
  await loadArchiveInto(container, await savedArchive(image));
}
