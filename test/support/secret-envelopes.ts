import { RecordedResource } from "./run-program";

/** What stands for a value the program sent as a Pulumi secret (Pulumi stores it encrypted). */
export const SECRET_MARK = "[secret]";

function redact(value: unknown, secretPaths: ReadonlySet<string>, prefix: string): unknown {
  if (prefix && secretPaths.has(prefix.replace(/\.$/, ""))) return SECRET_MARK;
  if (Array.isArray(value)) return value.map((inner, index) => redact(inner, secretPaths, `${prefix}${index}.`));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redact(inner, secretPaths, `${prefix}${key}.`)]));
  return value;
}

/**
 * A resource's inputs as they end up readable by anyone who reads the state or a preview's
 * diff: each value sent inside a secret envelope (its `secretPaths`, as run-program writes
 * them) replaced by SECRET_MARK, everything else as sent.
 */
export function plainInputs(resource: RecordedResource): unknown {
  return redact(resource.inputs, new Set(resource.secretPaths), "");
}

/** The paths (`<resource name>: a.b.0.c`) at which the plain inputs of two runs of a program differ. */
export function plainDifferences(before: readonly RecordedResource[], after: readonly RecordedResource[]): string[] {
  const differences: string[] = [];
  const walk = (name: string, a: unknown, b: unknown, path: string) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    const isObject = (value: unknown) => value !== null && typeof value === "object";
    if (!isObject(a) || !isObject(b)) return void differences.push(`${name}: ${path}`);
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const key of keys) walk(name, (a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
  };
  const byName = new Map(after.map((resource) => [resource.name, resource]));
  for (const resource of before) walk(resource.name, plainInputs(resource), byName.has(resource.name) ? plainInputs(byName.get(resource.name)!) : undefined, "");
  for (const resource of after) if (!before.some((other) => other.name === resource.name)) differences.push(`${resource.name}: (only in the second run)`);
  return differences;
}
