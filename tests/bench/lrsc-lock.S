# LR/SC lock loop: ROUNDS times take a test-and-set lock built from lr.w/sc.w, bump a counter,
# release the lock with a store; then hart 0 ends the run. One hart: the uncontended lock path.
    .equ ROUNDS, 20000000
#include "finish.h"
    .section .text.start
    .globl _start
_start:
    csrr a0, mhartid
    la s0, lock
    li s2, ROUNDS
    li t1, 1
1:  lr.w t2, (s0)
    bnez t2, 1b
    sc.w t3, t1, (s0)
    bnez t3, 1b
    ld t4, 8(s0)
    addi t4, t4, 1
    sd t4, 8(s0)
    fence rw, w
    sw zero, 0(s0)
    addi s2, s2, -1
    bnez s2, 1b
    BENCH_FINISH
    .align 6
lock: .dword 0, 0
