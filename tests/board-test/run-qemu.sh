#!/usr/bin/env bash
# Runs the board test on QEMU virt with N harts (default 4), feeding one character ('x') to the UART.
# The output should match our board's (see tests/Emulator.Tests/Peripherals/BoardTestProgramTests.cs).
# Exit status is the guest's (the finisher's code); 124 if QEMU did not finish in time.
set -euo pipefail
cd "$(dirname "$0")"
harts="${1:-4}"
make -s
# The character goes in after a short pause; the feeder keeps stdin open until QEMU is done, and is
# kept off our stdout/stderr so whoever reads this script's output sees EOF when QEMU exits.
exec 3< <(exec 2>/dev/null; sleep 0.5; printf 'x'; exec sleep 30)
feeder=$!
status=0
timeout 20 qemu-system-riscv64 -M virt -smp "$harts" -m 128M -bios none \
    -nographic -monitor none -serial stdio -kernel build/board-test.elf <&3 || status=$?
kill "$feeder" 2>/dev/null || true
exit "$status"
