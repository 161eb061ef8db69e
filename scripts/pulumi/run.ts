// Runs the Pulumi CLI: `npm run preview|up|destroy|outputs -- --stack <name> [flags]` for one
// stack, `npm run pulumi -- <any pulumi arguments>` for any command. Decides the backend, checks
// the passphrase of a named stack, finds a CLI (PATH, else the version the `pulumi` npm package
// pins, from PULUMI_HOME or downloaded), checks before preview and up that the registry's host
// port is free, then runs it. Logs each decision.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { chooseBackend, missingPassphrase, usesPassphrase } from "./backend";
import { parseArgs, pulumiRuns, UsageError } from "./cli-args";
import { chooseCliSource, CliSource, findPulumiOnPath, noCliMessage, releaseArchive } from "./cli-source";
import { npmPulumiPackage, pinnedBinaryPath } from "./npm-cli";
import { checkRegistryPort } from "./port-check";
import { listStacks, PROJECT_DIR, projectSettings, readStackFile, stackFilePath } from "../stack-files";

const log = (message: string) => process.stderr.write(`[dind-stack] ${message}\n`);

function fail(message: string, code: number): never {
  process.stderr.write(`[dind-stack] error: ${message}\n`);
  process.exit(code);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The CLI binary to run; downloads the pinned version when it has to, exits with a plain message when it cannot. */
async function cliBinary(): Promise<CliSource> {
  const pkg = npmPulumiPackage();
  const pinned = pinnedBinaryPath(pkg);
  const source = chooseCliSource(findPulumiOnPath(process.env.PATH), pinned, isExecutable(pinned));
  if (source.kind === "path") log(`Pulumi CLI: ${source.binary} (on PATH)`);
  if (source.kind === "cached") log(`Pulumi CLI: v${pkg.version} at ${source.binary} (pinned by the pulumi npm package)`);
  if (source.kind === "download") {
    log(`Pulumi CLI: none on PATH, none at ${pinned}; downloading v${pkg.version} (pinned by the pulumi npm package)`);
    const cannot = (reason: string) => fail(noCliMessage(pkg.version, pinned, reason, releaseArchive(pkg.version, process.platform, process.arch)), 1);
    try {
      await pkg.resolve();
    } catch (error) {
      cannot(error instanceof Error ? error.message : String(error));
    }
    if (!isExecutable(pinned)) cannot("the installer left no binary there");
  }
  return source;
}

/**
 * The registry port check before preview and up: a taken port stops `up` before Pulumi runs;
 * a preview only warns, since it may run where the engine is not the one `up` deploys to.
 */
async function registryPortCheck(command: "up" | "preview", stack: string): Promise<void> {
  const check = await checkRegistryPort(stack, readStackFile(stack)?.config ?? {}, process.env);
  if (check.kind === "skipped") {
    log(`registry port check skipped: ${check.reason}`);
    return;
  }
  const where = `${check.binding.address}:${check.binding.port}`;
  if (check.kind === "free") log(`registry port ${where}: free`);
  else if (check.kind === "own") log(`registry port ${where}: held by this stack's registry`);
  else if (command === "up") fail(check.message, 1);
  else log(`warning: ${check.message} (\`npm run up\` stops here)`);
}

async function main(): Promise<void> {
  let invocation;
  try {
    invocation = parseArgs(process.argv.slice(2), listStacks(), process.env);
  } catch (error) {
    if (error instanceof UsageError) fail(error.message, 2);
    throw error;
  }
  const { stack } = invocation;
  if (stack) log(`stack ${stack}: ${path.relative(PROJECT_DIR, stackFilePath(stack))}`);
  else log("no --stack: a command that needs a stack uses the one `pulumi stack select` chose");
  const backend = chooseBackend(process.env, projectSettings().backendUrl);
  if (backend) {
    log(`backend: ${backend.url} (from ${backend.source}${backend.source === "Pulumi.yaml" ? "; set PULUMI_BACKEND_URL for another" : ""})`);
    const problem = stack && usesPassphrase(backend, readStackFile(stack)?.secretsProvider) ? missingPassphrase(process.env, stack, backend) : undefined;
    if (problem) fail(problem, 1);
  } else {
    log("backend: the one `pulumi login` chose (no PULUMI_BACKEND_URL, none in Pulumi.yaml)");
  }
  if (invocation.command === "up" || invocation.command === "preview") await registryPortCheck(invocation.command, stack!);
  const cli = await cliBinary();
  // The CLI finds its language and policy plugins beside itself (the release tarball ships them together).
  const env = cli.kind === "path" ? process.env : { ...process.env, PATH: `${path.dirname(cli.binary)}${path.delimiter}${process.env.PATH ?? ""}` };
  for (const args of pulumiRuns(invocation)) {
    log(`running: pulumi ${args.join(" ")}`);
    const result = spawnSync(cli.binary, args, { cwd: PROJECT_DIR, env, stdio: "inherit" });
    if (result.error) fail(`could not run ${cli.binary}: ${result.error.message}`, 1);
    if (result.signal) process.kill(process.pid, result.signal);
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error), 1));
