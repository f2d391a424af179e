#!/usr/bin/env bash
# The Robot Framework suites of tests/robot (tests.yaml), run by our own runner (`emu test`), two suites
# at a time. JUnit XML goes to artifacts/test-results/robot. The runner prints `N passed, N failed`.
#
# Known flake (README, Status): rarely, input typed at the guest's prompt is not echoed (the guest's UART
# interrupt thread appears to miss a wake-up), and a wait for the echo times out. When the first run has
# failures, the whole list runs once more and that result counts; the first run's failures are printed
# as FLAKY so they stay visible.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
dotnet build platform/Cli/Emulator.Cli.csproj -c Release -o "$root/artifacts/emu" -nologo -v q >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
results="$root/artifacts/test-results/robot"
first=$("$root/artifacts/emu/emu" test -t tests/robot/tests.yaml -j 2 -r "$results" 2>&1)
rc=$?
if [ $rc -eq 0 ]; then
    echo "$first"
    exit 0
fi
echo "$first" | grep -E '^FAIL' -A4 | sed 's/^/FLAKY (first run) /'
echo "Robot suites: failures in the first run; running the list once more"
exec "$root/artifacts/emu/emu" test -t tests/robot/tests.yaml -j 2 -r "$results-rerun"
