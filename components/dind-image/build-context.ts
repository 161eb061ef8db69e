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
 * The build context's folders for local files, each copied by the Dockerfile stage that needs it
 * (so a stage hashes and copies only its own): `offline/` the docker tarball, `plugins/` the
 * CLI plugins of an air-gapped build.
 */
export const LOCAL_FILE_FOLDERS = ["offline", "plugins"] as const;

/**
 * Assembles the DinD image's build context in `stagingDir`: exactly the files of
 * DOCKERFILE_DIR (a file removed from the repository is removed here too, so it cannot linger
 * in the image or its context digest), and the LOCAL_FILE_FOLDERS holding only `localFiles`
 * (path inside the context, e.g. `offline/docker-24.0.6-x86_64.tgz`, to the local file).
 * Returns the context directory.
 */
export function stageBuildContext(stagingDir: string, localFiles: Readonly<Record<string, string>> = {}): string {
  const folders: readonly string[] = LOCAL_FILE_FOLDERS;
  for (const folder of folders) fs.mkdirSync(path.join(stagingDir, folder), { recursive: true });
  const sources = fs.readdirSync(DOCKERFILE_DIR);
  for (const entry of fs.readdirSync(stagingDir)) {
    if (!folders.includes(entry) && !sources.includes(entry)) fs.rmSync(path.join(stagingDir, entry), { recursive: true, force: true });
  }
  for (const entry of sources) {
    fs.copyFileSync(path.join(DOCKERFILE_DIR, entry), path.join(stagingDir, entry));
  }
  const wanted = Object.keys(localFiles).map((contextPath) => path.join(stagingDir, contextPath));
  for (const folder of folders) {
    for (const entry of fs.readdirSync(path.join(stagingDir, folder))) {
      const candidate = path.join(stagingDir, folder, entry);
      if (!wanted.includes(candidate) && entry !== ".keep") fs.rmSync(candidate, { recursive: true, force: true });
    }
    fs.writeFileSync(path.join(stagingDir, folder, ".keep"), "");
  }
  for (const [contextPath, source] of Object.entries(localFiles)) placeFile(path.resolve(source), path.join(stagingDir, contextPath));
  return stagingDir;
}
