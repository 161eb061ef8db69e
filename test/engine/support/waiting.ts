import { engine } from "./engine";
import { logsOf } from "./container-io";

/** Thrown by a `waitFor` check when waiting longer cannot help (a container that exited, an error that is not transient). */
export class GiveUp extends Error {}

/**
 * Polls until `check` returns a value, or fails after `timeoutMs` with `what`. An error the
 * check throws is taken as transient and polling goes on, except a GiveUp, which ends it at once.
 */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof GiveUp) throw error;
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
}

/**
 * Waits until a container's healthcheck reports healthy, as the docker provider's `wait` does
 * (an unhealthy container may still turn healthy, and a restarted one starts over); fails at
 * once if the container has stopped and nothing will restart it.
 */
export async function waitHealthy(container: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(`${container} to become healthy`, timeoutMs, async () => {
    const { State: state, HostConfig: host } = await engine.getContainer(container).inspect();
    // A container the engine restarts (a registry cache whose upstream is not up yet) may be seen
    // between its exit and its restart: only one that nothing restarts has ended for good.
    const restarts = !["", "no"].includes(host.RestartPolicy?.Name ?? "");
    if (!state.Running && !state.Restarting && !restarts) throw new GiveUp(`${container} is ${state.Status} (exit ${state.ExitCode})`);
    return state.Health?.Status === "healthy" ? true : undefined;
  }).catch(async (error: Error) => {
    throw new Error(`${error.message}\nlog of ${container}:\n${await logsOf(container).catch(() => "(none)")}`);
  });
  return Date.now() - started;
}
