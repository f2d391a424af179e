/* Tests of threads, the scheduler, tsleep/wakeup, critical sections. */
#include "kernel.h"
#include "globaldata.h"
#include "ktest.h"
#include "pmc.h"
#include "machdep.h"

#define WAIT_TICKS	300	/* 3 s watchdog for any join */

static int last_cpu(void)
{
	return ncpus - 1;
}

/* ---- thread_create: create/exit on every cpu ---- */

#define TC_PER_CPU	4

struct tc_arg {
	int expect_cpu;
	volatile int ran_cpu;
	struct waitgroup *wg;
};

static void tc_fn(void *p)
{
	struct tc_arg *a = p;

	a->ran_cpu = mycpu->gd_cpuid;
	wg_done(a->wg);
}

static int settle_ident;

static int test_thread_create(struct tctx *t)
{
	static struct tc_arg args[MAXCPU * TC_PER_CPU];
	struct waitgroup wg;
	int base[MAXCPU];
	size_t free0;
	int cpu, i, n = ncpus * TC_PER_CPU, settled;

	tsleep(&settle_ident, 0, "settle", 2);	/* let earlier tests' threads go */
	free0 = kmem_free_count();

	for (cpu = 0; cpu < ncpus; cpu++)
		base[cpu] = cpu_globaldata[cpu].gd_nthreads;
	wg_init(&wg, n);
	for (i = 0; i < n; i++) {
		args[i].expect_cpu = i % ncpus;
		args[i].ran_cpu = -1;
		args[i].wg = &wg;
		if (test_spawn(tc_fn, &args[i], i % ncpus, TDPRI_KERN_USER, "tc"))
			return tfail(t, "lwkt_create failed");
	}
	if (wg_wait(&wg, WAIT_TICKS))
		return tfail(t, "threads did not finish");
	for (i = 0; i < n; i++)
		if (args[i].ran_cpu != args[i].expect_cpu)
			return tfail(t, "thread %d ran on cpu %d, expected %d", i,
				     args[i].ran_cpu, args[i].expect_cpu);
	/* exited threads leave the lists and their stacks are freed */
	for (i = 0; i < 100; i++) {
		/* ">=": a thread of an earlier test may be reaped meanwhile */
		settled = kmem_free_count() >= free0;
		for (cpu = 0; cpu < ncpus; cpu++)
			if (cpu_globaldata[cpu].gd_nthreads > base[cpu])
				settled = 0;
		if (settled)
			return 0;
		tsleep(&settled, 0, "settle", 1);
	}
	return tfail(t, "exited threads not reclaimed (free pages %lu vs %lu)",
		     kmem_free_count(), free0);
}

/* ---- sched_priority: strict priority, then round robin ---- */

static volatile int order_log[32];
static volatile int order_n;

static void log_fn(void *p)
{
	order_log[order_n++] = (int)(uintptr_t)p;
}

struct rr_arg {
	int id;
	struct waitgroup *wg;
};

static volatile int rr_arrived;

static void rr_fn(void *p)
{
	struct rr_arg *a = p;
	int i;

	/*
	 * The tick may switch a thread out (round robin) before this point;
	 * from here on the whole loop is one critical section, so only the
	 * yields switch: once all three are here, the order is the queue's.
	 */
	crit_enter();
	rr_arrived++;
	while (rr_arrived < 3)
		lwkt_yield();
	for (i = 0; i < 3; i++) {
		order_log[order_n++] = a->id;
		lwkt_yield();
	}
	crit_exit();
	wg_done(a->wg);
}

struct prio_drv {
	struct waitgroup done;
	volatile int result;	/* 0 ok, else step that failed */
	char msg[64];
};

static void prio_wrap(void *p)
{
	/* priority thread: log, then signal the driver's waitgroup */
	struct rr_arg *a = p;
	log_fn((void *)(uintptr_t)a->id);
	wg_done(a->wg);
}

/* Runs at priority 20 on the test cpu; lower threads wait for it to block. */
static void prio_driver(void *p)
{
	struct prio_drv *d = p;
	static const int pris[3] = { 5, 9, 7 };
	struct rr_arg pa[3], ra[3];
	struct waitgroup wg;
	thread_t td[3];
	int i;

	order_n = 0;
	wg_init(&wg, 3);
	for (i = 0; i < 3; i++) {
		pa[i].id = pris[i];
		pa[i].wg = &wg;
		lwkt_create(prio_wrap, &pa[i], &td[i], mycpu->gd_cpuid, pris[i],
			    TDF_NOSTART, "prio");
	}
	for (i = 0; i < 3; i++)
		lwkt_schedule(td[i]);
	wg_wait(&wg, WAIT_TICKS);
	if (order_n != 3 || order_log[0] != 9 || order_log[1] != 7 ||
	    order_log[2] != 5) {
		d->result = 1;
		ksnprintf(d->msg, sizeof(d->msg), "priority order %d,%d,%d",
			  order_log[0], order_log[1], order_log[2]);
		wg_done(&d->done);
		return;
	}
	order_n = 0;
	rr_arrived = 0;
	wg_init(&wg, 3);
	for (i = 0; i < 3; i++) {
		ra[i].id = i;
		ra[i].wg = &wg;
		lwkt_create(rr_fn, &ra[i], &td[i], mycpu->gd_cpuid, 6,
			    TDF_NOSTART, "rr");
	}
	for (i = 0; i < 3; i++)
		lwkt_schedule(td[i]);
	wg_wait(&wg, WAIT_TICKS);
	/* A B C A B C A B C for some rotation of 0 1 2 */
	for (i = 0; i < 9; i++) {
		if (order_n != 9 ||
		    (i < 3 && order_log[i] == order_log[(i + 1) % 3]) ||
		    (i >= 3 && order_log[i] != order_log[i - 3])) {
			d->result = 2;
			ksnprintf(d->msg, sizeof(d->msg),
				  "round robin: entry %d is %d", i, order_log[i]);
			break;
		}
	}
	wg_done(&d->done);
}

static int test_sched_priority(struct tctx *t)
{
	struct prio_drv d;

	memset(&d, 0, sizeof(d));
	wg_init(&d.done, 1);
	test_spawn(prio_driver, &d, last_cpu(), TDPRI_INT_SUPPORT, "prio-drv");
	if (wg_wait(&d.done, WAIT_TICKS))
		return tfail(t, "driver did not finish");
	if (d.result)
		return tfail(t, "%s", d.msg);
	return 0;
}

/* ---- sched_remote: cross-cpu lwkt_schedule / lwkt_deschedule ---- */

struct rs_arg {
	volatile int ran_cpu;
	volatile int count;
	volatile int stop;
	struct waitgroup *wg;
};

static void rs_once(void *p)
{
	struct rs_arg *a = p;
	a->ran_cpu = mycpu->gd_cpuid;
	wg_done(a->wg);
}

static void rs_spin(void *p)
{
	struct rs_arg *a = p;

	while (!a->stop) {
		a->count++;
		lwkt_yield();
	}
	wg_done(a->wg);
}

static void rs_nop(void *a1, void *a2)
{
	(void)a1;
	(void)a2;
}

static int test_sched_remote(struct tctx *t)
{
	static struct rs_arg args[MAXCPU];
	struct rs_arg sp;
	struct waitgroup wg;
	thread_t td[MAXCPU], spt;
	int cpu, c1, c2;

	wg_init(&wg, ncpus);
	for (cpu = 0; cpu < ncpus; cpu++) {
		args[cpu].ran_cpu = -1;
		args[cpu].wg = &wg;
		lwkt_create(rs_once, &args[cpu], &td[cpu], cpu, TDPRI_KERN_USER,
			    TDF_NOSTART, "rs");
	}
	tsleep(&wg, 0, "rs", 2);
	for (cpu = 0; cpu < ncpus; cpu++)
		if (args[cpu].ran_cpu != -1)
			return tfail(t, "NOSTART thread ran on cpu %d", cpu);
	for (cpu = 0; cpu < ncpus; cpu++)
		lwkt_schedule(td[cpu]);		/* by IPI unless cpu 0 */
	if (wg_wait(&wg, WAIT_TICKS))
		return tfail(t, "scheduled threads did not run");
	for (cpu = 0; cpu < ncpus; cpu++)
		if (args[cpu].ran_cpu != cpu)
			return tfail(t, "thread of cpu %d ran on %d", cpu,
				     args[cpu].ran_cpu);

	/* remote deschedule stops a running thread, schedule resumes it */
	memset(&sp, 0, sizeof(sp));
	wg_init(&wg, 1);
	sp.wg = &wg;
	lwkt_create(rs_spin, &sp, &spt, last_cpu(), TDPRI_USER, 0, "rs-spin");
	while (sp.count == 0)
		tsleep(&sp, 0, "rs", 1);
	lwkt_deschedule(spt);
	/*
	 * The deschedule message is processed before the cpusync's (FIFO
	 * ring); then spt finishes at most one more loop pass and switches
	 * away.  Counting only after it stopped running keeps a host stall of
	 * the target (QEMU) from looking like a thread that still runs.
	 */
	lwkt_cpusync(globaldata_find(last_cpu())->gd_cpumask, rs_nop, NULL);
	while (spt->td_flags & TDF_RUNNING)
		tsleep(&sp, 0, "rs", 1);
	tsleep(&sp, 0, "rs", 2);
	c1 = sp.count;
	tsleep(&sp, 0, "rs", 2);
	c2 = sp.count;
	if (c1 != c2)
		return tfail(t, "descheduled thread still runs (%d -> %d)", c1, c2);
	sp.stop = 1;
	cpu_mfence();
	lwkt_schedule(spt);
	if (wg_wait(&wg, WAIT_TICKS))
		return tfail(t, "rescheduled thread did not resume");
	return 0;
}

/* ---- tsleep: timeout, and wakeup from another cpu ---- */

struct ts_arg {
	volatile int cond;
	volatile int ready;
	volatile int result;
	volatile uint64_t slept;
	struct waitgroup *wg;
};

static void ts_sleeper(void *p)
{
	struct ts_arg *a = p;
	uint64_t t0 = mtime_read();
	int r = 0;

	for (;;) {
		tsleep_interlock(a);
		a->ready = 1;
		if (a->cond)
			break;
		r = tsleep(a, PINTERLOCKED, "tswait", 500);
		if (r)
			break;
	}
	tsleep_remove(curthread);
	a->slept = mtime_read() - t0;
	a->result = r;
	wg_done(a->wg);
}

static int test_tsleep_wakeup(struct tctx *t)
{
	static struct ts_arg args[MAXCPU];
	struct waitgroup wg;
	uint64_t t0, el;
	int r, cpu, dummy;

	t0 = mtime_read();
	r = tsleep(&dummy, 0, "timo", 3);
	el = mtime_read() - t0;
	if (r != EWOULDBLOCK)
		return tfail(t, "timeout returned %d", r);
	if (el < 3 * TICK_MTIME - TICK_MTIME / 10 || el > 20 * TICK_MTIME)
		return tfail(t, "timeout slept %lu mtime units", el);

	wg_init(&wg, ncpus);
	for (cpu = 0; cpu < ncpus; cpu++) {
		memset(&args[cpu], 0, sizeof(args[cpu]));
		args[cpu].result = -1;
		args[cpu].wg = &wg;
		test_spawn(ts_sleeper, &args[cpu], cpu, TDPRI_KERN_USER, "ts");
	}
	for (cpu = 0; cpu < ncpus; cpu++)
		if (wait_flag(&args[cpu].ready, 1, WAIT_TICKS))
			return tfail(t, "sleeper %d did not start", cpu);
	tsleep(&wg, 0, "ts", 1);	/* let them block */
	for (cpu = 0; cpu < ncpus; cpu++) {
		args[cpu].cond = 1;
		wakeup(&args[cpu]);
	}
	if (wg_wait(&wg, WAIT_TICKS))
		return tfail(t, "sleepers not woken");
	for (cpu = 0; cpu < ncpus; cpu++) {
		if (args[cpu].result != 0)
			return tfail(t, "sleeper on cpu %d: tsleep returned %d",
				     cpu, args[cpu].result);
		if (args[cpu].slept > 400 * TICK_MTIME)
			return tfail(t, "sleeper on cpu %d woke late", cpu);
	}
	return 0;
}

/* ---- crit_defer: IPI and tick inside a critical section wait for crit_exit ---- */

struct cd_arg {
	volatile int cb_ran;
	volatile int go;
	int target;
	thread_t helper;
	struct waitgroup *wg;
	int result;
	char msg[80];
};

static void cd_callback(void *a1, void *a2)
{
	struct cd_arg *a = a1;
	(void)a2;
	a->cb_ran = 1;
}

/* On another cpu: send one IPI message to the cpu in a critical section. */
static void cd_helper(void *p)
{
	struct cd_arg *a = p;
	lwkt_send_ipiq(globaldata_find(a->target), cd_callback, a, NULL);
	cpu_mfence();
	a->go = 1;
}

static void cd_body(void *p)
{
	struct cd_arg *a = p;
	struct globaldata *gd = mycpu;
	uint64_t ticks0, intrs0;

	crit_enter();
	ticks0 = gd->gd_ticks;
	intrs0 = gd->gd_ipiq_stats.intrs;
	while (!(gd->gd_reqflags & RQF_TIMER))
		cpu_wfi();		/* the tick interrupt arrives, is deferred */
	if (gd->gd_ticks != ticks0) {
		a->result = 1;
		ksnprintf(a->msg, sizeof(a->msg), "tick ran inside crit section");
	}
	if (a->helper) {
		lwkt_schedule(a->helper);	/* sends are fine inside one */
		/* until the message is queued (the doorbell is only recorded) */
		cpu_halt_until(cond_nonzero, (void *)&a->go, 50 * TICK_MTIME);
	} else {
		cpu_send_ipi(gd->gd_cpuid);	/* one hart: raw self IPI */
	}
	while (!(gd->gd_reqflags & RQF_IPIQ))
		cpu_wfi();
	if (gd->gd_ipiq_stats.intrs == intrs0 && !a->result) {
		a->result = 2;
		ksnprintf(a->msg, sizeof(a->msg), "IPI interrupt not taken");
	}
	if (a->helper) {
		/* give the message time to be queued; it must not run yet */
		busy_wait_mtime(TICK_MTIME / 10);
		if (a->cb_ran && !a->result) {
			a->result = 3;
			ksnprintf(a->msg, sizeof(a->msg), "IPI ran inside crit section");
		}
	}
	crit_exit();
	if (gd->gd_ticks == ticks0 && !a->result) {
		a->result = 4;
		ksnprintf(a->msg, sizeof(a->msg), "deferred tick not run at crit_exit");
	}
	if (gd->gd_reqflags & (RQF_TIMER | RQF_IPIQ)) {
		if (!a->result) {
			a->result = 5;
			ksnprintf(a->msg, sizeof(a->msg), "reqflags still set after crit_exit");
		}
	}
	if (a->helper && !a->cb_ran && !a->result) {
		a->result = 6;
		ksnprintf(a->msg, sizeof(a->msg), "deferred IPI not run at crit_exit");
	}
	wg_done(a->wg);
}

static int test_crit_defer(struct tctx *t)
{
	/* static: after a timeout the late thread must not write into a dead frame */
	static struct cd_arg a;
	static struct waitgroup wg;
	int cpu = last_cpu();

	memset(&a, 0, sizeof(a));
	wg_init(&wg, 1);
	a.wg = &wg;
	a.target = cpu;
	if (ncpus > 1)
		lwkt_create(cd_helper, &a, &a.helper, 0, TDPRI_KERN_USER,
			    TDF_NOSTART, "cd-helper");
	test_spawn(cd_body, &a, cpu, TDPRI_KERN_USER, "cd");
	if (wg_wait(&wg, WAIT_TICKS))
		return tfail(t, "test thread stuck");
	if (a.result)
		return tfail(t, "%s", a.msg);
	if (ncpus == 1)
		tnote(t, "1 hart: self IPI");
	return 0;
}

/* ---- preempt: an interrupt thread preempts, preempted thread resumes ---- */

struct pr_state {
	thread_t ithread;
	volatile int iran;
	volatile thread_t ipreempted;
	volatile int quit;
	volatile int lseen;
	volatile int lstarted;
	int lwant;
	uint64_t lswitches;
	struct systimer st;
	struct waitgroup *wg;
};

static void pr_ithread(void *p)
{
	struct pr_state *s = p;

	for (;;) {
		crit_enter();
		s->ipreempted = curthread->td_preempted;
		s->iran++;
		if (s->quit) {
			crit_exit();
			return;
		}
		lwkt_deschedule_self(curthread);
		lwkt_switch();
		crit_exit();
	}
}

static void pr_timer(void *p)
{
	struct pr_state *s = p;
	lwkt_schedule(s->ithread);	/* interrupt context */
}

static int pr_ran(void *p)
{
	struct pr_state *s = p;
	return s->iran > s->lwant - 1;
}

/* Low priority thread that never yields (it halts in WFI while waiting). */
static void pr_low(void *p)
{
	struct pr_state *s = p;
	int want = s->iran + 1;
	uint64_t t0 = mtime_read();

	s->lwant = want;
	s->lswitches = curthread->td_switches;
	if (s->lstarted == 0)	/* round 1: one-shot timer interrupt */
		systimer_add(&s->st, mtime_read() + TICK_MTIME / 10, pr_timer, s);
	s->lstarted++;
	while (s->iran < want && mtime_read() - t0 < 20 * TICK_MTIME)
		cpu_halt_until(pr_ran, s, TICK_MTIME / 10);	/* halts, never yields */
	/* exactly one switch-in: the resume when the interrupt thread blocked */
	s->lseen = s->iran >= want && curthread->td_switches == s->lswitches + 1;
	wg_done(s->wg);
}

static int test_preempt(struct tctx *t)
{
	/*
	 * Static, and the interrupt thread is waited for before we return:
	 * it writes into s when it runs, and on a stack it would scribble
	 * over the frames of the next test (seen on QEMU: a loaded host
	 * delayed it past the old 2-tick sleep, and wg_wait lost a register).
	 */
	static struct pr_state s;
	static struct waitgroup wg;
	thread_t low;
	int cpu = last_cpu(), iran, i;

	memset(&s, 0, sizeof(s));
	lwkt_create(pr_ithread, &s, &s.ithread, cpu, TDPRI_INT_MED,
		    TDF_NOSTART, "test ithread");
	s.ithread->td_preemptable = 1;

	/* round 1: a timer interrupt schedules the interrupt thread */
	wg_init(&wg, 1);
	s.wg = &wg;
	lwkt_create(pr_low, &s, &low, cpu, TDPRI_USER, 0, "pr-low");
	if (wg_wait(&wg, WAIT_TICKS))
		return tfail(t, "low thread stuck");
	if (!s.lseen)
		return tfail(t, "interrupt thread did not preempt (timer)");
	if (s.ipreempted != low)
		return tfail(t, "td_preempted is not the low thread");

	/* round 2: another cpu schedules it (IPI) */
	if (ncpus > 1) {
		wg_init(&wg, 1);
		lwkt_create(pr_low, &s, &low, cpu, TDPRI_USER, 0, "pr-low2");
		while (s.lstarted < 2)
			tsleep(&s, 0, "pr", 1);
		lwkt_schedule(s.ithread);
		if (wg_wait(&wg, WAIT_TICKS))
			return tfail(t, "low thread stuck (2)");
		if (!s.lseen)
			return tfail(t, "interrupt thread did not preempt (IPI)");
	}
	iran = s.iran;
	s.quit = 1;
	cpu_mfence();
	lwkt_schedule(s.ithread);
	for (i = 0; s.iran == iran && i < WAIT_TICKS; i++)
		tsleep(&s, 0, "pr", 1);
	if (s.iran == iran)
		return tfail(t, "interrupt thread did not exit");
	tsleep(&s, 0, "pr", 1);		/* it returns right after counting */
	if (ncpus == 1)
		tnote(t, "1 hart: timer only");
	return 0;
}

/* ---- pmc: the event counters count (skipped on QEMU) ---- */

static int test_pmc(struct tctx *t)
{
	static volatile uint64_t word;
	struct pmc_snap a, b, d;
	int i;

	if (!pmc_available) {
		tnote(t, "no event counters");
		return 0;
	}
	crit_enter();
	pmc_read(&a);
	for (i = 0; i < 10; i++)
		__atomic_fetch_add(&word, 1, __ATOMIC_RELAXED);
	pmc_read(&b);
	crit_exit();
	pmc_delta(&a, &b, &d);
	if (d.c[PMC_SLOT_AMO] != 10)
		return tfail(t, "10 AMOs counted as %lu", d.c[PMC_SLOT_AMO]);
	if (d.c[PMC_SLOT_LR] != 0 || d.c[PMC_SLOT_SC] != 0)
		return tfail(t, "LR/SC counted without LR/SC");
	return 0;
}

/* ---- fdt: the hart count parser, on the boot FDT and a corrupted copy ---- */

static int test_fdt(struct tctx *t)
{
	const uint8_t *fdt = machdep_boot_fdt();
	static uint8_t copy[4096];
	int n = fdt_count_cpus(fdt);
	size_t len = sizeof(copy);

	if (n < 0) {
		tnote(t, "no FDT at boot: hart count from check-in");
		return 0;
	}
	if (n != ncpus)
		return tfail(t, "FDT says %d harts, kernel runs %d", n, ncpus);
	if ((uintptr_t)fdt + len > RAM_END)
		len = RAM_END - (uintptr_t)fdt;
	memcpy(copy, fdt, len);
	copy[0] ^= 0xff;			/* bad magic */
	if (fdt_count_cpus(copy) != -1)
		return tfail(t, "corrupted FDT accepted");
	if (fdt_count_cpus((void *)0x1000) != -1)
		return tfail(t, "pointer outside RAM accepted");
	return 0;
}

/* ---- switch_noatomic: the scheduler's switch path takes no atomics ---- */

struct sn_state {
	volatile int stop;
	struct pmc_snap a, b;
	uint64_t sw0, sw1;
	struct waitgroup wg;
};

static void sn_partner(void *p)
{
	struct sn_state *s = p;

	while (!s->stop)
		lwkt_yield();
	wg_done(&s->wg);
}

static void sn_main(void *p)
{
	struct sn_state *s = p;
	int i;

	lwkt_yield();
	s->sw0 = mycpu->gd_switches;
	pmc_read(&s->a);
	for (i = 0; i < 100; i++)
		lwkt_yield();
	pmc_read(&s->b);
	s->sw1 = mycpu->gd_switches;
	s->stop = 1;
	wg_done(&s->wg);
}

static int test_switch_noatomic(struct tctx *t)
{
	static struct sn_state s;
	struct pmc_snap d;

	memset(&s, 0, sizeof(s));
	wg_init(&s.wg, 2);
	test_spawn(sn_partner, &s, last_cpu(), TDPRI_KERN_USER, "sn-b");
	test_spawn(sn_main, &s, last_cpu(), TDPRI_KERN_USER, "sn-a");
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "stuck");
	if (s.sw1 - s.sw0 < 200)
		return tfail(t, "only %lu switches for 100 yields", s.sw1 - s.sw0);
	if (!pmc_available) {
		tnote(t, "no event counters");
		return 0;
	}
	pmc_delta(&s.a, &s.b, &d);
	if (d.c[PMC_SLOT_AMO] || d.c[PMC_SLOT_LR] || d.c[PMC_SLOT_SC])
		return tfail(t, "%lu switches: amo=%lu lr=%lu sc=%lu", s.sw1 - s.sw0,
			     d.c[PMC_SLOT_AMO], d.c[PMC_SLOT_LR], d.c[PMC_SLOT_SC]);
	return 0;
}

/*
 * ---- sched_resched: reschedule at interrupt return / crit_exit, round
 * robin at the tick ----
 *
 * Threads here spin on mtime without yielding or halting (CPU-bound).
 * The checks are orderings, not times, and spins are counted in ticks
 * this cpu actually took (a loaded QEMU host may stall a hart for many
 * ticks of mtime, and then delivers one timer interrupt): the woken
 * thread runs while the low thread still spins; without the reschedule
 * it runs only once the low one is done.
 */
#define RR_SPIN		10	/* ticks taken by this cpu (gd_ticks), not mtime */

#include "token.h"

struct rr_state {
	thread_t	hi;
	struct systimer	st;
	volatile uint64_t t_sched;	/* hi was scheduled */
	volatile uint64_t t_hi;		/* hi ran */
	volatile uint64_t t_lo_end;	/* the low thread finished spinning */
	volatile int	hi_ran;
	volatile int	released;	/* the low thread released its token */
	volatile int	saw_released;	/* hi ran after that */
	volatile int	ran_in_schedule; /* hi ran before lwkt_schedule returned */
	volatile int	ran_in_spin;	/* hi ran while the low thread still spun */
	volatile int	last;		/* round robin: who ran last */
	volatile int	turns;		/* changes of 'last' */
	volatile int	mode;
	struct lwkt_token tok;
	struct waitgroup wg;
};

static uint64_t rr_ticks(void)
{
	return mycpu->gd_ticks;
}

static void rr_spin_until(uint64_t t0, uint64_t d)
{
	while (rr_ticks() - t0 < d)
		;
}

static void rr_hi(void *p)
{
	struct rr_state *s = p;

	s->t_hi = mtime_read();
	s->saw_released = s->released;
	s->hi_ran = 1;
	wg_done(&s->wg);
}

static void rr_timer(void *p)
{
	struct rr_state *s = p;

	s->t_sched = mtime_read();
	lwkt_schedule(s->hi);		/* interrupt context */
}

static void rr_lo(void *p)
{
	struct rr_state *s = p;
	struct lwkt_tokref ref;
	uint64_t t0 = rr_ticks();

	if (s->mode == 0) {		/* woken by an interrupt */
		systimer_add(&s->st, mtime_read() + TICK_MTIME / 10, rr_timer, s);
		while (!s->hi_ran && rr_ticks() - t0 < RR_SPIN)
			;
		s->ran_in_spin = s->hi_ran;
	} else if (s->mode == 1) {	/* woken by this thread */
		s->t_sched = mtime_read();
		lwkt_schedule(s->hi);
		s->ran_in_schedule = s->hi_ran;
	} else {			/* woken while this thread holds a token */
		lwkt_gettoken(&ref, &s->tok);
		systimer_add(&s->st, mtime_read() + TICK_MTIME / 10, rr_timer, s);
		rr_spin_until(t0, 3);
		s->released = 1;
		lwkt_reltoken(&ref);
		t0 = rr_ticks();
		while (!s->hi_ran && rr_ticks() - t0 < RR_SPIN)
			;
		s->ran_in_spin = s->hi_ran;
	}
	s->t_lo_end = mtime_read();
	wg_done(&s->wg);
}

static void rr_equal(void *p)
{
	struct rr_state *s = p;
	int me = (int)(curthread->td_name[3] - '0');
	uint64_t t0 = rr_ticks();

	while (rr_ticks() - t0 < RR_SPIN) {
		if (s->last != me) {
			s->last = me;
			s->turns++;
		}
	}
	wg_done(&s->wg);
}

static int rr_run(struct rr_state *s, int mode, int cpu)
{
	memset(s, 0, offsetof(struct rr_state, tok));
	s->mode = mode;
	wg_init(&s->wg, 2);
	lwkt_create(rr_hi, s, &s->hi, cpu, TDPRI_KERN_DAEMON, TDF_NOSTART, "rr-hi");
	lwkt_create(rr_lo, s, NULL, cpu, TDPRI_USER, 0, "rr-lo");
	return wg_wait(&s->wg, 300);
}

static int test_sched_resched(struct tctx *t)
{
	static struct rr_state s;	/* threads may outlive a failing return */
	int cpu = last_cpu();
	static int tok_inited;
	char note[64];
	uint64_t sw0 = cpu_globaldata[cpu].gd_resched_switches;

	if (!tok_inited) {
		lwkt_token_init_cpu(&s.tok, "resched", cpu);
		tok_inited = 1;
	}
	/* a higher priority thread woken from an interrupt runs at its return */
	if (rr_run(&s, 0, cpu))
		return tfail(t, "interrupt wake-up: stuck");
	if (!s.ran_in_spin)
		return tfail(t, "interrupt wake-up: ran %lu mtime after it was scheduled, "
			     "once the low thread stopped spinning", s.t_hi - s.t_sched);
	/* ... and one woken by the running thread, at that crit_exit */
	if (rr_run(&s, 1, cpu))
		return tfail(t, "thread wake-up: stuck");
	if (!s.ran_in_schedule)
		return tfail(t, "thread wake-up: did not run before lwkt_schedule returned");
	/* a token holder is not switched out: the switch waits for the release */
	if (rr_run(&s, 2, cpu))
		return tfail(t, "token holder: stuck");
	if (!s.saw_released)
		return tfail(t, "the token holder was switched out involuntarily");
	if (!s.ran_in_spin)
		return tfail(t, "token holder: the woken thread did not run after the "
			     "release while the low thread spun on");
	/* equal priorities take turns at the tick */
	memset(&s, 0, offsetof(struct rr_state, tok));
	s.last = -1;
	wg_init(&s.wg, 2);
	lwkt_create(rr_equal, &s, NULL, cpu, TDPRI_KERN_USER, 0, "rr-0");
	lwkt_create(rr_equal, &s, NULL, cpu, TDPRI_KERN_USER, 0, "rr-1");
	if (wg_wait(&s.wg, 300))
		return tfail(t, "round robin: stuck");
	if (s.turns < 4)
		return tfail(t, "round robin: %d turns in 10 ticks each of CPU-bound work", s.turns);
	ksnprintf(note, sizeof(note), "%d turns, %lu involuntary switches", s.turns,
		  cpu_globaldata[cpu].gd_resched_switches - sw0);
	tnote(t, note);
	return 0;
}

const struct ktest ktests_thread[] = {
	{ "switch_noatomic", test_switch_noatomic },
	{ "fdt",            test_fdt },
	{ "thread_create",  test_thread_create },
	{ "sched_priority", test_sched_priority },
	{ "sched_remote",   test_sched_remote },
	{ "tsleep_wakeup",  test_tsleep_wakeup },
	{ "crit_defer",     test_crit_defer },
	{ "preempt",        test_preempt },
	{ "sched_resched",  test_sched_resched },
	{ "pmc",            test_pmc },
	{ NULL, NULL },
};
