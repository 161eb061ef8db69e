import { engine } from "./engine";
import { logsOf } from "./container-io";

/** Polls until `check` returns a value, or fails after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
}

/** Waits until a container's healthcheck reports healthy; fails early if it stops or turns unhealthy. */
export async function waitHealthy(container: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(`${container} to become healthy`, timeoutMs, async () => {
    const state = (await engine.getContainer(container).inspect()).State;
    if (state.Health?.Status === "unhealthy" || (!state.Running && !state.Restarting)) {
      throw new Error(`${container} is ${state.Health?.Status ?? state.Status} (exit ${state.ExitCode}); log:\n${await logsOf(container)}`);
    }
    return state.Health?.Status === "healthy" ? true : undefined;
  }).catch(async (error: Error) => {
    throw new Error(`${error.message}\nlog of ${container}:\n${await logsOf(container).catch(() => "(none)")}`);
  });
  return Date.now() - started;
}
