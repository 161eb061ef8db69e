#!/usr/bin/env bash
# run-all.sh: every benchmark, one after the other (npm run bench). Each one that uses the Docker
# engine takes the shared engine lock only while it runs (dev-first-up too, which runs under jest
# like the program evaluation, which needs no engine). Each prints its table and writes
# bench/results/<name>.json. The image size, readiness and build cache are measured on both
# stand-in engines (bookworm's docker 20.10.24, trixie's 26.1.5; the trixie results are
# <name>-trixie.json).
set -eu
cd "$(dirname "$0")/.."
lock=${DIND_STACK_ENGINE_LOCK:-/tmp/dind-stack-engine.lock}

for bench in image-size readiness warm-rebuild registry-transfer build-cache; do
  echo "[bench] $bench: waiting for the engine lock ($lock)" >&2
  flock "$lock" npx ts-node --transpile-only "bench/$bench.ts"
done
for bench in image-size readiness build-cache; do
  echo "[bench] $bench on the trixie stand-in engine: waiting for the engine lock ($lock)" >&2
  DIND_STACK_STANDIN=trixie flock "$lock" npx ts-node --transpile-only "bench/$bench.ts"
done
echo "[bench] dev-first-up: waiting for the engine lock ($lock)" >&2
flock "$lock" npx jest --config bench/jest.config.js bench/dev-first-up.bench.ts
echo "[bench] program-evaluation (no engine)" >&2
npx jest --config bench/jest.config.js bench/program-evaluation.bench.ts
