# AMO loop: every hart adds to a shared counter with amoadd.d.
    .section .text.start
    .globl _start
_start:
    la s0, counter
    li t1, 1
1:  amoadd.d zero, t1, (s0)
    j 1b
    .section .data
    .align 3
counter: .dword 0
