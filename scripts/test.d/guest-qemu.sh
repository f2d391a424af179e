#!/usr/bin/env bash
# The guest kernel's `test all` on QEMU virt with 1, 2, 4 and 8 harts (truly parallel harts find races),
# for the normal and the INVARIANTS build.
# Each hart count is one test; prints the TEST lines of failures and a last line `N passed, N failed`.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
passed=0; failed=0
make -s -C guest INVARIANTS=1 >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
for build in build build-inv; do
    for n in 1 2 4 8; do
        log="$root/artifacts/test-results/guest-qemu-$build-$n.log"
        if ELF="guest/$build/lwkt.elf" bash guest/tests/qemu-test.sh "$n" </dev/null > "$log" 2>&1; then
            echo "PASS guest ($build) on QEMU, $n harts: $(grep -m1 '^TESTS:' "$log")"
            passed=$((passed + 1))
        else
            echo "FAIL guest ($build) on QEMU, $n harts (log: $log)"
            grep -E '^TEST .*FAIL|^TESTS:|panic' "$log" | head -n 20
            failed=$((failed + 1))
        fi
    done
done
echo "$passed passed, $failed failed"
