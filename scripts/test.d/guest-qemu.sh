#!/usr/bin/env bash
# The guest kernel's `test all` on QEMU virt with 1, 2, 4 and 8 harts (truly parallel harts find races).
# Each hart count is one test; prints the TEST lines of failures and a last line `N passed, N failed`.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
passed=0; failed=0
for n in 1 2 4 8; do
    log="$root/artifacts/test-results/guest-qemu-$n.log"
    if bash guest/tests/qemu-test.sh "$n" > "$log" 2>&1; then
        echo "PASS guest on QEMU, $n harts: $(grep -m1 '^TESTS:' "$log")"
        passed=$((passed + 1))
    else
        echo "FAIL guest on QEMU, $n harts (log: $log)"
        grep -E '^TEST .*FAIL|^TESTS:|panic' "$log" | head -n 20
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
