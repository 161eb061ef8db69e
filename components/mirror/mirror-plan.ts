import * as path from "node:path";
import { MirrorEntry } from "../config/schema";
import { localName } from "./local-name";
import { readSavedImages, savedImageOf } from "./saved-images";

/** One image of the mirror list, resolved: where it comes from and where it lands. */
export interface PlannedImage {
  /** Its index in dind-stack:mirror, for errors that name the key. */
  index: number;
  /** The source reference, as configured. */
  source: string;
  /** Repository and tag in the stack's registry, e.g. `library/nginx:alpine`. */
  localName: string;
  /** The `docker save` archive it is loaded from (instead of being pulled), with the ID of the image it holds. */
  archive?: { path: string; imageId: string };
  /** The pinned image ID, if any. */
  digest?: string;
}

/**
 * Resolves validated mirror entries (the config rules have checked every archive): each
 * entry's local name, and for an archive its absolute path and the ID of the image it holds
 * under the source's name.
 */
export function planMirror(entries: readonly MirrorEntry[]): PlannedImage[] {
  return entries.map((entry, index) => {
    const planned: PlannedImage = { index, source: entry.source, localName: localName(entry.source, entry.repository), digest: entry.digest };
    if (entry.archive !== undefined) {
      const image = savedImageOf(readSavedImages(entry.archive), entry.source);
      if (!image) throw new Error(`${entry.archive} does not hold ${entry.source}`);
      planned.archive = { path: path.resolve(entry.archive), imageId: image.id };
    }
    return planned;
  });
}
