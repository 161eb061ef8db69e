import { parseShape, Problem } from "./fields";
import { ConfigError } from "./config-error";
import { checkRules, RuleContext } from "./rules";
import { NAMESPACE, SCHEMA, Settings } from "./schema";

/**
 * Turns a stack's raw config values into a structured object. Pulumi hands structured
 * values over as JSON text and plain values as strings; unparsable JSON is a problem.
 */
function decodeRawValues(raw: Readonly<Record<string, string>>, problems: Problem[]): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    const looksStructured = /^\s*[[{]/.test(value);
    if (!looksStructured) {
      decoded[name] = value;
      continue;
    }
    try {
      decoded[name] = JSON.parse(value);
    } catch {
      problems.push({ key: `${NAMESPACE}:${name}`, message: `got unparsable structured value ${JSON.stringify(value.slice(0, 60))}; allowed: a YAML mapping or list` });
    }
  }
  return decoded;
}

/** The `dind-stack:` keys of a full Pulumi config map, without the namespace. */
export function namespaceValues(allConfig: Readonly<Record<string, string>>): Record<string, string> {
  const prefix = `${NAMESPACE}:`;
  return Object.fromEntries(
    Object.entries(allConfig)
      .filter(([fullKey]) => fullKey.startsWith(prefix))
      .map(([fullKey, value]) => [fullKey.slice(prefix.length), value]),
  );
}

/**
 * Parses and validates one stack's config. Every problem in the config is collected and
 * thrown together as a ConfigError; on success every default is filled in.
 */
export function parseSettings(stack: string, raw: Readonly<Record<string, string>>, context: RuleContext): Settings {
  const problems: Problem[] = [];
  const decoded = decodeRawValues(raw, problems);
  const settings = parseShape(SCHEMA, decoded, NAMESPACE, (name) => `${NAMESPACE}:${name}`, problems);
  checkRules(settings, context, problems);
  if (problems.length > 0) throw new ConfigError(stack, problems);
  return settings;
}
