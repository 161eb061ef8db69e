import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { runTar } from "../tar";
import { canonicalReference } from "./local-name";

/** One image in a `docker save` archive. */
export interface SavedImage {
  /** The image ID, `sha256:<hex>` (the digest of its config, kept by save, load and push). */
  id: string;
  /** The references it was saved under, as written in the archive (e.g. `nginx:alpine`). */
  repoTags: string[];
}

/** manifest.json of a `docker save` archive (classic layout and the OCI layout of Docker 25+ alike). */
const SAVE_MANIFEST = z.array(z.object({ Config: z.string().regex(/[0-9a-f]{64}(?:\.json)?$/), RepoTags: z.array(z.string()).nullish() }));

const cache = new Map<string, SavedImage[]>();

/**
 * The images a `docker save` archive holds, read from its manifest.json (the archive is read
 * once per program run and file version). Throws an Error saying why the file is not such an
 * archive.
 */
export function readSavedImages(file: string): SavedImage[] {
  const absolute = path.resolve(file);
  const stat = fs.statSync(absolute);
  const key = `${absolute}:${stat.size}:${stat.mtimeMs}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const text = runTar(["-xOf", absolute, "manifest.json"]);
  let manifest: z.infer<typeof SAVE_MANIFEST>;
  try {
    manifest = SAVE_MANIFEST.parse(JSON.parse(text));
  } catch {
    throw new Error("its manifest.json is not the one `docker save` writes");
  }
  const images = manifest.map((entry) => ({ id: `sha256:${/([0-9a-f]{64})(?:\.json)?$/.exec(entry.Config)![1]}`, repoTags: entry.RepoTags ?? [] }));
  cache.set(key, images);
  return images;
}

/** The image saved under `reference` (compared in canonical form, so `nginx:alpine` matches `docker.io/library/nginx:alpine`). */
export function savedImageOf(images: readonly SavedImage[], reference: string): SavedImage | undefined {
  const wanted = canonicalReference(reference);
  return images.find((image) => image.repoTags.some((tag) => canonicalReference(tag) === wanted));
}
