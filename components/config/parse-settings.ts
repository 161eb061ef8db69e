import { z } from "zod";
import { withTargetDefaults } from "./cluster-defaults";
import { ConfigError } from "./config-error";
import { describeIssues } from "./describe-issues";
import { fullKey, schemaAt } from "./key-path";
import { parseWithoutRefused } from "./parse-without-refused";
import { Problem } from "./problem";
import { checkRules, RuleContext } from "./rules";
import { checkSecretPlacement } from "./secret-rules";
import { NAMESPACE, SCHEMA, SECRET_KEYS, Settings } from "./schema";
import { coreOf } from "./words";

/** True for the keys whose values are sections or lists (Pulumi hands them over as JSON text). */
function isStructured(name: string): boolean {
  const schema = schemaAt(SCHEMA, [name]);
  const core = schema && coreOf(schema);
  return core instanceof z.ZodObject || core instanceof z.ZodArray;
}

/**
 * Turns a stack's raw config values into a structured object. Pulumi hands structured values
 * over as JSON text and plain values as strings, which zod cannot know; unparsable JSON is a
 * problem, reported without the value when the key is secret. Plain keys are never decoded,
 * so a password may start with `{`.
 */
function decodeRawValues(raw: Readonly<Record<string, string>>, isSecret: (name: string) => boolean, problems: Problem[]): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!isStructured(name) || !/^\s*[[{]/.test(value)) {
      decoded[name] = value;
      continue;
    }
    try {
      decoded[name] = JSON.parse(value);
    } catch {
      const got = isSecret(name) ? "an unparsable structured value (not shown)" : `unparsable structured value ${JSON.stringify(value.slice(0, 60))}`;
      problems.push({ key: fullKey([name]), message: `got ${got}; allowed: a YAML mapping or list` });
    }
  }
  return decoded;
}

/** The `dind-stack:` keys of a full Pulumi config map, without the namespace. */
export function namespaceValues(allConfig: Readonly<Record<string, string>>): Record<string, string> {
  const prefix = `${NAMESPACE}:`;
  return Object.fromEntries(
    Object.entries(allConfig)
      .filter(([configKey]) => configKey.startsWith(prefix))
      .map(([configKey, value]) => [configKey.slice(prefix.length), value]),
  );
}

/**
 * Parses and validates one stack's config. Every problem in the config (each key's own, then
 * the cross-key rules over the rest) is collected and thrown together as a ConfigError; on
 * success every default is filled in (those of the target too, see withTargetDefaults), the
 * passwords are Pulumi secrets, and the settings say whether the clients' env values and
 * commands came from a secret.
 */
export function parseSettings(stack: string, raw: Readonly<Record<string, string>>, context: RuleContext): Settings {
  const isSecret = (name: string) => (SECRET_KEYS as readonly string[]).includes(name) || context.isSecret(name);
  const problems: Problem[] = [];
  const decoded = decodeRawValues(raw, isSecret, problems);
  const parsed = SCHEMA.safeParse(decoded);
  if (!parsed.success) problems.push(...describeIssues(SCHEMA, parsed.error.issues, decoded, isSecret, stack));
  checkSecretPlacement(Object.keys(raw), isSecret, context.secureLeaves ?? (() => undefined), problems);
  const parsedConfig = parsed.success ? parsed.data : parseWithoutRefused(SCHEMA, decoded);
  const settings: Settings = { ...parsedConfig, workloads: { ...parsedConfig.workloads, clientValuesSecret: isSecret("workloads") } };
  checkRules(settings, { ...context, stack }, problems);
  if (problems.length > 0) throw new ConfigError(stack, problems);
  return withTargetDefaults(settings);
}
