import * as fs from "node:fs";
import * as path from "node:path";

/** Where the Pulumi CLI comes from. */
export type CliSource =
  /** A CLI already on PATH (installed by the user, the CI image, ...). */
  | { kind: "path"; binary: string }
  /** The CLI version the `pulumi` npm package pins, already in PULUMI_HOME (downloaded earlier, or placed there). */
  | { kind: "cached"; binary: string }
  /** That version, to be downloaded into PULUMI_HOME by the `pulumi` npm package. */
  | { kind: "download"; binary: string };

/**
 * True for the `pulumi` command that the npm package installs into node_modules/.bin (a script
 * that downloads the CLI): it is not a CLI, and npm puts it first on PATH in npm scripts.
 */
export function isNpmShim(realPath: string): boolean {
  return realPath.split(path.sep).join("/").includes("/node_modules/pulumi/");
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first real `pulumi` executable on PATH (the npm package's shim skipped); undefined when there is none. */
export function findPulumiOnPath(pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, "pulumi");
    if (isExecutableFile(candidate) && !isNpmShim(fs.realpathSync(candidate))) return candidate;
  }
  return undefined;
}

/** The CLI to use: one on PATH first, then the pinned version in PULUMI_HOME, else that version downloaded. */
export function chooseCliSource(onPath: string | undefined, pinnedBinary: string, pinnedIsThere: boolean): CliSource {
  if (onPath) return { kind: "path", binary: onPath };
  return pinnedIsThere ? { kind: "cached", binary: pinnedBinary } : { kind: "download", binary: pinnedBinary };
}

/** The name of the CLI release archive for a platform, as published with every Pulumi release. */
export function releaseArchive(version: string, platform: NodeJS.Platform, arch: string): string {
  const os = platform === "win32" ? "windows" : platform;
  const cpu = arch === "arm64" ? "arm64" : "x64";
  return `pulumi-v${version}-${os}-${cpu}.${platform === "win32" ? "zip" : "tar.gz"}`;
}

/** What to tell a user when no CLI could be had (air-gapped hosts, machines without internet). */
export function noCliMessage(version: string, pinnedBinary: string, reason: string, archive: string): string {
  const binDir = path.dirname(pinnedBinary);
  return [
    `no Pulumi CLI: none on PATH, none at ${pinnedBinary}, and downloading v${version} failed (${reason}).`,
    "Provide one, then run the command again:",
    "  - put a `pulumi` executable on PATH (https://www.pulumi.com/docs/iac/download-install/), or",
    `  - copy ${archive} (from the v${version} release, https://github.com/pulumi/pulumi/releases) here and unpack it into PULUMI_HOME:`,
    `      mkdir -p ${binDir} && tar -xzf ${archive} --strip-components=1 -C ${binDir}`,
    "    (PULUMI_HOME is ~/.pulumi unless set; the archive's pulumi/ folder holds the CLI and its plugins)",
  ].join("\n");
}
