/*
 * The initramfs's /init for the Linux benchmark (scripts/linux-build, scripts/bench): prints a marker when
 * user space starts, runs a fixed user-space loop, prints a second marker and powers off. No libc: Debian's
 * riscv64 glibc is built for the D extension, and this kernel runs on rv64imac without an FPU.
 */
#define SYS_write 64
#define SYS_reboot 142
#define LINUX_REBOOT_MAGIC1 0xfee1deadUL
#define LINUX_REBOOT_MAGIC2 672274793UL
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcUL
/* Iterations of the user-space loop: 5 instructions each, so 300 million instructions in all. */
#define LOOP_ITERATIONS 60000000UL

static long syscall3(long number, long a0, long a1, long a2)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a7 __asm__("a7") = number;
    __asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
    return r_a0;
}

static void say(const char *text)
{
    unsigned long length = 0;
    while (text[length] != '\0')
        length++;
    syscall3(SYS_write, 1, (long)text, (long)length);
}

void _start(void)
{
    say("EMU-LINUX: init started\n");
    /* The loop lives in asm so the instruction count does not depend on the compiler's choices. */
    unsigned long counter = LOOP_ITERATIONS, sum = 0;
    __asm__ volatile(
        "1: add %1, %1, %0\n"
        "   xori %1, %1, 0x55\n"
        "   slli %1, %1, 1\n"
        "   addi %0, %0, -1\n"
        "   bnez %0, 1b\n"
        : "+r"(counter), "+r"(sum));
    (void)sum;
    say("EMU-LINUX: loop done\n");
    syscall3(SYS_reboot, (long)LINUX_REBOOT_MAGIC1, (long)LINUX_REBOOT_MAGIC2, (long)LINUX_REBOOT_CMD_POWER_OFF);
    for (;;)
        ;
}
