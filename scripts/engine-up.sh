#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine.
# An engine that already answers is left alone; otherwise Debian's docker.io is
# installed when dockerd is missing, stale state from a killed daemon is cleared,
# and dockerd is started in the background (there is no systemd on CI machines).
set -eu

log() { printf '[engine-up] %s\n' "$*" >&2; }

readonly WAIT_SECONDS="${ENGINE_WAIT_SECONDS:-60}"
readonly DOCKERD_LOG="${DOCKERD_LOG:-/var/log/dind-stack-dockerd.log}"
# With DIND_STACK_BUILD_CACHE_KEEP set (.ci/run sets it), the host engine's BuildKit cache is
# pruned down to that size, oldest first: the engine tests build many images with layers of their
# own, and without a bound the cache grew to 72 GB over a few days and filled the disk. Unset,
# the cache is left alone: on a developer's engine it is not the tests' to delete.
readonly BUILD_CACHE_KEEP="${DIND_STACK_BUILD_CACHE_KEEP:-}"

engine_answers() {
  docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# Removes a pid file whose process is gone; a live one is kept.
clear_stale_pidfile() {
  local file="$1" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    log "pid file $file belongs to running process $pid; keeping it"
    return 0
  fi
  log "removing stale pid file $file (pid '${pid}' is not running)"
  rm -f "$file"
}

# Prunes the host engine's build cache down to BUILD_CACHE_KEEP, when it is set.
bound_build_cache() {
  if [ -z "$BUILD_CACHE_KEEP" ]; then
    log "build cache: left alone (set DIND_STACK_BUILD_CACHE_KEEP, e.g. 10GB, to bound it)"
    return
  fi
  log "build cache: keeping at most $BUILD_CACHE_KEEP ($(docker builder prune -f --keep-storage "$BUILD_CACHE_KEEP" 2>&1 | tail -n 1))"
}

if engine_answers; then
  log "engine already answers (server $(docker version --format '{{.Server.Version}}')); leaving it running"
  bound_build_cache
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  log "dockerd not installed; installing Debian's docker.io"
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi

clear_stale_pidfile /var/run/docker.pid
clear_stale_pidfile /var/run/docker/containerd/containerd.pid
if [ -S /var/run/docker.sock ] && ! pgrep -x dockerd >/dev/null 2>&1; then
  log "removing socket left by a dockerd that is no longer running"
  rm -f /var/run/docker.sock
fi

# Without the caller's descriptors: a dockerd holding a caller's lock or pipe would keep it forever.
"$(dirname "$0")/start-daemon.sh" "$DOCKERD_LOG" dockerd

for _ in $(seq 1 "$WAIT_SECONDS"); do
  if engine_answers; then
    log "engine ready: server $(docker version --format '{{.Server.Version}}'), storage $(docker info --format '{{.Driver}}'), cgroup v$(docker info --format '{{.CgroupVersion}}')"
    bound_build_cache
    exit 0
  fi
  sleep 1
done

log "engine did not answer within ${WAIT_SECONDS}s; last lines of $DOCKERD_LOG:"
tail -n 30 "$DOCKERD_LOG" >&2 || true
exit 1
