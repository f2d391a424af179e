# IPI ping-pong through the CLINT: hart 0 rings hart 1's msip and waits; hart 1 wakes, clears its
# msip and rings hart 0 back. ROUNDS round trips, then hart 0 ends the run. WFI wakes on MSIP enabled
# in mie while mstatus.MIE stays clear, so no trap handler is involved. Needs the CLINT of the board
# (ours: platform/boards/board-2.repl; QEMU: -M virt -smp 2).
    .equ ROUNDS, 2000000
    .equ CLINT, 0x2000000
#include "finish.h"
    .section .text.start
    .globl _start
_start:
    csrr a0, mhartid
    li t0, 8
    csrw mie, t0
    li s0, CLINT
    li s2, ROUNDS
    li t1, 1
    beqz a0, ping
    bne a0, t1, idle
pong:
1:  wfi
    csrr t2, mip
    andi t2, t2, 8
    beqz t2, 1b
    sw zero, 4(s0)
    sw t1, 0(s0)
    j 1b
ping:
2:  sw t1, 4(s0)
3:  wfi
    csrr t2, mip
    andi t2, t2, 8
    beqz t2, 3b
    sw zero, 0(s0)
    addi s2, s2, -1
    bnez s2, 2b
    BENCH_FINISH
idle:
    wfi
    j idle
