import { Field } from "./fields";
import { NAMESPACE, SCHEMA } from "./schema";

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

function collect(key: string, field: Field<unknown>, rows: ReferenceRow[]): void {
  const { children, item } = field.info;
  if (children) {
    if (field.info.defaultText === "(none)") rows.push({ key, allowed: "a section", defaultText: "(none)", doc: field.info.doc });
    for (const [name, child] of Object.entries(children)) collect(`${key}.${name}`, child, rows);
    return;
  }
  rows.push({ key, allowed: field.info.allowed, defaultText: field.info.defaultText, doc: field.info.doc });
  if (item?.info.children) {
    for (const [name, child] of Object.entries(item.info.children)) collect(`${key}[].${name}`, child, rows);
  }
}

/** Every leaf key of the schema, in schema order. */
export function referenceRows(): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  for (const [name, field] of Object.entries(SCHEMA)) collect(name, field as Field<unknown>, rows);
  return rows;
}

const cell = (value: string) => value.replace(/\|/g, "\\|");

/** The config reference as a Markdown table, as it appears in the README. */
export function referenceMarkdown(): string {
  const header = ["| key (`" + NAMESPACE + ":` ...) | allowed | default | meaning |", "|---|---|---|---|"];
  const body = referenceRows().map((row) => `| \`${row.key}\` | ${cell(row.allowed)} | ${cell(row.defaultText)} | ${cell(row.doc)} |`);
  return [...header, ...body].join("\n");
}
