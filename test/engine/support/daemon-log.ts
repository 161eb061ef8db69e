import { logsOf } from "./container-io";

/** Milliseconds from entrypoint start to a ready daemon, for every start in the daemon container's log. */
export async function readyTimesMs(container: string): Promise<number[]> {
  const log = await logsOf(container);
  return [...log.matchAll(/daemon ready on \S+ (\d+) ms after entrypoint start/g)].map((match) => Number(match[1]));
}
