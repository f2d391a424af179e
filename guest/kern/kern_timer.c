/*
 * Per-hart CLINT timer: a periodic 100 Hz tick plus one-shot systimers.
 * mtimecmp is always programmed to the earlier of the next tick and the
 * first queued systimer.  The queue is per cpu (critical section only).
 */
#include "kernel.h"
#include "globaldata.h"
#include "slaballoc.h"

/*
 * The CLINT is accessed with 32-bit loads and stores only (every CLINT
 * model supports them): mtime is read high/low/high until stable.
 */
uint64_t mtime_read(void)
{
	uint32_t hi, lo;

	do {
		hi = mmio_read32(CLINT_MTIME + 4);
		lo = mmio_read32(CLINT_MTIME);
	} while (hi != mmio_read32(CLINT_MTIME + 4));
	return ((uint64_t)hi << 32) | lo;
}

/* Write mtimecmp without a spurious early match: high word to max first. */
static void mtimecmp_write(int cpu, uint64_t v)
{
	mmio_write32(CLINT_MTIMECMP(cpu) + 4, 0xffffffff);
	mmio_write32(CLINT_MTIMECMP(cpu), (uint32_t)v);
	mmio_write32(CLINT_MTIMECMP(cpu) + 4, (uint32_t)(v >> 32));
}

static void timer_program(struct globaldata *gd)
{
	uint64_t when = gd->gd_nexttick;

	if (gd->gd_timerq && gd->gd_timerq->st_deadline < when)
		when = gd->gd_timerq->st_deadline;
	mtimecmp_write(gd->gd_cpuid, when);
}

/* Trap context: silence the timer until timer_process reprograms it. */
void timer_mask(void)
{
	mmio_write32(CLINT_MTIMECMP(mycpu->gd_cpuid) + 4, 0xffffffff);
}

void timer_init_cpu(void)
{
	struct globaldata *gd = mycpu;

	gd->gd_nexttick = mtime_read() + TICK_MTIME;
	timer_program(gd);
}

/* Periodic work of one tick: count it, poll for passive IPIs. */
static void hardclock(struct globaldata *gd)
{
	gd->gd_ticks++;
	/* passive IPIs are found here; also repairs a lost doorbell */
	gd->gd_npoll = 0;
	cpu_mfence();
	lwkt_process_ipiq();
	slab_tick();		/* send lingering remote-free batches */
	lwkt_schedulerclock(gd);	/* round robin among equal priorities */
}

/* From splz (critical section, interrupt nesting level > 0). */
void timer_process(void)
{
	struct globaldata *gd = mycpu;
	uint64_t now = mtime_read();
	struct systimer *st;

	if (now >= gd->gd_nexttick) {
		hardclock(gd);
		gd->gd_nexttick += TICK_MTIME;
		if (gd->gd_nexttick <= now)	/* we fell far behind */
			gd->gd_nexttick = now + TICK_MTIME;
	}
	while ((st = gd->gd_timerq) != NULL && st->st_deadline <= now) {
		gd->gd_timerq = st->st_next;
		st->st_queued = 0;
		st->st_func(st->st_arg);
	}
	timer_program(gd);
}

/* Queue a one-shot timeout on this cpu, sorted by deadline. */
void systimer_add(struct systimer *st, uint64_t deadline,
		  void (*func)(void *), void *arg)
{
	struct globaldata *gd = mycpu;
	struct systimer **pp;

	crit_enter();
	if (st->st_queued)
		systimer_del(st);
	st->st_deadline = deadline;
	st->st_func = func;
	st->st_arg = arg;
	for (pp = &gd->gd_timerq; *pp && (*pp)->st_deadline <= deadline;
	     pp = &(*pp)->st_next)
		;
	st->st_next = *pp;
	*pp = st;
	st->st_queued = 1;
	if (gd->gd_timerq == st)
		timer_program(gd);
	crit_exit();
}

void systimer_del(struct systimer *st)
{
	struct globaldata *gd = mycpu;
	struct systimer **pp;

	crit_enter();
	if (st->st_queued) {
		for (pp = &gd->gd_timerq; *pp; pp = &(*pp)->st_next) {
			if (*pp == st) {
				*pp = st->st_next;
				break;
			}
		}
		st->st_queued = 0;
	}
	crit_exit();
}

/*
 * Make this hart's timer fire at 'deadline' even while a critical section
 * holds the tick back (the trap re-masks it).  For waits that halt in WFI
 * inside a critical section and need a timeout (tests).
 */
void timer_poke(uint64_t deadline)
{
	mtimecmp_write(mycpu->gd_cpuid, deadline);
}

/*
 * Halt (WFI) until cond(arg) holds or timo mtime units have passed;
 * returns whether cond held.  For waits on another hart that does not
 * ring us: instead of spinning (which starves the other hart under a
 * round-robin emulator) the hart halts and re-checks every 1 ms (the
 * timer is poked, so this works inside a critical section too).
 */
int cpu_halt_until(int (*cond)(void *), void *arg, uint64_t timo)
{
	uint64_t t0 = mtime_read();
	unsigned long s;

	for (;;) {
		if (cond(arg))
			return 1;
		if (mtime_read() - t0 >= timo)
			return 0;
		timer_poke(mtime_read() + TICK_MTIME / 10);
		s = intr_disable();
		if (!cond(arg))
			cpu_wfi();
		intr_restore(s);
	}
}
