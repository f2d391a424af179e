/*
 * Entry for every hart. The boot code (QEMU virt with -bios none, or our BootSetup) starts all harts here
 * with a0 = mhartid and a1 = address of the device tree. Each hart takes a 4 KiB stack below stacks_top.
 * RAM starts zeroed on both machines, so .bss needs no clearing (and no hart could do it safely before
 * the others touch it).
 */
    .section .text.start, "ax"
    .globl _start
_start:
    csrr    t0, mhartid
    li      t1, 16
    bgeu    t0, t1, park
    la      sp, stacks_top
    slli    t2, t0, 12
    sub     sp, sp, t2
    call    main
park:
    wfi
    j       park
