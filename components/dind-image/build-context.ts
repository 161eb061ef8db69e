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
 * Assembles an image's build context in `stagingDir`: exactly the files of `sourceDir` (the DinD
 * image's DOCKERFILE_DIR by default; a file removed from the repository is removed here too, so it cannot linger
 * in the image or its context digest), and an `offline/` folder holding only the local tarball
 * (at `tarballPath` inside the context) when one is configured. Every file gets a fixed mode
 * (stagedMode; the tarball 0644), so the context digest is the same whatever the umask.
 * Returns the context directory.
 */
export function stageBuildContext(stagingDir: string, localTarball?: string, tarballPath?: string, sourceDir: string = DOCKERFILE_DIR): string {
  const offline = path.join(stagingDir, "offline");
  fs.mkdirSync(offline, { recursive: true });
  fs.chmodSync(stagingDir, DIRECTORY_MODE);
  fs.chmodSync(offline, DIRECTORY_MODE);
  const sources = fs.readdirSync(sourceDir);
  for (const entry of fs.readdirSync(stagingDir)) {
    if (entry !== "offline" && !sources.includes(entry)) fs.rmSync(path.join(stagingDir, entry), { recursive: true, force: true });
  }
  for (const entry of sources) {
    const source = path.join(sourceDir, entry);
    const target = path.join(stagingDir, entry);
    fs.copyFileSync(source, target);
    fs.chmodSync(target, stagedMode(fs.statSync(source).mode));
  }
  const wanted = localTarball && tarballPath ? path.join(stagingDir, tarballPath) : undefined;
  for (const entry of fs.readdirSync(offline)) {
    const candidate = path.join(offline, entry);
    if (candidate !== wanted && entry !== ".keep") fs.rmSync(candidate, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(offline, ".keep"), "");
  fs.chmodSync(path.join(offline, ".keep"), 0o644);
  if (localTarball && wanted) placeFile(path.resolve(localTarball), wanted, 0o644);
  return stagingDir;
}
