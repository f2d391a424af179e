# ALU/branch loop for emulator speed figures: every hart spins on integer arithmetic and branches,
# no memory traffic, forever (the runner stops it with an instruction limit).
    .section .text.start
    .globl _start
_start:
    csrr a0, mhartid
    li t0, 0
    li t1, 1
    li t2, 3
1:  add t0, t0, t1
    xor t3, t0, t2
    slli t4, t3, 3
    sub t5, t4, t0
    andi t6, t5, 0xff
    addi t1, t1, 1
    bltu t6, t2, 2f
    or t0, t0, t6
2:  srli t0, t0, 1
    j 1b
