#!/usr/bin/env bash
# Starts a command in the background that outlives its caller: stdin from /dev/null, stdout and
# stderr to a log file, and none of the other descriptors the caller handed down (a lock that
# `flock` holds for the caller, a pipe a CI step reads until it closes), so the caller's locks
# are released and its pipes close when the caller ends.
# Usage: start-detached.sh <log file> <command> [argument ...]
set -eu

log_file="$1"
shift
(
  for fd in /proc/self/fd/*; do
    fd="${fd##*/}"
    # 255 is bash's own descriptor for this script, closed on exec anyway.
    if [ "$fd" -gt 2 ] && [ "$fd" -ne 255 ]; then eval "exec $fd>&-"; fi
  done
  exec nohup "$@" </dev/null >"$log_file" 2>&1
) &
printf '[start-detached] started %s (pid %s, log %s)\n' "$1" "$!" "$log_file" >&2
