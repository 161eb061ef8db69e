import { fullKey } from "./key-path";
import { Problem, renderValue } from "./problem";
import { RuleContext } from "./rules";
import { Settings } from "./schema";

// Rules of the registry's storage on a Docker host: a host directory that exists, instead of
// (not with) a named volume or a restore; a restore archive that is a registry's storage.

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
  if (hostPath !== undefined && !context.isDirectory(hostPath)) {
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
    const problem = context.registryArchiveProblem(restoreArchive);
    if (problem !== undefined) {
      problems.push({ key, message: `${given}, which is not a registry storage archive: ${problem}; allowed: an archive of /var/lib/registry with docker/registry/v2/ at its top (scripts/export-registry.sh)` });
    }
  }
}
