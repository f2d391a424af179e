#!/usr/bin/env bash
# A short run of tests/robot/stress/stress.robot: 40 lines typed at the shell (each echo and prompt awaited) on
# 1, 4 and 16 harts. The full 500-line version: scripts/emu test tests/robot/stress/stress.robot
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
"$root/scripts/build-emu" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
exec "$root/artifacts/emu/emu" test tests/robot/stress/stress.robot --variable LINES:40 -j 2 -r "$root/artifacts/test-results/robot-stress"
