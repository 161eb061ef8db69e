#!/bin/sh
# dind-entrypoint.sh: prepare a container for a nested Docker daemon, then exec dockerd.
#
# Its one job: orchestrate. It runs the one-job scripts below in order, stops at the first
# one that fails (each logs its own ERROR line), assembles dockerd's arguments and execs
# dockerd under docker-init.
#
#   dind-daemon-json.sh   validate / install /etc/docker/daemon.json (first: refuses bad
#                         configuration before anything in the container changes)
#   dind-mounts.sh        securityfs, rshared /
#   dind-cgroups.sh       writable cgroups; cgroup v2 root evacuation (private cgroupns only)
#   dind-iptables.sh      legacy / nft backend choice
#   dind-storage.sh       data-root filesystem check (loud overlay-on-overlay warning)
#   dind-tls.sh           CA, client and server certificates (when TLS is on)
#   dind-watch.sh         background: logs when the daemon is ready (or is not)
# Kept here because they decide dockerd's arguments or guard the start itself: argument
# handling, "already running" check, DOCKER_HOST clean-up, stale pid files, MTU, data root.
#
# Arguments
#   (none) or first argument starting with "-"  -> extra dockerd arguments
#   "dockerd" ...                                -> "dockerd" is dropped, the rest are dockerd arguments
#   anything else                                -> executed as a command (no daemon)
#
# Environment
#   DOCKER_TLS_CERTDIR      TLS material directory (image default /certs). Set to "" for plain
#                           TCP on 2375 (insecure; the only way to get it). Layout: see dind-tls.sh.
#   DOCKER_TLS_SAN          extra server-certificate names, comma or space separated:
#                           DNS:name, IP:addr, or a bare name/address (classified by dind-tls.sh).
#   DOCKER_IPTABLES_LEGACY  0/false/no -> iptables-nft; any other non-empty value ->
#                           iptables-legacy (as in the official image); unset/empty -> detect.
#   DIND_DAEMON_JSON        JSON object written to /etc/docker/daemon.json (must not set "hosts",
#                           nor tls/tlsverify/tlscacert/tlscert/tlskey when TLS is on).
#
# Every decision is logged to stderr with the prefix [dind-entrypoint].
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091 # installed by the Dockerfile; shellchecked on its own
. "$here/../lib/dind-stack/dind-common.sh"

SOCKET=/var/run/docker.sock
START_MS=$(now_ms)

# ---------------------------------------------------------------------------
# Argument handling
# ---------------------------------------------------------------------------
if [ "$#" -gt 0 ]; then
	case "$1" in
	-*) log "arguments start with '-': passing them to dockerd" ;;
	dockerd)
		shift
		log "first argument is 'dockerd': starting the daemon with the remaining arguments"
		;;
	*)
		log "running command instead of the daemon: $*"
		exec "$@"
		;;
	esac
else
	log "no arguments: starting dockerd with defaults"
fi

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

# step NAME CMD...: run one start-up script; stop start-up when it fails
step() {
	step_name=$1
	shift
	"$@" || {
		rc=$?
		die "start-up stopped: $step_name failed (exit $rc); the daemon was not started"
	}
}

# arg_present NAME ARGS...: true when --NAME or --NAME=... is among ARGS
arg_present() {
	name=$1
	shift
	for a in "$@"; do
		case "$a" in
		"--$name" | "--$name="*) return 0 ;;
		esac
	done
	return 1
}

# JSON_MEMBERS: top-level members of daemon.json (KEY TAB TYPE TAB VALUE), from dind-daemon-json.sh
JSON_MEMBERS=

# json_has_key KEY: true when daemon.json sets KEY at the top level (case-insensitive, as dockerd)
json_has_key() {
	printf '%s\n' "$JSON_MEMBERS" | awk -F '\t' -v k="$1" 'NF && tolower($1) == k { f = 1 } END { exit !f }'
}

# json_string KEY: the value of a top-level string member (last one wins), empty otherwise
json_string() {
	printf '%s\n' "$JSON_MEMBERS" | awk -F '\t' -v k="$1" 'NF && tolower($1) == k { v = ($2 == "string") ? $3 : "" } END { print v }'
}

# ---------------------------------------------------------------------------
# Steps kept in the orchestrator
# ---------------------------------------------------------------------------

check_not_running() {
	for comm in /proc/[0-9]*/comm; do
		[ -r "$comm" ] || continue
		if [ "$(cat "$comm" 2>/dev/null || true)" = dockerd ]; then
			pid=${comm#/proc/}
			die "a dockerd (pid ${pid%/comm}) is already running in this container; not starting a second one"
		fi
	done
}

fix_docker_host() {
	case "${DOCKER_HOST:-}" in
	tcp://*)
		warn "DOCKER_HOST=$DOCKER_HOST is set in the daemon container; unsetting it (a tcp DOCKER_HOST here makes dockerd try to bind that address too and fail with 'bind: address already in use')"
		unset DOCKER_HOST
		;;
	'') ;;
	*) log "DOCKER_HOST=$DOCKER_HOST left as is (not tcp://)" ;;
	esac
}

remove_stale_pidfiles() {
	found=
	for f in /run/docker*.pid /var/run/docker*.pid /run/docker/containerd/containerd.pid /var/run/docker/containerd/containerd.pid; do
		if [ -e "$f" ] || [ -L "$f" ]; then
			rm -f "$f"
			log "removed stale pid file $f"
			found=1
		fi
	done
	[ -n "$found" ] || log "no stale pid files"
}

# EXTRA_ARGS gets daemon flags computed here (set by choose_mtu).
EXTRA_ARGS=
choose_mtu() {
	if json_has_key mtu; then
		log "MTU: set in daemon.json; leaving it alone"
		return 0
	fi
	if arg_present mtu "$@"; then
		log "MTU: --mtu given as an argument; leaving it alone"
		return 0
	fi
	if [ ! -r /sys/class/net/eth0/mtu ]; then
		log "MTU: no eth0 in this container; keeping the daemon default"
		return 0
	fi
	mtu=$(cat /sys/class/net/eth0/mtu)
	if [ "$mtu" -lt 1500 ] 2>/dev/null; then
		EXTRA_ARGS="--mtu=$mtu"
		log "MTU: eth0 MTU is $mtu (< 1500); passing --mtu=$mtu so nested containers do not send oversized packets"
	else
		log "MTU: eth0 MTU is $mtu; keeping the daemon default (1500)"
	fi
}

# choose_data_root ARGS...: sets DATA_ROOT from --data-root, else daemon.json, else the default
DATA_ROOT=/var/lib/docker
choose_data_root() {
	prev=
	for a in "$@"; do
		case "$prev:$a" in
		--data-root:*) DATA_ROOT=$a ;;
		*:--data-root=*) DATA_ROOT=${a#--data-root=} ;;
		esac
		prev=$a
	done
	if ! arg_present data-root "$@" && json_has_key data-root; then
		DATA_ROOT=$(json_string data-root)
		[ -n "$DATA_ROOT" ] || DATA_ROOT=/var/lib/docker
	fi
}

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

# dockerd looks iptables up on PATH; dind-iptables.sh may place it in /usr/local/sbin.
case ":$PATH:" in
:/usr/local/sbin:*) ;;
*) PATH="/usr/local/sbin:$PATH" && export PATH ;;
esac

check_not_running
fix_docker_host

# Unset -> TLS in /certs (safe default); set to "" -> plain TCP (explicit opt-in).
TLS_DIR=${DOCKER_TLS_CERTDIR-/certs}

# Configuration errors first, before anything in the container is changed.
if ! JSON_MEMBERS=$("$here/dind-daemon-json.sh" ${TLS_DIR:+--tls}); then
	die "start-up stopped: dind-daemon-json.sh refused the configuration; the daemon was not started"
fi
step dind-mounts.sh "$here/dind-mounts.sh"
step dind-cgroups.sh "$here/dind-cgroups.sh"
step dind-iptables.sh "$here/dind-iptables.sh"
remove_stale_pidfiles
choose_mtu "$@"
choose_data_root "$@"
step dind-storage.sh "$here/dind-storage.sh" "$DATA_ROOT"

if [ -n "$TLS_DIR" ]; then
	step dind-tls.sh "$here/dind-tls.sh" "$TLS_DIR"
	set -- \
		--host="unix://$SOCKET" \
		--host=tcp://0.0.0.0:2376 \
		--tlsverify \
		--tlscacert="$TLS_DIR/server/ca.pem" \
		--tlscert="$TLS_DIR/server/cert.pem" \
		--tlskey="$TLS_DIR/server/key.pem" \
		${EXTRA_ARGS:+"$EXTRA_ARGS"} \
		"$@"
else
	loud "DOCKER_TLS_CERTDIR is empty: the daemon listens on tcp://0.0.0.0:2375 WITHOUT TLS." \
		"Anyone who can reach that port controls this daemon (and, being privileged, the host)." \
		"Only use this on an isolated network; set DOCKER_TLS_CERTDIR=/certs for TLS on 2376."
	# --tls=false states the intent explicitly; without it dockerd >= 20.10
	# delays its start by 15 s to show a deprecation warning (and newer
	# releases refuse to start).
	set -- \
		--host="unix://$SOCKET" \
		--host=tcp://0.0.0.0:2375 \
		--tls=false \
		${EXTRA_ARGS:+"$EXTRA_ARGS"} \
		"$@"
fi

# Double fork: the watcher is re-parented to docker-init (PID 1), which reaps it;
# dockerd never sees it as a child.
("$here/dind-watch.sh" "$SOCKET" "$START_MS" "$DATA_ROOT" </dev/null >/dev/null &)
log "starting: dockerd $*"
exec dockerd "$@"
