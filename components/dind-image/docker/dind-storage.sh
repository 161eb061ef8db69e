#!/bin/sh
# dind-storage.sh: check the filesystem under the nested daemon's data root.
#
# Its one job: create DATA_ROOT and say loudly when it sits on the container's own
# layered filesystem, where the nested daemon cannot use overlay2 and falls back to vfs
# (every layer a full copy). It never stops start-up.
#
# Usage: dind-storage.sh DATA_ROOT
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091 # installed by the Dockerfile; shellchecked on its own
. "$here/../lib/dind-stack/dind-common.sh"

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
	die "usage: dind-storage.sh DATA_ROOT"
fi
root=$1

if ! err=$(mkdir -p "$root" 2>&1); then
	die "storage: cannot create the data root $root: $err"
fi
fstype=$(stat -f -c %T "$root" 2>/dev/null || echo unknown)
case "$fstype" in
overlay* | aufs)
	loud "$root is on $fstype (the container's own layered filesystem)." \
		"The nested daemon cannot use overlay2 there and will fall back to vfs:" \
		"every layer becomes a full copy (slow, huge disk use)." \
		"Mount a volume at $root (docker run -v NAME:$root, or an emptyDir)."
	;;
*) log "storage: $root is on $fstype" ;;
esac
