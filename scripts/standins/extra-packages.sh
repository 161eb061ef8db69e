#!/usr/bin/env bash
# Step of scripts/build-standins.sh. Its one job: list the Debian packages the tarball's binaries
# need on top of debian:bookworm-slim (standins.json's extraPackages). The upstream tarball's
# static binaries need none; for the stand-in, the shared libraries its Debian binaries load
# (ldd) are mapped to their packages (dpkg -S), minus those the base image already has.
# Runs after docker-tarball.sh, whose results it reads.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BINARIES=()

# Prints the shared libraries (full paths) the packed binaries load.
shared_libraries() {
  local binary
  for binary in "${BINARIES[@]}"; do
    # Static binaries (docker-init) make ldd fail: they need nothing.
    ldd "$binary" 2>/dev/null || true
  done | awk '$2 == "=>" && $3 ~ /^\// { print $3; next } $1 ~ /^\// { print $1 }' | sort -u
}

# Prints "library package" for each shared library, asking dpkg once for all of them.
# Bookworm's dpkg database has some libraries under /lib and others already under /usr/lib,
# while ldd reports /lib paths: every spelling of each path is looked up.
library_packages() {
  local libs=() candidates=() lib candidate line owner path found
  local -A owner_of=()
  mapfile -t libs < <(shared_libraries)
  for lib in "${libs[@]}"; do
    candidates+=("$lib" "$(readlink -f "$lib")" "${lib#/usr}" "/usr${lib#/usr}")
  done
  while read -r line; do
    owner="${line%%: *}"
    path="${line#*: }"
    owner="${owner%%,*}"
    owner_of["$path"]="${owner%%:*}"
  done < <(dpkg -S "${candidates[@]}" 2>/dev/null || true)
  for lib in "${libs[@]}"; do
    found=""
    for candidate in "$lib" "$(readlink -f "$lib")" "${lib#/usr}" "/usr${lib#/usr}"; do
      if [ -n "${owner_of[$candidate]:-}" ]; then
        found="${owner_of[$candidate]}"
        break
      fi
    done
    [ -n "$found" ] || die "extra packages: no Debian package owns $lib"
    printf '%s %s\n' "$lib" "$found"
  done
}

standin_extra_packages() {
  local pkg pairs needed=() installed extra=()
  # Not in a process substitution: a failure in library_packages must stop the script.
  pairs="$(library_packages)"
  if [ -z "$pairs" ]; then
    die "extra packages: found no shared libraries at all"
  fi
  mapfile -t needed < <(printf '%s\n' "$pairs" | cut -d' ' -f2 | sort -u)
  log "extra packages: libraries of the packed binaries come from: ${needed[*]}"
  installed="$(docker run --rm --network none "$BASE_IMAGE" \
    dpkg-query -W -f '${Package} ${db:Status-Status}\n' "${needed[@]}" 2>/dev/null || true)"
  for pkg in "${needed[@]}"; do
    if grep -qx "$pkg installed" <<<"$installed"; then
      continue
    fi
    extra+=("$pkg")
  done
  log "extra packages: not in $BASE_IMAGE, needed on a Debian base: ${extra[*]:-(none)}"
  state_put extra-packages "${extra[@]}"
}

step_begin
tarball="$(state_get tarball)"
tarball_is_standin="$(state_get tarball-is-standin)"
if [ "$tarball_is_standin" = false ]; then
  log "extra packages: $tarball holds upstream's static binaries; they need no Debian packages"
  state_put extra-packages
else
  packed="$(state_get packed-binaries)"
  [ -n "$packed" ] || die "extra packages: docker-tarball.sh handed on no packed binaries"
  mapfile -t BINARIES <<<"$packed"
  log "extra packages: the stand-in $tarball holds Debian's dynamically linked binaries: ${BINARIES[*]}"
  standin_extra_packages
fi
step_end
