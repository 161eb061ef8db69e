#!/bin/sh
# dind-mounts.sh: prepare the mounts a nested daemon expects.
#
# Its one job: securityfs at /sys/kernel/security (AppArmor for nested containers) and
# shared mount propagation on / (mounts made by the nested daemon reach its containers).
# Neither is fatal: each failure is logged as a WARNING and start-up continues.
#
# Usage: dind-mounts.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091 # installed by the Dockerfile; shellchecked on its own
. "$here/../lib/dind-stack/dind-common.sh"

# mounted_as MOUNTPOINT FSTYPE
mounted_as() {
	awk -v mp="$1" -v t="$2" '$2 == mp && $3 == t { f = 1 } END { exit !f }' /proc/mounts
}

if mounted_as /sys/kernel/security securityfs; then
	log "securityfs is already mounted at /sys/kernel/security"
elif [ ! -d /sys/kernel/security ]; then
	log "/sys/kernel/security does not exist; not mounting securityfs"
elif err=$(mount -t securityfs securityfs /sys/kernel/security 2>&1); then
	log "mounted securityfs at /sys/kernel/security"
else
	warn "could not mount securityfs at /sys/kernel/security (${err}); AppArmor for nested containers may be unavailable; continuing"
fi

if err=$(mount --make-rshared / 2>&1); then
	log "made / rshared (mount propagation for nested containers)"
else
	warn "could not make / rshared (${err}); shared mount propagation in nested containers will not work; continuing"
fi
