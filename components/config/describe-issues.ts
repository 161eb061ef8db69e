import { z } from "zod";
import { closestName } from "./did-you-mean";
import { fullKey, KeyPath, schemaAt, valueAt } from "./key-path";
import { misplacedSecretHint } from "./misplaced-secrets";
import { Problem, renderValue } from "./problem";
import { coreOf, wordsOf } from "./words";

// Zod reports what failed (a code and a path); the stack's errors say it in the user's terms:
// the full key, the value given (never a secret's), what is allowed, and a "did you mean".
// Zod's own messages are never shown: they name types rather than what the stack allows.

/** What a problem says was given: the value, "missing", or nothing at all for a secret. */
function given(value: unknown, secret: boolean): string {
  if (value === undefined) return "missing";
  return secret ? "got a secret value (not shown)" : `got ${renderValue(value)}`;
}

/** Known keys of the object schema at `path`, for "unknown key" problems. */
function knownKeys(root: z.core.$ZodType, path: KeyPath): string[] {
  const core = coreOf(schemaAt(root, path)!);
  return core instanceof z.ZodObject ? Object.keys(core.shape) : [];
}

function describeIssue(root: z.core.$ZodType, issue: z.core.$ZodIssue, input: unknown, secret: boolean, stack: string): Problem[] {
  const { path } = issue;
  if (issue.code === "unrecognized_keys") {
    const known = knownKeys(root, path);
    return issue.keys.map((name) => {
      const secretHome = misplacedSecretHint([...path, name], stack);
      const hint = secretHome ? undefined : closestName(name, known);
      const why = secretHome ? `: ${secretHome}` : hint ? ` (did you mean "${hint}"?)` : "";
      return { key: fullKey([...path, name]), message: `unknown key${why}; allowed keys: ${known.join(", ")}` };
    });
  }
  if (issue.code === "invalid_key") {
    const record = coreOf(schemaAt(root, path.slice(0, -1))!) as z.ZodRecord;
    const name = secret ? "a key (not shown)" : `key ${renderValue(path[path.length - 1])}`;
    return [{ key: fullKey(path), message: `got ${name}; allowed: ${wordsOf(record.keyType)}` }];
  }
  const schema = schemaAt(root, path)!;
  const value = valueAt(input, path);
  const core = coreOf(schema);
  const choices = core instanceof z.ZodEnum ? (core.options as string[]) : undefined;
  const hint = !secret && typeof value === "string" && choices ? closestName(value, choices) : undefined;
  return [{ key: fullKey(path), message: `${given(value, secret)}; allowed: ${wordsOf(schema)}${hint ? ` (did you mean "${hint}"?)` : ""}` }];
}

/**
 * The problems of zod's `issues` for `input` (parsed with `root`) of `stack`, one per key. Values
 * under a top-level key for which `isSecret` holds are never shown.
 */
export function describeIssues(root: z.core.$ZodType, issues: readonly z.core.$ZodIssue[], input: unknown, isSecret: (name: string) => boolean, stack: string): Problem[] {
  const problems = issues.flatMap((issue) => describeIssue(root, issue, input, issue.path.length > 0 && isSecret(String(issue.path[0])), stack));
  return problems.filter((problem, index) => problems.findIndex((other) => other.key === problem.key) === index);
}
