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

/** Builds `dockerfile` (classic builder, no context files) as `tag`, labelled with the run's id so the run's teardown removes it; returns the image ID. */
export async function buildLabelled(tag: string, dockerfile: string): Promise<string> {
  const tar = await import("tar-stream");
  const pack = tar.pack();
  pack.entry({ name: "Dockerfile" }, dockerfile);
  pack.finalize();
  const stream = await engine.buildImage(pack as unknown as NodeJS.ReadableStream, { t: tag, labels: { [TEST_RUN_LABEL]: TEST_RUN_ID }, forcerm: true, version: "1" });
  await followStream(stream, `building ${tag}`);
  return (await engine.getImage(tag).inspect()).Id;
}

/** Builds the busybox test image (once per run; labelled, so the run's teardown removes it). */
export async function ensureBusybox(): Promise<string> {
  const existing = await engine.getImage(BUSYBOX_IMAGE).inspect().catch(() => undefined);
  if (!existing) await buildLabelled(BUSYBOX_IMAGE, BUSYBOX_DOCKERFILE);
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

/** Copies an image of the engine into a container as a `docker save` archive (as `kubectl cp` would) and loads it into the daemon the container uses. */
export async function loadImageInto(container: string, image: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await engine.getImage(image).get()) as NodeJS.ReadableStream) chunks.push(chunk as Buffer);
  const tar = await import("tar-stream");
  const pack = tar.pack();
  pack.entry({ name: "tmp/loaded-image.tar" }, Buffer.concat(chunks));
  pack.finalize();
  await engine.getContainer(container).putArchive(pack as unknown as NodeJS.ReadableStream, { path: "/" });
  await execOk(container, ["docker", "load", "-i", "/tmp/loaded-image.tar"]);
}
