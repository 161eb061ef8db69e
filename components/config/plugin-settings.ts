import * as formats from "./formats";
import { flag, matching, section } from "./kinds";
import { CliPlugin, DEFAULT_PLUGIN_URLS, DEFAULT_PLUGIN_VERSIONS } from "./plugin-pins";

/** Where a plugin's release binary is found under its download URL. */
const LAYOUTS: Readonly<Record<CliPlugin, string>> = {
  buildx: "<downloadUrl>/v<version>/buildx-v<version>.linux-<amd64|arm64>",
  compose: "<downloadUrl>/v<version>/docker-compose-linux-<x86_64|aarch64>",
};

/** The config section of one CLI plugin of the DinD image (dindImage.buildx, dindImage.compose). */
export function cliPluginSection(plugin: CliPlugin) {
  const version = DEFAULT_PLUGIN_VERSIONS[plugin];
  return section({
    enabled: flag().prefault(true).describe(`Put the ${plugin} CLI plugin (\`docker ${plugin}\`) into the DinD image; false leaves it out.`),
    version: matching(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?$/, `a release version such as "${version}"`)
      .prefault(version)
      .describe(`Version of the ${plugin} release binary.`),
    sha256: matching(/^[0-9a-f]{64}$/, "64 lowercase hex digits (the sha256sum of the plugin binary)")
      .optional()
      .describe(`sha256 of the ${plugin} binary; pinned by default only for ${version} (x86_64, aarch64), required otherwise.`),
    downloadUrl: formats
      .httpUrl()
      .prefault(DEFAULT_PLUGIN_URLS[plugin])
      .describe(`Base URL of the ${plugin} releases (a mirror with the same layout works): ${LAYOUTS[plugin]}.`),
    localFile: formats
      .nonEmpty()
      .optional()
      .describe(`Path (absolute, or relative to the project) of a downloaded ${plugin} binary used instead of downloading (air-gapped builds); still sha256-verified.`),
  })
    .prefault({})
    .describe(`The ${plugin} CLI plugin in the DinD image (clients that use the image get \`docker ${plugin}\` too).`);
}
