import * as path from "node:path";
import { quantityValue } from "../kubernetes/quantity";
import { fullKey } from "./key-path";
import { Problem, renderValue } from "./problem";
import { RuleContext } from "./rules";
import { Settings } from "./schema";

// Rules of the registry's storage on a Docker host: a host directory that exists, instead of
// (not with) a named volume or a restore; a restore archive that is a registry's storage.

/**
 * Host directories the registry's storage may not be: the engine's sockets and state (and
 * anything holding them: a registry container given one could drive the host's engine, which
 * is root on the host, without workloads.allowDood) and the kernel's interfaces.
 */
const ENGINE_AND_SYSTEM_PATHS = ["/run", "/var/run", "/var/lib/docker", "/var/lib/containerd", "/proc", "/sys", "/dev"];

/** Why a host directory may not hold the registry's storage, or undefined when it may. */
export function refusedHostPath(hostPath: string): string | undefined {
  const normal = path.posix.normalize(hostPath).replace(/(.)\/$/, "$1");
  if (normal === "/") return "the host's whole file system";
  for (const system of ENGINE_AND_SYSTEM_PATHS) {
    if (normal === system || normal.startsWith(`${system}/`)) return `${system}, where the host keeps its engine's sockets and state or the kernel's interfaces`;
    if (system.startsWith(`${normal}/`)) return `a directory holding ${system}, where the host keeps its engine's sockets and state or the kernel's interfaces`;
  }
  return undefined;
}

/** registry.hostPath names an existing directory and stands alone; registry.restoreArchive is a registry storage archive. */
export function checkRegistryStorage(settings: Settings, context: RuleContext, problems: Problem[]): void {
  const { hostPath, volumeName, restoreArchive } = settings.registry;
  if (settings.target !== "docker") {
    for (const [name, value] of Object.entries({ hostPath, restoreArchive })) {
      if (value === undefined) continue;
      problems.push({
        key: fullKey(["registry", name]),
        message: `got ${renderValue(value)} with ${fullKey(["target"])} ${renderValue(settings.target)}; allowed: only with target "docker" (on a cluster the registry keeps its data in a volume claim)`,
      });
    }
    return;
  }
  const refused = hostPath === undefined ? undefined : refusedHostPath(hostPath);
  if (refused !== undefined) {
    problems.push({
      key: fullKey(["registry", "hostPath"]),
      message: `got ${renderValue(hostPath)}, ${refused}; allowed: a directory of its own for the registry's data, such as "/srv/registry" (not /, /run, /var/run, /var/lib/docker, /var/lib/containerd, /proc, /sys, /dev, nor a directory above or below them)`,
    });
  } else if (hostPath !== undefined && !context.isDirectory(hostPath)) {
    problems.push({
      key: fullKey(["registry", "hostPath"]),
      message: `got ${renderValue(hostPath)}, which is not an existing directory; allowed: an existing directory on the Docker host (checked on the machine running Pulumi)`,
    });
  }
  if (hostPath !== undefined && volumeName !== undefined) {
    problems.push({
      key: fullKey(["registry", "volumeName"]),
      message: `got ${renderValue(volumeName)} together with ${fullKey(["registry", "hostPath"])}; allowed: one of them, a named volume or a host directory`,
    });
  }
  if (restoreArchive === undefined) return;
  const key = fullKey(["registry", "restoreArchive"]);
  const given = `got ${renderValue(restoreArchive)}`;
  if (hostPath !== undefined) {
    problems.push({ key, message: `${given} together with ${fullKey(["registry", "hostPath"])}; allowed: a restore only into the named volume (a host directory is used as it is)` });
  } else if (!context.isFile(restoreArchive)) {
    problems.push({ key, message: `${given}, which is not an existing file; allowed: an archive of a registry's storage (absolute, or relative to the project directory)` });
  } else {
    const problem = context.registryArchiveProblem(restoreArchive, quantityValue(settings.registry.restoreSizeLimit));
    if (problem !== undefined) {
      problems.push({
        key,
        message:
          `${given}, which is not a registry storage archive that restores safely: ${problem}; allowed: an archive of /var/lib/registry with docker/registry/v2/ at its top ` +
          `(scripts/export-registry.sh) holding only files, directories and links that stay inside it, at most ${fullKey(["registry", "restoreSizeLimit"])} (${settings.registry.restoreSizeLimit}) in all`,
      });
    }
  }
}
