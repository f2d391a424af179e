#!/usr/bin/env bash
# The guest kernel's `test all` (normal and INVARIANTS builds) on our own boards (1, 2, 4 and 8 harts), driven through the UART with
# `emu run --uart-input`, each run bounded in virtual time. Each hart count is one test.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
emu="$root/artifacts/emu/emu"
"$root/scripts/build-emu" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
make -s -C guest INVARIANTS=1 >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
passed=0; failed=0
for build in build build-inv; do
    for n in 1 2 4 8; do
        log="$root/artifacts/test-results/guest-emu-$build-$n.log"
        timeout 600 "$emu" run "guest/$build/lwkt.elf" --board "platform/boards/board-$n.repl" \
            --uart-input 'test all\npoweroff\n' --timeout 120 > "$log" 2>&1
        rc=$?
        if [ $rc -eq 0 ] && grep -qE '^TESTS: [0-9]+ passed, 0 failed' "$log"; then
            echo "PASS guest ($build) on our board, $n harts: $(grep -m1 '^TESTS:' "$log")"
            passed=$((passed + 1))
        else
            echo "FAIL guest ($build) on our board, $n harts (exit $rc, log: $log)"
            grep -E '^TEST .*FAIL|^TESTS:|panic|emu:' "$log" | head -n 20
            failed=$((failed + 1))
        fi
    done
done
echo "$passed passed, $failed failed"
