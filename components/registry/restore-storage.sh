#!/bin/sh
# Run by `pulumi up` (a local command) before the registry starts: streams the archive
# DIND_STACK_RESTORE_ARCHIVE (tar or tar.gz) into the registry's named volume
# DIND_STACK_RESTORE_VOLUME through a throw-away container of the registry image
# DIND_STACK_RESTORE_IMAGE, which runs DIND_STACK_RESTORE_SCRIPT (restore-into-volume.sh) and
# extracts it only while the volume holds no registry data. The archive travels on stdin, so
# an engine behind DOCKER_HOST receives it too; a failed restore fails the command.
# The config check read the archive (entries that stay inside it, no more than the size limit
# unpacked) and its sha256 is DIND_STACK_RESTORE_SHA256: a file changed since then is refused.
set -eu

archive="$DIND_STACK_RESTORE_ARCHIVE"
log() { printf '[restore] %s\n' "$*" >&2; }

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum <"$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 <"$1" | cut -d' ' -f1
  else openssl dgst -sha256 <"$1" | sed 's/^.*= *//'
  fi
}

actual="$(sha256_of "$archive")"
if [ "$actual" != "$DIND_STACK_RESTORE_SHA256" ]; then
  log "${archive} changed since the config check read it (sha256 ${actual}, checked ${DIND_STACK_RESTORE_SHA256}); nothing is restored: run pulumi up again"
  exit 1
fi
magic="$(od -An -tx1 -N2 "$archive" | tr -d ' \n')"

stream() {
  if [ "$magic" = "1f8b" ]; then gzip -dc <"$archive"; else cat <"$archive"; fi
}

log "${archive} into volume ${DIND_STACK_RESTORE_VOLUME} ($([ "$magic" = "1f8b" ] && echo gzip || echo tar), sha256 ${actual})"
stream | docker run --rm -i --network none \
  --label "org.dind-stack.stack=${DIND_STACK_STACK}" --label org.dind-stack.component=registry-restore \
  -v "${DIND_STACK_RESTORE_VOLUME}:/var/lib/registry" \
  --entrypoint /bin/sh "$DIND_STACK_RESTORE_IMAGE" -c "$DIND_STACK_RESTORE_SCRIPT"
