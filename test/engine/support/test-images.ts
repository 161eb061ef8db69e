import { engine, TEST_RUN_ID, TEST_RUN_LABEL } from "./engine";
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

/** Builds the busybox test image (once per run; labelled, so the run's teardown removes it). */
export async function ensureBusybox(): Promise<string> {
  const existing = await engine.getImage(BUSYBOX_IMAGE).inspect().catch(() => undefined);
  if (existing) return BUSYBOX_IMAGE;
  const tar = await import("tar-stream");
  const pack = tar.pack();
  pack.entry({ name: "Dockerfile" }, BUSYBOX_DOCKERFILE);
  pack.finalize();
  const stream = await engine.buildImage(pack as unknown as NodeJS.ReadableStream, {
    t: BUSYBOX_IMAGE,
    labels: { [TEST_RUN_LABEL]: TEST_RUN_ID },
    forcerm: true,
    version: "1",
  });
  await followStream(stream, `building ${BUSYBOX_IMAGE}`);
  return BUSYBOX_IMAGE;
}
