#!/bin/sh
# dind-stack: places one file an image build needs (the engine bundle, a CLI plugin) at OUT, from
# a file of the build context or downloaded, and only once its sha256 is the expected one.
# Run at build time only, by fetch-docker-bundle.sh and fetch-plugin.sh.
#
#   fetch-verified.sh LABEL SHA256 SHA256_KEY SOURCE OUT
#   fetch-verified.sh --install-downloader    installs curl, in a build step of its own that the
#                                             cache keeps while URLs change
#
# LABEL       what the file is, for messages (e.g. "docker-24.0.6.tgz (x86_64)")
# SHA256      the sha256 it must have (64 hex digits, either case)
# SHA256_KEY  the build argument or config key SHA256 comes from, named when it is wrong
# SOURCE      a URL (scheme://...) to download, or the path of a file the build context holds
# OUT         where the verified file is written
#
# LOG_PREFIX (default "[dind-stack]") starts every line it logs. curl is installed (apt) only
# when a download needs it and it is missing. Nothing unverified is left at OUT.
set -eu

say() { echo "${LOG_PREFIX:-[dind-stack]} $*" >&2; }
fail() {
  say "ERROR: $*"
  exit 1
}
install_downloader() {
  say "installing curl to download $1"
  apt-get update >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates curl >/dev/null
  rm -rf /var/lib/apt/lists/*
}

if [ "$1" = --install-downloader ]; then
  install_downloader "what the build downloads"
  exit 0
fi
label=$1 sha256=$2 sha256_key=$3 source=$4 out=$5

expected=$(printf '%s' "$sha256" | tr 'A-F' 'a-f')
case "$expected" in
  *[!0-9a-f]* | '') fail "$sha256_key must be 64 hex digits, got '$sha256'" ;;
esac
[ "${#expected}" -eq 64 ] || fail "$sha256_key must be 64 hex digits, got '$sha256' (${#expected} characters)"

case "$source" in
  *://*)
    command -v curl >/dev/null 2>&1 || install_downloader "$label"
    say "downloading $source"
    curl -fsSL --retry 3 --connect-timeout 30 -o "$out" "$source" || fail "download of $source failed"
    ;;
  *)
    [ -f "$source" ] || fail "$source is not a file"
    say "using the build context's $source, nothing downloaded"
    [ "$source" = "$out" ] || cp "$source" "$out"
    ;;
esac

if ! printf '%s  %s\n' "$expected" "$out" | sha256sum -c --status -; then
  say "ERROR: sha256 mismatch for $label"
  say "ERROR:   source:   $source"
  say "ERROR:   expected: $expected"
  say "ERROR:   actual:   $(sha256sum "$out" | cut -d ' ' -f 1)"
  rm -f "$out"
  fail "refusing to use $label unverified; fix $sha256_key or the file"
fi
say "sha256 ok ($expected) for $label from $source"
