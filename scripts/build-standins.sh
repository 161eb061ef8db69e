#!/usr/bin/env bash
# Makes the images and files dind-stack's tests need available on this machine: two stand-in
# engines that bracket the docker 24.0.6 the stack pins, bookworm's 20.10.24 and trixie's 26.1.5,
# and the buildx and compose plugins for both. One script per artefact from scripts/standins/,
# in order:
#   1. base-image.sh      image debian:bookworm-slim
#   2. registry-image.sh  image registry:2
#   3. docker-tarball.sh  a docker static tarball <cache>/standins/<arch>/docker-<version>.tgz with
#                         the layout of download.docker.com/linux/static/stable (docker/docker, ...)
#   4. extra-packages.sh  the Debian packages the tarball's binaries need on the base image
#   5. base-image.sh      (STANDINS_SUITE=trixie) image debian:trixie-slim
#   6. debian-engine.sh   (STANDINS_SUITE=trixie) <cache>/standins/trixie/<arch>/docker-<version>.tgz
#                         packed from trixie's docker.io 26.1.x, and the packages it needs there
#   7. plugins.sh         <cache>/standins/trixie/<arch>/docker-buildx-<version>, docker-compose-<version>
#                         from trixie's docker-buildx and docker-compose packages, described in
#                         <cache>/standins/plugins.json (written atomically)
#   8. metadata.sh        <cache>/standins/standins.json describing the bookworm engine, and
#                         (STANDINS_SUITE=trixie) standins-trixie.json the trixie one, with the
#                         same fields; each written atomically
# then removes images a forced rebuild replaced and logs the timings. The trixie engine's files
# have paths of their own, so nothing of the bookworm engine's changes when they are added.
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
#   STANDINS_SUITE          set by this script for the steps of the trixie engine; not an input
# Needs root (debootstrap, apt-get) and a running Docker engine (see scripts/engine-up.sh).
# Logs every decision to stderr with the prefix [standins].
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=standins/lib.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/standins/lib.sh"

STEPS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/standins" && pwd)"
readonly STEPS_DIR
STEP_TIMES=()

# run_step NAME SCRIPT [RELEASE]: runs scripts/standins/SCRIPT (for Debian RELEASE, default
# bookworm), logs and records how long it took.
run_step() {
  local name="$1" script="$2" release="${3:-bookworm}" start secs
  start="$(now)"
  log "step $name: start ($script, $release)"
  if ! STANDINS_SUITE="$release" bash "$STEPS_DIR/$script"; then
    die "step $name failed after $(seconds_since "$start") s"
  fi
  secs="$(seconds_since "$start")"
  STEP_TIMES+=("$name=${secs}s")
  log "step $name: done in $secs s"
}

main() {
  local start image
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
  run_step trixie-base-image base-image.sh trixie
  run_step trixie-engine debian-engine.sh trixie
  run_step plugins plugins.sh
  run_step metadata metadata.sh
  run_step trixie-metadata metadata.sh trixie
  prune_replaced_images
  for image in "${KEPT_IMAGES[@]}"; do
    log "image: $(docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' "$image")"
  done
  log "timings: ${STEP_TIMES[*]} total=$(seconds_since "$start")s"
}

main "$@"
