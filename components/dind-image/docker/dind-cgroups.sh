#!/bin/sh
# dind-cgroups.sh: make the cgroup hierarchy usable by a nested daemon.
#
# Its one job: leave /sys/fs/cgroup writable, and on cgroup v2 give the nested daemon a
# root cgroup whose controllers it can delegate. Problems are WARNINGs: the daemon itself
# reports what it cannot do.
#
#   cgroup v1  remount read-only cgroup mounts read-write (a container that is not fully
#              privileged gets them read-only).
#   cgroup v2  remount read-write if needed; then, only when this container has its own
#              cgroup namespace (/proc/self/cgroup is exactly "0::/"), move every process of
#              the root cgroup into <root>/init and enable all controllers in the root's
#              cgroup.subtree_control (processes and controllers cannot share a non-root
#              cgroup). Without a private namespace (--cgroupns=host) the root seen here is
#              not this container's, so nothing is moved.
#
# Usage: dind-cgroups.sh [CGROUP_ROOT [PROC_SELF_CGROUP]]
#   defaults /sys/fs/cgroup and /proc/self/cgroup; other paths are for tests only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091 # installed by the Dockerfile; shellchecked on its own
. "$here/../lib/dind-stack/dind-common.sh"

cg=${1:-/sys/fs/cgroup}
self_cgroup=${2:-/proc/self/cgroup}

# mount_opts MOUNTPOINT: options of the topmost mount at MOUNTPOINT (empty if none)
mount_opts() {
	awk -v mp="$1" '$2 == mp { o = $4 } END { print o }' /proc/mounts
}

# is_ro MOUNTPOINT: true when the topmost mount at MOUNTPOINT is read-only
is_ro() {
	case ",$(mount_opts "$1")," in
	*,ro,*) return 0 ;;
	esac
	return 1
}

# remount_rw MOUNTPOINT: returns non-zero (with the error in $REMOUNT_ERR) on failure
REMOUNT_ERR=
remount_rw() {
	if REMOUNT_ERR=$(mount -o remount,rw "$1" 2>&1); then
		return 0
	fi
	# A read-only bind mount only changes with the bind flag.
	if REMOUNT_ERR=$(mount -o remount,bind,rw "$1" 2>&1); then
		return 0
	fi
	return 1
}

# v2_evacuate: move the root cgroup's processes to init/ and enable every controller
v2_evacuate() {
	if ! err=$(mkdir -p "$cg/init" 2>&1); then
		warn "cgroup v2: cannot create $cg/init (${err}); nested containers may not get cgroup controllers"
		return 0
	fi
	controllers=$(cat "$cg/cgroup.controllers")
	attempt=0
	while :; do
		attempt=$((attempt + 1))
		# Processes may appear or exit meanwhile: retry until the controllers stick.
		moved=0
		for pid in $(cat "$cg/cgroup.procs" 2>/dev/null || true); do
			if { printf '%s\n' "$pid" >"$cg/init/cgroup.procs"; } 2>/dev/null; then
				moved=$((moved + 1))
			fi
		done
		missing=
		for c in $controllers; do
			case " $(cat "$cg/cgroup.subtree_control") " in
			*" $c "*) continue ;;
			esac
			if ! { printf '+%s\n' "$c" >"$cg/cgroup.subtree_control"; } 2>/dev/null; then
				missing="$missing $c"
			fi
		done
		if [ -z "$missing" ]; then
			log "cgroup v2: moved $moved process(es) to $cg/init; enabled controllers: $(cat "$cg/cgroup.subtree_control") (attempt $attempt)"
			return 0
		fi
		if [ "$attempt" -ge 20 ]; then
			warn "cgroup v2: could not enable controller(s)${missing} after $attempt attempts; enabled: $(cat "$cg/cgroup.subtree_control"); continuing"
			return 0
		fi
		sleep 0.1
	done
}

setup_v2() {
	log "cgroup v2 detected"
	if is_ro "$cg"; then
		if remount_rw "$cg"; then
			log "cgroup v2: $cg was read-only; remounted it read-write"
		else
			warn "cgroup v2: $cg is read-only and could not be remounted read-write (${REMOUNT_ERR}); the daemon will probably fail (is the container privileged?)"
			return 0
		fi
	fi
	self=$(cat "$self_cgroup" 2>/dev/null || echo unreadable)
	if [ "$self" != "0::/" ]; then
		warn "cgroup v2: the root cgroup is not private to this container ($self_cgroup reads '$(one_line "$self")', not '0::/'; typical of --cgroupns=host): not moving any process and not changing controllers in $cg, as that would reorganise cgroups this container does not own. Run the container with its own cgroup namespace (--cgroupns=private, the default on cgroup v2 hosts) so nested containers get cgroup controllers"
		return 0
	fi
	v2_evacuate
}

setup_v1() {
	log "cgroup v1 detected"
	mps=$(awk -v cg="$cg" '$2 == cg || index($2, cg "/") == 1 { print $2 }' /proc/mounts)
	if [ -z "$mps" ]; then
		warn "cgroup v1: nothing is mounted under $cg; the daemon will probably fail"
		return 0
	fi
	ro=
	for mp in $mps; do
		if is_ro "$mp"; then
			ro="$ro $mp"
		fi
	done
	if [ -z "$ro" ]; then
		log "cgroup v1: cgroup mounts are read-write"
		return 0
	fi
	log "cgroup v1: read-only cgroup mounts found (typical when the container is not fully privileged); remounting them read-write"
	failed=
	for mp in $ro; do
		if remount_rw "$mp"; then
			log "cgroup v1: remounted $mp read-write"
		else
			failed="$failed $mp"
			warn "cgroup v1: could not remount $mp read-write: ${REMOUNT_ERR}"
		fi
	done
	if [ -n "$failed" ]; then
		warn "cgroup v1: still read-only:${failed}; the daemon will fail to create cgroups for nested containers (run this container privileged, or with CAP_SYS_ADMIN and no read-only /sys)"
	fi
}

if [ -f "$cg/cgroup.controllers" ]; then
	setup_v2
else
	setup_v1
fi
