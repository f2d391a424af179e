/*
 * Console on NS16550 UART0.
 *
 * Output: kprintf formats into the running cpu's line buffer (inside a
 * critical section, so threads and interrupts of the same cpu cannot mix
 * their characters) and pushes the line to the UART only when it is
 * complete.  The only lock is cons_lock, a tiny AMO spinlock held while
 * one complete line is written to the UART: the UART is one shared
 * device, and holding the lock for exactly one line is what guarantees
 * that lines of different harts never mix.  Formatting, the common part,
 * takes no lock.  With one hart there is no other writer: no lock.
 *
 * Input: the UART receive interrupt (PLIC source 10, hart 0) schedules
 * an interrupt thread that drains the UART into a ring and wakes the
 * shell.
 */
#include "kernel.h"
#include "globaldata.h"
#include "machdep.h"
#include "subr_prf.h"

#define UART_RBR	(UART0_BASE + 0)
#define UART_THR	(UART0_BASE + 0)
#define UART_IER	(UART0_BASE + 1)
#define UART_FCR	(UART0_BASE + 2)
#define UART_LCR	(UART0_BASE + 3)
#define UART_MCR	(UART0_BASE + 4)
#define UART_LSR	(UART0_BASE + 5)
#define LSR_DR		0x01
#define LSR_THRE	0x20

static struct spinlock cons_lock;
static volatile int panicking;

#define RXBUF_SIZE	256
static char rxbuf[RXBUF_SIZE];
static uint32_t rx_head, rx_tail;	/* cpu 0 only, critical section */
static thread_t uart_td;
static int uart_claimed;

static void uart_putc(int c)
{
	int spins = 100000;

	while (!(mmio_read8(UART_LSR) & LSR_THRE) && --spins > 0)
		;
	mmio_write8(UART_THR, (uint8_t)c);
}

static void cons_lock_enter(void)
{
	int spins = 1000000;

	if (ncpus == 1)
		return;
	if (panicking) {
		/* bounded: the holder may be this very hart */
		while (!spin_trylock_raw(&cons_lock) && --spins > 0)
			;
		return;
	}
	spin_lock_raw(&cons_lock);
}

static void cons_lock_exit(void)
{
	if (ncpus == 1)
		return;
	spin_unlock_raw(&cons_lock);
}

/* Tests: count the bytes per value instead of writing them to the UART. */
static uint32_t *cons_sink;

void cons_set_sink(uint32_t *counts)
{
	cons_sink = counts;
}

/*
 * Write n bytes to the UART in one go; "\n" becomes "\r\n".  The lock is
 * held inside a critical section: an interrupt or IPI callback on this
 * hart that prints while we hold it would otherwise spin on it forever
 * (the work is deferred to our crit_exit instead).
 */
static void cons_emit(const char *s, int n)
{
	uint32_t *sink = cons_sink;
	int i;

	crit_enter();
	cons_lock_enter();
	for (i = 0; i < n; i++) {
		if (sink) {
			sink[(unsigned char)s[i]]++;
			continue;
		}
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
	cons_lock_exit();
	crit_exit();
}

static void line_put(int c, void *arg)
{
	struct globaldata *gd = arg;

	gd->gd_linebuf[gd->gd_linelen++] = (char)c;
	if (c == '\n' || gd->gd_linelen == LINEBUF_SIZE) {
		cons_emit(gd->gd_linebuf, gd->gd_linelen);
		gd->gd_linelen = 0;
	}
}

void kvprintf(const char *fmt, va_list ap)
{
	crit_enter();
	kformat(line_put, mycpu, fmt, ap);
	crit_exit();
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

/* Push out this cpu's partial line (prompts, echo). */
void cons_flush(void)
{
	struct globaldata *gd;

	crit_enter();
	gd = mycpu;
	if (gd->gd_linelen) {
		cons_emit(gd->gd_linebuf, gd->gd_linelen);
		gd->gd_linelen = 0;
	}
	crit_exit();
}

/* One character straight to the UART (shell echo). */
void cons_putc_raw(int c)
{
	char ch = (char)c;

	cons_flush();
	cons_emit(&ch, 1);
}

/*
 * Before anything is set up (no .bss, no globaldata, no threads): writes
 * one line by polling the UART, then fails the machine.  For boot checks.
 */
void cons_early_panic(const char *msg)
{
	const char *p;

	for (p = msg; *p; p++) {
		while (!(mmio_read8(UART_LSR) & LSR_THRE))
			;
		mmio_write8(UART_THR, (uint8_t)*p);
	}
	machine_fail(1);
}

void cons_init(void)
{
	mmio_write8(UART_IER, 0);
	mmio_write8(UART_LCR, 0x03);	/* 8N1 */
	mmio_write8(UART_FCR, 0x07);	/* enable and reset FIFOs */
	mmio_write8(UART_MCR, 0x0b);	/* DTR, RTS, OUT2 (irq enable) */
}

/*
 * UART interrupt thread: drain the receiver, complete the PLIC claim,
 * wake the reader, block until the next interrupt schedules us again.
 */
static void uart_ithread(void *arg)
{
	(void)arg;
	for (;;) {
		crit_enter();
		while (mmio_read8(UART_LSR) & LSR_DR) {
			char c = (char)mmio_read8(UART_RBR);
			if (rx_head - rx_tail < RXBUF_SIZE)
				rxbuf[rx_head++ % RXBUF_SIZE] = c;
		}
		if (uart_claimed) {
			uart_claimed = 0;
			plic_complete(UART0_IRQ);
		}
		wakeup(rxbuf);
		lwkt_deschedule_self(curthread);
		lwkt_switch();
		crit_exit();
	}
}

/* Called from plic_dispatch (interrupt context, cpu 0). */
void cons_rx_intr(void)
{
	uart_claimed = 1;
	lwkt_schedule(uart_td);
}

void cons_enable_rx(void)
{
	lwkt_create(uart_ithread, NULL, &uart_td, 0, TDPRI_INT_MED,
		    TDF_NOSTART, "uart0 ithread");
	uart_td->td_preemptable = 1;
	mmio_write8(UART_IER, 0x01);	/* received data available */
}

/* Next input byte; blocks.  Called by the shell thread on cpu 0. */
int cons_getc(void)
{
	int c;

	crit_enter();
	while (rx_head == rx_tail)
		tsleep(rxbuf, 0, "ttyin", 0);
	c = (unsigned char)rxbuf[rx_tail++ % RXBUF_SIZE];
	crit_exit();
	return c;
}

void machine_poweroff(void)
{
	cons_flush();
	mmio_write32(FINISHER_BASE, FINISHER_PASS);
	for (;;)
		cpu_wfi();
}

void machine_fail(int code)
{
	mmio_write32(FINISHER_BASE, ((uint32_t)code << 16) | FINISHER_FAIL);
	for (;;)
		cpu_wfi();
}

/* Enter panic mode: no more interrupts or deferred work on this hart. */
void panic_begin(void)
{
	struct globaldata *gd = mycpu;

	intr_disable();
	panicking = 1;
	gd->gd_curthread->td_critcount++;	/* crit_exit never runs splz */
	gd->gd_linelen = 0;			/* drop a partial line */
}

void panic(const char *fmt, ...)
{
	va_list ap;

	panic_begin();
	kprintf("panic: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf(" (hart %d, thread %s)\n", mycpu->gd_cpuid,
		curthread->td_name);
	machine_fail(1);
}
