import { engine } from "./engine";

/** One event of an engine progress stream (build, pull, push). */
export type ProgressEvent = Record<string, any>;

/**
 * Waits for an engine progress stream to end; fails when the stream breaks or an event
 * reports an error, with `what`, the error and `detail()` (e.g. the tail of a build log).
 */
export async function followStream(
  stream: NodeJS.ReadableStream,
  what: string,
  onEvent: (event: ProgressEvent) => void = () => undefined,
  detail: () => string = () => "",
): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    engine.modem.followProgress(
      stream,
      (error: Error | null, output: ProgressEvent[]) => {
        const failure = error ?? output.find((event) => event.error)?.error;
        if (failure) reject(new Error(`${what} failed: ${String(failure).slice(0, 200)}${detail()}`));
        else resolve();
      },
      onEvent,
    ),
  );
}
