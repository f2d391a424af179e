#!/usr/bin/env bash
# Race hunting in CI (docs/exploration.md): the guest's token, IPI and SLAB tests (INVARIANTS build, 4 harts)
# under fine-grained schedules (PCT, random preemption) and the RVWMO memory model, one test per seed, through
# scripts/explore. Sized for about two minutes of wall time on an idle 2-core machine (200 runs of 1.3-1.8 s CPU, two at a time); the
# longer sweep is `scripts/explore` itself. A failure prints its seed and the command that replays it.
# Seeds listed in SKIP fail because of known, open guest defects (README, "Exploring races"); they are left
# out until the guest fix lands, so this script keeps checking everything else. None is open now (seed 119,
# token_deadlock under pct:3:2000000 + RVWMO, deadlocked until the token release's request withdrawal).
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
SKIP=""
exec "$root/scripts/explore" --seeds 1-200 --jobs 2 --skip "$SKIP"
