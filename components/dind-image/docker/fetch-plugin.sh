#!/bin/sh
# dind-stack: obtains one Docker CLI plugin for an image build (never at start-up), verified
# (fetch-verified.sh, next to this script), as /out/plugins/docker-<name>. Run by the plugins
# stage of the DinD image's and the client image's Dockerfiles.
#
#   fetch-plugin.sh NAME VERSION SHA256 URL FILE
#
# NAME     buildx or compose (the config key is dind-stack:dindImage.<NAME>)
# VERSION  the plugin's version; empty leaves the plugin out
# SHA256   the sha256 the binary must have (configured, or pinned by the stack)
# URL      where the binary is downloaded from when FILE is empty
# FILE     a path under plugins/ in the build context (an air-gapped build's local file), or empty
#
# PLUGIN_CONTEXT (where plugins/ was copied, default /tmp) and PLUGIN_OUT (default /out/plugins)
# let the unit tests run it outside a build.
set -eu

here=$(dirname "$0")
context=${PLUGIN_CONTEXT:-/tmp}
out=${PLUGIN_OUT:-/out/plugins}
name=$1 version=$2 sha256=$3 url=$4 file=$5
LOG_PREFIX="[dind-image] $name plugin:"
export LOG_PREFIX
say() { echo "$LOG_PREFIX $*" >&2; }
fail() {
  say "ERROR: $*"
  exit 1
}

if [ -z "$version" ]; then
  say "left out (dind-stack:dindImage.$name.enabled is false)"
  exit 0
fi

source=$url
if [ -n "$file" ]; then
  rel=${file#./}
  case "$rel" in
    plugins/?*) ;;
    *) fail "the local file must be under plugins/ in the build context, got '$file' (dind-stack:dindImage.$name.localFile)" ;;
  esac
  source="$context/$rel"
  [ -f "$source" ] || fail "$rel is not in the build context; plugins/ holds: $(find "$context/plugins" -mindepth 1 -maxdepth 1 -printf '%f ')"
fi

mkdir -p "$out"
sh "$here/fetch-verified.sh" "the $name plugin $version" "$sha256" "dind-stack:dindImage.$name.sha256" "$source" "$out/docker-$name"
chmod 0755 "$out/docker-$name"
