#!/bin/sh
# Usage: KUBECONFIG_CONTENT=... write-kubeconfig.sh SECRET_NAME FILE
# Writes a kubeconfig held in a CI secret to FILE (mode 600) and prints `KUBECONFIG=FILE` (for
# $GITHUB_ENV). SECRET_NAME only names the secret in the error when it is empty. Never prints it.
set -eu
secret_name="$1"
file="$2"
if [ -z "${KUBECONFIG_CONTENT:-}" ]; then
	echo "[ci] $secret_name is empty: this stack targets Kubernetes; create the secret $secret_name with a kubeconfig for its cluster" >&2
	exit 1
fi
umask 077
printf '%s\n' "$KUBECONFIG_CONTENT" >"$file"
echo "[ci] kubeconfig from $secret_name written to $file" >&2
echo "KUBECONFIG=$file"
