#!/bin/sh
# Run by `pulumi up` (a local command) before the registry starts: streams the archive
# DIND_STACK_RESTORE_ARCHIVE (tar or tar.gz) into the registry's named volume
# DIND_STACK_RESTORE_VOLUME through a throw-away container of the registry image
# DIND_STACK_RESTORE_IMAGE, which runs DIND_STACK_RESTORE_SCRIPT (restore-into-volume.sh) and
# extracts it only while the volume holds no registry data. The archive travels on stdin, so
# an engine behind DOCKER_HOST receives it too; a failed restore fails the command.
set -eu

archive="$DIND_STACK_RESTORE_ARCHIVE"
magic="$(od -An -tx1 -N2 "$archive" | tr -d ' \n')"

stream() {
  if [ "$magic" = "1f8b" ]; then gzip -dc <"$archive"; else cat <"$archive"; fi
}

echo "[restore] ${archive} into volume ${DIND_STACK_RESTORE_VOLUME} ($([ "$magic" = "1f8b" ] && echo gzip || echo tar))" >&2
stream | docker run --rm -i --network none \
  --label "org.dind-stack.stack=${DIND_STACK_STACK}" --label org.dind-stack.component=registry-restore \
  -v "${DIND_STACK_RESTORE_VOLUME}:/var/lib/registry" \
  --entrypoint /bin/sh "$DIND_STACK_RESTORE_IMAGE" -c "$DIND_STACK_RESTORE_SCRIPT"
