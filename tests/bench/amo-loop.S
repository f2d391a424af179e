# AMO loop: every hart adds to one shared counter with amoadd.d ROUNDS times; hart 0 then ends the run.
    .equ ROUNDS, 20000000
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
    bnez a0, 3f
    la t0, tohost
    li t1, 1
    sd t1, 0(t0)
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
3:  wfi
    j 3b
    .section .data
    .align 6
    .globl tohost
tohost: .dword 0
    .align 6
counter: .dword 0
