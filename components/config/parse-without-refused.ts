import { z } from "zod";
import { KeyPath, valueAt } from "./key-path";

/** Removes the value at `path` from `root`; a list goes whole (removing an item would shift the indices problems name). */
function remove(root: unknown, path: KeyPath, removed: Set<string>): boolean {
  let target = [...path];
  while (target.length > 0 && (typeof target[target.length - 1] === "number" || removed.has(JSON.stringify(target)))) target = target.slice(0, -1);
  if (target.length === 0) return false;
  removed.add(JSON.stringify(target));
  const parent = valueAt(root, target.slice(0, -1));
  if (typeof parent === "object" && parent !== null) delete (parent as Record<PropertyKey, unknown>)[target[target.length - 1]];
  return true;
}

/**
 * Parses what is left of `input` once every value zod refuses is removed (so its default
 * applies); a refused key that is required takes its parent with it. Zod returns no data while
 * any issue remains, but the cross-key rules must still judge the rest of a bad config, so that
 * every problem is reported in one go.
 */
export function parseWithoutRefused<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const attempt = structuredClone(input);
  const removed = new Set<string>();
  for (;;) {
    const result = schema.safeParse(attempt);
    if (result.success) return result.data;
    const paths = result.error.issues.flatMap((issue) => (issue.code === "unrecognized_keys" ? issue.keys.map((name) => [...issue.path, name]) : [issue.path]));
    const progressed = paths.map((path) => remove(attempt, path, removed)).some(Boolean);
    if (!progressed) throw new Error(`config could not be parsed without its refused values: ${JSON.stringify(paths)}`);
  }
}
