import { execFile } from "node:child_process";
import * as fs from "node:fs";
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

/** The `npm` executable on this process's PATH. */
function npmOnPath(): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, "npm");
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error("no npm on PATH: these tests run npm itself to show what it hands the scripts");
}

/**
 * Runs `npm run <argv...>` with the real npm, exactly as typed (no `--` added), so that what
 * npm keeps for itself is what a user gets. PATH as in runNpmScript, plus npm's folder.
 */
export function runRealNpm(argv: string[], env: NodeJS.ProcessEnv): Promise<ScriptResult> {
  const npm = npmOnPath();
  const PATH = [path.join(REPO_ROOT, "node_modules", ".bin"), path.dirname(process.execPath), path.dirname(npm)].join(path.delimiter);
  return new Promise((resolve) => {
    execFile(npm, ["run", ...argv], { cwd: REPO_ROOT, env: { ...env, PATH }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
