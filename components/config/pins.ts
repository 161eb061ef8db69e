/**
 * sha256 sums of official static Docker tarballs (download.docker.com/linux/static/stable)
 * that are pinned as trusted defaults, keyed by `<version>/<arch>`. Docker publishes no
 * checksums for these tarballs; only sums that independent public pins agree on are listed
 * here, each with the pins it was checked against. Any other version or architecture needs
 * `dind-stack:dindImage.sha256`.
 */
export const PINNED_DOCKER_SHA256: Readonly<Record<string, string>> = {
  // The default release. Third-party pins agree on it, among them KubeKey's
  // version/components.json (kubesphere/kubekey, docker.amd64["24.0.6"]).
  "24.0.6/x86_64": "99792dec613df93169a118b05312a722a63604b868e4c941b1b436abcf3bb70f",
  // 24.0.9 fixes CVE-2024-21626 (runc) and CVE-2024-24557, not the BuildKit advisories (see
  // components/dind-image/advisories.ts). Both sums agree in two independent manifests:
  // - KubeKey, kubesphere/kubekey version/components.json (commit 25a0621c4634), docker.amd64/arm64["24.0.9"];
  // - Hermit, cashapp/hermit-packages docker-cli.hcl (commit f0517fd7532f), sha256sums of
  //   https://download.docker.com/linux/static/stable/{x86_64,aarch64}/docker-24.0.9.tgz.
  "24.0.9/x86_64": "692ecfc28333485d184f628b74c25b2894cee9495a51a5418ba60ef95bf733ca",
  "24.0.9/aarch64": "7e999590330a15469de20ac37051407d222ea73c71c10c05d61666d42c5922d1",
};

/** The pinned sha256 for a Docker version and architecture, if one is trusted. */
export function pinnedDockerSha256(version: string, arch: string): string | undefined {
  return PINNED_DOCKER_SHA256[`${version}/${arch}`];
}
