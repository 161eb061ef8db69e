#!/usr/bin/env bash
# Step of scripts/build-standins.sh for the second stand-in engine (STANDINS_SUITE=trixie). Its one
# job: a docker static tarball stand-in <cache>/standins/<release>/<arch>/docker-<version>.tgz
# (download.docker.com's layout) packed from that release's docker.io, docker-cli, containerd,
# runc and tini packages, and the packages its binaries need on debian:<release>-slim.
# The binaries need their release's glibc, so they are installed, version-checked and examined
# (ldd, dpkg -S) in a container of that base image (run base-image.sh first); the host only
# packs them, reproducibly. A tarball packed earlier is reused without asking the mirror (its
# recorded sha256 must still match); STANDINS_FORCE=1 repacks it from the mirror's current
# packages. Hands on the same keys as docker-tarball.sh and extra-packages.sh, prefixed with the
# release (suite_key).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ "$DEBIAN_SUITE" != bookworm ] || die "debian-engine.sh packs another release's engine; bookworm's is docker-tarball.sh's job"

# trixie moved the docker CLI out of docker.io into docker-cli.
readonly ENGINE_PACKAGES=(docker.io docker-cli containerd runc tini)
STATIC_ARCH="$(static_arch)"
readonly STATIC_ARCH
readonly ENGINE_DIR="$STANDINS_DIR/$DEBIAN_SUITE/$STATIC_ARCH"

# Runs in the container: installs the packages, copies the binaries to /out/docker, checks that
# each one runs, and writes /out/provenance, /out/version and /out/extra-packages.
# shellcheck disable=SC2016
readonly INSIDE='
set -eu
say() { printf "[standins] engine (in %s): %s\n" "$RELEASE" "$*" >&2; }
dpkg-query -W -f "\${Package}\n" | sort -u >/tmp/base-packages
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
mkdir -p /out/docker
for entry in $ENTRIES; do
  cp -L "${entry#*=}" "/out/docker/${entry%%=*}"
  chmod 0755 "/out/docker/${entry%%=*}"
done
for name in docker dockerd containerd ctr runc docker-init containerd-shim-runc-v2; do
  flag=--version
  [ "$name" != containerd-shim-runc-v2 ] || flag=-v
  out="$("/out/docker/$name" "$flag" 2>&1)" || { say "ERROR: $name $flag failed: $out"; exit 1; }
  say "$name $flag: $(printf "%s\n" "$out" | grep -m 1 -E "[0-9]+\.[0-9]+" | sed "s/^ *//")"
done
for pkg in $PACKAGES; do printf "%s %s\n" "$pkg" "$(dpkg-query -W -f "\${Version}" "$pkg")"; done >/out/provenance
version="$(dpkg-query -W -f "\${Version}" docker.io)"
version="${version#*:}"
version="${version%%[+~-]*}"
case "$(/out/docker/dockerd --version)" in
  *"version $version"*) ;;
  *) say "ERROR: dockerd --version does not say version $version"; exit 1 ;;
esac
printf "%s\n" "$version" >/out/version
libs="$(for b in /out/docker/*; do ldd "$b" 2>/dev/null || true; done | awk "\$2 == \"=>\" && \$3 ~ /^\// { print \$3 }" | sort -u)"
[ -n "$libs" ] || { say "ERROR: ldd found no shared libraries at all"; exit 1; }
for lib in $libs; do
  owner="$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "/usr$lib" 2>/dev/null)" \
    || { say "ERROR: no package owns $lib"; exit 1; }
  owner="${owner%%:*}"
  printf "%s\n" "${owner%%,*}"
done | sort -u | comm -23 - /tmp/base-packages >/out/extra-packages
say "libraries come from packages; not in the base image: $(tr "\n" " " </out/extra-packages)"
'

# Set by pack: the tarball it wrote.
PACKED=""

reusable() {
  local tarball="$1"
  [ -n "$tarball" ] || { log "engine: no $DEBIAN_SUITE tarball in $ENGINE_DIR yet"; return 1; }
  if [ ! -f "$tarball.provenance" ] || [ ! -f "$tarball.extra-packages" ]; then
    log "engine: $tarball lacks its records"
    return 1
  fi
  still_matches "$tarball" "$(cat "$tarball.provenance")" engine
}

pack() {
  local work version tarball
  docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || die "$BASE_IMAGE is missing (STANDINS_SUITE=$DEBIAN_SUITE scripts/standins/base-image.sh makes it)"
  make_tmp_dir "engine-$DEBIAN_SUITE"
  work="$NEW_TMP_DIR"
  log "engine: installing ${ENGINE_PACKAGES[*]} in a $BASE_IMAGE container (apt, from its sources)"
  docker run --rm -v "$work:/out" -e RELEASE="$DEBIAN_SUITE" \
    -e PACKAGES="${ENGINE_PACKAGES[*]}" -e ENTRIES="${TARBALL_ENTRIES[*]}" \
    "$BASE_IMAGE" bash -c "$INSIDE" || die "engine: installing or checking the $DEBIAN_SUITE binaries failed"
  version="$(cat "$work/version")"
  tarball="$ENGINE_DIR/docker-$version.tgz"
  find "$ENGINE_DIR" -maxdepth 1 -name 'docker-*.tgz*' -delete 2>/dev/null || true
  write_tarball "$work" "$tarball"
  cp "$work/provenance" "$tarball.provenance"
  cp "$work/extra-packages" "$tarball.extra-packages"
  log "engine: packed $tarball ($(du -h "$tarball" | cut -f1), sha256 $(recorded_sha256 "$tarball"))"
  remove_tree "$work"
  PACKED="$tarball"
}

step_begin
tarball="$(only_file "$ENGINE_DIR" "docker-*.tgz")"
if [ "$FORCE" != 1 ] && reusable "$tarball"; then
  log "engine: reusing $tarball, packed from $(tr '\n' ' ' <"$tarball.provenance")(STANDINS_FORCE=1 repacks it from the mirror's current packages)"
else
  [ "$FORCE" = 1 ] && log "engine: STANDINS_FORCE=1, repacking"
  pack
  tarball="$PACKED"
fi
version="$(basename "$tarball" .tgz)"
mapfile -t sources <"$tarball.provenance"
mapfile -t extra <"$tarball.extra-packages"
state_put "$(suite_key docker-version)" "${version#docker-}"
state_put "$(suite_key arch)" "$STATIC_ARCH"
state_put "$(suite_key tarball)" "$tarball"
state_put "$(suite_key sha256)" "$(recorded_sha256 "$tarball")"
state_put "$(suite_key tarball-is-standin)" true
state_put "$(suite_key debian-sources)" "${sources[@]}"
state_put "$(suite_key extra-packages)" "${extra[@]}"
log "engine: $DEBIAN_SUITE stand-in docker-${version#docker-}.tgz; extra packages on $BASE_IMAGE: ${extra[*]:-(none)}"
step_end
