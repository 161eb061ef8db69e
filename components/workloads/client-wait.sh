#!/bin/sh
# Runs in every client container before its command: waits until the Docker daemon
# the client is configured for (DOCKER_HOST, TLS settings) answers, then execs the
# command. A client never races the daemon's start-up or its TLS material; after
# DIND_READY_TIMEOUT seconds it fails, and the restart policy tries again.
# It asks five times a second, so a client starts within a fraction of a second of
# its daemon (sleep with a fraction works in coreutils and busybox alike).
set -eu

timeout="${DIND_READY_TIMEOUT:-120}"
target="${DOCKER_HOST:-unix:///var/run/docker.sock}"
started=$(date +%s)
retries=0

echo "[dind-client] waiting up to ${timeout}s for the Docker daemon at ${target}" >&2
until docker version >/dev/null 2>&1; do
  if [ "$(($(date +%s) - started))" -ge "$timeout" ]; then
    echo "[dind-client] the daemon at ${target} did not answer within ${timeout}s; last attempt:" >&2
    docker version >&2 || true
    exit 1
  fi
  sleep 0.2
  retries=$((retries + 1))
done
# Time spent waiting, to a tenth of a second (0.0 when the first attempt found the daemon ready).
echo "[dind-client] daemon at ${target} ready after $((retries / 5)).$((retries % 5 * 2))s; starting: $*" >&2
exec "$@"
