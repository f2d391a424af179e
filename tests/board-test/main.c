/*
 * Board smoke test for QEMU virt and our board.repl: every hart prints, takes a CLINT timer interrupt and
 * an IPI, hart 0 reads one UART character through the PLIC, and the run ends through the test finisher.
 * Harts take turns so the output is the same on every machine and every run.
 */
#include <stdint.h>

#define MAX_HARTS 16
#define UART_BASE 0x10000000UL
#define CLINT_BASE 0x02000000UL
#define PLIC_BASE 0x0C000000UL
#define FINISHER_BASE 0x00100000UL
#define UART_IRQ 10

#define MSTATUS_MIE (1UL << 3)
#define MIE_MSIE (1UL << 3)
#define MIE_MTIE (1UL << 7)
#define MIE_MEIE (1UL << 11)
#define CAUSE_INTERRUPT (1UL << 63)

#define REG8(addr) (*(volatile uint8_t *)(addr))
#define REG32(addr) (*(volatile uint32_t *)(addr))
#define REG64(addr) (*(volatile uint64_t *)(addr))

#define CLINT_MSIP(h) REG32(CLINT_BASE + 4 * (h))
#define CLINT_MTIMECMP(h) REG64(CLINT_BASE + 0x4000 + 8 * (h))
#define CLINT_MTIME REG64(CLINT_BASE + 0xBFF8)
#define PLIC_PRIORITY(s) REG32(PLIC_BASE + 4 * (s))
#define PLIC_ENABLE(c) REG32(PLIC_BASE + 0x2000 + 0x80 * (c))
#define PLIC_THRESHOLD(c) REG32(PLIC_BASE + 0x200000 + 0x1000 * (c))
#define PLIC_CLAIM(c) REG32(PLIC_BASE + 0x200004 + 0x1000 * (c))

#define csr_read(csr) ({ unsigned long v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" ::"r"((unsigned long)(v)))
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" ::"r"((unsigned long)(v)))
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" ::"r"((unsigned long)(v)))

static volatile int released;
static volatile int turn;
static volatile int second_turn;
static volatile unsigned long hart_count;
static volatile unsigned long timebase;
static volatile int timer_fired[MAX_HARTS];
static volatile int ipi_received[MAX_HARTS];
static volatile int received_char;
static volatile int char_received;

static void put_char(char c)
{
    while (!(REG8(UART_BASE + 5) & 0x20)) {
    }
    REG8(UART_BASE + 0) = (uint8_t)c;
}

static void put_string(const char *s)
{
    while (*s) {
        put_char(*s++);
    }
}

static void put_decimal(unsigned long value)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    while (n) {
        put_char(digits[--n]);
    }
}

static void hart_line(unsigned long hart, const char *what)
{
    put_string("hart ");
    put_decimal(hart);
    put_string(": ");
    put_string(what);
    put_char('\n');
}

static void finish(uint32_t value)
{
    REG32(FINISHER_BASE) = value;
    for (;;) {
        __asm__ volatile("wfi");
    }
}

static uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static int starts_with(const char *s, const char *prefix)
{
    while (*prefix) {
        if (*s++ != *prefix++) {
            return 0;
        }
    }
    return 1;
}

static int equals(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* Counts /cpus/cpu@N nodes and reads /cpus/timebase-frequency from the flattened device tree. */
static unsigned long scan_device_tree(const uint8_t *fdt, unsigned long *frequency)
{
    if (be32(fdt) != 0xD00DFEED) {
        return 0;
    }
    const uint8_t *p = fdt + be32(fdt + 8);
    const char *strings = (const char *)fdt + be32(fdt + 12);
    int depth = 0;
    int cpus_depth = -1;
    unsigned long cpus = 0;
    for (;;) {
        uint32_t token = be32(p);
        p += 4;
        if (token == 1) { /* FDT_BEGIN_NODE */
            const char *name = (const char *)p;
            depth++;
            if (depth == 2 && equals(name, "cpus")) {
                cpus_depth = depth;
            } else if (cpus_depth > 0 && depth == cpus_depth + 1 && starts_with(name, "cpu@")) {
                cpus++;
            }
            while (*p) {
                p++;
            }
            p = (const uint8_t *)(((uintptr_t)p + 4) & ~(uintptr_t)3);
        } else if (token == 2) { /* FDT_END_NODE */
            if (depth == cpus_depth) {
                cpus_depth = -1;
            }
            depth--;
        } else if (token == 3) { /* FDT_PROP */
            uint32_t length = be32(p);
            const char *name = strings + be32(p + 4);
            if (depth == cpus_depth && equals(name, "timebase-frequency") && length == 4) {
                *frequency = be32(p + 8);
            }
            p += 8 + ((length + 3) & ~3U);
        } else if (token == 4) { /* FDT_NOP */
        } else {
            break;
        }
    }
    return cpus;
}

void __attribute__((interrupt("machine"), aligned(4))) trap_handler(void)
{
    unsigned long cause = csr_read(mcause);
    unsigned long hart = csr_read(mhartid);
    if (cause == (CAUSE_INTERRUPT | 7)) {
        CLINT_MTIMECMP(hart) = ~0UL;
        timer_fired[hart] = 1;
    } else if (cause == (CAUSE_INTERRUPT | 3)) {
        CLINT_MSIP(hart) = 0;
        ipi_received[hart] = 1;
    } else if (cause == (CAUSE_INTERRUPT | 11)) {
        uint32_t source = PLIC_CLAIM(2 * hart);
        if (source == UART_IRQ) {
            while (REG8(UART_BASE + 5) & 1) {
                received_char = REG8(UART_BASE + 0);
                char_received = 1;
            }
            /* One character is all this test wants: stop further receive interrupts. */
            REG8(UART_BASE + 1) = 0;
        }
        if (source) {
            PLIC_CLAIM(2 * hart) = source;
        }
    } else {
        put_string("unexpected trap, mcause ");
        put_decimal(cause);
        put_char('\n');
        finish((1U << 16) | 0x3333);
    }
}

/* Sleeps until *flag is set by an interrupt handler, without losing a wake-up between test and wfi. */
static void wait_for(volatile int *flag)
{
    csr_clear(mstatus, MSTATUS_MIE);
    while (!*flag) {
        __asm__ volatile("wfi");
        csr_set(mstatus, MSTATUS_MIE);
        csr_clear(mstatus, MSTATUS_MIE);
    }
    csr_set(mstatus, MSTATUS_MIE);
}

void main(unsigned long hart, const uint8_t *fdt)
{
    csr_write(mtvec, (unsigned long)&trap_handler);
    csr_write(mie, MIE_MSIE);
    csr_set(mstatus, MSTATUS_MIE);
    if (hart != csr_read(mhartid)) {
        finish((2U << 16) | 0x3333);
    }

    if (hart == 0) {
        REG8(UART_BASE + 3) = 0x03; /* 8N1; the FIFO is left alone so an early character is kept */
        unsigned long frequency = 0;
        hart_count = scan_device_tree(fdt, &frequency);
        timebase = frequency;
        put_string("board-test: ");
        put_decimal(hart_count);
        put_string(" harts, timebase ");
        put_decimal(frequency);
        put_char('\n');
        if (hart_count == 0 || hart_count > MAX_HARTS || frequency == 0) {
            put_string("board-test: bad device tree\n");
            finish((3U << 16) | 0x3333);
        }
        __sync_synchronize();
        released = 1;
    }
    while (!released) {
    }
    if (hart >= hart_count) {
        for (;;) {
            __asm__ volatile("wfi");
        }
    }

    /* Round 1, one hart at a time: hello, a 1 ms timer interrupt, then an IPI to the next hart. */
    while (turn != (int)hart) {
    }
    hart_line(hart, "hello");
    CLINT_MTIMECMP(hart) = CLINT_MTIME + timebase / 1000;
    csr_set(mie, MIE_MTIE);
    wait_for(&timer_fired[hart]);
    csr_clear(mie, MIE_MTIE);
    hart_line(hart, "timer");
    CLINT_MSIP((hart + 1) % hart_count) = 1;
    __sync_synchronize();
    turn = (int)hart + 1;

    /* Round 2: everyone reports the IPI it got, in order. */
    wait_for(&ipi_received[hart]);
    while (second_turn != (int)hart) {
    }
    hart_line(hart, "ipi");
    __sync_synchronize();
    second_turn = (int)hart + 1;

    if (hart != 0) {
        for (;;) {
            __asm__ volatile("wfi");
        }
    }
    while (second_turn != (int)hart_count) {
    }

    /* A character from the UART, through PLIC context 0 (hart 0, M-mode). */
    PLIC_PRIORITY(UART_IRQ) = 1;
    PLIC_THRESHOLD(0) = 0;
    PLIC_ENABLE(0) = 1U << UART_IRQ;
    csr_set(mie, MIE_MEIE);
    REG8(UART_BASE + 1) = 0x01; /* receive data interrupt */
    wait_for(&char_received);
    put_string("uart rx: ");
    put_char((char)received_char);
    put_char('\n');
    put_string("board-test: PASS\n");
    finish(0x5555);
}
