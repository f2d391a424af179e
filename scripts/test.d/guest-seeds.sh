#!/usr/bin/env bash
# The token, IPI-queue and SLAB tests of the guest's INVARIANTS build under interleaving seeds
# (`emu run --seed N`): each seed shuffles the harts' order and slice lengths, so the same tests meet
# other interleavings, reproducibly. 20 seeds on 4 harts, 40 seeds on 8 harts (two runs at a time),
# and named regressions with `test all`: seed 127 on 8 harts (a token request sent to the requester's
# own cpu parked its own ref and hung the hart), and `test ipiq_spacewait` under PCT (`--schedule pct:3:2000000`)
# with seeds 1, 3 and 4 on 4 harts (a sender waiting for ring space halted for good when the target's pass
# ended short; 6 of seeds 1-12 found it), and `test msgport_null` twice under PCT and RVWMO with seed 5 (the
# reply-only port's count was read stale after DONE: the test lacked its fences), and `test token_deadlock` under
# PCT and RVWMO with seeds 123 and 7 (a release waited for a request parked behind a token kept for an older
# waiter: 123 deadlocks with the old release wait, 7 when withdrawn requests stay parked; guest builds with
# EXTRA_CFLAGS=-DTOKEN_TEST_RELEASE_WAIT=2 or =1, README "Exploring races"), and `test token_preempt_window` with seed 1
# on 4 harts (a thread resumed from a preemption had its running-holder shadow recomputed from a tokref list
# half way through a change: `thread resumed without its token`). Each run is one test; a failure names the seed to
# replay: emu run guest/build-inv/lwkt.elf --board platform/boards/board-N.repl --seed S --uart-input ...
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
emu="$root/artifacts/emu/emu"
elf="${GUEST_ELF:-guest/build-inv/lwkt.elf}"
"$root/scripts/build-emu" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
make -s -C guest INVARIANTS=1 >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
subset='test token_exclusion\ntest token_handover\ntest token_blocking\ntest token_deadlock\ntest token_dependency\ntest token_recursion\ntest ipiq_pairs\ntest ipiq_flood\ntest slab_remote_free\ntest slab_stress\ntest objs\npoweroff\n'
all='test all\npoweroff\n'
results="$root/artifacts/test-results"
mkdir -p "$results"

# one_run HARTS SEED INPUT-NAME EXPECTED-SUMMARIES: prints PASS/FAIL lines for one seed
one_run() {
    local harts=$1 seed=$2 which=$3 want=$4 input log rc fails runs
    if [ "$which" = all ]; then input="$all"; else input="$subset"; fi
    local schedule=slices model=sc tests t
    case "$which" in
        # SCHEDULE/MODEL/TEST[+TEST...]: the named tests, in that order, under that schedule and memory model
        */*/*)
            IFS=/ read -r schedule model tests <<< "$which"
            input=""
            for t in ${tests//+/ }; do input="${input}test $t\n"; done
            input="${input}poweroff\n"
            which="${which//[:\/+]/-}" ;;
    esac
    log="$results/guest-seed-$harts-$seed-$which.log"
    timeout 300 "$emu" run "$elf" --board "platform/boards/board-$harts.repl" --seed "$seed" \
        --schedule "$schedule" --memory-model "$model" --uart-input "$input" --timeout 120 > "$log" 2>&1
    rc=$?
    fails=$(grep -cE '^TEST .*: FAIL|panic' "$log")
    runs=$(grep -cE '^TESTS: [0-9]+ passed, 0 failed' "$log")
    if [ $rc -eq 0 ] && [ "$fails" -eq 0 ] && [ "$runs" -eq "$want" ]; then
        echo "PASS seed $seed on $harts harts ($which)"
    else
        echo "FAIL seed $seed on $harts harts ($which) (exit $rc, log: $log)"
        grep -E '^TEST .*FAIL|panic|emu:' "$log" | head -n 10
    fi
}
export -f one_run
export emu elf subset all results

{
    echo "8 127 all 1"
    for seed in 1 3 4; do echo "4 $seed pct:3:2000000/sc/ipiq_spacewait 1"; done
    echo "4 5 pct:3:2000000/rvwmo/msgport_null+msgport_null 2"
    for seed in 123 7; do echo "4 $seed pct:3:2000000/rvwmo/token_deadlock 1"; done
    echo "4 1 slices/sc/token_preempt_window 1"
    for seed in $(seq 1 20); do echo "4 $seed subset 11"; done
    for seed in $(seq 100 139); do echo "8 $seed subset 11"; done
} | xargs -P 2 -L 1 bash -c 'one_run "$@"' _ > "$results/guest-seeds.out"
grep -v '^PASS' "$results/guest-seeds.out"
passed=$(grep -c '^PASS' "$results/guest-seeds.out")
failed=$(grep -c '^FAIL' "$results/guest-seeds.out")
echo "guest INVARIANTS tests under seeds: 20 on 4 harts, 40 on 8 harts, seed 127 on 8 harts (test all), ipiq_spacewait under PCT (seeds 1, 3, 4), msgport_null under PCT and RVWMO (seed 5), token_deadlock under PCT and RVWMO (seeds 123, 7), token_preempt_window (seed 1)"
echo "$passed passed, $failed failed"
