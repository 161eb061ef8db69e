import * as fs from "node:fs";
import * as path from "node:path";

/** The directory holding the DinD image's Dockerfile and entrypoint, kept in the repo. */
export const DOCKERFILE_DIR = path.join(__dirname, "docker");

/**
 * The mode of every staged file: 0755 for one its source lets its owner execute, else 0644.
 * pulumi-docker's Image hashes each file's mode into the context digest (provider/provider.go,
 * `hashPath`), so modes that followed the checkout's or the process's umask (0664 under umask
 * 002) would rebuild the image, and replace the daemon and every client, on another machine or
 * shell with nothing changed.
 */
export function stagedMode(sourceMode: number): number {
  return (sourceMode & 0o100) !== 0 ? 0o755 : 0o644;
}

/** Mode of the staged directories (not hashed, but part of the context the build copies). */
const DIRECTORY_MODE = 0o755;

/**
 * Makes `target` hold the same bytes as `source` with `mode`: a hard link when the source has
 * that mode already (a link shares the source's mode, which must not be changed), else a copy;
 * an unchanged target is left alone.
 */
function placeFile(source: string, target: string, mode: number): void {
  const from = fs.statSync(source);
  const existing = fs.statSync(target, { throwIfNoEntry: false });
  const modeOf = (stats: fs.Stats) => stats.mode & 0o7777;
  if (existing && existing.ino === from.ino && existing.dev === from.dev && modeOf(existing) === mode) return;
  if (existing && existing.ino !== from.ino && existing.size === from.size && existing.mtimeMs === from.mtimeMs && modeOf(existing) === mode) return;
  fs.rmSync(target, { force: true });
  if (modeOf(from) === mode) {
    try {
      fs.linkSync(source, target);
      return;
    } catch {
      // Another filesystem: copy instead.
    }
  }
  fs.copyFileSync(source, target);
  fs.chmodSync(target, mode);
  fs.utimesSync(target, from.atime, from.mtime);
}

/**
 * The build context's folders for local files, each copied by the Dockerfile stage that needs it
 * (so a stage hashes and copies only its own): `offline/` the docker tarball, `plugins/` the
 * CLI plugins of an air-gapped build.
 */
export const LOCAL_FILE_FOLDERS = ["offline", "plugins"] as const;

/** Every file of `dir` (an image's Dockerfile folder), by absolute path. */
export function filesOf(dir: string): string[] {
  return fs.readdirSync(dir).map((entry) => path.join(dir, entry));
}

/**
 * Assembles an image's build context in `stagingDir`: exactly `sourceFiles` (every file of the
 * DinD image's DOCKERFILE_DIR by default; a file removed from the repository is removed here too,
 * so it cannot linger in the image or its context digest), and the LOCAL_FILE_FOLDERS holding only
 * `localFiles` (path inside the context, e.g. `offline/docker-24.0.6-x86_64.tgz`, to the local
 * file). Every file gets a fixed mode (stagedMode; local files 0644), so the
 * context digest is the same whatever the umask. Returns the context directory.
 */
export function stageBuildContext(stagingDir: string, localFiles: Readonly<Record<string, string>> = {}, sourceFiles: readonly string[] = filesOf(DOCKERFILE_DIR)): string {
  const folders: readonly string[] = LOCAL_FILE_FOLDERS;
  fs.mkdirSync(stagingDir, { recursive: true });
  fs.chmodSync(stagingDir, DIRECTORY_MODE);
  for (const folder of folders) {
    fs.mkdirSync(path.join(stagingDir, folder), { recursive: true });
    fs.chmodSync(path.join(stagingDir, folder), DIRECTORY_MODE);
  }
  const sources = sourceFiles.map((file) => path.basename(file));
  for (const entry of fs.readdirSync(stagingDir)) {
    if (!folders.includes(entry) && !sources.includes(entry)) fs.rmSync(path.join(stagingDir, entry), { recursive: true, force: true });
  }
  for (const source of sourceFiles) {
    const target = path.join(stagingDir, path.basename(source));
    fs.copyFileSync(source, target);
    fs.chmodSync(target, stagedMode(fs.statSync(source).mode));
  }
  const wanted = Object.keys(localFiles).map((contextPath) => path.join(stagingDir, contextPath));
  for (const folder of folders) {
    for (const entry of fs.readdirSync(path.join(stagingDir, folder))) {
      const candidate = path.join(stagingDir, folder, entry);
      if (!wanted.includes(candidate) && entry !== ".keep") fs.rmSync(candidate, { recursive: true, force: true });
    }
    fs.writeFileSync(path.join(stagingDir, folder, ".keep"), "");
    fs.chmodSync(path.join(stagingDir, folder, ".keep"), 0o644);
  }
  for (const [contextPath, source] of Object.entries(localFiles)) placeFile(path.resolve(source), path.join(stagingDir, contextPath), 0o644);
  return stagingDir;
}
