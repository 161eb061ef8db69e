#!/usr/bin/env bash
# Step of scripts/build-standins.sh. Its one job: make image registry:2 available.
# Reuses it if present, else pulls it, else builds a stand-in FROM debian:bookworm-slim (run
# base-image.sh first) with Debian's docker-registry package (distribution 2.8.2, the registry:2
# code line) plus busybox wget, the real image's config file, volume, port and entrypoint,
# labelled org.dind-stack.standin=debian-docker-registry-2.8.2; then checks it answers GET /v2/.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly REGISTRY_LABEL=debian-docker-registry-2.8.2
readonly REGISTRY_EXPECTED_VERSION=2.8.2

# The legacy builder: the preinstalled docker client has no buildx plugin.
export DOCKER_BUILDKIT=0

# The registry:2 image's default config file (distribution 2.8 library image).
write_registry_config() {
  cat >"$1" <<'EOF'
version: 0.1
log:
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: :5000
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
EOF
}

# Same contract as registry:2's /entrypoint.sh: a config file as first argument means
# "registry serve FILE"; registry sub-commands and flags get "registry" put in front;
# anything else (sh, wget, ...) runs as given.
write_registry_entrypoint() {
  cat >"$1" <<'EOF'
#!/bin/sh
# dind-stack stand-in for the registry:2 entrypoint.
set -e
case "$1" in
  *.yaml|*.yml) set -- registry serve "$@" ;;
  serve|garbage-collect|help|-*) set -- registry "$@" ;;
esac
exec "$@"
EOF
  chmod 0755 "$1"
}

write_registry_dockerfile() {
  cat >"$1" <<EOF
# dind-stack stand-in for $REGISTRY_IMAGE, built only where no container registry is reachable.
FROM $BASE_IMAGE
RUN set -eux; \\
    apt-get update; \\
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
      docker-registry busybox ca-certificates; \\
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb; \\
    ln -s /usr/bin/docker-registry /usr/bin/registry; \\
    ln -s /usr/bin/busybox /usr/bin/wget; \\
    mkdir -p /var/lib/registry; \\
    registry --version; \\
    wget --help 2>&1 | head -n 1
COPY config.yml /etc/docker/registry/config.yml
COPY entrypoint.sh /entrypoint.sh
VOLUME ["/var/lib/registry"]
EXPOSE 5000
ENTRYPOINT ["/entrypoint.sh"]
CMD ["/etc/docker/registry/config.yml"]
LABEL $LABEL_KEY=$REGISTRY_LABEL
EOF
}

build_registry_standin() {
  local ctx version
  make_tmp_dir registry
  ctx="$NEW_TMP_DIR"
  mkdir "$ctx/context"
  write_registry_config "$ctx/context/config.yml"
  write_registry_entrypoint "$ctx/context/entrypoint.sh"
  write_registry_dockerfile "$ctx/context/Dockerfile"
  log "$REGISTRY_IMAGE: building FROM $BASE_IMAGE with Debian's docker-registry and busybox (legacy builder)"
  run_logged "$ctx/build.log" docker build --force-rm -t "$REGISTRY_IMAGE" "$ctx/context" \
    || die "docker build of the $REGISTRY_IMAGE stand-in failed"
  version="$(docker run --rm --network none --entrypoint registry "$REGISTRY_IMAGE" --version)"
  log "$REGISTRY_IMAGE: built stand-in '$REGISTRY_LABEL' ($(image_id "$REGISTRY_IMAGE")): $version"
  case "$version" in
    *"v$REGISTRY_EXPECTED_VERSION"* | *" $REGISTRY_EXPECTED_VERSION"*) ;;
    *) log "WARNING: $REGISTRY_IMAGE stand-in reports '$version', its label says $REGISTRY_EXPECTED_VERSION" ;;
  esac
  remove_tree "$ctx"
}

# Prints the HTTP status of a GET from this host (curl, else wget); 000 when nothing answers.
http_status() {
  local line
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -w '%{http_code}' "$1" || true
    return 0
  fi
  line="$(wget -S -O /dev/null "$1" 2>&1 | grep -m 1 'HTTP/' || true)"
  line="${line#*HTTP/* }"
  printf '%s' "${line%% *}"
  [ -n "$line" ] || printf '000'
}

# Runs the registry on a random port of 127.0.0.1 and checks GET /v2/ from the host (curl)
# and from inside with busybox `wget -S`, as healthchecks do. Removes the container.
verify_registry_image() {
  local name="dind-standins-verify-$$" port="" i status
  CONTAINERS+=("$name")
  docker run -d --name "$name" -p 127.0.0.1::5000 "$REGISTRY_IMAGE" >/dev/null
  port="$(docker port "$name" 5000/tcp | head -n 1)"
  port="${port##*:}"
  [ -n "$port" ] || die "$REGISTRY_IMAGE: no published port"
  for i in $(seq 1 50); do
    status="$(http_status "http://127.0.0.1:$port/v2/")"
    if [ "$status" = 200 ]; then
      break
    fi
    [ "$i" = 50 ] && { docker logs --tail 20 "$name" >&2 || true; die "$REGISTRY_IMAGE: /v2/ did not answer 200 (last: $status)"; }
    sleep 0.2
  done
  log "$REGISTRY_IMAGE: GET http://127.0.0.1:$port/v2/ answered $status"
  status="$(docker exec "$name" wget -S -O /dev/null http://127.0.0.1:5000/v2/ 2>&1 | grep -m 1 'HTTP/' || true)"
  case "$status" in
    *"200 OK"*) log "$REGISTRY_IMAGE: wget -S inside the container prints '${status#"${status%%[![:space:]]*}"}'" ;;
    *) die "$REGISTRY_IMAGE: wget -S inside the container did not print a 200 status line (got '$status')" ;;
  esac
  docker rm -f -v "$name" >/dev/null
  log "$REGISTRY_IMAGE: check container removed"
}

step_begin
docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || die "$BASE_IMAGE is missing (scripts/standins/base-image.sh makes it)"
ensure_image "$REGISTRY_IMAGE" build_registry_standin verify_registry_image
step_end
