# Load/store loop: each hart walks its own 64 KiB buffer reading and writing doublewords,
# ROUNDS times; hart 0 then ends the run (HTIF and finisher). 6 instructions per element.
    .equ ROUNDS, 600
#include "finish.h"
    .section .text.start
    .globl _start
_start:
    csrr a0, mhartid
    la s0, buffer
    slli a1, a0, 16
    add s0, s0, a1
    li s2, ROUNDS
1:  mv t0, s0
    li t1, 8192
2:  ld t2, 0(t0)
    addi t2, t2, 1
    sd t2, 0(t0)
    addi t0, t0, 8
    addi t1, t1, -1
    bnez t1, 2b
    addi s2, s2, -1
    bnez s2, 1b
    BENCH_FINISH
    .section .bss
    .align 12
buffer: .space 65536 * 16
