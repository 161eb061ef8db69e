#!/bin/sh
# Usage: checkout-default-branch.sh BRANCH DIR
# Puts the files of BRANCH's newest commit on the remote `origin` into DIR (emptied first), without
# touching the job's own checkout: the policy pack that judges a merge request is then the default
# branch's, whatever the merge request changed. Logs the commit it took.
set -eu
branch="$1"
dir="$2"
if [ -z "$branch" ]; then
	echo "[ci] no branch given: pass the default branch (\$CI_DEFAULT_BRANCH)" >&2
	exit 2
fi
git fetch --quiet --depth 1 origin "refs/heads/$branch"
commit="$(git rev-parse FETCH_HEAD)"
rm -rf "$dir"
mkdir -p "$dir"
git archive --format=tar "$commit" | tar -x -C "$dir"
echo "[ci] $dir holds $branch at $commit (from origin)" >&2
