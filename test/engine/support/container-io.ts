import { PassThrough } from "node:stream";
import { engine } from "./engine";

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

/**
 * A file of an image, read by the docker CLI inside `container` (a runner or a client): `docker
 * create`, then `docker cp` to a tar stream. No container runs, so nothing depends on an attach
 * stream, which can lose the output of a container that exits at once (moby/moby#20951 is one
 * such case; a nested `docker run ... cat` printed nothing once in CI).
 */
export async function fileInImage(container: string, image: string, file: string): Promise<string> {
  const script = 'id="$(docker create --network none "$1" true)" && { docker cp "$id:$2" - | tar -xO; status=$?; docker rm "$id" >/dev/null; exit "$status"; }';
  return (await execOk(container, ["sh", "-c", script, "sh", image, file])).stdout;
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

/** A container's log as it is written, kept after the container is gone. */
export interface FollowedLog {
  /** What was logged so far. */
  text(): string;
  /** Settles when the log ends (the container stopped). */
  ended: Promise<void>;
}

/** Follows a container's log (stdout and stderr) from now on, until it stops: what it logs while it is stopped and removed is kept. */
export async function followLog(container: string): Promise<FollowedLog> {
  const stream = (await engine.getContainer(container).logs({ stdout: true, stderr: true, follow: true, since: Math.floor(Date.now() / 1000) })) as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on("data", (chunk: Buffer) => chunks.push(chunk));
  engine.modem.demuxStream(stream, sink, sink);
  const ended = new Promise<void>((resolve) => {
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", () => resolve());
  });
  return { text: () => Buffer.concat(chunks).toString(), ended };
}
