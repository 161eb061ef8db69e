#!/bin/sh
# dind-common.sh: logging helpers shared by the DinD start-up scripts.
#
# Its one job: give every script the same log format. It is sourced (installed
# as /usr/local/lib/dind-stack/dind-common.sh), never run. Every line goes to
# stderr with the prefix [dind-entrypoint], so the container log reads as one
# start-up sequence whichever script wrote the line.
set -eu

log() { printf '[dind-entrypoint] %s\n' "$*" >&2; }
warn() { log "WARNING: $*"; }
die() {
	log "ERROR: $*"
	exit 1
}

# loud LINE...: a framed multi-line warning that is hard to miss in a log.
loud() {
	log '************************************************************************'
	for line in "$@"; do
		log "WARNING: $line"
	done
	log '************************************************************************'
}

# now_ms: milliseconds since the epoch (GNU date).
now_ms() { date +%s%3N; }

# one_line TEXT: TEXT with newlines folded into " | ", for error messages.
one_line() { printf '%s\n' "$1" | awk 'NR > 1 { printf " | " } { printf "%s", $0 }'; }
