import { execFile } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../../support/stack-config";

/** How a script run ended. */
export interface ScriptResult {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/**
 * Runs an npm script the way `npm run <name> -- <args>` does: its command from package.json in a
 * shell at the project root, the arguments appended, node_modules/.bin first on PATH (which holds
 * the `pulumi` npm package's downloader). PATH has only that, node's folder and `extraPath`, so
 * no CLI of this machine can be picked up unless a test puts one there.
 */
export function runNpmScript(name: string, args: string[], env: NodeJS.ProcessEnv, extraPath: string[] = []): Promise<ScriptResult> {
  const script = (require(path.join(REPO_ROOT, "package.json")) as { scripts: Record<string, string> }).scripts[name];
  if (!script) throw new Error(`package.json has no script ${name}`);
  const PATH = [path.join(REPO_ROOT, "node_modules", ".bin"), path.dirname(process.execPath), ...extraPath].join(path.delimiter);
  return new Promise((resolve) => {
    execFile("/bin/sh", ["-c", `${script} "$@"`, "sh", ...args], { cwd: REPO_ROOT, env: { ...env, PATH }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
