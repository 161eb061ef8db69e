#!/bin/sh
# dind-stack: obtains one Docker CLI plugin for the DinD image at build time (never at start-up),
# verifies it and places it in /out/plugins/docker-<name>. Run by the Dockerfile's plugins stage.
#
#   fetch-plugin.sh NAME VERSION SHA256 URL FILE
#   fetch-plugin.sh --install-downloader     installs curl (apt), for a stage that will download
#
# NAME     buildx or compose (the config key is dind-stack:dindImage.<NAME>)
# VERSION  the plugin's version; empty leaves the plugin out
# SHA256   the sha256 the binary must have (configured, or pinned by the stack)
# URL      where the binary is downloaded from when FILE is empty
# FILE     a path under plugins/ in the build context (an air-gapped build's local file), or empty
#
# curl is installed only when a plugin is downloaded. A checksum mismatch stops the build
# with a message naming the plugin, where it came from and the config keys that fix it; nothing
# unverified is ever placed or run. PLUGIN_CONTEXT (where plugins/ was copied, default /tmp) and
# PLUGIN_OUT (default /out/plugins) let the unit tests run it outside a build.
set -eu

context=${PLUGIN_CONTEXT:-/tmp}
out=${PLUGIN_OUT:-/out/plugins}

install_downloader() {
  echo "[dind-image] plugins: installing curl to download them" >&2
  apt-get update >/dev/null
  apt-get install -y --no-install-recommends ca-certificates curl >/dev/null
  rm -rf /var/lib/apt/lists/*
}

if [ "$1" = --install-downloader ]; then
  install_downloader
  exit 0
fi

name=$1 version=$2 sha256=$3 url=$4 file=$5
say() { echo "[dind-image] $name plugin: $*" >&2; }
fail() {
  say "ERROR: $*"
  exit 1
}

if [ -z "$version" ]; then
  say "left out (dind-stack:dindImage.$name.enabled is false)"
  exit 0
fi

expected=$(printf '%s' "$sha256" | tr 'A-F' 'a-f')
case "$expected" in
  *[!0-9a-f]* | '') fail "the sha256 must be 64 hex digits, got '$sha256' (dind-stack:dindImage.$name.sha256)" ;;
esac
[ "${#expected}" -eq 64 ] || fail "the sha256 must be 64 hex digits, got '$sha256' (dind-stack:dindImage.$name.sha256)"

if [ -n "$file" ]; then
  rel=${file#./}
  case "$rel" in
    plugins/?*) ;;
    *) fail "the local file must be under plugins/ in the build context, got '$file'" ;;
  esac
  binary="$context/$rel"
  source="local file dind-stack:dindImage.$name.localFile (build context $rel)"
  [ -f "$binary" ] || fail "$rel is not in the build context; plugins/ holds: $(find "$context/plugins" -mindepth 1 -maxdepth 1 -printf '%f ')"
else
  binary="$context/docker-$name"
  source="$url"
  command -v curl >/dev/null 2>&1 || install_downloader
  say "downloading $url"
  curl -fsSL --retry 3 --connect-timeout 30 -o "$binary" "$url" || fail "download of $url failed"
fi

if ! printf '%s  %s\n' "$expected" "$binary" | sha256sum -c --status -; then
  say "ERROR: sha256 mismatch for the $name plugin $version"
  say "ERROR:   source:   $source"
  say "ERROR:   expected: $expected"
  say "ERROR:   actual:   $(sha256sum "$binary" | cut -d ' ' -f 1)"
  fail "refusing an unverified plugin; fix dind-stack:dindImage.$name.sha256 (or .version, .downloadUrl, .localFile) or the file"
fi

mkdir -p "$out"
cp "$binary" "$out/docker-$name"
chmod 0755 "$out/docker-$name"
say "$version, sha256 ok ($expected) for $source"
