#!/bin/sh
# dind-daemon-json.sh: validate and install the nested daemon's daemon.json.
#
# Its one job: make /etc/docker/daemon.json what the user asked for, or refuse to start
# with a clear reason before anything in the container has been changed.
#
# Usage: dind-daemon-json.sh [--tls]
#   --tls   the entrypoint will configure TLS with flags, so the TLS keys are refused too.
#
# Source of the configuration, first match wins:
#   DIND_DAEMON_JSON (non-empty)  written to /etc/docker/daemon.json (atomically)
#   an existing /etc/docker/daemon.json (e.g. a bind mount)  used as is
#   neither                       no daemon.json
#
# The text must be one JSON object (checked by dind-json-object.sh). Keys refused at the
# top level, compared case-insensitively because dockerd's JSON decoding matches struct
# fields regardless of case:
#   hosts                                     the entrypoint passes --host itself, and
#                                             dockerd refuses an option given both ways
#   tls tlsverify tlscacert tlscert tlskey    with --tls (TLS comes from DOCKER_TLS_CERTDIR)
# Only top-level members are compared: a nested "hosts" (inside another object) is not a
# daemon option and is allowed. Keys spelt with non-ASCII \u escapes are not decoded by
# the awk checker (see dind-json-object.sh); dockerd would not recognise them either.
#
# stdout: the top-level members as printed by dind-json-object.sh (KEY TAB TYPE TAB VALUE),
# empty when there is no daemon.json, so the caller can look keys up without parsing again.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091 # installed by the Dockerfile; shellchecked on its own
. "$here/../lib/dind-stack/dind-common.sh"

DAEMON_JSON=/etc/docker/daemon.json

tls=
case "${1:-}" in
--tls) tls=1 ;;
'') ;;
*) die "dind-daemon-json.sh: unknown argument '$1' (expected --tls or nothing)" ;;
esac

if [ -n "${DIND_DAEMON_JSON:-}" ]; then
	text=$DIND_DAEMON_JSON
	source_desc=DIND_DAEMON_JSON
elif [ -f "$DAEMON_JSON" ]; then
	text=$(cat "$DAEMON_JSON")
	source_desc="existing $DAEMON_JSON"
else
	log "no daemon.json (DIND_DAEMON_JSON is empty)"
	exit 0
fi

errfile=$(mktemp)
trap 'rm -f "$errfile"' EXIT
if ! members=$(printf '%s' "$text" | "$here/dind-json-object.sh" 2>"$errfile"); then
	die "daemon.json ($source_desc) is not a JSON object: $(one_line "$(cat "$errfile")"); nothing was written and the daemon was not started"
fi

# top_key KEY: print the first top-level key equal to KEY ignoring case, as spelt in the text
top_key() {
	printf '%s\n' "$members" | awk -F '\t' -v k="$1" 'NF && tolower($1) == k { print $1; exit }'
}

if found=$(top_key hosts) && [ -n "$found" ]; then
	die "daemon.json ($source_desc) sets \"$found\"; remove it: the entrypoint passes --host itself and dockerd refuses an option set both as a flag and in daemon.json"
fi
if [ -n "$tls" ]; then
	for k in tls tlsverify tlscacert tlscert tlskey; do
		if found=$(top_key "$k") && [ -n "$found" ]; then
			die "daemon.json ($source_desc) sets \"$found\"; remove it: the entrypoint configures TLS with flags (use DOCKER_TLS_CERTDIR)"
		fi
	done
fi

if [ "$source_desc" = DIND_DAEMON_JSON ]; then
	mkdir -p "${DAEMON_JSON%/*}"
	printf '%s\n' "$text" >"$DAEMON_JSON.tmp.$$"
	mv -f "$DAEMON_JSON.tmp.$$" "$DAEMON_JSON"
	log "wrote $DAEMON_JSON from DIND_DAEMON_JSON:"
else
	log "using $source_desc:"
fi
printf '%s\n' "$text" | while IFS= read -r line; do
	log "  $line"
done
printf '%s\n' "$members"
