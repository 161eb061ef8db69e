#!/usr/bin/env bash
# CI step after `npm test`: the readiness benchmark (bench/readiness.ts) in its quick form (the
# floor, TLS on and the client, 2 repetitions) on both stand-in engines, bookworm's docker
# 20.10.24 and trixie's 26.1.5, so a start-up that got slower shows in every CI log. The results
# go to .dind-stack/bench-results (DIND_STACK_BENCH_RESULTS); the committed figures in
# bench/results stay as they are. Needs what `npm test` needs (scripts/build-standins.sh).
set -eu
cd "$(dirname "$0")/../.."

for engine in bookworm trixie; do
  started=$(date +%s)
  echo "[ci] readiness benchmark (quick, 2 repetitions) on the $engine stand-in engine" >&2
  DIND_STACK_STANDIN="$engine" DIND_STACK_BENCH_RESULTS="${DIND_STACK_BENCH_RESULTS:-.dind-stack/bench-results}" \
    npx ts-node --transpile-only bench/readiness.ts --quick --reps 2
  echo "[ci] readiness benchmark on $engine took $(( $(date +%s) - started )) s" >&2
done
