/**
 * sha256 sums of official static Docker tarballs (download.docker.com/linux/static/stable)
 * that are pinned as trusted defaults, keyed by `<version>/<arch>`. Docker publishes no
 * checksums for these tarballs; only sums that independent pins agree on are listed here.
 * Any other version or architecture needs `dind-stack:dindImage.sha256`.
 */
export const PINNED_DOCKER_SHA256: Readonly<Record<string, string>> = {
  "24.0.6/x86_64": "99792dec613df93169a118b05312a722a63604b868e4c941b1b436abcf3bb70f",
};

/** The pinned sha256 for a Docker version and architecture, if one is trusted. */
export function pinnedDockerSha256(version: string, arch: string): string | undefined {
  return PINNED_DOCKER_SHA256[`${version}/${arch}`];
}
