import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import * as tar from "tar-stream";

// Archives in the layouts the stack reads, written without an engine: `docker save` (classic
// layout: <id>.json configs and manifest.json) and a registry's storage (docker/registry/v2/...).

/** A fresh temporary directory for a test's files. */
export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `dind-stack-${prefix}-`));
}

/** Packs `entries` (path → content) into a tar archive at `file`, gzip-compressed when it ends in .gz. */
export function writeTar(file: string, entries: Record<string, string>): Promise<string> {
  return writeCraftedTar(file, Object.entries(entries).map(([name, content]) => ({ name, content })));
}

/** One entry of a crafted archive: a header as tar writes it (type, link target, device numbers) and a file's content. */
export interface CraftedEntry {
  /** Its path in the archive, written as given (absolute or with .. too). */
  name: string;
  /** file (default), contiguous-file, directory, symlink, link, character-device, block-device or fifo. */
  type?: "file" | "contiguous-file" | "directory" | "symlink" | "link" | "character-device" | "block-device" | "fifo";
  /** Where a link points. */
  linkname?: string;
  /** A file's content. */
  content?: string | Buffer;
}

/** Packs crafted entries (what no well-behaved tar writes, e.g. `../x` or a device) into `file`, gzip-compressed when it ends in .gz. */
export async function writeCraftedTar(file: string, entries: CraftedEntry[]): Promise<string> {
  const pack = tar.pack();
  for (const entry of entries) {
    const type = entry.type ?? "file";
    const header = { name: entry.name, type, linkname: entry.linkname, ...(type.endsWith("-device") ? { devmajor: 1, devminor: 3 } : {}) };
    if (type === "file" || type === "contiguous-file") pack.entry(header, entry.content ?? "");
    else pack.entry(header);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  const data = Buffer.concat(chunks);
  fs.writeFileSync(file, file.endsWith(".gz") ? gzipSync(data) : data);
  return file;
}

/** One image of a saved archive: the tags it is saved under and a word that makes its config (and so its ID) its own. */
export interface SavedImageSpec {
  /** RepoTags in the archive's manifest.json. */
  tags: string[];
  /** Distinguishes the image's config from others. */
  content: string;
}

/** The ID an image of this spec gets: the sha256 of its config. */
export function savedImageId(spec: SavedImageSpec): string {
  return `sha256:${createHash("sha256").update(configOf(spec)).digest("hex")}`;
}

function configOf(spec: SavedImageSpec): string {
  return JSON.stringify({ architecture: "amd64", os: "linux", config: { Labels: { content: spec.content } }, rootfs: { type: "layers", diff_ids: [] } });
}

/** Writes a `docker save` archive (classic layout) of images without layers, as `docker save` lays out its manifest. */
export function writeSavedArchive(file: string, images: SavedImageSpec[]): Promise<string> {
  const entries: Record<string, string> = {};
  const manifest = images.map((spec) => {
    const config = `${savedImageId(spec).slice("sha256:".length)}.json`;
    entries[config] = configOf(spec);
    return { Config: config, RepoTags: spec.tags, Layers: [] };
  });
  entries["manifest.json"] = JSON.stringify(manifest);
  return writeTar(file, entries);
}

/** Writes an archive of a registry's storage holding the given repositories (their layout only). */
export function writeRegistryArchive(file: string, repositories: string[], prefix = ""): Promise<string> {
  const entries = Object.fromEntries(repositories.map((repository) => [`${prefix}docker/registry/v2/repositories/${repository}/_manifests/tags/1/current/link`, "sha256:0"]));
  return writeTar(file, entries);
}
