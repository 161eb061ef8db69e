import { RecordedResource } from "./run-program";

/** Paths (as `secretPaths` writes them) of the values inside `value` whose text contains `needle`. */
function pathsContaining(value: unknown, needle: string, prefix = ""): string[] {
  if (typeof value === "string") return value.includes(needle) ? [prefix.replace(/\.$/, "")] : [];
  if (value && typeof value === "object") return Object.entries(value).flatMap(([key, inner]) => pathsContaining(inner, needle, `${prefix}${key}.`));
  return [];
}

/**
 * Where `needle` reaches what the program registered: how often in all (`found`), and where
 * outside a secret envelope (`plain`, as `<resource>: <input path>`), i.e. where the state and
 * a preview's diff would show it in plain text.
 */
export function plainOccurrences(resources: readonly RecordedResource[], needle: string): { found: number; plain: string[] } {
  let found = 0;
  const plain: string[] = [];
  for (const resource of resources) {
    for (const path of pathsContaining(resource.inputs, needle)) {
      found++;
      const covered = resource.secretPaths.some((secret) => path === secret || path.startsWith(`${secret}.`));
      if (!covered) plain.push(`${resource.name}: ${path}`);
    }
  }
  return { found, plain };
}
