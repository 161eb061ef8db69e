import * as fs from "node:fs";
import * as path from "node:path";
import { verbatim } from "./verbatim";

/** The file that exists while the registry's garbage collection runs (on the pod's /tmp emptyDir). */
export const REGISTRY_GC_MARKER = "/tmp/registry-gc.running";

/** The registry pod's main process: serves, and stops for garbage-collect on start and on schedule (registry-gc.sh). */
export const REGISTRY_GC_SCRIPT = fs.readFileSync(path.join(__dirname, "registry-gc.sh"), "utf8");

/** The name the script runs under (its `$0`), which tells the policy pack what the container runs. */
export const REGISTRY_GC_NAME = "registry-gc";

/**
 * The registry container's command on a cluster: registry-gc.sh serving `configPath`, collecting
 * every `intervalSeconds` (and `--delete-untagged` when `deleteUntagged`). The script is escaped
 * for the kubelet (verbatim), which would otherwise expand its `$(...)`.
 */
export function registryGcCommand(configPath: string, intervalSeconds: number, deleteUntagged: boolean): string[] {
  return ["/bin/sh", "-c", verbatim(REGISTRY_GC_SCRIPT), REGISTRY_GC_NAME, configPath, String(intervalSeconds), String(deleteUntagged), REGISTRY_GC_MARKER];
}
