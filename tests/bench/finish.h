/*
 * End of a benchmark: hart 0 ends the run for both machines (HTIF tohost for our bare machine, the
 * sifive_test finisher at 0x100000 for QEMU virt); other harts sleep. Expects the hart id in a0.
 */
#define BENCH_FINISH            \
    bnez a0, 3f;                \
    la t0, tohost;              \
    li t1, 1;                   \
    sd t1, 0(t0);               \
    li t0, 0x100000;            \
    li t1, 0x5555;              \
    sw t1, 0(t0);               \
3:  wfi;                        \
    j 3b;                       \
    .section .data;             \
    .align 6;                   \
    .globl tohost;              \
tohost: .dword 0
