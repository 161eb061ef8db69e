import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The names of the stack files (Pulumi.<name>.yaml) in a folder of the repository, sorted. */
function stackFileNames(folder: "stacks" | "examples"): string[] {
  return fs
    .readdirSync(path.join(REPO_ROOT, folder))
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** The stacks that have a config file in stacks/. */
export const stackNames = (): string[] => stackFileNames("stacks");

/** The example stack files in examples/ (what the recipes in docs/recipes copy into stacks/). */
export const exampleNames = (): string[] => stackFileNames("examples");

/**
 * A stack's config as Pulumi hands it to the program: `namespace:key` to a string,
 * structured values as JSON text. `folder` is stacks/, or examples/ for an example stack file.
 */
export function stackConfig(stack: string, folder: "stacks" | "examples" = "stacks"): Record<string, string> {
  const file = path.join(REPO_ROOT, folder, `Pulumi.${stack}.yaml`);
  const parsed = yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(parsed.config ?? {}).map(([key, value]) => [key, typeof value === "object" ? JSON.stringify(value) : String(value)]),
  );
}

/**
 * Secrets an operator sets once per stack with `pulumi config set --secret` before its first
 * `pulumi up` (the stack files in the repository hold none): test values for the stacks that
 * cannot deploy without them.
 */
const OPERATOR_SECRETS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // With target kubernetes the registry requires authentication.
  prod: { "dind-stack:registryPassword": "prod-registry-password" },
};

/** A stack as `pulumi up` runs it once its operator has set it up: its config file plus those secrets, and which keys are secret. */
export function deployableStack(stack: string): { config: Record<string, string>; secretKeys: string[] } {
  const secrets = OPERATOR_SECRETS[stack] ?? {};
  return { config: { ...stackConfig(stack), ...secrets }, secretKeys: Object.keys(secrets) };
}

/** Merges structured overrides into a config map (a shallow merge per top-level key). */
export function withOverrides(config: Record<string, string>, overrides: Record<string, unknown>): Record<string, string> {
  const merged = { ...config };
  for (const [key, value] of Object.entries(overrides)) {
    const current = merged[key] !== undefined && /^\s*\{/.test(merged[key]) ? JSON.parse(merged[key]) : undefined;
    merged[key] =
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? JSON.stringify({ ...(current ?? {}), ...value })
        : typeof value === "string"
          ? value
          : JSON.stringify(value);
  }
  return merged;
}
