#!/usr/bin/env bash
# The Robot Framework suites of tests/robot (tests.yaml), run by our own runner (`emu test`), two suites
# at a time. JUnit XML goes to artifacts/test-results/robot.
# The runner prints `N passed, N failed`. A failure is a failure: each suite runs exactly once.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
"$root/scripts/build-emu" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
exec "$root/artifacts/emu/emu" test -t tests/robot/tests.yaml -j 2 -r "$root/artifacts/test-results/robot"
