# Load/store loop: walks a 64 KiB buffer reading and writing doublewords.
    .section .text.start
    .globl _start
_start:
    csrr a0, mhartid
    la s0, buffer
    slli a1, a0, 16
    add s0, s0, a1
    li s1, 8192
1:  mv t0, s0
    mv t1, s1
2:  ld t2, 0(t0)
    addi t2, t2, 1
    sd t2, 0(t0)
    addi t0, t0, 8
    addi t1, t1, -1
    bnez t1, 2b
    j 1b
    .section .bss
    .align 12
buffer: .space 65536 * 16
