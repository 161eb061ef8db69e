#!/bin/sh
# dind-stack: Docker's static engine bundle for an image build (the DinD image's engine, the
# client image's CLI), unpacked into /out/bin. docker-<DOCKER_VERSION>.tgz comes from the build
# context (DOCKER_TARBALL, a path under offline/, copied to /tmp/offline) or from
# DOCKER_DOWNLOAD_URL/<DOCKER_ARCH>/, and is used only once its sha256 is DOCKER_SHA256
# (fetch-verified.sh, next to this script). LOG_PREFIX names the image in every line.
set -eu

here=$(dirname "$0")
say() { echo "${LOG_PREFIX:-[dind-stack]} $*" >&2; }
fail() {
  say "ERROR: $*"
  exit 1
}

case "${DOCKER_ARCH}" in
  x86_64 | aarch64) ;;
  *) fail "DOCKER_ARCH must be x86_64 or aarch64, got '${DOCKER_ARCH}'" ;;
esac

if [ -n "${DOCKER_TARBALL}" ]; then
  rel=${DOCKER_TARBALL#./}
  case "${rel}" in
    offline/?*) ;;
    *) fail "DOCKER_TARBALL must be a path under offline/ in the build context, got '${DOCKER_TARBALL}'" ;;
  esac
  source="/tmp/${rel}"
  [ -f "${source}" ] || fail "DOCKER_TARBALL=${DOCKER_TARBALL} not found; offline/ holds: $(find /tmp/offline -mindepth 1 -maxdepth 1 -printf '%f ')"
else
  source="${DOCKER_DOWNLOAD_URL%/}/${DOCKER_ARCH}/docker-${DOCKER_VERSION}.tgz"
fi
sh "${here}/fetch-verified.sh" "docker-${DOCKER_VERSION}.tgz (${DOCKER_ARCH})" "${DOCKER_SHA256}" DOCKER_SHA256 "${source}" /tmp/docker.tgz

mkdir -p /out/bin
tar -xzf /tmp/docker.tgz --strip-components 1 --no-same-owner -C /out/bin
for binary in docker dockerd containerd containerd-shim-runc-v2 ctr runc docker-init docker-proxy; do
  [ -f "/out/bin/${binary}" ] || fail "the bundle has no docker/${binary}; is it a static engine bundle?"
done
chmod 0755 /out/bin/*
rm -rf /tmp/offline /tmp/docker.tgz
say "unpacked: $(find /out/bin -mindepth 1 -maxdepth 1 -printf '%f ')"
