#!/usr/bin/env bash
# The token, IPI-queue and SLAB tests of the guest's INVARIANTS build on our 4-hart board under 20
# interleaving seeds (`emu run --seed N`): each seed shuffles the harts' order and slice lengths, so
# the same tests meet other interleavings, reproducibly. Each seed is one test; a failure names the
# seed to replay: emu run guest/build-inv/lwkt.elf --board platform/boards/board-4.repl --seed N ...
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
emu="$root/artifacts/emu/emu"
dotnet build platform/Cli/Emulator.Cli.csproj -c Release -o "$root/artifacts/emu" -nologo -v q >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
make -s -C guest INVARIANTS=1 >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
input='test token_exclusion\ntest token_handover\ntest token_blocking\ntest token_deadlock\ntest token_dependency\ntest token_recursion\ntest ipiq_pairs\ntest ipiq_flood\ntest slab_remote_free\ntest slab_stress\ntest objs\npoweroff\n'
passed=0; failed=0
for seed in $(seq 1 20); do
    log="$root/artifacts/test-results/guest-seed-$seed.log"
    timeout 300 "$emu" run guest/build-inv/lwkt.elf --board platform/boards/board-4.repl --seed "$seed" \
        --uart-input "$input" --timeout 120 > "$log" 2>&1
    rc=$?
    fails=$(grep -cE '^TEST .*: FAIL|panic' "$log")
    runs=$(grep -cE '^TESTS: [0-9]+ passed, 0 failed' "$log")
    if [ $rc -eq 0 ] && [ "$fails" -eq 0 ] && [ "$runs" -eq 11 ]; then
        passed=$((passed + 1))
    else
        echo "FAIL seed $seed (exit $rc, log: $log)"
        grep -E '^TEST .*FAIL|panic|emu:' "$log" | head -n 10
        failed=$((failed + 1))
    fi
done
echo "guest INVARIANTS tests under 20 seeds on 4 harts"
echo "$passed passed, $failed failed"
