import { execFileSync } from "node:child_process";

/**
 * Runs the system's `tar` (GNU tar or bsdtar, which both detect gzip when reading a file) and
 * returns what it prints; fails with tar's own first error line (e.g. "This does not look like
 * a tar archive", "manifest.json: Not found in archive").
 */
export function runTar(args: readonly string[]): string {
  try {
    return execFileSync("tar", args, { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    const first = stderr.split("\n").find((line) => !/Exiting with failure status/.test(line));
    throw new Error(first ? first.replace(/^tar: /, "") : (error as Error).message);
  }
}
