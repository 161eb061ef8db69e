#!/usr/bin/env bash
# Makes the images and files dind-stack's tests need available on this machine:
#   1. image debian:bookworm-slim
#   2. image registry:2
#   3. a docker static tarball <cache>/standins/<arch>/docker-<version>.tgz with the layout of
#      download.docker.com/linux/static/stable (entries docker/docker, docker/dockerd, ...)
#   4. <cache>/standins/standins.json describing the three (written atomically)
#
# What is already there is reused (images stay in /var/lib/docker, files in the cache), so a
# second run takes seconds. A missing image is pulled first (short timeout); only when no
# container registry answers is a STAND-IN built locally from Debian's mirror:
#   - debian:bookworm-slim: debootstrap --variant=minbase bookworm, trimmed like the real slim
#     image, imported with `docker import`;
#   - registry:2: Debian's docker-registry package (distribution 2.8.2, the registry:2 code line)
#     plus busybox wget, with the real image's config file, volume, port and entrypoint;
#   - the tarball: packed from Debian's docker.io/containerd/runc/tini binaries, named after
#     their real version. Unlike the official static binaries they are dynamically linked;
#     the Debian packages they need on a bookworm-slim base are listed as extraPackages.
# Every stand-in image carries the label org.dind-stack.standin=<how it was built>, and
# standins.json says which images are stand-ins, so nothing passes for an upstream artefact.
# Stand-ins are meant only for machines that reach no container registry.
#
# Environment:
#   DEBIAN_MIRROR           Debian mirror (default http://deb.debian.org/debian)
#   DEBIAN_SECURITY_MIRROR  security mirror (default http://deb.debian.org/debian-security)
#   DIND_STACK_CACHE        cache folder (default /var/cache/dind-stack)
#   STANDINS_FORCE=1        rebuild every stand-in (labelled images and the tarball) instead of
#                           reusing it; a real (unlabelled) image already present is kept
#   STANDINS_PULL_TIMEOUT   seconds allowed for each `docker pull` (default 30)
#   STANDINS_VERIFY=1       also smoke-test a reused registry image
# Needs root (debootstrap, apt-get) and a running Docker engine (see scripts/engine-up.sh).
# Logs every decision to stderr with the prefix [standins].
set -euo pipefail

readonly DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
readonly DEBIAN_SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
readonly DEBIAN_SUITE=bookworm
readonly CACHE_DIR="${DIND_STACK_CACHE:-/var/cache/dind-stack}"
readonly STANDINS_DIR="$CACHE_DIR/standins"
readonly METADATA_FILE="$STANDINS_DIR/standins.json"
readonly FORCE="${STANDINS_FORCE:-0}"
readonly VERIFY_REUSED="${STANDINS_VERIFY:-0}"
readonly PULL_TIMEOUT="${STANDINS_PULL_TIMEOUT:-30}"

readonly BASE_IMAGE=debian:bookworm-slim
readonly REGISTRY_IMAGE=registry:2
readonly LABEL_KEY=org.dind-stack.standin
readonly BASE_LABEL=debootstrap-bookworm-minbase
readonly REGISTRY_LABEL=debian-docker-registry-2.8.2
readonly REGISTRY_EXPECTED_VERSION=2.8.2

# Debian packages the tarball's binaries come from, and where each binary lives.
readonly ENGINE_PACKAGES=(docker.io containerd runc tini)
readonly TARBALL_ENTRIES=(
  docker=/usr/bin/docker
  dockerd=/usr/sbin/dockerd
  containerd=/usr/bin/containerd
  containerd-shim-runc-v2=/usr/bin/containerd-shim-runc-v2
  ctr=/usr/bin/ctr
  runc=/usr/sbin/runc
  docker-init=/usr/bin/docker-init
  docker-proxy=/usr/sbin/docker-proxy
)

# The legacy builder: the preinstalled docker client has no buildx plugin.
export DOCKER_BUILDKIT=0

# Filled in by the steps, read by write_metadata.
DOCKER_VERSION=""
STATIC_ARCH=""
TARBALL=""
TARBALL_SHA256=""
EXTRA_PACKAGES=()
STEP_TIMES=()
OLD_IMAGE_IDS=()

# Cleaned up on exit, whatever happens.
TMP_DIRS=()
CONTAINERS=()

log() { printf '[standins] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

now() { date +%s.%N; }
seconds_since() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.1f", end - start }'; }

# run_step NAME FUNCTION: runs the function, logs and records how long it took.
run_step() {
  local name="$1" fn="$2" start secs
  start="$(now)"
  log "step $name: start"
  "$fn"
  secs="$(seconds_since "$start")"
  STEP_TIMES+=("$name=${secs}s")
  log "step $name: done in $secs s"
}

# Removes a temporary tree, unmounting first anything debootstrap may have left mounted in it
# (rm must never descend into a /proc or /sys mounted inside a chroot).
remove_tree() {
  local dir="$1" mnt
  [ -e "$dir" ] || return 0
  if [ ! -d "$dir" ]; then
    rm -f "$dir"
    return 0
  fi
  while read -r mnt; do
    log "unmounting $mnt left inside $dir"
    umount -l "$mnt" 2>/dev/null || true
  done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
  rm -rf --one-file-system "$dir"
}

cleanup() {
  local c d
  for c in "${CONTAINERS[@]}"; do
    docker rm -f -v "$c" >/dev/null 2>&1 || true
  done
  for d in "${TMP_DIRS[@]}"; do
    remove_tree "$d"
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Creates a temporary folder, registered for removal on exit, and puts its path in NEW_TMP_DIR
# (not printed: a $(...) subshell would lose the registration).
NEW_TMP_DIR=""
make_tmp_dir() {
  NEW_TMP_DIR="$(mktemp -d "${TMPDIR:-/var/tmp}/dind-standins-$1.XXXXXX")"
  TMP_DIRS+=("$NEW_TMP_DIR")
}

# Runs a command with its output in a log file; shows the end of that log if it fails.
run_logged() {
  local logfile="$1"
  shift
  if ! "$@" >"$logfile" 2>&1; then
    log "command failed: $*; last lines of its output:"
    tail -n 40 "$logfile" >&2
    return 1
  fi
}

json_string() {
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  printf '"%s"' "$s"
}

# ---------------------------------------------------------------------------------------------
# Preconditions

check_engine() {
  docker version --format '{{.Server.Version}}' >/dev/null 2>&1 \
    || die "no Docker engine answers; start one first (scripts/engine-up.sh)"
  log "engine answers (server $(docker version --format '{{.Server.Version}}'))"
}

take_lock() {
  mkdir -p "$STANDINS_DIR"
  exec 9>"$STANDINS_DIR/.lock"
  if ! flock -n 9; then
    log "another build-standins run holds $STANDINS_DIR/.lock; waiting for it (up to 30 min)"
    flock -w 1800 9 || die "timed out waiting for $STANDINS_DIR/.lock"
  fi
}

# ---------------------------------------------------------------------------------------------
# Images: reuse, pull, or build a stand-in

image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null; }

# Prints the stand-in label of an image ("" for an image without it, i.e. a real one).
standin_label_of() {
  local value
  value="$(docker image inspect -f "{{ index .Config.Labels \"$LABEL_KEY\" }}" "$1" 2>/dev/null || true)"
  [ "$value" = "<no value>" ] && value=""
  printf '%s' "$value"
}

is_standin() { [ -n "$(standin_label_of "$1")" ]; }

try_pull() {
  local image="$1" output
  log "$image: trying docker pull (timeout ${PULL_TIMEOUT}s)"
  if output="$(timeout "$PULL_TIMEOUT" docker pull "$image" 2>&1)"; then
    log "$image: pulled from its registry ($(image_id "$image"))"
    return 0
  fi
  log "$image: pull failed: $(printf '%s' "$output" | tail -n 1)"
  return 1
}

# Remembers the image a rebuild is about to replace, so it can be removed once untagged.
remember_old_image() {
  local id
  id="$(image_id "$1" || true)"
  if [ -n "$id" ]; then
    OLD_IMAGE_IDS+=("$id")
  fi
}

# ensure_image IMAGE BUILD_FUNCTION [VERIFY_FUNCTION]
ensure_image() {
  local image="$1" build_fn="$2" verify_fn="${3:-}" label
  if docker image inspect "$image" >/dev/null 2>&1; then
    label="$(standin_label_of "$image")"
    if [ -z "$label" ]; then
      log "$image: present locally without the $LABEL_KEY label (a real image); reusing it"
      if [ "$FORCE" = 1 ]; then
        log "$image: STANDINS_FORCE=1 does not replace a real image with a stand-in"
      fi
      return 0
    fi
    if [ "$FORCE" != 1 ]; then
      log "$image: present locally, stand-in '$label' ($(image_id "$image")); reusing it"
      if [ "$VERIFY_REUSED" = 1 ] && [ -n "$verify_fn" ]; then
        log "$image: STANDINS_VERIFY=1, checking the reused image"
        "$verify_fn"
      fi
      return 0
    fi
    log "$image: STANDINS_FORCE=1, not reusing stand-in '$label'"
    remember_old_image "$image"
  else
    log "$image: not present locally"
  fi
  if try_pull "$image"; then
    return 0
  fi
  log "$image: no registry reachable; building a local stand-in"
  "$build_fn"
  if [ -n "$verify_fn" ]; then
    "$verify_fn"
  fi
}

# --- debian:bookworm-slim stand-in -----------------------------------------------------------

# Trims a minbase rootfs the way the real slim image is trimmed, and installs the same dpkg/apt
# settings so images built FROM it stay slim too.
trim_rootfs() {
  local root="$1"
  find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/groff/* "$root"/usr/share/info/* \
    "$root"/usr/share/lintian/* "$root"/usr/share/linda/* "$root"/usr/share/locale/*
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin \
    "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/archives/partial/*
  rm -f "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old "$root/var/log/bootstrap.log"
  find "$root/var/log" -type f -exec truncate -s 0 {} +
  # Host-specific files debootstrap copied in (Docker bind-mounts its own at run time).
  : >"$root/etc/resolv.conf"
  printf 'localhost\n' >"$root/etc/hostname"
  if [ -f "$root/etc/machine-id" ]; then
    : >"$root/etc/machine-id"
  fi

  mkdir -p "$root/etc/dpkg/dpkg.cfg.d" "$root/etc/apt/apt.conf.d"
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# dind-stack stand-in: keep images slim like the real debian:*-slim images
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  printf 'Acquire::Languages "none";\n' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  printf 'Acquire::GzipIndexes "true";\n' >"$root/etc/apt/apt.conf.d/docker-gzip-indexes"
  printf 'Apt::AutoRemove::SuggestsImportant "false";\n' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
  # Services must not start while packages are installed in a container build.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 0755 "$root/usr/sbin/policy-rc.d"
}

# Points apt at the mirror with the same suites as the real image (deb822 format).
write_apt_sources() {
  local root="$1"
  rm -f "$root/etc/apt/sources.list"
  mkdir -p "$root/etc/apt/sources.list.d"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $DEBIAN_MIRROR
Suites: $DEBIAN_SUITE $DEBIAN_SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $DEBIAN_SECURITY_MIRROR
Suites: $DEBIAN_SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
}

build_base_standin() {
  local work root start
  command -v debootstrap >/dev/null 2>&1 || die "debootstrap is needed to build $BASE_IMAGE (apt-get install debootstrap)"
  make_tmp_dir base
  work="$NEW_TMP_DIR"
  root="$work/rootfs"
  log "$BASE_IMAGE: debootstrap --variant=minbase $DEBIAN_SUITE from $DEBIAN_MIRROR into $root"
  start="$(now)"
  run_logged "$work/debootstrap.log" debootstrap --variant=minbase "$DEBIAN_SUITE" "$root" "$DEBIAN_MIRROR" \
    || die "debootstrap failed"
  log "$BASE_IMAGE: debootstrap took $(seconds_since "$start") s, rootfs $(du -sh --one-file-system "$root" | cut -f1)"
  trim_rootfs "$root"
  write_apt_sources "$root"
  log "$BASE_IMAGE: trimmed rootfs to $(du -sh --one-file-system "$root" | cut -f1); apt sources: $DEBIAN_MIRROR ($DEBIAN_SUITE, $DEBIAN_SUITE-updates), $DEBIAN_SECURITY_MIRROR ($DEBIAN_SUITE-security)"
  start="$(now)"
  tar --numeric-owner --xattrs -C "$root" -c . \
    | docker import \
      --message "dind-stack stand-in: debootstrap --variant=minbase $DEBIAN_SUITE, trimmed like bookworm-slim" \
      --change "LABEL $LABEL_KEY=$BASE_LABEL" \
      --change 'CMD ["bash"]' \
      - "$BASE_IMAGE" >/dev/null
  log "$BASE_IMAGE: imported as stand-in '$BASE_LABEL' ($(image_id "$BASE_IMAGE")) in $(seconds_since "$start") s"
  remove_tree "$work"
}

verify_base_image() {
  local release
  release="$(docker run --rm --network none "$BASE_IMAGE" cat /etc/debian_version)"
  log "$BASE_IMAGE: runs (debian_version $release)"
}

# --- registry:2 stand-in ----------------------------------------------------------------------

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

step_base_image() { ensure_image "$BASE_IMAGE" build_base_standin verify_base_image; }

step_registry_image() {
  docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || die "$BASE_IMAGE is missing"
  ensure_image "$REGISTRY_IMAGE" build_registry_standin verify_registry_image
}

# ---------------------------------------------------------------------------------------------
# Docker static tarball stand-in

package_version() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null; }

ensure_engine_packages() {
  local entry path missing=()
  for entry in "${TARBALL_ENTRIES[@]}"; do
    path="${entry#*=}"
    [ -e "$path" ] || missing+=("$path")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "tarball: Debian engine binaries present (docker.io $(package_version docker.io))"
    return 0
  fi
  log "tarball: missing ${missing[*]}; installing Debian's ${ENGINE_PACKAGES[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${ENGINE_PACKAGES[@]}" >/dev/null
  for entry in "${TARBALL_ENTRIES[@]}"; do
    [ -e "${entry#*=}" ] || die "tarball: ${entry#*=} still missing after installing ${ENGINE_PACKAGES[*]}"
  done
}

# The upstream version of Debian's docker.io: 20.10.24+dfsg1-1+deb12u1+b6 -> 20.10.24.
detect_docker_version() {
  local deb_version version reported
  deb_version="$(package_version docker.io)" || die "docker.io is not installed"
  version="${deb_version#*:}"
  version="${version%%[+~-]*}"
  reported="$(/usr/sbin/dockerd --version)"
  case "$reported" in
    *"version $version"*) ;;
    *) die "dockerd --version says '$reported', which does not contain 'version $version'" ;;
  esac
  DOCKER_VERSION="$version"
  log "tarball: docker.io $deb_version -> version $version (dockerd: $reported)"
}

# download.docker.com's architecture folder for this machine.
detect_static_arch() {
  local deb_arch
  deb_arch="$(dpkg --print-architecture)"
  case "$deb_arch" in
    amd64) STATIC_ARCH=x86_64 ;;
    arm64) STATIC_ARCH=aarch64 ;;
    armhf) STATIC_ARCH=armhf ;;
    armel) STATIC_ARCH=armel ;;
    ppc64el) STATIC_ARCH=ppc64le ;;
    s390x) STATIC_ARCH=s390x ;;
    *) die "no download.docker.com architecture for Debian architecture $deb_arch" ;;
  esac
}

# One line per source package and version: a tarball is reused only if these still match.
engine_provenance() {
  local pkg
  for pkg in "${ENGINE_PACKAGES[@]}"; do
    printf '%s %s\n' "$pkg" "$(package_version "$pkg")"
  done
}

tarball_reusable() {
  local recorded actual
  [ -f "$TARBALL" ] || { log "tarball: $TARBALL does not exist"; return 1; }
  [ -f "$TARBALL.sha256" ] || { log "tarball: no recorded sha256 ($TARBALL.sha256)"; return 1; }
  recorded="$(cut -d' ' -f1 "$TARBALL.sha256")"
  actual="$(sha256sum "$TARBALL" | cut -d' ' -f1)"
  if [ "$recorded" != "$actual" ]; then
    log "tarball: sha256 $actual differs from the recorded $recorded"
    return 1
  fi
  if [ "$(cat "$TARBALL.provenance" 2>/dev/null || true)" != "$(engine_provenance)" ]; then
    log "tarball: Debian package versions changed since it was packed"
    return 1
  fi
  TARBALL_SHA256="$actual"
  return 0
}

# Runs each packed binary's own version report, as the official dind image does.
self_check_binaries() {
  local dir="$1" name out
  for name in docker dockerd containerd ctr runc docker-init; do
    out="$("$dir/$name" --version 2>&1 | head -n 1)" || die "tarball: $name --version failed: $out"
    log "tarball: $name --version: $out"
  done
  out="$("$dir/containerd-shim-runc-v2" -v 2>&1 | sed -n 's/^ *Version: *//p')" || die "tarball: containerd-shim-runc-v2 -v failed"
  log "tarball: containerd-shim-runc-v2 -v: Version $out"
}

pack_tarball() {
  local work entry name path tmp
  make_tmp_dir tarball
  work="$NEW_TMP_DIR"
  mkdir -p "$work/docker" "$(dirname "$TARBALL")"
  chmod 0755 "$work/docker"
  for entry in "${TARBALL_ENTRIES[@]}"; do
    name="${entry%%=*}"
    path="${entry#*=}"
    cp -L "$path" "$work/docker/$name"
    chmod 0755 "$work/docker/$name"
  done
  self_check_binaries "$work/docker"
  tmp="$(mktemp "$(dirname "$TARBALL")/.docker-tgz.XXXXXX")"
  TMP_DIRS+=("$tmp")
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
    -C "$work" -c docker | gzip -n -6 >"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$TARBALL"
  TARBALL_SHA256="$(sha256sum "$TARBALL" | cut -d' ' -f1)"
  printf '%s  %s\n' "$TARBALL_SHA256" "$(basename "$TARBALL")" >"$TARBALL.sha256.tmp"
  mv -f "$TARBALL.sha256.tmp" "$TARBALL.sha256"
  engine_provenance >"$TARBALL.provenance.tmp"
  mv -f "$TARBALL.provenance.tmp" "$TARBALL.provenance"
  log "tarball: packed $TARBALL ($(du -h "$TARBALL" | cut -f1), sha256 $TARBALL_SHA256)"
  remove_tree "$work"
}

step_tarball() {
  ensure_engine_packages
  detect_docker_version
  detect_static_arch
  TARBALL="$STANDINS_DIR/$STATIC_ARCH/docker-$DOCKER_VERSION.tgz"
  if [ "$FORCE" = 1 ]; then
    log "tarball: STANDINS_FORCE=1, repacking $TARBALL"
  elif tarball_reusable; then
    log "tarball: reusing $TARBALL (sha256 $TARBALL_SHA256 matches the recorded one)"
    return 0
  fi
  pack_tarball
}

# ---------------------------------------------------------------------------------------------
# Debian packages the dynamically linked binaries need on top of the base image

# Prints the shared libraries (full paths) the tarball's binaries load.
shared_libraries() {
  local entry
  for entry in "${TARBALL_ENTRIES[@]}"; do
    # Static binaries (docker-init) make ldd fail: they need nothing.
    ldd "${entry#*=}" 2>/dev/null || true
  done | awk '$2 == "=>" && $3 ~ /^\// { print $3; next } $1 ~ /^\// { print $1 }' | sort -u
}

# Prints "library package" for each shared library, asking dpkg once for all of them.
# Bookworm's dpkg database has some libraries under /lib and others already under /usr/lib,
# while ldd reports /lib paths: every spelling of each path is looked up.
library_packages() {
  local libs=() candidates=() lib candidate line owner path found
  local -A owner_of=()
  mapfile -t libs < <(shared_libraries)
  for lib in "${libs[@]}"; do
    candidates+=("$lib" "$(readlink -f "$lib")" "${lib#/usr}" "/usr${lib#/usr}")
  done
  while read -r line; do
    owner="${line%%: *}"
    path="${line#*: }"
    owner="${owner%%,*}"
    owner_of["$path"]="${owner%%:*}"
  done < <(dpkg -S "${candidates[@]}" 2>/dev/null || true)
  for lib in "${libs[@]}"; do
    found=""
    for candidate in "$lib" "$(readlink -f "$lib")" "${lib#/usr}" "/usr${lib#/usr}"; do
      if [ -n "${owner_of[$candidate]:-}" ]; then
        found="${owner_of[$candidate]}"
        break
      fi
    done
    [ -n "$found" ] || die "extra packages: no Debian package owns $lib"
    printf '%s %s\n' "$lib" "$found"
  done
}

step_extra_packages() {
  local pkg pairs needed=() installed
  # Not in a process substitution: a failure in library_packages must stop the script.
  pairs="$(library_packages)"
  mapfile -t needed < <(printf '%s\n' "$pairs" | cut -d' ' -f2 | sort -u)
  [ "${#needed[@]}" -gt 0 ] || die "extra packages: found no shared libraries at all"
  log "extra packages: libraries of the packed binaries come from: ${needed[*]}"
  installed="$(docker run --rm --network none "$BASE_IMAGE" \
    dpkg-query -W -f '${Package} ${db:Status-Status}\n' "${needed[@]}" 2>/dev/null || true)"
  EXTRA_PACKAGES=()
  for pkg in "${needed[@]}"; do
    if printf '%s\n' "$installed" | grep -qx "$pkg installed"; then
      continue
    fi
    EXTRA_PACKAGES+=("$pkg")
  done
  log "extra packages: not in $BASE_IMAGE, needed on a Debian base: ${EXTRA_PACKAGES[*]:-(none)}"
}

# ---------------------------------------------------------------------------------------------
# Metadata

write_metadata() {
  local tmp pkgs="" pkg sources="" line base_standin=false registry_standin=false
  for pkg in "${EXTRA_PACKAGES[@]}"; do
    pkgs+="${pkgs:+,}$(json_string "$pkg")"
  done
  while read -r line; do
    sources+="${sources:+,}$(json_string "${line%% *}"):$(json_string "${line#* }")"
  done < <(engine_provenance)
  is_standin "$BASE_IMAGE" && base_standin=true
  is_standin "$REGISTRY_IMAGE" && registry_standin=true
  tmp="$(mktemp "$STANDINS_DIR/.standins.json.XXXXXX")"
  TMP_DIRS+=("$tmp")
  {
    printf '{"dockerVersion":%s,"arch":%s,' "$(json_string "$DOCKER_VERSION")" "$(json_string "$STATIC_ARCH")"
    printf '"tarball":%s,"sha256":%s,' "$(json_string "$TARBALL")" "$(json_string "$TARBALL_SHA256")"
    printf '"mirrorDir":%s,"extraPackages":[%s],' "$(json_string "$STANDINS_DIR")" "$pkgs"
    printf '"baseImage":%s,"registryImage":%s,' "$(json_string "$BASE_IMAGE")" "$(json_string "$REGISTRY_IMAGE")"
    printf '"baseImageIsStandin":%s,"registryImageIsStandin":%s,' "$base_standin" "$registry_standin"
    printf '"debianSources":{%s}}\n' "$sources"
  } >"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$METADATA_FILE"
  log "metadata: wrote $METADATA_FILE (baseImageIsStandin=$base_standin, registryImageIsStandin=$registry_standin)"
}

# Removes images that a forced rebuild replaced, once nothing refers to them any more.
prune_replaced_images() {
  local id i
  for ((i = ${#OLD_IMAGE_IDS[@]} - 1; i >= 0; i--)); do
    id="${OLD_IMAGE_IDS[$i]}"
    if [ "$id" = "$(image_id "$BASE_IMAGE" || true)" ] || [ "$id" = "$(image_id "$REGISTRY_IMAGE" || true)" ]; then
      continue
    fi
    if docker image rm "$id" >/dev/null 2>&1; then
      log "removed replaced image $id"
    else
      log "kept replaced image $id (still in use)"
    fi
  done
}

main() {
  local start
  start="$(now)"
  log "cache $STANDINS_DIR, Debian mirror $DEBIAN_MIRROR, force=$FORCE"
  check_engine
  take_lock
  run_step base-image step_base_image
  run_step registry-image step_registry_image
  run_step tarball step_tarball
  run_step extra-packages step_extra_packages
  run_step metadata write_metadata
  prune_replaced_images
  log "images: $(docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' "$BASE_IMAGE" | tr '\n' ' ')$(docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' "$REGISTRY_IMAGE")"
  log "timings: ${STEP_TIMES[*]} total=$(seconds_since "$start")s"
}

main "$@"
