#!/bin/sh
# dind-healthcheck.sh: exit 0 when the Docker daemon in this container answers
# on its unix socket, non-zero otherwise. Used by the image's HEALTHCHECK.
# Client settings meant for other daemons (DOCKER_HOST=tcp://..., TLS) are
# ignored on purpose: only the local socket counts.
set -eu
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
exec docker --host unix:///var/run/docker.sock version --format '{{.Server.Version}}' >/dev/null
