import { z } from "zod";
import { NAMESPACE } from "./schema";
import { coreOf } from "./words";

// Zod reports where a value failed as a list of keys and indices; users write the key as
// Pulumi does (`dind-stack:workloads.clients[1].name`), and the wording needs the schema there.

/** A path into the config, as zod reports it: keys and list indices. */
export type KeyPath = readonly PropertyKey[];

/** The full key of a path as users write it: `dind-stack:workloads.clients[1].name`. */
export function fullKey(path: KeyPath): string {
  const tail = path.map((segment, index) => (typeof segment === "number" ? `[${segment}]` : index === 0 ? String(segment) : `.${String(segment)}`));
  return `${NAMESPACE}:${tail.join("")}`;
}

/** The value at `path` inside `value`, undefined where the path leads nowhere. */
export function valueAt(value: unknown, path: KeyPath): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** The schema that checks the value at `path` under `root`, undefined where the schema has no such key. */
export function schemaAt(root: z.core.$ZodType, path: KeyPath): z.core.$ZodType | undefined {
  let current: z.core.$ZodType | undefined = root;
  for (const segment of path) {
    const core = coreOf(current);
    if (core instanceof z.ZodObject) current = typeof segment === "string" && Object.hasOwn(core.shape, segment) ? core.shape[segment] : undefined;
    else if (core instanceof z.ZodArray) current = core.element;
    else if (core instanceof z.ZodRecord) current = core.valueType;
    else current = undefined;
    if (current === undefined) return undefined;
  }
  return current;
}
