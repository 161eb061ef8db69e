#!/bin/sh
# dind-stack: build-time self-check of the CLI plugins an image carries (the DinD image and the
# DooD client image); never run at start-up.
#
#   check-plugins.sh BUILDX_VERSION COMPOSE_VERSION
#
# Each plugin whose version is not empty must run as `docker <name> version` and report that
# version; an empty version means the plugin was left out. With compose, docker-compose is linked
# to the plugin, as in the official image.
set -eu

fail() { echo "[image] ERROR: $*" >&2; exit 1; }

for plugin in "buildx=$1" "compose=$2"; do
  name=${plugin%%=*}
  version=${plugin#*=}
  if [ -z "$version" ]; then
    echo "[image] self-check $name: left out"
    continue
  fi
  out=$(docker "$name" version 2>&1) || fail "docker $name version does not run: $out"
  case "$out" in
    *"$version"*) echo "[image] self-check docker $name: $(printf '%s' "$out" | head -n 1)" ;;
    *) fail "docker $name version reports '$out' but dind-stack:dindImage.$name.version is $version" ;;
  esac
done
if [ -n "$2" ]; then ln -s /usr/local/libexec/docker/cli-plugins/docker-compose /usr/local/bin/docker-compose; fi
