#!/usr/bin/env bash
# Makes the images and files dind-stack's tests need available on this machine, by running one
# script per artefact from scripts/standins/ in order:
#   1. base-image.sh      image debian:bookworm-slim
#   2. registry-image.sh  image registry:2
#   3. docker-tarball.sh  a docker static tarball <cache>/standins/<arch>/docker-<version>.tgz with
#                         the layout of download.docker.com/linux/static/stable (docker/docker, ...)
#   4. extra-packages.sh  the Debian packages the tarball's binaries need on the base image
#   5. metadata.sh        <cache>/standins/standins.json describing them (written atomically)
# then removes images a forced rebuild replaced and logs the timings.
#
# What is already there is reused (images stay in /var/lib/docker, files in the cache), so a
# second run takes seconds. A missing image is pulled first (short timeout); only when no
# container registry answers is a STAND-IN built locally from Debian's mirror:
#   - debian:bookworm-slim: debootstrap --variant=minbase bookworm, trimmed like the real slim
#     image, imported with `docker import`;
#   - registry:2: Debian's docker-registry package (distribution 2.8.2, the registry:2 code line)
#     plus busybox wget, with the real image's config file, volume, port and entrypoint.
# The tarball is the upstream one when it can be downloaded and matches its known sha256 (a copy
# downloaded earlier is reused); otherwise it is a stand-in packed from Debian's
# docker.io/containerd/runc/tini binaries, named after their real version. Unlike the official
# static binaries they are dynamically linked; the Debian packages they need on a bookworm-slim
# base are listed as extraPackages.
# Every stand-in image carries the label org.dind-stack.standin=<how it was built>, and
# standins.json says which images and whether the tarball are stand-ins, so nothing passes for an
# upstream artefact. Stand-ins are meant only for machines that reach no container registry.
#
# Environment:
#   DEBIAN_MIRROR           Debian mirror (default http://deb.debian.org/debian)
#   DEBIAN_SECURITY_MIRROR  security mirror (default http://deb.debian.org/debian-security)
#   DIND_STACK_CACHE        cache folder (default /var/cache/dind-stack)
#   STANDINS_FORCE=1        rebuild every stand-in (labelled images and the tarball) instead of
#                           reusing it; a real (unlabelled) image or a verified upstream tarball
#                           already present is kept
#   STANDINS_PULL_TIMEOUT   seconds allowed for each `docker pull` (default 30)
#   STANDINS_VERIFY=1       also smoke-test a reused registry image
#   DOCKER_DOWNLOAD_URL     where the upstream tarballs are, as <url>/<arch>/docker-<version>.tgz
#                           (default https://download.docker.com/linux/static/stable)
#   STANDINS_DOCKER_VERSION upstream tarball version to try (default 24.0.6)
#   STANDINS_DOCKER_SHA256  its sha256; needed for any version/architecture but 24.0.6 x86_64,
#                           whose sha256 is pinned (an unverified tarball is never used)
# Needs root (debootstrap, apt-get) and a running Docker engine (see scripts/engine-up.sh).
# Logs every decision to stderr with the prefix [standins].
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=standins/lib.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/standins/lib.sh"

STEPS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/standins" && pwd)"
readonly STEPS_DIR
STEP_TIMES=()

# run_step NAME SCRIPT: runs scripts/standins/SCRIPT, logs and records how long it took.
run_step() {
  local name="$1" script="$2" start secs
  start="$(now)"
  log "step $name: start ($script)"
  if ! bash "$STEPS_DIR/$script"; then
    die "step $name failed after $(seconds_since "$start") s"
  fi
  secs="$(seconds_since "$start")"
  STEP_TIMES+=("$name=${secs}s")
  log "step $name: done in $secs s"
}

main() {
  local start
  start="$(now)"
  log "cache $STANDINS_DIR, Debian mirror $DEBIAN_MIRROR, force=$FORCE"
  check_engine
  take_lock
  # The steps hand their results to each other (and to metadata.sh) through this folder.
  make_tmp_dir state
  STANDINS_STATE_DIR="$NEW_TMP_DIR"
  export STANDINS_STATE_DIR
  run_step base-image base-image.sh
  run_step registry-image registry-image.sh
  run_step tarball docker-tarball.sh
  run_step extra-packages extra-packages.sh
  run_step metadata metadata.sh
  prune_replaced_images
  log "images: $(docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' "$BASE_IMAGE" | tr '\n' ' ')$(docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' "$REGISTRY_IMAGE")"
  log "timings: ${STEP_TIMES[*]} total=$(seconds_since "$start")s"
}

main "$@"
