import { objectNames } from "../naming";
import { fullKey } from "./key-path";
import { Problem, renderValue } from "./problem";
import { Settings } from "./schema";

// A volume holds one role's data only: the registry's, the DinD daemon's, the certificates or
// the mirror registry's. A configured name that resolves to another volume of the stack, or to
// another stack's default volume, would mount that data into the wrong container (the registry's
// storage in the privileged daemon, a certificate volume deleted on destroy with the registry's
// data on it, another stack's cache).

/** The default volume names' roles, by the suffix after `dind-stack-<stack>-`. */
const DEFAULT_SUFFIXES: Readonly<Record<string, string>> = {
  "registry-data": "registry data",
  "dind-data": "DinD daemon data",
  "dind-certs": "DinD client certificates",
  "mirror-data": "mirror registry data",
};

/** Every volume a Docker-host stack may use, by role, with its resolved name (defaults included). */
function stackVolumes(stack: string, settings: Settings): { role: string; name: string; key?: string }[] {
  const names = objectNames(stack);
  const volumes: { role: string; name: string; key?: string }[] = [];
  if (settings.registry.hostPath === undefined) {
    volumes.push({ role: "registry data", name: settings.registry.volumeName ?? names.registryDataVolume, key: settings.registry.volumeName === undefined ? undefined : "registry.volumeName" });
  }
  volumes.push({ role: "DinD daemon data", name: settings.workloads.dataVolumeName ?? names.dindDataVolume, key: settings.workloads.dataVolumeName === undefined ? undefined : "workloads.dataVolumeName" });
  volumes.push({ role: "DinD client certificates", name: names.certsVolume });
  volumes.push({ role: "mirror registry data", name: names.mirrorDataVolume });
  return volumes;
}

/** The stack another stack's default volume name belongs to, with the volume's role; undefined for any other name. */
function otherStackDefault(name: string, stack: string): { stack: string; role: string } | undefined {
  for (const [suffix, role] of Object.entries(DEFAULT_SUFFIXES)) {
    const match = new RegExp(`^dind-stack-(.+)-${suffix}$`).exec(name);
    if (match && match[1] !== stack) return { stack: match[1], role };
  }
  return undefined;
}

/** A configured volume name is the stack's own: no other volume of this stack, nor another stack's default, has it. */
export function checkVolumeNames(settings: Settings, stack: string, problems: Problem[]): void {
  if (settings.target !== "docker") return;
  const volumes = stackVolumes(stack, settings);
  volumes.forEach((volume, index) => {
    if (volume.key === undefined) return;
    // Two configured names that clash are reported once, at the later key.
    const clash = volumes.find((other, otherIndex) => other.name === volume.name && (other.key === undefined || otherIndex < index));
    const foreign = otherStackDefault(volume.name, stack);
    const reason = clash
      ? `the name of this stack's ${clash.role} volume${clash.key ? ` (${fullKey([clash.key])})` : ""}`
      : foreign
        ? `the default ${foreign.role} volume of stack "${foreign.stack}"`
        : undefined;
    if (reason === undefined) return;
    const others = volumes.filter((other) => other !== volume).map((other) => other.name);
    problems.push({
      key: fullKey([volume.key]),
      message: `got ${renderValue(volume.name)}, ${reason}; allowed: a volume for the ${volume.role} alone (not this stack's ${others.join(", ")}, nor another stack's dind-stack-<stack>-... volumes)`,
    });
  });
}
