#!/usr/bin/env bash
# The litmus suite (tests/litmus) under RVWMO, 1,000 runs of each test (scripts/litmus runs 10,000): no
# forbidden outcome, and every allowed one this emulator can show is seen. One test per litmus test.
exec "$(cd "$(dirname "$0")/../.." && pwd)/scripts/litmus" --runs 1000
