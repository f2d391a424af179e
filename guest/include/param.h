#ifndef _PARAM_H_
#define _PARAM_H_

#define MAXCPU          16          /* compile-time maximum number of harts */
#define PAGE_SIZE       4096UL
#define PAGE_SHIFT      12
#define KSTACK_PAGES    4           /* thread block: struct thread + stack */
#define KSTACK_SIZE     (KSTACK_PAGES * PAGE_SIZE)
#define BOOT_STACK_SIZE 16384       /* per-hart boot (= idle thread) stack */

#define RAM_BASE        0x80000000UL
#define RAM_SIZE        (128UL * 1024 * 1024)
#define RAM_END         (RAM_BASE + RAM_SIZE)

#define HZ              100         /* periodic tick */
#define TIMER_FREQ      10000000UL  /* CLINT mtime frequency */
#define TICK_MTIME      (TIMER_FREQ / HZ)

/* Board addresses (QEMU virt map). */
#define FINISHER_BASE   0x00100000UL
#define CLINT_BASE      0x02000000UL
#define CLINT_MSIP(h)   (CLINT_BASE + 4UL * (h))
#define CLINT_MTIMECMP(h) (CLINT_BASE + 0x4000UL + 8UL * (h))
#define CLINT_MTIME     (CLINT_BASE + 0xBFF8UL)
#define PLIC_BASE       0x0C000000UL
#define UART0_BASE      0x10000000UL
#define UART0_IRQ       10

#define FINISHER_PASS   0x5555
#define FINISHER_FAIL   0x3333

/* errno values used by the kernel */
#define EWOULDBLOCK     35
#define EAGAIN          35
#define ENOMEM          12
#define EINVAL          22
#define ENOENT          2
#define EINTR           4
#define EEXIST          17
#define EASYNC          0x7fff      /* message queued; reply comes later */
#define ETIMEDOUT       60

#endif
