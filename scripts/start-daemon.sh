#!/usr/bin/env bash
# Starts a daemon that outlives its caller, with Debian's start-stop-daemon: in the background,
# stdin from /dev/null, stdout and stderr to a log file, every other descriptor the caller
# handed down closed (a lock that `flock` holds for the caller, a pipe a CI step reads until it
# closes), and nothing started when that program runs already.
# Usage: start-daemon.sh <log file> <program> [argument ...]
set -eu

log_file="$1"
program="$(command -v "$2")"
shift 2
printf '[start-daemon] starting %s in the background (log %s)\n' "$program" "$log_file" >&2
exec start-stop-daemon --start --background --oknodo --output "$log_file" --exec "$program" -- "$@"
