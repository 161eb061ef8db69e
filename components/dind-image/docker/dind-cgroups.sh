#!/bin/sh
# dind-cgroups.sh: make the cgroup hierarchy usable by a nested daemon.
#
# Its one job, by cgroup version; problems are warnings (dockerd reports what it then cannot do):
#   v1  remount read-only cgroup mounts read-write (a container given privileges without
#       --privileged sees them read-only).
#   v2  remount the hierarchy read-write if needed; then, only in a private cgroup namespace
#       (PROC_SELF_CGROUP reads "0::/"), move every process of the root cgroup into init/ and
#       enable every controller for the children: a cgroup that holds processes cannot hand
#       controllers down. Processes come and go meanwhile, so it tries for up to 2 s. Without a
#       private namespace the root seen here belongs to others, and nothing is changed.
#
# Usage: dind-cgroups.sh [CGROUP_ROOT [PROC_SELF_CGROUP]]
#   defaults /sys/fs/cgroup and /proc/self/cgroup; other paths are for tests.
set -eu
root=${1:-/sys/fs/cgroup}
self=${2:-/proc/self/cgroup}
log() { printf '[dind-entrypoint] %s\n' "$*" >&2; }

# read_only_mounts: the read-only mounts at or under the cgroup root, parents first
read_only_mounts() {
	awk -v root="$root" '($2 == root || index($2, root "/") == 1) && $4 ~ /(^|,)ro(,|$)/ { print $2 }' /proc/mounts
}

# remount_read_write VERSION: remount the read-only mounts read-write, and say what happened
remount_read_write() {
	read_only=$(read_only_mounts | tr '\n' ' ')
	if [ -z "$read_only" ]; then
		log "cgroup $1: the mounts under $root are read-write"
		return 0
	fi
	for mount in $read_only; do
		# A read-only bind mount only turns read-write with the bind flag. All at once: they are independent.
		{ mount -o remount,rw "$mount" 2>/dev/null || mount -o remount,bind,rw "$mount" 2>/dev/null || true; } &
	done
	wait
	left=$(read_only_mounts | tr '\n' ' ')
	if [ -n "$left" ]; then
		log "WARNING: cgroup $1: still read-only: $left; nested containers will fail (run this container privileged)"
	else
		log "cgroup $1: remounted read-write: $read_only"
	fi
}

if [ ! -f "$root/cgroup.controllers" ]; then
	remount_read_write v1
	exit 0
fi

remount_read_write v2
namespace=$(cat "$self" 2>/dev/null || echo unreadable)
if [ "$namespace" != "0::/" ]; then
	log "WARNING: cgroup v2: $self reads '$(echo "$namespace" | tr '\n' ' ')', not '0::/': this container has no cgroup namespace of its own (--cgroupns=host), so $root is left alone and nested containers may get no controllers; run it with --cgroupns=private"
	exit 0
fi
mkdir -p "$root/init"
wanted=$(sed 's/\([^ ][^ ]*\)/+\1/g' "$root/cgroup.controllers")
attempt=1
while :; do
	# Processes that exit meanwhile cannot be moved; that is fine.
	while read -r pid; do
		echo "$pid" 2>/dev/null || true
	done <"$root/cgroup.procs" >"$root/init/cgroup.procs"
	if [ -z "$wanted" ] || { echo "$wanted" >"$root/cgroup.subtree_control"; } 2>/dev/null; then
		log "cgroup v2: moved the root cgroup's processes to $root/init; controllers for children: $(cat "$root/cgroup.subtree_control") (attempt $attempt)"
		exit 0
	fi
	if [ "$attempt" -ge 20 ]; then
		log "WARNING: cgroup v2: could not enable '$wanted' in $root/cgroup.subtree_control after $attempt attempts; nested containers may get no controllers"
		exit 0
	fi
	attempt=$((attempt + 1))
	sleep 0.1
done
