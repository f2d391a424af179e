/* In-kernel tests: interrupt replay (splz) and the console lock. */
#include "kernel.h"
#include "globaldata.h"
#include "ktest.h"

#define WAIT_TICKS	300

/* ---- console_reentry: a timer callback prints while the thread holds the console ---- */

struct cr_state {
	struct systimer	st;
	volatile int	stop;
	volatile uint32_t ticks;	/* callbacks that printed */
	uint64_t	putcs;		/* cons_putc_raw calls */
	uint32_t	counts[256];	/* bytes that reached the console */
	struct waitgroup wg;
};

static void cr_tick(void *arg)
{
	struct cr_state *s = arg;

	kprintf("t\n");		/* a whole line: pushed through the console lock */
	s->ticks++;
	if (!s->stop)
		systimer_add(&s->st, mtime_read() + TICK_MTIME / 4, cr_tick, s);
}

static void cr_body(void *p)
{
	struct cr_state *s = p;
	uint64_t end, t0;

	systimer_add(&s->st, mtime_read() + TICK_MTIME / 4, cr_tick, s);
	/*
	 * Echo-style output (the shell's path) for 8 ticks and at least 8
	 * callbacks (a loaded QEMU host may stall this hart for ticks): most
	 * of the time is spent holding the console lock, so the callbacks
	 * land there.
	 */
	end = mtime_read() + 8 * TICK_MTIME;
	t0 = mycpu->gd_ticks;
	while (mtime_read() < end ||
	       (s->ticks < 8 && mycpu->gd_ticks < t0 + 300)) {
		cons_putc_raw('r');
		s->putcs++;
	}
	crit_enter();
	s->stop = 1;
	systimer_del(&s->st);
	crit_exit();
	wg_done(&s->wg);
}

static int test_console_reentry(struct tctx *t)
{
	static struct cr_state s;

	memset(&s, 0, sizeof(s));
	wg_init(&s.wg, 1);
	cons_flush();
	cons_set_sink(s.counts);	/* nothing reaches the UART meanwhile */
	test_spawn(cr_body, &s, ncpus - 1, TDPRI_KERN_USER, "cons-reentry");
	if (wg_wait(&s.wg, WAIT_TICKS)) {
		cons_set_sink(NULL);
		return tfail(t, "cpu%d stuck printing (console self-deadlock)", ncpus - 1);
	}
	cons_set_sink(NULL);
	if (s.ticks < 8)
		return tfail(t, "only %u timer callbacks printed", s.ticks);
	if (s.counts['r'] != s.putcs || s.counts['t'] != s.ticks || s.counts['\n'] != s.ticks)
		return tfail(t, "lost output: r %u/%lu, t %u/%u", s.counts['r'], s.putcs,
			     s.counts['t'], s.ticks);
	if (ncpus == 1)
		tnote(t, "1 hart: no console lock");
	return 0;
}

/* ---- splz_recheck: an interrupt recorded as splz finishes is not left behind ---- */

struct sr_state {
	thread_t	td;
	volatile int	armed;
	volatile int	fired;
	uint64_t	ticks_before, ticks_after;
	int		left_pending;
	struct waitgroup wg;
};
static struct sr_state sr;

/*
 * Runs inside splz after its work loop, with interrupts enabled and the
 * critical section held: wait for the next tick, which is only recorded
 * (its source masked) because we are in the critical section.
 */
static void sr_hook(void)
{
	struct globaldata *gd = mycpu;

	if (!sr.armed || gd->gd_curthread != sr.td)
		return;
	sr.armed = 0;
	while (!(gd->gd_reqflags & RQF_TIMER))
		;
	sr.fired = 1;
}

static void sr_body(void *p)
{
	struct globaldata *gd = mycpu;

	(void)p;
	sr.td = curthread;
	crit_enter();
	while (!(gd->gd_reqflags & RQF_TIMER))
		;			/* a tick, deferred: crit_exit will call splz */
	sr.armed = 1;
	crit_exit();			/* splz; the hook records the next tick late */
	/*
	 * No critical section from here: only an interrupt can run the tick.
	 * Wait up to 100 tick periods for one (a loaded QEMU host may stall
	 * this hart for several); a masked timer never delivers one.
	 */
	sr.ticks_before = gd->gd_ticks;
	{
		uint64_t end = mtime_read() + 100 * TICK_MTIME;
		unsigned long n;

		/* a minimum of loop passes too: a stalled hart may wake past end */
		for (n = 0; gd->gd_ticks == sr.ticks_before &&
			    (mtime_read() < end || n < 1000000); n++)
			;
	}
	sr.ticks_after = gd->gd_ticks;
	sr.left_pending = (gd->gd_reqflags & RQF_TIMER) != 0;
	wg_done(&sr.wg);
}

static int test_splz_recheck(struct tctx *t)
{
	memset(&sr, 0, sizeof(sr));
	wg_init(&sr.wg, 1);
	splz_exit_hook = sr_hook;
	test_spawn(sr_body, NULL, ncpus - 1, TDPRI_KERN_USER, "splz-recheck");
	if (wg_wait(&sr.wg, WAIT_TICKS)) {
		splz_exit_hook = NULL;
		return tfail(t, "stuck");
	}
	splz_exit_hook = NULL;
	if (!sr.fired)
		return tfail(t, "hook never ran");
	if (sr.ticks_after == sr.ticks_before)
		return tfail(t, "timer left masked: no tick in 100 tick periods%s",
			     sr.left_pending ? ", RQF_TIMER still pending" : "");
	return 0;
}

/*
 * ---- spin_crit: a spinlock holder is not preempted on its cpu ----
 *
 * A thread holds a kernel spinlock while a timer interrupt schedules an
 * interrupt thread that wants the same lock.  Were the holder preempted,
 * the interrupt thread would spin on its own cpu for a lock whose holder
 * cannot run (here it only tries, and records what it found).  Spinlocks
 * hold a critical section: the preemption waits for spin_unlock.
 */
struct sc_state {
	struct spinlock	lock;
	struct systimer	st;
	thread_t	ithread;
	volatile int	iran;
	volatile int	found_held;	/* the interrupt thread found the lock held */
	volatile int	after_unlock;	/* it ran after the holder's unlock */
	volatile int	unlocked;
	volatile int	quit;
	struct waitgroup wg;
};

static void sc_ithread(void *p)
{
	struct sc_state *s = p;

	for (;;) {
		if (s->quit)
			return;
		if (spin_trylock(&s->lock))
			spin_unlock(&s->lock);
		else
			s->found_held = 1;
		s->after_unlock = s->unlocked;
		s->iran++;
		crit_enter();
		lwkt_deschedule_self(curthread);
		lwkt_switch();
		crit_exit();
	}
}

static void sc_timer(void *p)
{
	struct sc_state *s = p;

	lwkt_schedule(s->ithread);	/* interrupt context */
}

static void sc_holder(void *p)
{
	struct sc_state *s = p;
	uint64_t t0;

	spin_lock(&s->lock);
	systimer_add(&s->st, mtime_read() + TICK_MTIME / 10, sc_timer, s);
	t0 = mtime_read();
	while (mtime_read() - t0 < 3 * TICK_MTIME / 10)
		;			/* the timer fires in here */
	s->unlocked = 1;
	spin_unlock(&s->lock);		/* the preemption happens here */
	wg_done(&s->wg);
}

static int test_spin_crit(struct tctx *t)
{
	static struct sc_state s;	/* the interrupt thread outlives a stack frame */
	int cpu = ncpus - 1, i;

	memset(&s, 0, sizeof(s));
	wg_init(&s.wg, 1);
	lwkt_create(sc_ithread, &s, &s.ithread, cpu, TDPRI_INT_MED, TDF_NOSTART,
		    "spin ithread");
	s.ithread->td_preemptable = 1;
	lwkt_create(sc_holder, &s, NULL, cpu, TDPRI_USER, 0, "spin holder");
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "holder stuck");
	for (i = 0; s.iran == 0 && i < WAIT_TICKS; i++)
		tsleep(&s, 0, "sc", 1);
	s.quit = 1;
	cpu_mfence();
	lwkt_schedule(s.ithread);
	tsleep(&s, 0, "sc", 2);		/* let it return */
	if (s.iran == 0)
		return tfail(t, "interrupt thread never ran");
	if (s.found_held || !s.after_unlock)
		return tfail(t, "the interrupt thread preempted the spinlock holder "
			     "(found the lock held: %d)", s.found_held);
	return 0;
}

const struct ktest ktests_intr[] = {
	{ "console_reentry", test_console_reentry },
	{ "splz_recheck",    test_splz_recheck },
	{ "spin_crit",       test_spin_crit },
	{ NULL, NULL },
};
