#!/usr/bin/env bash
# Step of scripts/build-standins.sh. Its one job: make a docker static tarball available at
# <cache>/standins/<arch>/docker-<version>.tgz, laid out like download.docker.com/linux/static/stable
# (docker/docker, docker/dockerd, ...).
#   1. The upstream tarball: DOCKER_DOWNLOAD_URL/<arch>/docker-STANDINS_DOCKER_VERSION.tgz, used only
#      when its sha256 matches the one pinned below (24.0.6 x86_64) or STANDINS_DOCKER_SHA256
#      (any other version or architecture). A copy downloaded earlier is reused if it still matches.
#   2. Otherwise (no network, no known checksum, a checksum mismatch): a STAND-IN packed
#      reproducibly from Debian's docker.io/containerd/runc/tini binaries, named after their real
#      version. They are dynamically linked (extra-packages.sh lists what they need).
# Hands dockerVersion, arch, tarball, sha256, whether it is a stand-in, the Debian packages it
# came from and the binaries packed to the next steps.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly UPSTREAM_BASE_URL="${DOCKER_DOWNLOAD_URL:-https://download.docker.com/linux/static/stable}"
readonly UPSTREAM_VERSION="${STANDINS_DOCKER_VERSION:-24.0.6}"
readonly UPSTREAM_SHA256_GIVEN="${STANDINS_DOCKER_SHA256:-}"
readonly CONNECT_TIMEOUT=10
readonly DOWNLOAD_MAX_TIME=300
# The one upstream checksum known here: download.docker.com's docker-24.0.6.tgz for x86_64.
readonly PINNED_VERSION=24.0.6
readonly PINNED_ARCH=x86_64
readonly PINNED_SHA256=99792dec613df93169a118b05312a722a63604b868e4c941b1b436abcf3bb70f

# Debian packages the stand-in's binaries come from (where each binary lives: TARBALL_ENTRIES).
readonly ENGINE_PACKAGES=(docker.io containerd runc tini)

# Filled in below, handed on by record_result.
STATIC_ARCH=""
DOCKER_VERSION=""
TARBALL=""
TARBALL_SHA256=""
UPSTREAM_SHA256=""
UPSTREAM_SHA256_FROM=""

detect_static_arch() {
  STATIC_ARCH="$(static_arch)"
  log "tarball: architecture $STATIC_ARCH (Debian $(dpkg --print-architecture))"
}

# --- 1. the upstream tarball ------------------------------------------------------------------

check_settings() {
  case "$UPSTREAM_VERSION" in
    "" | *[!0-9A-Za-z.+~_-]*) die "STANDINS_DOCKER_VERSION='$UPSTREAM_VERSION' is not a version like 24.0.6" ;;
  esac
  if [ -n "$UPSTREAM_SHA256_GIVEN" ] && ! [[ "$UPSTREAM_SHA256_GIVEN" =~ ^[0-9a-fA-F]{64}$ ]]; then
    die "STANDINS_DOCKER_SHA256='$UPSTREAM_SHA256_GIVEN' is not a sha256 (64 hex digits)"
  fi
}

# Sets UPSTREAM_SHA256 to the checksum the download must have; fails when none is known.
choose_upstream_sha256() {
  local given
  given="$(printf '%s' "$UPSTREAM_SHA256_GIVEN" | tr 'A-F' 'a-f')"
  if [ "$UPSTREAM_VERSION" = "$PINNED_VERSION" ] && [ "$STATIC_ARCH" = "$PINNED_ARCH" ]; then
    if [ -n "$given" ] && [ "$given" != "$PINNED_SHA256" ]; then
      log "tarball: !!! STANDINS_DOCKER_SHA256=$given contradicts the pinned sha256 $PINNED_SHA256 of docker-$PINNED_VERSION ($PINNED_ARCH) !!!"
      log "tarball: !!! refusing to download docker-$PINNED_VERSION with a contradictory checksum !!!"
      return 1
    fi
    UPSTREAM_SHA256="$PINNED_SHA256"
    UPSTREAM_SHA256_FROM="pinned sha256"
    return 0
  fi
  if [ -n "$given" ]; then
    UPSTREAM_SHA256="$given"
    UPSTREAM_SHA256_FROM="sha256 from STANDINS_DOCKER_SHA256"
    return 0
  fi
  log "tarball: no sha256 known for docker-$UPSTREAM_VERSION ($STATIC_ARCH): only docker-$PINNED_VERSION ($PINNED_ARCH) is pinned; set STANDINS_DOCKER_SHA256 to download another one"
  return 1
}

# Downloads URL to FILE; logs why when it cannot.
download() {
  local url="$1" file="$2" errfile rc=0
  errfile="$file.err"
  TMP_DIRS+=("$errfile")
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --connect-timeout "$CONNECT_TIMEOUT" --max-time "$DOWNLOAD_MAX_TIME" -o "$file" "$url" 2>"$errfile" || rc=$?
  elif command -v wget >/dev/null 2>&1; then
    timeout "$DOWNLOAD_MAX_TIME" wget -q --connect-timeout="$CONNECT_TIMEOUT" -O "$file" "$url" 2>"$errfile" || rc=$?
  else
    log "tarball: neither curl nor wget is installed; cannot download $url"
    return 1
  fi
  if [ "$rc" != 0 ]; then
    log "tarball: download of $url failed (exit $rc): $(tail -n 1 "$errfile" 2>/dev/null || true)"
    return 1
  fi
}

# Uses the upstream tarball (reused or downloaded, always checked against the expected sha256).
try_upstream_tarball() {
  local url file tmp actual listing
  choose_upstream_sha256 || return 1
  file="$STANDINS_DIR/$STATIC_ARCH/docker-$UPSTREAM_VERSION.tgz"
  url="${UPSTREAM_BASE_URL%/}/$STATIC_ARCH/docker-$UPSTREAM_VERSION.tgz"
  if [ -f "$file" ]; then
    actual="$(sha256_of "$file")"
    if [ "$actual" = "$UPSTREAM_SHA256" ]; then
      log "tarball: reusing the upstream $file downloaded earlier (sha256 $actual matches the $UPSTREAM_SHA256_FROM); not downloading"
      if [ "$FORCE" = 1 ]; then
        log "tarball: STANDINS_FORCE=1 rebuilds stand-ins only; a verified upstream tarball is kept"
      fi
      TARBALL="$file"
      TARBALL_SHA256="$actual"
      return 0
    fi
    log "tarball: $file exists but its sha256 $actual is not the expected $UPSTREAM_SHA256 (a stand-in or a damaged download); not using it"
  else
    log "tarball: no upstream docker-$UPSTREAM_VERSION.tgz in $STANDINS_DIR/$STATIC_ARCH yet"
  fi

  mkdir -p "$(dirname "$file")"
  tmp="$(mktemp "$(dirname "$file")/.docker-download.XXXXXX")"
  TMP_DIRS+=("$tmp")
  log "tarball: downloading $url (connect timeout ${CONNECT_TIMEOUT}s, at most ${DOWNLOAD_MAX_TIME}s)"
  download "$url" "$tmp" || return 1
  actual="$(sha256_of "$tmp")"
  if [ "$actual" != "$UPSTREAM_SHA256" ]; then
    log "tarball: !!! CHECKSUM MISMATCH for $url !!!"
    log "tarball: !!! expected sha256 $UPSTREAM_SHA256 ($UPSTREAM_SHA256_FROM)"
    log "tarball: !!! got      sha256 $actual ($(stat -c %s "$tmp") bytes)"
    log "tarball: !!! the download is discarded and NOT used"
    rm -f "$tmp"
    return 1
  fi
  log "tarball: downloaded $(du -h "$tmp" | cut -f1), sha256 $actual matches the $UPSTREAM_SHA256_FROM"
  if ! listing="$(tar -tzf "$tmp" 2>/dev/null)"; then
    log "tarball: the download is not a gzipped tar despite its checksum; not using it"
    return 1
  fi
  if ! grep -qx 'docker/dockerd' <<<"$listing" || ! grep -qx 'docker/docker' <<<"$listing"; then
    log "tarball: the download has no docker/docker and docker/dockerd; not using it"
    return 1
  fi
  chmod 0644 "$tmp"
  mv -f "$tmp" "$file"
  printf '%s  %s\n' "$actual" "$(basename "$file")" >"$file.sha256.tmp"
  mv -f "$file.sha256.tmp" "$file.sha256"
  printf '%s\n' "$url" >"$file.source"
  rm -f "$file.provenance"
  log "tarball: placed the upstream tarball at $file"
  TARBALL="$file"
  TARBALL_SHA256="$actual"
}

# --- 2. the stand-in packed from Debian's binaries ----------------------------------------------

package_version() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null; }

ensure_engine_packages() {
  local entry path missing=()
  for entry in "${TARBALL_ENTRIES[@]}"; do
    path="${entry#*=}"
    [ -e "$path" ] || missing+=("$path")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "tarball: Debian engine binaries present (docker.io $(package_version docker.io))"
    return 0
  fi
  log "tarball: missing ${missing[*]}; installing Debian's ${ENGINE_PACKAGES[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${ENGINE_PACKAGES[@]}" >/dev/null
  for entry in "${TARBALL_ENTRIES[@]}"; do
    [ -e "${entry#*=}" ] || die "tarball: ${entry#*=} still missing after installing ${ENGINE_PACKAGES[*]}"
  done
}

# The upstream version of Debian's docker.io: 20.10.24+dfsg1-1+deb12u1+b6 -> 20.10.24.
detect_debian_docker_version() {
  local deb_version version reported
  deb_version="$(package_version docker.io)" || die "docker.io is not installed"
  version="${deb_version#*:}"
  version="${version%%[+~-]*}"
  reported="$(/usr/sbin/dockerd --version)"
  case "$reported" in
    *"version $version"*) ;;
    *) die "dockerd --version says '$reported', which does not contain 'version $version'" ;;
  esac
  DOCKER_VERSION="$version"
  log "tarball: docker.io $deb_version -> version $version (dockerd: $reported)"
}

# One line per source package and version: a stand-in is reused only if these still match.
engine_provenance() {
  local pkg
  for pkg in "${ENGINE_PACKAGES[@]}"; do
    printf '%s %s\n' "$pkg" "$(package_version "$pkg")"
  done
}

standin_reusable() {
  local provenance
  # Not in a process substitution: a failure in engine_provenance must stop the script.
  provenance="$(engine_provenance)"
  still_matches "$TARBALL" "$provenance" tarball || return 1
  TARBALL_SHA256="$(recorded_sha256 "$TARBALL")"
}

# Runs each packed binary's own version report, as the official dind image does.
self_check_binaries() {
  local dir="$1" name out
  for name in docker dockerd containerd ctr runc docker-init; do
    out="$("$dir/$name" --version 2>&1 | head -n 1)" || die "tarball: $name --version failed: $out"
    log "tarball: $name --version: $out"
  done
  out="$("$dir/containerd-shim-runc-v2" -v 2>&1 | sed -n 's/^ *Version: *//p')" || die "tarball: containerd-shim-runc-v2 -v failed"
  log "tarball: containerd-shim-runc-v2 -v: Version $out"
}

# Packs reproducibly: same binaries, same bytes (sorted names, mtime 0, root owner, gzip -n).
pack_standin() {
  local work entry name path
  make_tmp_dir tarball
  work="$NEW_TMP_DIR"
  mkdir -p "$work/docker"
  chmod 0755 "$work/docker"
  for entry in "${TARBALL_ENTRIES[@]}"; do
    name="${entry%%=*}"
    path="${entry#*=}"
    cp -L "$path" "$work/docker/$name"
    chmod 0755 "$work/docker/$name"
  done
  self_check_binaries "$work/docker"
  write_tarball "$work" "$TARBALL"
  TARBALL_SHA256="$(recorded_sha256 "$TARBALL")"
  engine_provenance >"$TARBALL.provenance.tmp"
  mv -f "$TARBALL.provenance.tmp" "$TARBALL.provenance"
  rm -f "$TARBALL.source"
  log "tarball: packed $TARBALL ($(du -h "$TARBALL" | cut -f1), sha256 $TARBALL_SHA256)"
  remove_tree "$work"
}

make_standin() {
  ensure_engine_packages
  detect_debian_docker_version
  TARBALL="$STANDINS_DIR/$STATIC_ARCH/docker-$DOCKER_VERSION.tgz"
  if [ "$FORCE" = 1 ]; then
    log "tarball: STANDINS_FORCE=1, repacking $TARBALL"
  elif standin_reusable; then
    log "tarball: reusing $TARBALL (sha256 $TARBALL_SHA256 matches the recorded one)"
    return 0
  fi
  pack_standin
}

# ---------------------------------------------------------------------------------------------

step_begin
check_settings
detect_static_arch
if try_upstream_tarball; then
  DOCKER_VERSION="$UPSTREAM_VERSION"
  state_put tarball-is-standin false
  state_put debian-sources
  state_put packed-binaries
  log "tarball: using the upstream docker-$DOCKER_VERSION.tgz (static binaries, not a stand-in)"
else
  log "tarball: no verified upstream docker-$UPSTREAM_VERSION.tgz; falling back to a stand-in packed from Debian's binaries"
  make_standin
  state_put tarball-is-standin true
  # Not in a process substitution: a failure in engine_provenance must stop the script.
  provenance="$(engine_provenance)"
  mapfile -t sources <<<"$provenance"
  state_put debian-sources "${sources[@]}"
  state_put packed-binaries "${TARBALL_ENTRIES[@]#*=}"
  log "tarball: using the STAND-IN docker-$DOCKER_VERSION.tgz (Debian's dynamically linked binaries)"
fi
state_put docker-version "$DOCKER_VERSION"
state_put arch "$STATIC_ARCH"
state_put tarball "$TARBALL"
state_put sha256 "$TARBALL_SHA256"
step_end
