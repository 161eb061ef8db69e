import { z } from "zod";
import { renderValue } from "./problem";
import { NAMESPACE, SCHEMA } from "./schema";
import { coreOf, docOf, layersOf, wordsOf } from "./words";

// The README's per-key table, read off the zod schema (zod exports JSON Schema, not Markdown).

/** One row of the config reference. */
export interface ReferenceRow {
  /** Full key path, e.g. `registry.auth.username` or `workloads.clients[].count`. */
  key: string;
  /** Allowed values in words. */
  allowed: string;
  /** Default in words. */
  defaultText: string;
  /** Meaning. */
  doc: string;
}

/** The default in words: the parsed value used when the key is absent, `(none)` or `(required)`. */
function defaultText(schema: z.core.$ZodType): string {
  const layers = layersOf(schema);
  if (layers.some((layer) => layer instanceof z.ZodPrefault)) return renderValue(z.parse(schema, undefined));
  return layers.some((layer) => layer instanceof z.ZodOptional) ? "(none)" : "(required)";
}

function shapeOf(schema: z.core.$ZodType): Record<string, z.core.$ZodType> | undefined {
  const core = coreOf(schema);
  return core instanceof z.ZodObject ? core.shape : undefined;
}

function collect(key: string, schema: z.core.$ZodType, rows: ReferenceRow[]): void {
  const doc = docOf(schema) ?? "";
  const shape = shapeOf(schema);
  if (shape) {
    if (defaultText(schema) === "(none)") rows.push({ key, allowed: "a section", defaultText: "(none)", doc });
    for (const [name, child] of Object.entries(shape)) collect(`${key}.${name}`, child, rows);
    return;
  }
  rows.push({ key, allowed: wordsOf(schema), defaultText: defaultText(schema), doc });
  const core = coreOf(schema);
  const itemShape = core instanceof z.ZodArray ? shapeOf(core.element) : undefined;
  for (const [name, child] of Object.entries(itemShape ?? {})) collect(`${key}[].${name}`, child, rows);
}

/** Every leaf key of the schema, in schema order. */
export function referenceRows(): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  for (const [name, schema] of Object.entries(SCHEMA.shape)) collect(name, schema, rows);
  return rows;
}

const cell = (value: string) => value.replace(/\|/g, "\\|");

/** The config reference as a Markdown table, as it appears in the README. */
export function referenceMarkdown(): string {
  const header = ["| key (`" + NAMESPACE + ":` ...) | allowed | default | meaning |", "|---|---|---|---|"];
  const body = referenceRows().map((row) => `| \`${row.key}\` | ${cell(row.allowed)} | ${cell(row.defaultText)} | ${cell(row.doc)} |`);
  return [...header, ...body].join("\n");
}
