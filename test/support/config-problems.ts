import { ConfigError } from "../../components/config/config-error";
import { parseSettings } from "../../components/config/parse-settings";
import { RuleContext } from "../../components/config/rules";
import { Settings } from "../../components/config/schema";
import { readSavedImages } from "../../components/mirror/saved-images";
import { registryArchiveProblem } from "../../components/registry/storage-archive";

/**
 * A context where only `existing` files and `directories` exist and `secrets` keys were set as
 * secrets; archives are read for real (the files a test names must then exist).
 */
export function ruleContext(existing: string[] = [], secrets: string[] = ["registryPassword", "registryProxyPassword"], directories: string[] = []): RuleContext {
  return {
    isFile: (path) => existing.includes(path),
    isDirectory: (path) => directories.includes(path),
    isSecret: (name) => secrets.includes(name),
    savedImages: readSavedImages,
    registryArchiveProblem,
  };
}

/** Encodes a config object the way Pulumi hands it to the program (objects as JSON text). */
export function encode(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
}

/** Parses a config (keys without namespace), returning the settings. */
export function parse(config: Record<string, unknown>, context: RuleContext = ruleContext()): Settings {
  return parseSettings("test", encode(config), context);
}

/** The problem lines (`key: message`) of a config parsed for the stack `stack`; [] when it parses. */
export function problemLinesOfStack(stack: string, config: Record<string, unknown>): string[] {
  try {
    parseSettings(stack, encode(config), ruleContext());
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.key}: ${problem.message}`);
    throw error;
  }
}

/** The problem lines (`key: message`) a config produces; fails the test if it parses. */
export function problemLines(config: Record<string, unknown>, context: RuleContext = ruleContext()): string[] {
  try {
    parse(config, context);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.key}: ${problem.message}`);
    throw error;
  }
  throw new Error(`config was accepted: ${JSON.stringify(config)}`);
}

/** A Kubernetes-target config (stack "test") with a prebuilt DinD image and the registry's password, `kubernetes` keys and top-level keys added. */
export const onCluster = (kubernetes: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  target: "kubernetes",
  registryPassword: "cluster-password-1",
  ...top,
  kubernetes: { dindImage: { reference: "registry.example.com/platform/dind:24.0.6" }, ...kubernetes },
});
