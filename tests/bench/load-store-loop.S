# Load/store loop: each hart walks its own 64 KiB buffer reading and writing doublewords,
# ROUNDS times; hart 0 then ends the run (HTIF and finisher). 6 instructions per element.
    .equ ROUNDS, 600
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
    .align 3
    .globl tohost
tohost: .dword 0
    .section .bss
    .align 12
buffer: .space 65536 * 16
