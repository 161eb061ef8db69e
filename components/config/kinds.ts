import { z } from "zod";
import { allowing, wordsOf } from "./words";

// The kinds of value the stack config uses, as zod schemas that carry their allowed words.

/** Values a stack file may store encrypted (`secure:`), since the program keeps them secret wherever they land. */
const secretCapableValues = z.registry<{ secretCapable: true }>();

/** Marks `schema` as a value a stack file may store encrypted, and returns it. */
export function secretCapable<T extends z.core.$ZodType>(schema: T): T {
  secretCapableValues.add(schema, { secretCapable: true });
  return schema;
}

/** True for a value a stack file may store encrypted. */
export function isSecretCapable(schema: z.core.$ZodType): boolean {
  return secretCapableValues.has(schema);
}

/** A string matching `pattern`, described as `words`. */
export function matching(pattern: RegExp, words: string): z.ZodString {
  return allowing(z.string().regex(pattern), words);
}

/**
 * An integer in a range. `pulumi config set --path` writes numbers as strings, so digit
 * strings are accepted too.
 */
export function integer(min: number, max: number) {
  const value = z.number().int().min(min).max(max);
  return allowing(z.union([value, z.string().regex(/^\d+$/).transform(Number).pipe(value)]), `an integer from ${min} to ${max}`);
}

/** A boolean; the strings "true" and "false" (as `pulumi config set --path` writes them) too. */
export function flag() {
  return allowing(z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]), "true or false");
}

/** One of a fixed set of strings. */
export function choice<const V extends readonly [string, ...string[]]>(values: V) {
  return allowing(z.enum(values), `one of ${values.map((value) => JSON.stringify(value)).join(", ")}`);
}

/** A list of at least `min` and at most `max` items. */
export function listOf<T extends z.ZodType>(item: T, max: number, min = 0) {
  const list = z.array(item).max(max);
  const size = min > 0 ? `${min} to ${max} items` : `at most ${max} items`;
  return allowing(min > 0 ? list.min(min) : list, `a list of ${size}, each ${wordsOf(item)}`);
}

/** A map from environment variable names to strings (numbers and booleans are taken as their text); a value may be a secret. */
export function envMap() {
  const name = matching(/^[A-Za-z_][A-Za-z0-9_]*$/, "environment variable names");
  const value = secretCapable(allowing(z.union([z.string(), z.number(), z.boolean()]).transform(String), "a string"));
  return allowing(z.record(name, value), "a map from environment variable names to strings");
}

/** A map from Kubernetes label keys to label values, such as a nodeSelector. */
export function labelMap(key: z.ZodString, value: z.ZodString) {
  return allowing(z.record(key, value), "a map from label keys to label values");
}

/** An object with exactly the keys of `shape`: an unknown key is an error, not ignored. */
export function section<S extends z.ZodRawShape>(shape: S) {
  return allowing(z.strictObject(shape), `an object with keys ${Object.keys(shape).join(", ")}`);
}
