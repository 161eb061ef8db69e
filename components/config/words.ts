import { z } from "zod";

/**
 * What each config value may be, in the words errors and the README use ("an integer from 1
 * to 65535"). Zod's own messages name types ("expected number") rather than what the stack
 * allows, so every building block in kinds.ts registers its words here.
 */
const allowedWords = z.registry<{ allowed: string }>();

/** Registers `words` as what `schema` allows, and returns the schema. */
export function allowing<T extends z.core.$ZodType>(schema: T, words: string): T {
  allowedWords.add(schema, { allowed: words });
  return schema;
}

/** The words registered for `schema`, looking through defaults, optionals and transforms. */
export function wordsOf(schema: z.core.$ZodType): string {
  for (const layer of layersOf(schema)) {
    const words = allowedWords.get(layer)?.allowed;
    if (words !== undefined) return words;
  }
  throw new Error(`config schema without allowed words: ${schema._zod.def.type}`);
}

/** The description (the key's meaning) of `schema`, looking through its wrappers. */
export function docOf(schema: z.core.$ZodType): string | undefined {
  return layersOf(schema)
    .map((layer) => z.globalRegistry.get(layer)?.description)
    .find((doc) => doc !== undefined);
}

/**
 * `schema` and what it wraps, outermost first: optional, prefault and default wrap an inner
 * type; a pipe (a transform) is looked through on its input side, as the user writes it.
 */
export function layersOf(schema: z.core.$ZodType): z.core.$ZodType[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodPrefault || schema instanceof z.ZodDefault) return [schema, ...layersOf(schema.unwrap())];
  if (schema instanceof z.ZodPipe) return [schema, ...layersOf(schema.in)];
  return [schema];
}

/** The innermost layer of `schema`: the object, array, record, enum or union that checks the value. */
export function coreOf(schema: z.core.$ZodType): z.core.$ZodType {
  const layers = layersOf(schema);
  return layers[layers.length - 1];
}
