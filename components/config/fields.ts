import { closestName } from "./did-you-mean";

/** One thing wrong with a config value: the full key and what is wrong with it. */
export interface Problem {
  /** Full key, e.g. `dind-stack:registry.port` or `dind-stack:workloads.clients[1].name`. */
  key: string;
  /** What was given and what is allowed, e.g. `got 70000; allowed: an integer from 1 to 65535`. */
  message: string;
}

/** What the config reference says about a field. */
export interface FieldInfo {
  /** The allowed values in words, e.g. `an integer from 1 to 65535`. */
  allowed: string;
  /** The default in words, or `(required)` / `(none)`. */
  defaultText: string;
  /** One sentence on what the field does. */
  doc: string;
  /** Sub-fields of a section. */
  children?: Readonly<Record<string, Field<unknown>>>;
  /** The item field of a list. */
  item?: Field<unknown>;
}

/** A typed, documented config field that parses a raw value and reports every problem it finds. */
export interface Field<T> {
  /** What the config reference says about this field. */
  readonly info: FieldInfo;
  /** Parses `raw` (undefined when the key is absent); on a problem, records it and returns a placeholder. */
  parse(raw: unknown, key: string, problems: Problem[]): T;
}

/** The value type a field produces. */
export type ValueOf<F> = F extends Field<infer T> ? T : never;

/** Renders a given value for an error message. */
export function renderValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function report(problems: Problem[], key: string, raw: unknown, allowed: string): void {
  problems.push({ key, message: `got ${renderValue(raw)}; allowed: ${allowed}` });
}

function missing(problems: Problem[], key: string, allowed: string): void {
  problems.push({ key, message: `missing; allowed: ${allowed}` });
}

interface Common<T> {
  /** One sentence on what the field does. */
  doc: string;
  /** Value used when the key is absent; absent and no default makes the key required. */
  default?: T;
}

function describeDefault<T>(options: Common<T>, optional: boolean): string {
  if (options.default !== undefined) return renderValue(options.default);
  return optional ? "(none)" : "(required)";
}

/** A string that passes `test`; `secret` values are never echoed in errors. */
export function text(
  options: Common<string> & { test: (value: string) => boolean; allowed: string; secret?: boolean },
): Field<string> {
  return {
    info: { allowed: options.allowed, defaultText: describeDefault(options, false), doc: options.doc },
    parse(raw, key, problems) {
      if (raw === undefined) {
        if (options.default !== undefined) return options.default;
        missing(problems, key, options.allowed);
        return "";
      }
      if (typeof raw !== "string" || !options.test(raw)) {
        if (options.secret) problems.push({ key, message: `got a secret value (not shown); allowed: ${options.allowed}` });
        else report(problems, key, raw, options.allowed);
        return "";
      }
      return raw;
    },
  };
}

/** A field that may be absent (no default): absent yields undefined. */
export function optional<T>(field: Field<T>): Field<T | undefined> {
  return {
    info: { ...field.info, defaultText: "(none)" },
    parse(raw, key, problems) {
      return raw === undefined ? undefined : field.parse(raw, key, problems);
    },
  };
}

/** An integer in a range; numeric strings are accepted (as `pulumi config set --path` writes them). */
export function integer(options: Common<number> & { min: number; max: number }): Field<number> {
  const allowed = `an integer from ${options.min} to ${options.max}`;
  return {
    info: { allowed, defaultText: describeDefault(options, false), doc: options.doc },
    parse(raw, key, problems) {
      if (raw === undefined) {
        if (options.default !== undefined) return options.default;
        missing(problems, key, allowed);
        return options.min;
      }
      const value = typeof raw === "string" && /^-?\d+$/.test(raw) ? Number(raw) : raw;
      if (typeof value !== "number" || !Number.isInteger(value) || value < options.min || value > options.max) {
        report(problems, key, raw, allowed);
        return options.min;
      }
      return value;
    },
  };
}

/** A boolean; the strings "true" and "false" are accepted. */
export function flag(options: Common<boolean> & { default: boolean }): Field<boolean> {
  const allowed = "true or false";
  return {
    info: { allowed, defaultText: renderValue(options.default), doc: options.doc },
    parse(raw, key, problems) {
      if (raw === undefined) return options.default;
      if (raw === true || raw === "true") return true;
      if (raw === false || raw === "false") return false;
      report(problems, key, raw, allowed);
      return options.default;
    },
  };
}

/** One of a fixed set of strings. */
export function choice<const V extends string>(values: readonly V[], options: Common<V>): Field<V> {
  const allowed = `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
  return {
    info: { allowed, defaultText: describeDefault(options, false), doc: options.doc },
    parse(raw, key, problems) {
      if (raw === undefined) {
        if (options.default !== undefined) return options.default;
        missing(problems, key, allowed);
        return values[0];
      }
      if (typeof raw !== "string" || !(values as readonly string[]).includes(raw)) {
        const hint = typeof raw === "string" ? closestName(raw, values) : undefined;
        report(problems, key, raw, hint ? `${allowed} (did you mean ${JSON.stringify(hint)}?)` : allowed);
        return values[0];
      }
      return raw as V;
    },
  };
}

/** A list of items; `unique` names a function giving each item's identity for duplicate checks. */
export function listOf<T>(
  item: Field<T>,
  options: Common<T[]> & { maxItems: number; unique?: (value: T) => string; uniqueWhat?: string },
): Field<T[]> {
  const allowed = `a list of at most ${options.maxItems} items, each ${item.info.allowed}`;
  return {
    info: { allowed, defaultText: describeDefault(options, false), doc: options.doc, item },
    parse(raw, key, problems) {
      if (raw === undefined) return options.default ?? [];
      if (!Array.isArray(raw) || raw.length > options.maxItems) {
        report(problems, key, raw, allowed);
        return [];
      }
      const values = raw.map((entry, index) => item.parse(entry, `${key}[${index}]`, problems));
      if (options.unique) {
        const seen = new Map<string, number>();
        values.forEach((value, index) => {
          const identity = options.unique!(value);
          const first = seen.get(identity);
          if (first !== undefined) {
            problems.push({
              key: `${key}[${index}]`,
              message: `got duplicate ${options.uniqueWhat ?? "value"} ${renderValue(identity)} (also at [${first}]); allowed: each ${options.uniqueWhat ?? "value"} once`,
            });
          } else {
            seen.set(identity, index);
          }
        });
      }
      return values;
    },
  };
}

/** A map from names to strings (e.g. environment variables). */
export function mapOf(options: Common<Record<string, string>> & { keyPattern: RegExp; keyAllowed: string }): Field<Record<string, string>> {
  const allowed = `a map from ${options.keyAllowed} to strings`;
  return {
    info: { allowed, defaultText: describeDefault(options, false), doc: options.doc },
    parse(raw, key, problems) {
      if (raw === undefined) return options.default ?? {};
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        report(problems, key, raw, allowed);
        return {};
      }
      const result: Record<string, string> = {};
      for (const [name, value] of Object.entries(raw)) {
        if (!options.keyPattern.test(name)) {
          problems.push({ key: `${key}.${name}`, message: `got key ${renderValue(name)}; allowed: ${options.keyAllowed}` });
        } else if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
          report(problems, `${key}.${name}`, value, "a string");
        } else {
          result[name] = String(value);
        }
      }
      return result;
    },
  };
}

/** Fields of a section, by key. */
export type Shape = Record<string, Field<unknown>>;

/** The value a section of the given shape produces. */
export type SectionValue<S extends Shape> = { [K in keyof S]: ValueOf<S[K]> };

/** Checks that `raw` is an object whose keys are all known, reporting unknown ones with a "did you mean". */
export function checkKeys(
  raw: unknown,
  known: string[],
  key: string,
  childKey: (name: string) => string,
  problems: Problem[],
): Record<string, unknown> | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    report(problems, key, raw, `an object with keys ${known.join(", ")}`);
    return undefined;
  }
  const entries = raw as Record<string, unknown>;
  for (const given of Object.keys(entries)) {
    if (known.includes(given)) continue;
    const hint = closestName(given, known);
    problems.push({
      key: childKey(given),
      message: `unknown key${hint ? ` (did you mean "${hint}"?)` : ""}; allowed keys: ${known.join(", ")}`,
    });
  }
  return entries;
}

/** Parses every field of `shape` from `raw` (absent means `{}`), naming sub-keys with `childKey`. */
export function parseShape<S extends Shape>(
  shape: S,
  raw: unknown,
  key: string,
  childKey: (name: string) => string,
  problems: Problem[],
): SectionValue<S> {
  const known = Object.keys(shape);
  const entries = raw === undefined ? {} : checkKeys(raw, known, key, childKey, problems) ?? {};
  const result: Record<string, unknown> = {};
  for (const name of known) {
    result[name] = shape[name].parse(entries[name], childKey(name), problems);
  }
  return result as SectionValue<S>;
}

/** An object with known keys; absent parses as `{}` so every sub-field gets its default. */
export function section<S extends Shape>(shape: S, options: { doc: string }): Field<SectionValue<S>> {
  return {
    info: { allowed: "an object", defaultText: "{}", doc: options.doc, children: shape },
    parse(raw, key, problems) {
      return parseShape(shape, raw, key, (name) => `${key}.${name}`, problems);
    },
  };
}
