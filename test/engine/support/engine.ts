import Docker from "dockerode";
import { PassThrough } from "node:stream";

/** The engine the tests run against (DOCKER_HOST or the local socket). */
export const engine = new Docker();

/** Label on every object a test creates; its value is the test run's id. */
export const TEST_RUN_LABEL = "org.dind-stack.test-run";

/** This test run's id: set once by the global setup, shared by every test file of the run. */
export const TEST_RUN_ID = process.env.DIND_STACK_TEST_RUN ?? `${process.pid}-${Date.now().toString(36)}`;

/** Output of a command run in a container. */
export interface ExecResult {
  /** Exit code. */
  exitCode: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Runs a command in a running container and collects its output. */
export async function execIn(container: string, command: string[], env: string[] = []): Promise<ExecResult> {
  const exec = await engine.getContainer(container).exec({ Cmd: command, Env: env, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on("data", (chunk: Buffer) => chunks.stdout.push(chunk));
  stderr.on("data", (chunk: Buffer) => chunks.stderr.push(chunk));
  engine.modem.demuxStream(stream, stdout, stderr);
  await new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
  });
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, stdout: Buffer.concat(chunks.stdout).toString(), stderr: Buffer.concat(chunks.stderr).toString() };
}

/** Runs a command in a container and fails with its output unless it exits 0. */
export async function execOk(container: string, command: string[], env: string[] = []): Promise<ExecResult> {
  const result = await execIn(container, command, env);
  if (result.exitCode !== 0) {
    throw new Error(`${command.join(" ")} in ${container} exited ${result.exitCode}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
  return result;
}

/** A container's log (stdout and stderr). */
export async function logsOf(container: string): Promise<string> {
  const buffer = (await engine.getContainer(container).logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
  const text: string[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    text.push(buffer.subarray(offset + 8, offset + 8 + size).toString());
    offset += 8 + size;
  }
  return text.join("");
}

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

/** Removes every container, network, volume and (with `images`) image labelled with this run's id. */
export async function removeTestObjects(options: { images: boolean }): Promise<void> {
  await removeLabelled([`${TEST_RUN_LABEL}=${TEST_RUN_ID}`], options.images, () => true);
}

/**
 * Removes what aborted earlier runs left behind: objects carrying the test label of another
 * run and created more than `minAgeMs` ago (so a run going on at the same time is spared).
 */
export async function removeStaleTestObjects(minAgeMs: number): Promise<void> {
  const cutoff = Date.now() - minAgeMs;
  await removeLabelled([TEST_RUN_LABEL], true, (labels, createdMs) => labels[TEST_RUN_LABEL] !== TEST_RUN_ID && createdMs < cutoff);
}

async function removeLabelled(label: string[], images: boolean, wanted: (labels: Record<string, string>, createdMs: number) => boolean): Promise<void> {
  const filters = { label };
  for (const info of await engine.listContainers({ all: true, filters })) {
    if (wanted(info.Labels, info.Created * 1000)) await engine.getContainer(info.Id).remove({ force: true, v: true });
  }
  for (const info of await engine.listNetworks({ filters })) {
    if (wanted(info.Labels ?? {}, Date.parse(info.Created))) await engine.getNetwork(info.Id).remove();
  }
  for (const info of (await engine.listVolumes({ filters })).Volumes ?? []) {
    const created = Date.parse((info as unknown as { CreatedAt?: string }).CreatedAt ?? "") || 0;
    if (wanted(info.Labels ?? {}, created)) await engine.getVolume(info.Name).remove({ force: true });
  }
  if (images) {
    for (const info of await engine.listImages({ filters })) {
      if (wanted(info.Labels ?? {}, info.Created * 1000)) await engine.getImage(info.Id).remove({ force: true }).catch(() => undefined);
    }
  }
}

/** Removes containers, networks and volumes whose names start with `prefix`, whoever created them (leftovers of an aborted run). */
export async function removeByNamePrefix(prefix: string): Promise<void> {
  for (const info of await engine.listContainers({ all: true })) {
    if (info.Names.some((name) => name.replace(/^\//, "").startsWith(prefix))) await engine.getContainer(info.Id).remove({ force: true, v: true });
  }
  for (const info of await engine.listNetworks()) {
    if (info.Name.startsWith(prefix)) await engine.getNetwork(info.Id).remove();
  }
  for (const info of (await engine.listVolumes()).Volumes ?? []) {
    if (info.Name.startsWith(prefix)) await engine.getVolume(info.Name).remove({ force: true });
  }
}
