# Start-up probe: hart 0 ends the run at its first instructions, so a run's wall time is the
# emulator's (or QEMU's) own start-up and tear-down.
#include "finish.h"
    .section .text.start
    .globl _start
_start:
    csrr a0, mhartid
    BENCH_FINISH
