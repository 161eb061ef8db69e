#!/usr/bin/env bash
# Step of scripts/build-standins.sh. Its one job: the buildx and compose CLI plugins as stand-ins
# for the upstream releases the DinD image pins (which are downloaded from GitHub, out of reach
# here): Debian trixie's docker-buildx and docker-compose packages, the only Debian release that
# packages the v2 plugins. Each binary is taken out of its .deb (apt-get download, dpkg-deb -x) in
# a container of debian:trixie-slim, placed at <cache>/standins/trixie/<arch>/docker-<plugin>-<version>
# with its sha256 and the package it came from, and checked to run (its CLI plugin metadata) on
# every stand-in base image, bookworm's included: both engines' DinD images carry the same ones.
# Reused when present with a matching sha256 (no mirror asked); STANDINS_FORCE=1 takes them again.
# Describes them in <cache>/standins/plugins.json (written atomically, a file of its own so that
# the engines' files keep their fields): {"buildx": {version, file, sha256, isStandin,
# debianPackage}, "compose": {...}}.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly SOURCE_RELEASE=trixie
readonly SOURCE_IMAGE="debian:$SOURCE_RELEASE-slim"
# plugin name = Debian package, and where the package installs the binary.
readonly PLUGINS=(
  buildx=docker-buildx:/usr/libexec/docker/cli-plugins/docker-buildx
  compose=docker-compose:/usr/libexec/docker/cli-plugins/docker-compose
)
STATIC_ARCH="$(static_arch)"
readonly STATIC_ARCH
readonly PLUGIN_DIR="$STANDINS_DIR/$SOURCE_RELEASE/$STATIC_ARCH"
readonly PLUGINS_FILE="$STANDINS_DIR/plugins.json"

# Runs in the container: downloads each package, unpacks it and copies the plugin to
# /out/<name>, with /out/<name>.package ("<package> <version>").
# shellcheck disable=SC2016
readonly INSIDE='
set -eu
apt-get update -qq
cd /tmp
for plugin in $PLUGINS; do
  name="${plugin%%=*}"; rest="${plugin#*=}"; package="${rest%%:*}"; path="${rest#*:}"
  apt-get download -qq "$package" >/dev/null
  dpkg-deb -x "$package"_*.deb "/tmp/$name"
  cp "/tmp/$name$path" "/out/$name"
  printf "%s %s\n" "$package" "$(dpkg-deb -f "$package"_*.deb Version)" >"/out/$name.package"
done
'

# The plugin's upstream version from its Debian version: 0.13.1+ds1-3 -> 0.13.1.
upstream_version() {
  local version="${1#*:}"
  printf '%s' "${version%%[+~-]*}"
}

# Checks that FILE runs as a CLI plugin of version VERSION on each stand-in base image present.
check_runs() {
  local file="$1" version="$2" image metadata
  for image in debian:bookworm-slim "$SOURCE_IMAGE"; do
    docker image inspect "$image" >/dev/null 2>&1 || continue
    metadata="$(docker run --rm --network none -v "$file:/plugin:ro" "$image" /plugin docker-cli-plugin-metadata 2>&1)" \
      || die "plugins: $(basename "$file") does not run on $image: $metadata"
    metadata="$(printf '%s' "$metadata" | tr -d ' \n')"
    case "$metadata" in
      *"\"Version\":\"$version"* | *"\"Version\":\"v$version"*) ;;
      *) die "plugins: $(basename "$file") on $image reports metadata without version $version: $metadata" ;;
    esac
    log "plugins: $(basename "$file") runs on $image (its metadata: $metadata)"
  done
}

take_plugins() {
  local work entry name version file
  docker image inspect "$SOURCE_IMAGE" >/dev/null 2>&1 || die "$SOURCE_IMAGE is missing (STANDINS_SUITE=$SOURCE_RELEASE scripts/standins/base-image.sh makes it)"
  make_tmp_dir plugins
  work="$NEW_TMP_DIR"
  log "plugins: downloading ${PLUGINS[*]%%:*} from $SOURCE_RELEASE in a $SOURCE_IMAGE container"
  docker run --rm -v "$work:/out" -e PLUGINS="${PLUGINS[*]}" "$SOURCE_IMAGE" bash -c "$INSIDE" \
    || die "plugins: taking the plugins out of $SOURCE_RELEASE's packages failed"
  mkdir -p "$PLUGIN_DIR"
  for entry in "${PLUGINS[@]}"; do
    name="${entry%%=*}"
    version="$(upstream_version "$(cut -d' ' -f2 "$work/$name.package")")"
    file="$PLUGIN_DIR/docker-$name-$version"
    find "$PLUGIN_DIR" -maxdepth 1 -name "docker-$name-*" -delete
    install -m 0755 "$work/$name" "$file"
    record_sha256 "$file"
    cp "$work/$name.package" "$file.provenance"
    log "plugins: placed $file ($(du -h "$file" | cut -f1), sha256 $(recorded_sha256 "$file"), from $(cat "$file.provenance"))"
  done
  remove_tree "$work"
}

# Uses the plugins placed earlier if each is there once with its records and a matching sha256.
reusable() {
  local entry name file
  for entry in "${PLUGINS[@]}"; do
    name="${entry%%=*}"
    file="$(only_file "$PLUGIN_DIR" "docker-$name-*")"
    if [ -z "$file" ] || [ ! -f "$file.provenance" ]; then
      log "plugins: no $name stand-in in $PLUGIN_DIR yet"
      return 1
    fi
    still_matches "$file" "$(cat "$file.provenance")" plugins || return 1
  done
}

# Checks each plugin and writes plugins.json.
describe_plugins() {
  local entry name file version entries="" tmp
  for entry in "${PLUGINS[@]}"; do
    name="${entry%%=*}"
    file="$(only_file "$PLUGIN_DIR" "docker-$name-*")"
    version="${file##*/docker-"$name"-}"
    check_runs "$file" "$version"
    entries+="${entries:+,}$(json_string "$name"):{\"version\":$(json_string "$version"),\"file\":$(json_string "$file"),"
    entries+="\"sha256\":$(json_string "$(recorded_sha256 "$file")"),\"isStandin\":true,\"debianPackage\":$(json_string "$(cat "$file.provenance")")}"
  done
  tmp="$(mktemp "$STANDINS_DIR/.plugins.json.XXXXXX")"
  TMP_DIRS+=("$tmp")
  printf '{%s}\n' "$entries" >"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$PLUGINS_FILE"
  log "plugins: wrote $PLUGINS_FILE"
}

step_begin
if [ "$FORCE" != 1 ] && reusable; then
  log "plugins: reusing the stand-ins in $PLUGIN_DIR (STANDINS_FORCE=1 takes them from the mirror's current packages)"
else
  [ "$FORCE" = 1 ] && log "plugins: STANDINS_FORCE=1, taking them again"
  take_plugins
fi
describe_plugins
step_end
