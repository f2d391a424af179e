# Branchy loop for emulator speed figures: 14 instructions, one `mul`, and an if/else whose data-dependent
# `beqz` picks one of two 2-instruction arms (the first ends with a `j` over the second), the shape of
# compiled C loops. Every hart runs ITERATIONS rounds; hart 0 then ends the run (finish.h).
    .equ ITERATIONS, 20000000
#include "finish.h"
    .section .text.start
    .globl _start
_start:
    csrr a0, mhartid
    li t0, 1
    li t1, 3
    li t2, 5
    li a1, ITERATIONS
1:  mul t3, t0, t1
    addi t0, t0, 7
    xor t4, t3, t2
    andi t5, t4, 16
    beqz t5, 2f
    addi t1, t1, 3
    xor t2, t2, t4
    j 3f
2:  addi t1, t1, 5
    sub t2, t2, t4
3:  srli t6, t3, 7
    add t0, t0, t6
    addi a1, a1, -1
    bnez a1, 1b
    BENCH_FINISH
