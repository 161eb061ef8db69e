#!/usr/bin/env bash
# Step of scripts/build-standins.sh. Its one job: write the metadata file of one stand-in engine
# (atomically) from what the earlier steps handed on: <cache>/standins/standins.json for bookworm's
# (STANDINS_SUITE unset), standins-<release>.json for another release's. It says which artefacts
# are stand-ins: an image is one when it carries the org.dind-stack.standin label, the tarball
# when a step packed it from Debian's binaries.
# Fields: dockerVersion, arch, tarball, sha256, mirrorDir, extraPackages, baseImage,
# registryImage, baseImageIsStandin, registryImageIsStandin, tarballIsStandin, debianSources
# (Debian source packages the stand-in tarball's binaries came from; {} for the upstream one).
# The same fields for both engines; the plugins have a file of their own (plugins.sh).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Prints the JSON boolean a state key holds (true or false, nothing else).
json_bool_from_state() {
  local value
  value="$(state_get "$1")"
  case "$value" in
    true | false) printf '%s' "$value" ;;
    *) die "metadata: '$1' is '$value', not true or false" ;;
  esac
}

write_metadata() {
  local docker_version arch tarball sha256 tarball_standin extra sources_text
  local tmp pkgs="" pkg sources="" line base_standin=false registry_standin=false
  docker_version="$(state_get "$(suite_key docker-version)")"
  arch="$(state_get "$(suite_key arch)")"
  tarball="$(state_get "$(suite_key tarball)")"
  sha256="$(state_get "$(suite_key sha256)")"
  tarball_standin="$(json_bool_from_state "$(suite_key tarball-is-standin)")"
  extra="$(state_get "$(suite_key extra-packages)")"
  sources_text="$(state_get "$(suite_key debian-sources)")"
  [ -f "$tarball" ] || die "metadata: the tarball $tarball is missing"
  while read -r pkg; do
    [ -n "$pkg" ] || continue
    pkgs+="${pkgs:+,}$(json_string "$pkg")"
  done <<<"$extra"
  while read -r line; do
    [ -n "$line" ] || continue
    sources+="${sources:+,}$(json_string "${line%% *}"):$(json_string "${line#* }")"
  done <<<"$sources_text"
  is_standin "$BASE_IMAGE" && base_standin=true
  is_standin "$REGISTRY_IMAGE" && registry_standin=true
  mkdir -p "$STANDINS_DIR"
  tmp="$(mktemp "$STANDINS_DIR/.standins.json.XXXXXX")"
  TMP_DIRS+=("$tmp")
  {
    printf '{"dockerVersion":%s,"arch":%s,' "$(json_string "$docker_version")" "$(json_string "$arch")"
    printf '"tarball":%s,"sha256":%s,' "$(json_string "$tarball")" "$(json_string "$sha256")"
    printf '"mirrorDir":%s,"extraPackages":[%s],' "$(json_string "$(dirname "$(dirname "$tarball")")")" "$pkgs"
    printf '"baseImage":%s,"registryImage":%s,' "$(json_string "$BASE_IMAGE")" "$(json_string "$REGISTRY_IMAGE")"
    printf '"baseImageIsStandin":%s,"registryImageIsStandin":%s,' "$base_standin" "$registry_standin"
    printf '"tarballIsStandin":%s,' "$tarball_standin"
    printf '"debianSources":{%s}}\n' "$sources"
  } >"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$METADATA_FILE"
  log "metadata: wrote $METADATA_FILE (baseImageIsStandin=$base_standin, registryImageIsStandin=$registry_standin, tarballIsStandin=$tarball_standin, dockerVersion=$docker_version)"
}

step_begin
write_metadata
step_end
