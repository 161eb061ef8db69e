#!/usr/bin/env bash
# Shared code of scripts/build-standins.sh and the scripts/standins/*.sh steps: settings from the
# environment, logging with the [standins] prefix, timing, temporary files removed on exit, the
# lock, the stand-in label and image reuse/pull, and the state the steps hand to each other.
# It is sourced, never run. The settings it defines are read by the scripts that source it.
# shellcheck disable=SC2034
set -euo pipefail

# --- settings (documented in scripts/build-standins.sh) ---------------------------------------
readonly DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
readonly DEBIAN_SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
# The Debian release a step works for: bookworm (the first stand-in engine, whose binaries are the
# host's) or trixie (the second one, packed from trixie's packages in a container of its base).
readonly DEBIAN_SUITE="${STANDINS_SUITE:-bookworm}"
readonly CACHE_DIR="${DIND_STACK_CACHE:-/var/cache/dind-stack}"
readonly STANDINS_DIR="$CACHE_DIR/standins"
# bookworm's file keeps the name the tests read from the start; another release's is named after it.
if [ "$DEBIAN_SUITE" = bookworm ]; then
  readonly METADATA_FILE="$STANDINS_DIR/standins.json"
else
  readonly METADATA_FILE="$STANDINS_DIR/standins-$DEBIAN_SUITE.json"
fi
readonly FORCE="${STANDINS_FORCE:-0}"
readonly VERIFY_REUSED="${STANDINS_VERIFY:-0}"
readonly PULL_TIMEOUT="${STANDINS_PULL_TIMEOUT:-30}"

readonly BASE_IMAGE="debian:$DEBIAN_SUITE-slim"
readonly REGISTRY_IMAGE=registry:2
# Images a forced rebuild never prunes: every release's base image and the registry.
readonly KEPT_IMAGES=(debian:bookworm-slim debian:trixie-slim "$REGISTRY_IMAGE")
# Every image built here carries this label, its value saying how it was built.
readonly LABEL_KEY=org.dind-stack.standin

# --- logging and timing -----------------------------------------------------------------------
log() { printf '[standins] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

case "$DEBIAN_SUITE" in
  bookworm | trixie) ;;
  *) die "STANDINS_SUITE='$DEBIAN_SUITE' is not a release stand-ins are made from; allowed: bookworm, trixie" ;;
esac

now() { date +%s.%N; }
seconds_since() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.1f", end - start }'; }

# --- temporary files and containers, removed on exit whatever happens --------------------------
TMP_DIRS=()
CONTAINERS=()

# Removes a temporary tree, unmounting first anything debootstrap may have left mounted in it
# (rm must never descend into a /proc or /sys mounted inside a chroot).
remove_tree() {
  local dir="$1" mnt
  [ -e "$dir" ] || return 0
  if [ ! -d "$dir" ]; then
    rm -f "$dir"
    return 0
  fi
  while read -r mnt; do
    log "unmounting $mnt left inside $dir"
    umount -l "$mnt" 2>/dev/null || true
  done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
  rm -rf --one-file-system "$dir"
}

cleanup() {
  local c d
  for c in "${CONTAINERS[@]}"; do
    docker rm -f -v "$c" >/dev/null 2>&1 || true
  done
  for d in "${TMP_DIRS[@]}"; do
    remove_tree "$d"
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Creates a temporary folder, registered for removal on exit, and puts its path in NEW_TMP_DIR
# (not printed: a $(...) subshell would lose the registration).
NEW_TMP_DIR=""
make_tmp_dir() {
  NEW_TMP_DIR="$(mktemp -d "${TMPDIR:-/var/tmp}/dind-standins-$1.XXXXXX")"
  TMP_DIRS+=("$NEW_TMP_DIR")
}

# Runs a command with its output in a log file; shows the end of that log if it fails.
run_logged() {
  local logfile="$1"
  shift
  if ! "$@" >"$logfile" 2>&1; then
    log "command failed: $*; last lines of its output:"
    tail -n 40 "$logfile" >&2
    return 1
  fi
}

# --- files the steps make: checksums, provenance, the tarball's layout ---------------------------
# A JSON string of $1.
json_string() {
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  printf '"%s"' "$s"
}


sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# The sha256 recorded in FILE.sha256 (as `sha256sum` prints it).
recorded_sha256() { cut -d' ' -f1 "$1.sha256"; }

# Records FILE's sha256 next to it (FILE.sha256), atomically.
record_sha256() {
  printf '%s  %s\n' "$(sha256_of "$1")" "$(basename "$1")" >"$1.sha256.tmp"
  mv -f "$1.sha256.tmp" "$1.sha256"
}

# True when FILE exists, its sha256 is the one recorded next to it, and FILE.provenance holds
# exactly PROVENANCE (the Debian packages and versions it came from); logs why not.
still_matches() {
  local file="$1" provenance="$2" what="$3"
  [ -f "$file" ] || { log "$what: $file does not exist"; return 1; }
  [ -f "$file.sha256" ] || { log "$what: no recorded sha256 ($file.sha256)"; return 1; }
  if [ "$(recorded_sha256 "$file")" != "$(sha256_of "$file")" ]; then
    log "$what: the sha256 of $file differs from the recorded one"
    return 1
  fi
  if [ "$(cat "$file.provenance" 2>/dev/null || true)" != "$provenance" ]; then
    log "$what: the Debian package versions it came from changed"
    return 1
  fi
}

# only_file DIR GLOB: prints the one file in DIR whose name matches GLOB (records of a file,
# FILE.sha256 and the like, aside); nothing when there is none, or more than one (a step then
# makes it afresh).
only_file() {
  local found=()
  [ -d "$1" ] || return 0
  mapfile -t found < <(find "$1" -maxdepth 1 -type f -name "$2" ! -name '*.sha256' ! -name '*.provenance' ! -name '*.extra-packages' | sort)
  if [ "${#found[@]}" -gt 1 ]; then
    log "${#found[@]} files match $1/$2; making it afresh"
    return 0
  fi
  printf '%s' "${found[0]:-}"
}

# The binaries of a docker static tarball (download.docker.com's layout: docker/<name>), and
# where Debian's packages install each one (bookworm and trixie alike).
readonly TARBALL_ENTRIES=(
  docker=/usr/bin/docker
  dockerd=/usr/sbin/dockerd
  containerd=/usr/bin/containerd
  containerd-shim-runc-v2=/usr/bin/containerd-shim-runc-v2
  ctr=/usr/bin/ctr
  runc=/usr/sbin/runc
  docker-init=/usr/bin/docker-init
  docker-proxy=/usr/sbin/docker-proxy
)

# write_tarball DIR TARBALL: packs DIR/docker into TARBALL reproducibly (same binaries, same
# bytes: sorted names, mtime 0, root owner, gzip -n), atomically, and records its sha256.
write_tarball() {
  local dir="$1" tarball="$2" tmp
  mkdir -p "$(dirname "$tarball")"
  tmp="$(mktemp "$(dirname "$tarball")/.docker-tgz.XXXXXX")"
  TMP_DIRS+=("$tmp")
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
    -C "$dir" -c docker | gzip -n -6 >"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$tarball"
  record_sha256 "$tarball"
}

# download.docker.com's architecture folder for this machine.
static_arch() {
  local deb_arch
  deb_arch="$(dpkg --print-architecture)"
  case "$deb_arch" in
    amd64) printf x86_64 ;;
    arm64) printf aarch64 ;;
    armhf) printf armhf ;;
    armel) printf armel ;;
    ppc64el) printf ppc64le ;;
    s390x) printf s390x ;;
    *) die "no download.docker.com architecture for Debian architecture $deb_arch" ;;
  esac
}

# --- preconditions ----------------------------------------------------------------------------
check_engine() {
  local version
  version="$(docker version --format '{{.Server.Version}}' 2>/dev/null)" \
    || die "no Docker engine answers; start one first (scripts/engine-up.sh)"
  log "engine answers (server $version)"
}

# One run at a time per cache. build-standins.sh takes the lock for all its steps and tells them
# so through STANDINS_LOCK_HELD=1 (a step reopening the file would wait for its own parent).
take_lock() {
  mkdir -p "$STANDINS_DIR"
  exec 9>"$STANDINS_DIR/.lock"
  if ! flock -n 9; then
    log "another build-standins run holds $STANDINS_DIR/.lock; waiting for it (up to 30 min)"
    flock -w 1800 9 || die "timed out waiting for $STANDINS_DIR/.lock"
  fi
  export STANDINS_LOCK_HELD=1
}

# --- state handed from step to step: one file per key in STANDINS_STATE_DIR --------------------
# state_put KEY [VALUE...]: one value per line (none: an empty list).
state_put() {
  local key="$1"
  shift
  if [ "$#" -gt 0 ]; then
    printf '%s\n' "$@" >"$STANDINS_STATE_DIR/$key"
  else
    : >"$STANDINS_STATE_DIR/$key"
  fi
}
state_append() { printf '%s\n' "$2" >>"$STANDINS_STATE_DIR/$1"; }
# The state key of a value that belongs to one release's engine (tarball, sha256, ...): bookworm's
# under the plain name the first steps have always used, another release's prefixed with its name.
suite_key() {
  if [ "$DEBIAN_SUITE" = bookworm ]; then
    printf '%s' "$1"
  else
    printf '%s-%s' "$DEBIAN_SUITE" "$1"
  fi
}
state_has() { [ -f "$STANDINS_STATE_DIR/$1" ]; }
# Prints a key's lines; a key no earlier step wrote is an error.
state_get() {
  state_has "$1" || die "no '$1' from an earlier step in $STANDINS_STATE_DIR; run scripts/build-standins.sh"
  cat "$STANDINS_STATE_DIR/$1"
}

# Called by each step script before its work. Run by build-standins.sh, a step finds the engine
# checked, the lock held and a state folder; run on its own, it sees to those itself.
STEP_ALONE=0
step_begin() {
  if [ -n "${STANDINS_STATE_DIR:-}" ] && [ "${STANDINS_LOCK_HELD:-0}" = 1 ]; then
    return 0
  fi
  STEP_ALONE=1
  log "$(basename "$0") runs on its own (not from scripts/build-standins.sh); cache $STANDINS_DIR, force=$FORCE"
  check_engine
  take_lock
  if [ -z "${STANDINS_STATE_DIR:-}" ]; then
    make_tmp_dir state
    STANDINS_STATE_DIR="$NEW_TMP_DIR"
    export STANDINS_STATE_DIR
  fi
}

# Called by each step script after its work: a step run on its own prunes what it replaced.
step_end() {
  if [ "$STEP_ALONE" = 1 ]; then
    prune_replaced_images
  fi
}

# --- images: reuse, pull, or build a stand-in --------------------------------------------------
image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null; }

# Prints the stand-in label of an image ("" for an image without it, i.e. a real one).
standin_label_of() {
  local value
  value="$(docker image inspect -f "{{ index .Config.Labels \"$LABEL_KEY\" }}" "$1" 2>/dev/null || true)"
  [ "$value" = "<no value>" ] && value=""
  printf '%s' "$value"
}

is_standin() { [ -n "$(standin_label_of "$1")" ]; }

try_pull() {
  local image="$1" output
  log "$image: trying docker pull (timeout ${PULL_TIMEOUT}s)"
  if output="$(timeout "$PULL_TIMEOUT" docker pull "$image" 2>&1)"; then
    log "$image: pulled from its registry ($(image_id "$image"))"
    return 0
  fi
  log "$image: pull failed: $(printf '%s' "$output" | tail -n 1)"
  return 1
}

# Remembers the image a rebuild is about to replace, so it can be removed once untagged.
remember_old_image() {
  local id
  id="$(image_id "$1" || true)"
  if [ -n "$id" ]; then
    state_append replaced-images "$id"
  fi
}

# ensure_image IMAGE BUILD_FUNCTION [VERIFY_FUNCTION]: reuses IMAGE, else pulls it, else builds
# a stand-in with BUILD_FUNCTION; VERIFY_FUNCTION checks a built (or, with STANDINS_VERIFY=1,
# a reused) stand-in.
ensure_image() {
  local image="$1" build_fn="$2" verify_fn="${3:-}" label
  if docker image inspect "$image" >/dev/null 2>&1; then
    label="$(standin_label_of "$image")"
    if [ -z "$label" ]; then
      log "$image: present locally without the $LABEL_KEY label (a real image); reusing it"
      if [ "$FORCE" = 1 ]; then
        log "$image: STANDINS_FORCE=1 does not replace a real image with a stand-in"
      fi
      return 0
    fi
    if [ "$FORCE" != 1 ]; then
      log "$image: present locally, stand-in '$label' ($(image_id "$image")); reusing it"
      if [ "$VERIFY_REUSED" = 1 ] && [ -n "$verify_fn" ]; then
        log "$image: STANDINS_VERIFY=1, checking the reused image"
        "$verify_fn"
      fi
      return 0
    fi
    log "$image: STANDINS_FORCE=1, not reusing stand-in '$label'"
    remember_old_image "$image"
  else
    log "$image: not present locally"
  fi
  if try_pull "$image"; then
    return 0
  fi
  log "$image: no registry reachable; building a local stand-in"
  "$build_fn"
  if [ -n "$verify_fn" ]; then
    "$verify_fn"
  fi
}

# True when ID is what one of KEPT_IMAGES names now.
is_kept_image() {
  local image
  for image in "${KEPT_IMAGES[@]}"; do
    [ "$1" = "$(image_id "$image" || true)" ] && return 0
  done
  return 1
}

# Removes images that a forced rebuild replaced, once nothing refers to them any more; the
# newest first, so a replaced registry image goes before the replaced base it was built FROM.
prune_replaced_images() {
  local ids=() id i
  state_has replaced-images || return 0
  mapfile -t ids <"$STANDINS_STATE_DIR/replaced-images"
  for ((i = ${#ids[@]} - 1; i >= 0; i--)); do
    id="${ids[$i]}"
    if is_kept_image "$id"; then
      continue
    fi
    if docker image rm "$id" >/dev/null 2>&1; then
      log "removed replaced image $id"
    else
      log "kept replaced image $id (still in use)"
    fi
  done
  : >"$STANDINS_STATE_DIR/replaced-images"
}
