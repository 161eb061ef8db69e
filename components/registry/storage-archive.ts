import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Where distribution keeps everything under its root directory (/var/lib/registry). */
const STORAGE_PREFIX = /^(?:\.\/)?docker\/registry\/v2\//;

/** The lister, a child process so that the check stays synchronous while the archive streams. */
const LISTER = path.join(__dirname, "list-archive.cjs");

/** One entry of a tar archive, as its header describes it. */
export interface ArchiveEntry {
  /** Its path in the archive. */
  name: string;
  /** tar-stream's type: file, directory, symlink, link, character-device, block-device, fifo, ... */
  type: string;
  /** Its size in bytes. */
  size: number;
  /** Where a symlink or hard link points. */
  linkname?: string;
}

/** What reading an archive found. */
export interface ArchiveInspection {
  /** Its entries (up to the point where they passed the limit). */
  entries: ArchiveEntry[];
  /** The sha256 of the archive file ("" when it was not read to the end). */
  sha256: string;
  /** True when its entries unpack to more than the limit. */
  overLimit: boolean;
}

const cache = new Map<string, ArchiveInspection>();

/**
 * Reads a tar or tar.gz archive once per program run and file version: its entries and its
 * sha256; stops reading when the entries pass `maxBytes`. Throws when it is no tar archive.
 */
export function inspectArchive(file: string, maxBytes: number): ArchiveInspection {
  const absolute = path.resolve(file);
  const stat = fs.statSync(absolute);
  const key = `${absolute}:${stat.size}:${stat.mtimeMs}:${maxBytes}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let output: string;
  try {
    output = execFileSync(process.execPath, [LISTER, absolute, String(maxBytes)], { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const reason = String((error as { stderr?: unknown }).stderr ?? "").trim() || (error as Error).message;
    throw new Error(reason);
  }
  const inspection = JSON.parse(output) as ArchiveInspection;
  cache.set(key, inspection);
  return inspection;
}

/** Why one entry could reach outside the directory it is extracted into, or could be a device; undefined when it is a plain file or directory inside. */
function entryProblem(entry: ArchiveEntry): string | undefined {
  const escapes = (target: string) => target.startsWith("/") || path.posix.normalize(target).split("/")[0] === "..";
  if (entry.name.startsWith("/")) return `an absolute path (${JSON.stringify(entry.name)})`;
  if (entry.name.split("/").includes("..")) return `a path with .. (${JSON.stringify(entry.name)})`;
  const target = entry.linkname ?? "";
  if (entry.type === "symlink" && (target.startsWith("/") || escapes(path.posix.join(path.posix.dirname(entry.name), target)))) {
    return `a symbolic link pointing outside it (${JSON.stringify(entry.name)} -> ${JSON.stringify(entry.linkname)})`;
  }
  if (entry.type === "link" && escapes(target)) return `a hard link pointing outside it (${JSON.stringify(entry.name)} -> ${JSON.stringify(entry.linkname)})`;
  if (!["file", "contiguous-file", "directory", "symlink", "link"].includes(entry.type)) return `a ${entry.type} entry (${JSON.stringify(entry.name)})`;
  return undefined;
}

/**
 * Why what an archive holds is not a registry's storage that can be restored safely, or
 * undefined when it is one: every entry a file, directory or link that stays inside, no more
 * than `maxBytes` in all, and `docker/registry/v2/` at its top.
 */
export function storageEntriesProblem(inspection: ArchiveInspection, maxBytes: number): string | undefined {
  if (inspection.overLimit) return `it unpacks to more than ${maxBytes} bytes`;
  for (const entry of inspection.entries) {
    const problem = entryProblem(entry);
    if (problem !== undefined) return `it holds ${problem}`;
  }
  if (inspection.entries.some((entry) => STORAGE_PREFIX.test(entry.name))) return undefined;
  const sample = inspection.entries.slice(0, 3).map((entry) => entry.name).join(", ");
  return `it holds no docker/registry/v2/ at its top (${inspection.entries.length === 0 ? "it is empty" : `it starts with ${sample}`})`;
}

/**
 * Why `file` is not an archive of a registry's storage (what /var/lib/registry holds, with
 * `docker/registry/v2/` at its top, as scripts/export-registry.sh writes it) that is safe to
 * restore within `maxBytes`, or undefined when it is one.
 */
export function registryArchiveProblem(file: string, maxBytes: number): string | undefined {
  let inspection: ArchiveInspection;
  try {
    inspection = inspectArchive(file, maxBytes);
  } catch (error) {
    return `it cannot be read as a tar archive (${(error as Error).message})`;
  }
  return storageEntriesProblem(inspection, maxBytes);
}
