# AMO loop: every hart adds to one shared counter with amoadd.d ROUNDS times; hart 0 then ends the run.
    .equ ROUNDS, 20000000
#include "finish.h"
    .section .text.start
    .globl _start
_start:
    csrr a0, mhartid
    la s0, counter
    li t1, 1
    li s2, ROUNDS
1:  amoadd.d zero, t1, (s0)
    addi s2, s2, -1
    bnez s2, 1b
    BENCH_FINISH
    .align 6
counter: .dword 0
