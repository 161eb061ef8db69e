#!/bin/sh
# Runs in a throw-away container of the registry image, with the registry's volume at
# /var/lib/registry and an archive of a registry's storage on stdin: restores it once. A volume
# that already holds registry data is left as it is (nothing in it is overwritten). The archive
# is extracted aside and moved into place only when complete, so a broken archive leaves the
# volume as it was.
set -eu

root=/var/lib/registry
staging="$root/.dind-stack-restore"

if [ -e "$root/docker" ]; then
  echo "[restore] the volume already holds registry data; the archive is not restored" >&2
  cat >/dev/null
  exit 0
fi
rm -rf "$staging"
mkdir -p "$staging"
if ! tar -xf - -C "$staging"; then
  rm -rf "$staging"
  echo "[restore] the archive could not be extracted; the volume is left as it was" >&2
  exit 1
fi
if [ ! -d "$staging/docker/registry/v2" ]; then
  rm -rf "$staging"
  echo "[restore] the archive holds no docker/registry/v2/ at its top; the volume is left as it was" >&2
  exit 1
fi
mv "$staging/docker" "$root/docker"
rm -rf "$staging"
repositories="$(find "$root/docker/registry/v2/repositories" -type d -name _manifests 2>/dev/null | wc -l)"
echo "[restore] restored the registry's storage: ${repositories} repositories" >&2
