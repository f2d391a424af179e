# ALU/branch loop for emulator speed figures. Every hart runs ITERATIONS rounds of integer arithmetic
# and branches with no memory traffic; hart 0 then ends the run: HTIF tohost (our emulator) and the
# sifive_test finisher at 0x100000 (QEMU virt). 11 instructions per round.
    .equ ITERATIONS, 30000000
#include "finish.h"
    .section .text.start
    .globl _start
_start:
    csrr a0, mhartid
    li t0, 0
    li t1, 1
    li t2, 3
    li a1, ITERATIONS
1:  add t0, t0, t1
    xor t3, t0, t2
    slli t4, t3, 3
    sub t5, t4, t0
    andi t6, t5, 0xff
    addi t1, t1, 1
    bltu t6, t2, 2f
    or t0, t0, t6
2:  srli t0, t0, 1
    addi a1, a1, -1
    bnez a1, 1b
    BENCH_FINISH
