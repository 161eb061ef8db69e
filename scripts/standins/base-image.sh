#!/usr/bin/env bash
# Step of scripts/build-standins.sh. Its one job: make image debian:<release>-slim available, for
# the release STANDINS_SUITE names (bookworm, the default, or trixie).
# Reuses it if present, else pulls it, else builds a stand-in: debootstrap --variant=minbase
# <release> from DEBIAN_MIRROR, trimmed like the real slim image, imported with `docker import`
# and labelled org.dind-stack.standin=debootstrap-<release>-minbase. Needs root and debootstrap.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly BASE_LABEL="debootstrap-$DEBIAN_SUITE-minbase"

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
      --message "dind-stack stand-in: debootstrap --variant=minbase $DEBIAN_SUITE, trimmed like $DEBIAN_SUITE-slim" \
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

step_begin
ensure_image "$BASE_IMAGE" build_base_standin verify_base_image
step_end
