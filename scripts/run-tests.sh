#!/usr/bin/env bash
# The project's tests after the type check (npm test), in two lanes side by side:
#   lane 1: the engine suites of the Docker stacks, one after another (they share the stacks'
#           host ports, e.g. the ci stack's registry on 127.0.0.1:5001);
#   lane 2: the Kubernetes engine suites (their pods publish no host port; the cluster network
#           gets a subnet of its own) and the mode switches (on host ports no other suite
#           publishes: a port shared across the lanes fails one of them with "port is already
#           allocated"), then
#           the unit project on one worker. The split evens out the lanes' wall times, which
#           the run prints at the end.
# The engine suites mostly wait on the Docker engine (image builds, daemons starting, stop
# timeouts), so two lanes shorten the run on a 2-core machine. Each lane's output is printed
# when both are done, then each engine file's wall time, slowest first. Exits non-zero when
# any run failed.
set -eu
cd "$(dirname "$0")/.."

readonly LANE2_SUITES='test/engine/(lifecycle-prod|kubernetes-prod|kubernetes-real|lifecycle-modes)\.test\.ts'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

lane2() {
  local status=0
  DIND_STACK_FIGURES="$PWD/.dind-stack/test-figures-lane2.jsonl" \
    npx jest --runInBand --selectProjects engine --json --outputFile="$work/lane2.json" "$LANE2_SUITES" || status=$?
  npx jest --selectProjects unit --maxWorkers=1 || status=$?
  return "$status"
}

echo "[test] lane 1: the Docker stacks' engine suites; lane 2 (output after lane 1's): the Kubernetes and mode-switch engine suites, then the unit project" >&2
lane2 >"$work/lane2.log" 2>&1 &
lane2_pid=$!

lane1_status=0
npx jest --runInBand --selectProjects engine engine-trixie --testPathIgnorePatterns "$LANE2_SUITES" --json --outputFile="$work/lane1.json" || lane1_status=$?

lane2_status=0
wait "$lane2_pid" || lane2_status=$?
echo "[test] lane 2 output:" >&2
cat "$work/lane2.log"

echo "[test] engine suites by wall time:" >&2
node scripts/suite-times.cjs "$work"/lane1.json "$work"/lane2.json
echo "[test] lane 1 exit $lane1_status, lane 2 exit $lane2_status" >&2
[ "$lane1_status" -eq 0 ] && [ "$lane2_status" -eq 0 ]
