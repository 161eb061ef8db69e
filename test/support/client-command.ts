import { spawnSync, SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { RecordedResource } from "./run-program";

/** A client container's environment, as the program declared it (`NAME=value` items). */
export function containerEnv(container: RecordedResource): Record<string, string> {
  return Object.fromEntries((container.inputs.envs as string[]).map((item) => [item.slice(0, item.indexOf("=")), item.slice(item.indexOf("=") + 1)]));
}

/** Writes executable stand-ins (name → sh script body) into `dir`, for programs a command calls that this machine has not. */
export function standInPrograms(dir: string, programs: Record<string, string>): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(programs)) fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return dir;
}

/**
 * Runs a client container's command exactly as the program declared it, with the container's
 * declared environment (plus `extra`), in `cwd`, with `bin` (stand-ins) first on PATH and this
 * machine's tools after it.
 */
export function runClientCommand(container: RecordedResource, options: { cwd: string; bin: string; extra?: Record<string, string> }): SpawnSyncReturns<string> {
  const [program, ...args] = container.inputs.command as string[];
  return spawnSync(program, args, {
    cwd: options.cwd,
    env: { ...containerEnv(container), ...options.extra, PATH: `${options.bin}:/usr/bin:/bin` },
    encoding: "utf8",
  });
}
