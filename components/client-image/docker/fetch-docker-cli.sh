#!/bin/sh
# fetch-docker-cli.sh: the docker CLI out of Docker's static tarball, verified like the DinD
# image's engine: the tarball comes from the build context (DOCKER_TARBALL, under offline/) or
# is downloaded from DOCKER_DOWNLOAD_URL (curl is installed for that, and only then), its sha256
# must be DOCKER_SHA256, and only docker/docker is unpacked, into /out/docker. Every decision is
# logged with the prefix [client-image].
set -eu

say() { echo "[client-image] $*" >&2; }
fail() {
  say "ERROR: $*"
  exit 1
}

case "${DOCKER_ARCH}" in
  x86_64 | aarch64) ;;
  *) fail "DOCKER_ARCH must be x86_64 or aarch64, got '${DOCKER_ARCH}'" ;;
esac
expected=$(printf '%s' "${DOCKER_SHA256}" | tr 'A-F' 'a-f')
case "${expected}" in
  *[!0-9a-f]* | '') fail "DOCKER_SHA256 must be 64 hex digits, got '${DOCKER_SHA256}'" ;;
esac
[ "${#expected}" -eq 64 ] || fail "DOCKER_SHA256 must be 64 hex digits, got '${DOCKER_SHA256}' (${#expected} characters)"

if [ -n "${DOCKER_TARBALL}" ]; then
  rel=${DOCKER_TARBALL#./}
  case "${rel}" in
    offline/?*) ;;
    *) fail "DOCKER_TARBALL must be a path under offline/ in the build context, got '${DOCKER_TARBALL}'" ;;
  esac
  tgz="/tmp/${rel}"
  src="build context file ${rel}"
  [ -f "${tgz}" ] || fail "DOCKER_TARBALL=${DOCKER_TARBALL} not found"
  say "DOCKER_TARBALL=${DOCKER_TARBALL}: using a local bundle, nothing downloaded"
else
  tgz=/tmp/docker.tgz
  src="${DOCKER_DOWNLOAD_URL%/}/${DOCKER_ARCH}/docker-${DOCKER_VERSION}.tgz"
  say "no DOCKER_TARBALL: installing curl to download ${src}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates curl
  curl -fsSL --retry 3 --connect-timeout 30 -o "${tgz}" "${src}" || fail "download of ${src} failed"
fi

if ! printf '%s  %s\n' "${expected}" "${tgz}" | sha256sum -c --status -; then
  say "ERROR: sha256 mismatch for docker-${DOCKER_VERSION}.tgz (${DOCKER_ARCH})"
  say "ERROR:   source:   ${src}"
  say "ERROR:   expected: ${expected}"
  say "ERROR:   actual:   $(sha256sum "${tgz}" | cut -d ' ' -f 1)"
  fail "refusing to use an unverified docker CLI; fix DOCKER_SHA256 or the tarball"
fi
say "sha256 ok (${expected}) for ${src}"

mkdir -p /out
tar -xzf "${tgz}" --strip-components 1 --no-same-owner -C /out docker/docker || fail "the tarball has no docker/docker; is it a static engine bundle?"
chmod 0755 /out/docker
say "unpacked docker/docker only"
