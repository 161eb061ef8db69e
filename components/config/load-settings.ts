import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { readSavedImages } from "../mirror/saved-images";
import { registryArchiveProblem } from "../registry/storage-archive";
import { readStackFile } from "../../scripts/stack-files";
import { secureLeafPaths } from "./secure-leaves";
import { NAMESPACE, Settings } from "./schema";
import { namespaceLookalikes } from "./namespace-lookalikes";
import { namespaceValues, parseSettings } from "./parse-settings";

/** Pulumi's own check whether a config key holds a secret (exported by the SDK, not typed). */
const isConfigSecret = (runtimeConfig as unknown as { isConfigSecret: (fullKey: string) => boolean }).isConfigSecret;

function isFile(candidate: string): boolean {
  return fs.statSync(path.resolve(candidate), { throwIfNoEntry: false })?.isFile() ?? false;
}

function isDirectory(candidate: string): boolean {
  return fs.statSync(path.resolve(candidate), { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/**
 * Reads and validates the current stack's `dind-stack` config; throws a ConfigError listing every
 * problem. Keys of a namespace that looks like a typo of ours are warned about.
 */
export function loadSettings(): Settings {
  const stack = pulumi.getStack();
  const stackFile = readStackFile(stack);
  const allConfig = pulumi.runtime.allConfig();
  for (const warning of namespaceLookalikes(allConfig)) pulumi.log.warn(warning);
  return parseSettings(stack, namespaceValues(allConfig), {
    isFile,
    isDirectory,
    savedImages: readSavedImages,
    registryArchiveProblem,
    isSecret: (name) => isConfigSecret(`${NAMESPACE}:${name}`),
    secureLeaves: (name) => (stackFile ? secureLeafPaths(stackFile.config[`${NAMESPACE}:${name}`]) : undefined),
  });
}
