import { valueAt } from "./key-path";
import { Problem, renderValue } from "./problem";
import { NAMESPACE, ParsedConfig, SCHEMA, Settings } from "./schema";

/** Every key at its default, to tell a key a stack sets from one it leaves alone. */
const DEFAULTS: ParsedConfig = SCHEMA.parse({});

/**
 * Keys only the Docker host target uses, and what takes their place on a cluster. (The
 * registry's storage keys and the mirror list are refused on a cluster by their own rules.)
 */
const DOCKER_ONLY: Readonly<Record<string, string>> = {
  "registry.port": "the registry is reached through its Service on port 5000",
  "registry.bindAddress": "the registry is reached through its Service, never published on a host",
  "registry.volumeName": "the registry's data is on its volume claim (kubernetes.storageClassName, kubernetes.registryStorageSize)",
  "registry.restoreSizeLimit": "the registry's data is on its volume claim and is never restored from an archive",
  "workloads.daemonAlias": "each runner pod reaches its own daemon on localhost",
  "workloads.dataVolumeName": "the DinD cache is kubernetes.dindCache",
};

const differs = (settings: Settings, path: string[]) => JSON.stringify(valueAt(settings, path)) !== JSON.stringify(valueAt(DEFAULTS, path));

/**
 * A key that does nothing for the stack's target is refused rather than silently ignored: a
 * Docker host key set on a cluster stack, or a kubernetes key set on a Docker host stack.
 */
export function checkTargetKeys(settings: Settings, problems: Problem[]): void {
  if (settings.target === "kubernetes") {
    for (const [path, instead] of Object.entries(DOCKER_ONLY)) {
      if (!differs(settings, path.split("."))) continue;
      problems.push({ key: `${NAMESPACE}:${path}`, message: `got ${renderValue(valueAt(settings, path.split(".")))}; allowed: only with target docker (on kubernetes ${instead})` });
    }
    return;
  }
  // Keys with a default, and optional keys the stack sets (they have no default to differ from).
  for (const name of new Set([...Object.keys(DEFAULTS.kubernetes), ...Object.keys(settings.kubernetes)])) {
    if (!differs(settings, ["kubernetes", name])) continue;
    problems.push({
      key: `${NAMESPACE}:kubernetes.${name}`,
      message: `got ${renderValue(valueAt(settings, ["kubernetes", name]))}; allowed: only with target kubernetes (this stack's target is ${settings.target})`,
    });
  }
}
