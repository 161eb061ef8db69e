import * as fs from "node:fs";
import * as path from "node:path";

/** The directory holding the DinD image's Dockerfile and entrypoint, kept in the repo. */
export const DOCKERFILE_DIR = path.join(__dirname, "docker");

/** Makes `target` hold the same bytes as `source`: a hard link when possible, else a copy; unchanged files are left alone. */
function placeFile(source: string, target: string): void {
  const from = fs.statSync(source);
  const existing = fs.statSync(target, { throwIfNoEntry: false });
  if (existing && existing.ino === from.ino && existing.dev === from.dev) return;
  if (existing && existing.size === from.size && existing.mtimeMs === from.mtimeMs) return;
  fs.rmSync(target, { force: true });
  try {
    fs.linkSync(source, target);
  } catch {
    fs.copyFileSync(source, target);
    fs.utimesSync(target, from.atime, from.mtime);
  }
}

/**
 * Assembles an image's build context in `stagingDir`: exactly the files of `sourceDir` (the DinD
 * image's DOCKERFILE_DIR by default; a file removed from the repository is removed here too, so
 * it cannot linger in the image or its context digest), and an `offline/` folder holding only the
 * local tarball (at `tarballPath` inside the context) when one is configured. Returns the context
 * directory.
 */
export function stageBuildContext(stagingDir: string, localTarball?: string, tarballPath?: string, sourceDir = DOCKERFILE_DIR): string {
  fs.mkdirSync(path.join(stagingDir, "offline"), { recursive: true });
  const sources = fs.readdirSync(sourceDir);
  for (const entry of fs.readdirSync(stagingDir)) {
    if (entry !== "offline" && !sources.includes(entry)) fs.rmSync(path.join(stagingDir, entry), { recursive: true, force: true });
  }
  for (const entry of sources) {
    fs.copyFileSync(path.join(sourceDir, entry), path.join(stagingDir, entry));
  }
  const wanted = localTarball && tarballPath ? path.join(stagingDir, tarballPath) : undefined;
  for (const entry of fs.readdirSync(path.join(stagingDir, "offline"))) {
    const candidate = path.join(stagingDir, "offline", entry);
    if (candidate !== wanted && entry !== ".keep") fs.rmSync(candidate, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(stagingDir, "offline", ".keep"), "");
  if (localTarball && wanted) placeFile(path.resolve(localTarball), wanted);
  return stagingDir;
}
