import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

/**
 * What a stack's config file allows beyond the secure defaults. The pack reads these from the
 * stack file itself, never from what the program declares, so a program change cannot grant them.
 */
export interface StackOptIns {
  /** `dind-stack:workloads.allowDood: true`: Docker socket mounts are allowed. */
  allowDood: boolean;
  /** `dind-stack:daemon.tls: false`: DinD daemons may serve, and clients use, plain TCP. */
  plainTcpDaemon: boolean;
}

/** A stack that opted into nothing. */
export const NO_OPT_INS: StackOptIns = { allowDood: false, plainTcpDaemon: false };

/** The project directory: the policy pack lives in its policy/ folder. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

const NAMESPACE = "dind-stack";

/** A config flag as the stack's config parser reads it: YAML true/false or the strings "true"/"false". */
function flagIs(value: unknown, wanted: boolean): boolean {
  return value === wanted || value === String(wanted);
}

function section(config: Readonly<Record<string, unknown>>, name: string): Record<string, unknown> {
  const value = config[`${NAMESPACE}:${name}`];
  return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

/** The opt-ins in a stack file's `config:` mapping. */
export function optInsFromConfig(config: Readonly<Record<string, unknown>>): StackOptIns {
  return {
    allowDood: flagIs(section(config, "workloads").allowDood, true),
    plainTcpDaemon: flagIs(section(config, "daemon").tls, false),
  };
}

/** The stack name in a resource URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function stackOfUrn(urn: string): string {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  if (!match) throw new Error(`not a resource URN: ${urn}`);
  return match[1];
}

function loadYaml(file: string): Record<string, unknown> {
  const parsed = yaml.load(fs.readFileSync(file, "utf8"));
  return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
}

/** The path of a stack's config file, honouring Pulumi.yaml's stackConfigDir. */
export function stackFilePath(stack: string, projectDir = PROJECT_DIR): string {
  const project = loadYaml(path.join(projectDir, "Pulumi.yaml"));
  const configDir = typeof project.stackConfigDir === "string" ? project.stackConfigDir : ".";
  return path.join(projectDir, configDir, `Pulumi.${stack}.yaml`);
}

/** The opt-ins of a stack, read from its config file; a stack without a file opted into nothing. */
export function readStackOptIns(stack: string, projectDir = PROJECT_DIR): StackOptIns {
  const file = stackFilePath(stack, projectDir);
  if (!fs.existsSync(file)) return NO_OPT_INS;
  const config = loadYaml(file).config;
  return optInsFromConfig(config && typeof config === "object" ? (config as Record<string, unknown>) : {});
}
