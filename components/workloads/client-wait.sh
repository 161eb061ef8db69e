#!/bin/sh
# Runs in every client container before its command: waits until the Docker daemon
# the client is configured for (DOCKER_HOST, TLS settings) answers, then runs the
# command (passing stop signals on to it where it would be PID 1). A client never
# races the daemon's start-up or its TLS material; after
# DIND_READY_TIMEOUT seconds it fails, and the restart policy tries again.
# It asks five times a second, so a client starts within a fraction of a second of
# its daemon (sleep with a fraction works in coreutils and busybox alike). An image without
# the docker CLI (a CI runner that speaks the Docker API itself, such as GitLab Runner) cannot
# ask: its command starts at once, and says so.
set -eu

timeout="${DIND_READY_TIMEOUT:-120}"
target="${DOCKER_HOST:-unix:///var/run/docker.sock}"
started=$(date +%s)
retries=0

if ! command -v docker >/dev/null 2>&1; then
  echo "[dind-client] no docker CLI in this image: not waiting for the daemon at ${target}; starting: $*" >&2
else
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
fi
if [ "$$" -ne 1 ]; then
  exec "$@"
fi
# As the container's first process (PID 1) a command gets no signal it has no handler for:
# `sleep infinity` would ignore the SIGTERM of `docker stop` or of a pod's deletion and be
# killed only after the grace period (10 s, 30 s on Kubernetes). So the command runs as a child
# and SIGTERM and SIGINT are passed on to it; its exit status is the container's.
"$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' TERM
trap 'kill -INT "$child" 2>/dev/null || true' INT
status=0
wait "$child" || status=$?
# A trapped signal ends the first wait early: wait again until the command has exited.
while kill -0 "$child" 2>/dev/null; do
  status=0
  wait "$child" || status=$?
done
exit "$status"
