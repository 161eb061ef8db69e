#!/bin/sh
# dind-watch.sh: say when the nested daemon answers, and warn loudly when it stores images with vfs.
#
# Its one job, in the background while dockerd starts: wait (up to 2 minutes) for the daemon's
# unix socket to answer `docker info`, then log
#   daemon ready on /var/run/docker.sock <N> ms after entrypoint start; storage driver: <driver>
# and, for vfs (the data root on the container's own overlay, where overlay2 cannot work), a
# framed WARNING naming the data root and its filesystem. It only logs; the image's
# HEALTHCHECK is what orchestrators wait on.
#
# Usage: dind-watch.sh START_MS   (the entrypoint's start, in ms since the epoch)
set -eu
log() { printf '[dind-entrypoint] %s\n' "$*" >&2; }
# Only the local socket counts, whatever client settings the container has.
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH

polls=0
until [ -S /var/run/docker.sock ] && info=$(timeout 60 docker info --format '{{.Driver}} {{.DockerRootDir}}' 2>/dev/null); do
	polls=$((polls + 1))
	if [ "$polls" -gt 1200 ]; then
		log "WARNING: the daemon did not answer on /var/run/docker.sock within 2 minutes; see dockerd's messages above"
		exit 0
	fi
	sleep 0.1
done
driver=${info%% *}
root=${info#* }
log "daemon ready on /var/run/docker.sock $(($(date +%s%3N) - $1)) ms after entrypoint start; storage driver: $driver"
if [ "$driver" = vfs ]; then
	log "************************************************************************"
	log "WARNING: the daemon is using the vfs storage driver: $root is on $(stat -f -c %T "$root")."
	log "WARNING: vfs copies every layer in full: builds and pulls are slow and use a lot of disk."
	log "WARNING: Mount a volume at $root (docker run -v NAME:$root, or an emptyDir) for overlay2."
	log "************************************************************************"
fi
