#!/usr/bin/env bash
# The project's tests after the type check (npm test): the unit project and the engine projects
# side by side. The unit tests are CPU work on Pulumi mocks and need no engine; the engine suites
# mostly wait on the Docker engine (image builds, daemons starting), so both at once shorten the
# run on a 2-core machine. The engine suites run one after another (they share the engine and
# the stacks' host ports). The unit project's output is printed after the engine's, then each
# engine suite's wall time, slowest first. Exits non-zero when either run failed.
set -eu
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "[test] unit project in the background, one worker (its output follows the engine's); engine projects one suite at a time" >&2
npx jest --selectProjects unit --maxWorkers=1 >"$work/unit.log" 2>&1 &
unit_pid=$!

engine_status=0
npx jest --runInBand --selectProjects engine engine-trixie --json --outputFile="$work/engine.json" || engine_status=$?

unit_status=0
wait "$unit_pid" || unit_status=$?
echo "[test] unit project output:" >&2
cat "$work/unit.log"

if [ -f "$work/engine.json" ]; then
  echo "[test] engine suites by wall time:" >&2
  node scripts/suite-times.cjs "$work/engine.json"
fi
echo "[test] engine projects exit $engine_status, unit project exit $unit_status" >&2
[ "$engine_status" -eq 0 ] && [ "$unit_status" -eq 0 ]
