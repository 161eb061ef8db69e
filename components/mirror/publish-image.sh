#!/bin/sh
# Run by `pulumi up` (a local command) for one image of the mirror list: puts it into the
# read-only mirror registry's volume. The only way in is a registry container that exists while
# this script runs, published on the engine host's loopback at a port the engine picks, on no
# network of the stack: runners and nested containers never reach it, and the mirror registry
# they read from refuses every write.
# Environment: DIND_STACK_STACK, DIND_STACK_MIRROR_VOLUME, DIND_STACK_REGISTRY_IMAGE (the
# registry image's ID), DIND_STACK_IMAGE_ID (the image to publish, on the engine),
# DIND_STACK_LOCAL_NAME (repository:tag in the mirror).
set -eu
log() { printf '[mirror-publish] %s\n' "$*" >&2; }

writer=$(docker run -d --rm -p 127.0.0.1::5000 \
  --label "org.dind-stack.stack=${DIND_STACK_STACK}" --label org.dind-stack.component=mirror-writer \
  -v "${DIND_STACK_MIRROR_VOLUME}:/var/lib/registry" "$DIND_STACK_REGISTRY_IMAGE")
trap 'docker rm -f "$writer" >/dev/null 2>&1 || true' EXIT
address=$(docker port "$writer" 5000/tcp | grep '^127\.0\.0\.1:' | head -n 1)
log "writer $(echo "$writer" | cut -c1-12) on ${address} for volume ${DIND_STACK_MIRROR_VOLUME}"
tries=0
until docker exec "$writer" wget -q -O /dev/null http://127.0.0.1:5000/v2/ 2>/dev/null; do
  tries=$((tries + 1))
  if [ "$tries" -ge 100 ]; then
    log "the writer did not answer within 20 s; its log:"
    docker logs "$writer" >&2 || true
    exit 1
  fi
  sleep 0.2
done
target="${address}/${DIND_STACK_LOCAL_NAME}"
docker tag "$DIND_STACK_IMAGE_ID" "$target"
if ! docker push "$target" >&2; then
  docker rmi "$target" >/dev/null 2>&1 || true
  log "pushing ${DIND_STACK_IMAGE_ID} as ${DIND_STACK_LOCAL_NAME} failed"
  exit 1
fi
docker rmi "$target" >/dev/null
log "published ${DIND_STACK_IMAGE_ID} as ${DIND_STACK_LOCAL_NAME}"
