#!/bin/sh
# Usage: require-env.sh NAME...
# Fails, naming each one, when an environment variable a CI job needs is empty (a CI secret or
# variable that was never created arrives empty). Never prints a value.
set -eu
missing=0
for name in "$@"; do
	eval "value=\${$name:-}"
	if [ -z "$value" ]; then
		echo "[ci] $name is empty: create the CI secret or variable $name (see docs/ci.md)" >&2
		missing=1
	else
		echo "[ci] $name is set" >&2
	fi
done
exit "$missing"
