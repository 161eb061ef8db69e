import { CLI_PLUGINS, pinnedPluginSha256 } from "./plugin-pins";
import { Problem, renderValue } from "./problem";
import { NAMESPACE, Settings } from "./schema";

/** What the plugin rules need from the outside world. */
interface FileCheck {
  /** True when `path` names an existing regular file. */
  isFile: (path: string) => boolean;
}

const key = (path: string) => `${NAMESPACE}:${path}`;

/** Every enabled plugin needs a checksum: the configured one or a pinned one. */
export function checkPluginChecksums(settings: Settings, _context: FileCheck, problems: Problem[]): void {
  for (const plugin of CLI_PLUGINS) {
    const { enabled, version, sha256 } = settings.dindImage[plugin];
    if (enabled && sha256 === undefined && pinnedPluginSha256(plugin, version, settings.dindImage.arch) === undefined) {
      problems.push({
        key: key(`dindImage.${plugin}.sha256`),
        message: `missing; allowed: 64 lowercase hex digits, required because no trusted checksum is pinned for ${plugin} ${version} (${settings.dindImage.arch})`,
      });
    }
  }
}

/** A local plugin file must exist. */
export function checkPluginFiles(settings: Settings, context: FileCheck, problems: Problem[]): void {
  for (const plugin of CLI_PLUGINS) {
    const { enabled, localFile } = settings.dindImage[plugin];
    if (enabled && localFile !== undefined && !context.isFile(localFile)) {
      problems.push({
        key: key(`dindImage.${plugin}.localFile`),
        message: `got ${renderValue(localFile)}, which is not an existing file; allowed: the path of a downloaded ${plugin} binary (absolute, or relative to the project directory)`,
      });
    }
  }
}
