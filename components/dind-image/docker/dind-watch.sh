#!/bin/sh
# dind-watch.sh: report when the nested daemon becomes ready, and with which storage driver.
#
# Its one job: poll the daemon's unix socket until `docker info` answers, then log
#   daemon ready on SOCKET <N> ms after entrypoint start; storage driver: <driver>
# or a loud WARNING when the driver is vfs, or a WARNING when the daemon did not answer
# within TIMEOUT_S seconds (measured, not counted in polls). It only logs; the image's
# HEALTHCHECK is what orchestrators wait on.
#
# Usage: dind-watch.sh SOCKET START_MS DATA_ROOT [TIMEOUT_S]
#   START_MS   the entrypoint's start time in ms since the epoch (for the ready figure)
#   TIMEOUT_S  default 60
# The entrypoint runs it in the background, detached from dockerd.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091 # installed by the Dockerfile; shellchecked on its own
. "$here/../lib/dind-stack/dind-common.sh"

if [ "$#" -lt 3 ]; then
	die "usage: dind-watch.sh SOCKET START_MS DATA_ROOT [TIMEOUT_S]"
fi
socket=$1
start_ms=$2
data_root=$3
timeout_s=${4:-60}

# Only the local socket counts, whatever client settings the container has.
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH

# A probe that hangs (socket accepted, daemon stuck) must not stall the clock check.
if command -v timeout >/dev/null 2>&1; then
	probe() { timeout 5 docker --host "unix://$socket" info --format '{{.Driver}}' 2>/dev/null; }
else
	probe() { docker --host "unix://$socket" info --format '{{.Driver}}' 2>/dev/null; }
fi

watch_start=$(now_ms)
deadline=$((watch_start + timeout_s * 1000))
while :; do
	if driver=$(probe) && [ -n "$driver" ]; then
		elapsed=$(($(now_ms) - start_ms))
		if [ "$driver" = vfs ]; then
			loud "the daemon is using the vfs storage driver (ready after ${elapsed} ms)." \
				"vfs copies every layer in full: builds and pulls are slow and use a lot of disk." \
				"Mount a volume at $data_root so overlay2 can be used."
		else
			log "daemon ready on $socket ${elapsed} ms after entrypoint start; storage driver: $driver"
		fi
		exit 0
	fi
	now=$(now_ms)
	[ "$now" -lt "$deadline" ] || break
	sleep 0.5
done
waited=$((now - watch_start))
warn "the daemon did not answer on $socket within $((waited / 1000)).$((waited % 1000 / 100)) s (measured from the watcher's start, $((now - start_ms)) ms after entrypoint start); see the dockerd messages above"
