import { DindImageSettings } from "../config/schema";
import { CLI_PLUGINS, CliPlugin, pinnedPluginSha256 } from "../config/plugin-pins";

/** Release asset names, per DinD architecture, as the projects publish them (see components/config/plugin-pins.ts). */
const ASSET_ARCH: Readonly<Record<CliPlugin, Readonly<Record<DindImageSettings["arch"], string>>>> = {
  buildx: { x86_64: "amd64", aarch64: "arm64" },
  compose: { x86_64: "x86_64", aarch64: "aarch64" },
};

/** The download URL of a plugin's release binary. */
export function pluginUrl(plugin: CliPlugin, settings: DindImageSettings): string {
  const { version, downloadUrl } = settings[plugin];
  const base = `${downloadUrl.replace(/\/+$/, "")}/v${version}`;
  const arch = ASSET_ARCH[plugin][settings.arch];
  return plugin === "buildx" ? `${base}/buildx-v${version}.linux-${arch}` : `${base}/docker-compose-linux-${arch}`;
}

/** Where a plugin's local file is placed inside the build context (its plugins/ folder). */
export function pluginContextPath(plugin: CliPlugin, settings: DindImageSettings): string {
  return `plugins/docker-${plugin}-${settings[plugin].version}-${settings.arch}`;
}

/** The local plugin files of the enabled plugins, by path inside the build context. */
export function pluginLocalFiles(settings: DindImageSettings): Record<string, string> {
  const files: Record<string, string> = {};
  for (const plugin of CLI_PLUGINS) {
    const { enabled, localFile } = settings[plugin];
    if (enabled && localFile) files[pluginContextPath(plugin, settings)] = localFile;
  }
  return files;
}

/**
 * Build args of the plugins: <PLUGIN>_VERSION (empty: left out), _SHA256 (configured, else
 * pinned), _URL and _FILE (the local file's path in the context, or empty to download).
 */
export function pluginBuildArgs(settings: DindImageSettings): Record<string, string> {
  const args: Record<string, string> = {};
  for (const plugin of CLI_PLUGINS) {
    const prefix = plugin.toUpperCase();
    const { enabled, version, sha256, localFile } = settings[plugin];
    const expected = enabled ? (sha256 ?? pinnedPluginSha256(plugin, version, settings.arch)) : "";
    if (expected === undefined) throw new Error(`no sha256 for ${plugin} ${version} (${settings.arch})`);
    args[`${prefix}_VERSION`] = enabled ? version : "";
    args[`${prefix}_SHA256`] = expected;
    args[`${prefix}_URL`] = enabled ? pluginUrl(plugin, settings) : "";
    args[`${prefix}_FILE`] = enabled && localFile ? pluginContextPath(plugin, settings) : "";
  }
  return args;
}
