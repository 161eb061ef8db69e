#!/bin/sh
# The registry pod's main process: serves the registry, and stops it for distribution's
# garbage-collect when the pod starts and then every INTERVAL seconds.
#
# Usage: registry-gc.sh CONFIG INTERVAL DELETE_UNTAGGED MARKER
#   CONFIG           the registry's config.yml
#   INTERVAL         seconds between two collections
#   DELETE_UNTAGGED  true: also remove manifests no tag points to (--delete-untagged)
#   MARKER           a file that exists while a collection runs (the liveness probe passes then)
#
# garbage-collect must not run while the registry takes pushes: it marks the blobs manifests
# refer to and deletes the others, so the layers of a push in flight would go. So the registry
# is stopped first (SIGTERM: it finishes the requests it is serving); meanwhile the readiness
# probe fails and the Service sends nobody here. A failed collection is logged and the registry
# serves again. SIGTERM to this script (the pod's deletion) stops the registry and ends it.
set -eu
config=$1 interval=$2 untagged=$3 marker=$4
log() { printf '[registry-gc] %s\n' "$*" >&2; }
size() { du -sk /var/lib/registry | cut -f1; }

server=
sleeper=
stop() {
	[ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null || true
	if [ -n "$server" ]; then
		kill -TERM "$server" 2>/dev/null || true
		wait "$server" || true
	fi
	exit 0
}
trap stop TERM INT

while :; do
	before=$(size)
	touch "$marker"
	if [ "$untagged" = true ]; then set -- --delete-untagged; else set --; fi
	log "registry stopped; garbage-collect $* (storage: ${before} KiB)"
	if out=$(registry garbage-collect "$@" "$config" 2>&1); then
		log "garbage-collect done: ${before} KiB -> $(size) KiB; $(printf '%s\n' "$out" | grep -c 'blob eligible for deletion' || true) blobs deleted"
	else
		log "WARNING: garbage-collect failed, serving on: $(printf '%s\n' "$out" | tail -n 3)"
	fi
	rm -f "$marker"
	registry serve "$config" &
	server=$!
	log "serving; next garbage-collect in ${interval} s"
	sleep "$interval" &
	sleeper=$!
	wait "$sleeper" || true
	sleeper=
	kill -TERM "$server"
	wait "$server" || true
	server=
done
