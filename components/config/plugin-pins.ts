/**
 * The CLI plugins of the DinD image: their default versions and the sha256 sums of their
 * upstream release binaries, per architecture, pinned as trusted defaults.
 *
 * Source: the official image's Dockerfile for the same Docker release, docker-library/docker
 * commit 12a4554648b671111eaf4cf4636cb1d6310c65e1 ("Update 24 to 24.0.6", 2023-09-05),
 * file 24/cli/Dockerfile: DOCKER_BUILDX_VERSION 0.11.2 and DOCKER_COMPOSE_VERSION 2.21.0 with a
 * sha256 for each architecture's binary (x86_64 and aarch64 are the two this stack builds for),
 * downloaded from the URLs `pluginUrl` (components/dind-image/plugins.ts) builds.
 * Any other version needs `dind-stack:dindImage.<plugin>.sha256`.
 */

/** The plugins the DinD image can carry. */
export const CLI_PLUGINS = ["buildx", "compose"] as const;

/** One of CLI_PLUGINS. */
export type CliPlugin = (typeof CLI_PLUGINS)[number];

/** The version each plugin defaults to: the one docker:24.0.6 shipped. */
export const DEFAULT_PLUGIN_VERSIONS: Readonly<Record<CliPlugin, string>> = {
  buildx: "0.11.2",
  compose: "2.21.0",
};

/** Where each plugin's releases are downloaded from by default (GitHub release assets). */
export const DEFAULT_PLUGIN_URLS: Readonly<Record<CliPlugin, string>> = {
  buildx: "https://github.com/docker/buildx/releases/download",
  compose: "https://github.com/docker/compose/releases/download",
};

/** Pinned sha256 sums keyed by `<plugin>/<version>/<arch>`. */
export const PINNED_PLUGIN_SHA256: Readonly<Record<string, string>> = {
  "buildx/0.11.2/x86_64": "311568ee69715abc46163fd688e56c77ab0144ff32e116d0f293bfc3470e75b7",
  "buildx/0.11.2/aarch64": "565e36085a35bba5104f37365ba796c111338eea1a0902b3a7ff42e2e1248815",
  "compose/2.21.0/x86_64": "08e549924823e97a3ea303c2309b812dfd5223b8be5ff96fe41bf75181ce0977",
  "compose/2.21.0/aarch64": "5daf8d1a04cd649ad4a64221d0ca0cffcce33c740e60d5b15698545ce6d0436b",
};

/** The pinned sha256 of a plugin's release binary, if one is trusted. */
export function pinnedPluginSha256(plugin: CliPlugin, version: string, arch: string): string | undefined {
  return PINNED_PLUGIN_SHA256[`${plugin}/${version}/${arch}`];
}
