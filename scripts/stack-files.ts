import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

/** The project directory (where Pulumi.yaml is). */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/** What Pulumi.yaml says that the scripts and the policy pack need. */
export interface ProjectSettings {
  /** Folder of the stack files, relative to the project ("." without stackConfigDir). */
  stackConfigDir: string;
  /** `backend.url`, when set. */
  backendUrl?: string;
}

/** A stack file's top-level keys that matter here. */
export interface StackFile {
  /** The `config:` mapping (namespace:key to value). */
  config: Record<string, unknown>;
  /** `secretsprovider:`, when the stack does not use the default. */
  secretsProvider?: string;
}

function loadYamlMapping(file: string): Record<string, unknown> {
  const parsed = yaml.load(fs.readFileSync(file, "utf8"));
  return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
}

/** Reads Pulumi.yaml. */
export function projectSettings(projectDir = PROJECT_DIR): ProjectSettings {
  const project = loadYamlMapping(path.join(projectDir, "Pulumi.yaml"));
  const backend = project.backend as { url?: unknown } | undefined;
  return {
    stackConfigDir: typeof project.stackConfigDir === "string" ? project.stackConfigDir : ".",
    backendUrl: typeof backend?.url === "string" ? backend.url : undefined,
  };
}

/** The path of a stack's config file (Pulumi.<stack>.yaml in the stackConfigDir). */
export function stackFilePath(stack: string, projectDir = PROJECT_DIR): string {
  return path.join(projectDir, projectSettings(projectDir).stackConfigDir, `Pulumi.${stack}.yaml`);
}

/** The stacks that have a config file, sorted. */
export function listStacks(projectDir = PROJECT_DIR): string[] {
  const dir = path.join(projectDir, projectSettings(projectDir).stackConfigDir);
  return fs
    .readdirSync(dir)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** A stack's file; undefined when the stack has none. */
export function readStackFile(stack: string, projectDir = PROJECT_DIR): StackFile | undefined {
  const file = stackFilePath(stack, projectDir);
  if (!fs.existsSync(file)) return undefined;
  const parsed = loadYamlMapping(file);
  const config = parsed.config && typeof parsed.config === "object" ? (parsed.config as Record<string, unknown>) : {};
  return { config, secretsProvider: typeof parsed.secretsprovider === "string" ? parsed.secretsprovider : undefined };
}
