#!/bin/sh
# Writes the storage of a registry container (what its /var/lib/registry holds,
# docker/registry/v2/...) as a gzip-compressed tar archive: what registry.restoreArchive
# restores into a stack's volume, or what a directory for registry.hostPath is filled from, at
# another site. Usage:
#
#   scripts/export-registry.sh dind-stack-ci-registry /srv/carry/registry.tar.gz
#
# A running registry is paused while its storage is read, so no push is caught half-way; it
# serves again as soon as the archive is written. The registry's own image (it has tar and gzip)
# reads the container's storage, volume or host directory alike, read-only and without a
# network; the archive is streamed to this machine, so a remote DOCKER_HOST works too.
set -eu

if [ "$#" -ne 2 ]; then
  echo "usage: $0 <registry container, e.g. dind-stack-ci-registry> <archive.tar.gz>" >&2
  exit 2
fi
container="$1"
archive="$2"
partial="${archive}.partial"

image="$(docker inspect --format '{{.Image}}' "$container")"
paused=false
cleanup() {
  rm -f "$partial"
  if [ "$paused" = true ]; then docker unpause "$container" >/dev/null && echo "[export] ${container} serves again" >&2; fi
}
trap cleanup EXIT

if [ "$(docker inspect --format '{{.State.Running}}' "$container")" = true ]; then
  echo "[export] pausing ${container} while its storage is read" >&2
  docker pause "$container" >/dev/null
  paused=true
else
  echo "[export] ${container} is not running; reading its storage as it is" >&2
fi
docker run --rm --network none --volumes-from "${container}:ro" --entrypoint tar "$image" -C /var/lib/registry -czf - docker >"$partial"
mv "$partial" "$archive"
echo "[export] wrote ${archive} ($(wc -c <"$archive") bytes)" >&2
