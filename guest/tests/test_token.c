/* Tests of serializing tokens (and the spin token / spinlock baselines). */
#include "kernel.h"
#include "globaldata.h"
#include "ktest.h"
#include "token.h"
#include "pmc.h"

#define WAIT_TICKS	1000	/* 10 s watchdog */

enum { IMPL_LWKT, IMPL_SPINTOK, IMPL_SPINLOCK, NIMPL };
static const char *const impl_names[NIMPL] = { "lwkt", "spintoken", "spinlock" };

/* One lock of each kind, so one workload runs against all three. */
struct tlock {
	struct lwkt_token tok;
	struct spintoken st;
	struct spinlock sl;
};

static void tl_init(struct tlock *l, const char *name, int cpu)
{
	lwkt_token_init_cpu(&l->tok, name, cpu);
	spintoken_init(&l->st, name);
	l->sl.lock = 0;
}

static void tl_get(int impl, struct tlock *l, struct lwkt_tokref *ref)
{
	if (impl == IMPL_LWKT)
		lwkt_gettoken(ref, &l->tok);
	else if (impl == IMPL_SPINTOK)
		spintoken_get(&l->st);
	else
		spin_lock_raw(&l->sl);
}

static void tl_rel(int impl, struct tlock *l, struct lwkt_tokref *ref)
{
	if (impl == IMPL_LWKT)
		lwkt_reltoken(ref);
	else if (impl == IMPL_SPINTOK)
		spintoken_rel(&l->st);
	else
		spin_unlock_raw(&l->sl);
}

static void spin_delay(uint32_t n)
{
	volatile uint32_t i;
	for (i = 0; i < n; i++)
		;
}

/* ---- token_exclusion: exact sums under contention, random yields/sleeps ---- */

#define EX_LOCKS 2

struct ex_state {
	int impl;
	int iters;
	struct tlock locks[EX_LOCKS];
	volatile uint64_t counter[EX_LOCKS];
	volatile uint64_t done_ops[EX_LOCKS][2 * MAXCPU];	/* per thread */
	struct waitgroup wg;
};

struct ex_arg {
	struct ex_state *s;
	int id;
};

/* One non-blocking read-modify-write of a protected counter. */
static void ex_bump(struct ex_state *s, int j, uint32_t *seed)
{
	uint64_t v = s->counter[j];
	spin_delay(krandom(seed) % 16);
	s->counter[j] = v + 1;
}

static void ex_worker(void *p)
{
	struct ex_arg *a = p;
	struct ex_state *s = a->s;
	uint32_t seed = 0x1234567 + a->id * 7919;
	struct lwkt_tokref ref;
	int i, j, blockable = s->impl != IMPL_SPINLOCK;
	uint32_t r;

	for (i = 0; i < s->iters; i++) {
		j = krandom(&seed) % EX_LOCKS;
		tl_get(s->impl, &s->locks[j], &ref);
		ex_bump(s, j, &seed);
		s->done_ops[j][a->id]++;
		r = krandom(&seed);
		if (blockable && r % 8 == 0) {
			/* hold across a yield: may lose it, re-acquired at switch-in */
			lwkt_yield();
			ex_bump(s, j, &seed);
			s->done_ops[j][a->id]++;
		} else if (blockable && r % 61 == 1) {
			tsleep(&seed, 0, "exslp", 1);
			ex_bump(s, j, &seed);
			s->done_ops[j][a->id]++;
		}
		tl_rel(s->impl, &s->locks[j], &ref);
		if (r % 4 == 2)
			lwkt_yield();
	}
	wg_done(&s->wg);
}

static int test_token_exclusion(struct tctx *t)
{
	static struct ex_state s;
	static struct ex_arg args[2 * MAXCPU];
	int impl, i, j, nthr = 2 * ncpus;
	uint64_t want;

	for (impl = 0; impl < NIMPL; impl++) {
		memset(&s, 0, sizeof(s));
		s.impl = impl;
		/* the spinning baselines burn instructions: fewer rounds */
		s.iters = (impl == IMPL_LWKT ? 480 : 160) / nthr;
		if (s.iters < 8)
			s.iters = 8;
		for (j = 0; j < EX_LOCKS; j++)
			tl_init(&s.locks[j], "ex", j % ncpus);
		wg_init(&s.wg, nthr);
		for (i = 0; i < nthr; i++) {
			args[i].s = &s;
			args[i].id = i;
			test_spawn(ex_worker, &args[i], i % ncpus, TDPRI_KERN_USER, "excl");
		}
		if (wg_wait(&s.wg, WAIT_TICKS))
			return tfail(t, "%s: workers stuck", impl_names[impl]);
		for (j = 0; j < EX_LOCKS; j++) {
			want = 0;
			for (i = 0; i < nthr; i++)
				want += s.done_ops[j][i];
			if (s.counter[j] != want)
				return tfail(t, "%s: lock %d counter %lu, expected %lu",
					     impl_names[impl], j, s.counter[j], want);
			lwkt_token_uninit(&s.locks[j].tok);
		}
	}
	return 0;
}

/* ---- token_local_noatomic: the same-cpu path uses no AMO/LR/SC, no IPI ---- */

static int test_token_local_noatomic(struct tctx *t)
{
	struct lwkt_token tok;
	struct lwkt_tokref r1, r2;
	struct spinlock sl = { 0, 0 };
	static struct lwkt_token before;	/* a copy: the token must not change */
	struct pmc_snap a, b, d, sa, sb, sd, o1, o2;
	struct globaldata *gd;
	uint64_t sent0, hits0, per_pair;
	int i;

	lwkt_token_init(&tok, "local");
	crit_enter();		/* keep interrupt work out of the window */
	gd = mycpu;
	sent0 = gd->gd_ipiq_stats.sent;
	hits0 = gd->gd_tok_local_hits;
	pmc_read(&o1);		/* the cost of the measurement itself */
	pmc_read(&o2);
	memcpy(&before, &tok, sizeof(before));
	/* the IPI counter slot counts FENCEs for this window */
	pmc_set_event(PMC_SLOT_IPI, PMC_EV_FENCE);
	pmc_read(&a);
	for (i = 0; i < 100; i++) {
		lwkt_gettoken(&r1, &tok);
		lwkt_gettoken(&r2, &tok);	/* recursion too */
		lwkt_reltoken(&r2);
		lwkt_reltoken(&r1);
	}
	pmc_read(&b);
	pmc_set_event(PMC_SLOT_IPI, PMC_EV_IPI);
	pmc_read(&sa);
	for (i = 0; i < 100; i++) {
		spin_lock_raw(&sl);
		spin_unlock_raw(&sl);
	}
	pmc_read(&sb);
	crit_exit();
	lwkt_token_uninit(&tok);
	pmc_delta(&a, &b, &d);
	pmc_delta(&sa, &sb, &sd);
	if (gd->gd_ipiq_stats.sent != sent0)
		return tfail(t, "local token path sent IPIs");
	if (gd->gd_tok_local_hits - hits0 < 200)
		return tfail(t, "local token path not taken");
	/* no store to the token on a hit (the INVARIANTS shadow excepted) */
	if (memcmp(&before, &tok, __builtin_offsetof(struct lwkt_token, t_allnext)) != 0)
		return tfail(t, "a local hit wrote to the token");
	if (!pmc_available) {
		tnote(t, "no event counters");
		return 0;
	}
	if (d.c[PMC_SLOT_AMO] || d.c[PMC_SLOT_LR] || d.c[PMC_SLOT_SC] ||
	    d.c[PMC_SLOT_IPI])
		return tfail(t, "local path: amo=%lu lr=%lu sc=%lu fence=%lu",
			     d.c[PMC_SLOT_AMO], d.c[PMC_SLOT_LR], d.c[PMC_SLOT_SC],
			     d.c[PMC_SLOT_IPI]);
	if (sd.c[PMC_SLOT_AMO] < 100)
		return tfail(t, "spinlock baseline counted %lu AMOs", sd.c[PMC_SLOT_AMO]);
#ifndef INVARIANTS
	/* the budget of the hit path, loop included (INVARIANTS adds checks) */
	per_pair = (d.insns - (o2.insns - o1.insns)) / 200;
	if (per_pair > 40)
		return tfail(t, "local acquire+release: %lu instructions (budget 40)", per_pair);
#else
	(void)per_pair;
#endif
	return 0;
}

/* ---- token_one_hart: a token workload on one cpu: zero IPIs, zero AMOs ---- */

struct oh_state {
	struct lwkt_token tok[2];
	volatile int done;
	volatile int quit;
	int iters;
	thread_t workers[3];
	struct waitgroup wg;
	struct pmc_snap a, b;
	uint64_t sent0, sent1, rcvd0, rcvd1;
};

static void oh_worker(void *p)
{
	struct oh_state *s = p;
	struct lwkt_tokref r0, r1;
	uint32_t seed = (uint32_t)(uintptr_t)&r0;
	int i;

	for (i = 0; i < s->iters; i++) {
		lwkt_gettoken(&r0, &s->tok[i & 1]);
		if (krandom(&seed) % 3 == 0)
			lwkt_yield();
		lwkt_gettoken(&r1, &s->tok[(i + 1) & 1]);
		lwkt_reltoken(&r0);
		lwkt_reltoken(&r1);
		lwkt_yield();
	}
	/* park (no AMO): the coordinator reads the counters first */
	crit_enter();
	s->done++;
	while (!s->quit) {
		lwkt_deschedule_self(curthread);
		lwkt_switch();
	}
	crit_exit();
	wg_done(&s->wg);
}

static void oh_coord(void *p)
{
	struct oh_state *s = p;
	struct globaldata *gd = mycpu;
	int i;

	for (i = 0; i < 3; i++)
		lwkt_create(oh_worker, s, &s->workers[i], gd->gd_cpuid,
			    TDPRI_KERN_USER, TDF_NOSTART, "onehart");
	s->sent0 = gd->gd_ipiq_stats.sent;
	s->rcvd0 = gd->gd_ipiq_stats.received;
	pmc_read(&s->a);
	for (i = 0; i < 3; i++)
		lwkt_schedule(s->workers[i]);
	while (s->done < 3)
		lwkt_yield();
	pmc_read(&s->b);
	s->sent1 = gd->gd_ipiq_stats.sent;
	s->rcvd1 = gd->gd_ipiq_stats.received;
	s->quit = 1;
	for (i = 0; i < 3; i++)
		lwkt_schedule(s->workers[i]);
	wg_done(&s->wg);
}

static int test_token_one_hart(struct tctx *t)
{
	static struct oh_state s;
	struct pmc_snap d;
	int cpu = ncpus - 1;

	memset(&s, 0, sizeof(s));
	s.iters = 100;
	lwkt_token_init_cpu(&s.tok[0], "onehart0", cpu);
	lwkt_token_init_cpu(&s.tok[1], "onehart1", cpu);
	wg_init(&s.wg, 4);
	test_spawn(oh_coord, &s, cpu, TDPRI_KERN_USER, "onehart-co");
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "workers stuck");
	lwkt_token_uninit(&s.tok[0]);
	lwkt_token_uninit(&s.tok[1]);
	pmc_delta(&s.a, &s.b, &d);
	if (s.sent1 != s.sent0)
		return tfail(t, "%lu IPIs sent", s.sent1 - s.sent0);
	if (ncpus == 1 && s.rcvd1 != s.rcvd0)
		return tfail(t, "%lu IPIs received", s.rcvd1 - s.rcvd0);
	if (s.tok[0].t_handovers + s.tok[1].t_handovers)
		return tfail(t, "tokens left the cpu");
	if (!pmc_available) {
		tnote(t, "no event counters");
		return 0;
	}
	if (d.c[PMC_SLOT_AMO] || d.c[PMC_SLOT_LR] || d.c[PMC_SLOT_SC])
		return tfail(t, "amo=%lu lr=%lu sc=%lu", d.c[PMC_SLOT_AMO],
			     d.c[PMC_SLOT_LR], d.c[PMC_SLOT_SC]);
	if (ncpus == 1 && d.c[PMC_SLOT_IPI])
		return tfail(t, "%lu IPIs taken", d.c[PMC_SLOT_IPI]);
	return 0;
}

/* ---- token_handover: only at release (running holder) or switch ---- */

struct ho_state {
	struct lwkt_token tok;
	int hcpu;
	volatile int holding;
	volatile int stolen;
	volatile int sleeping;
	volatile int released;
	volatile int got_after_release;
	volatile int got_while_sleeping;
	volatile int req_done;		/* the requester released the token */
	int mode;		/* 0: holder spins then releases; 1: holder sleeps */
	struct waitgroup wg;
};

static void ho_holder(void *p)
{
	struct ho_state *s = p;
	struct lwkt_tokref ref;
	struct u32_watch w;
	uint64_t t0;

	lwkt_gettoken(&ref, &s->tok);
	w.addr = &s->tok.t_rcvd[s->hcpu];
	w.old = *w.addr;
	s->holding = 1;
	if (s->mode == 0) {
		/* running holder (halting, not blocking): the request is parked */
		cpu_halt_until(cond_u32_changed, &w, 50 * TICK_MTIME);
		t0 = mtime_read();
		while (mtime_read() - t0 < TICK_MTIME / 5)
			if (lwkt_token_owner(&s->tok) != mycpu)
				s->stolen = 1;
		/*
		 * A flag, not an mtime stamp: time read on two harts is not
		 * causally ordered under a quantum-based emulator.  The
		 * hand-over's release/acquire pair makes the flag visible to
		 * whoever receives the token from this release.
		 */
		s->released = 1;
	} else {
		/*
		 * Sleep until the requester has had the token: it may be slow
		 * to ask (a QEMU hart is a host thread a loaded host can stall),
		 * and until it asks we get the token back, which is correct.
		 */
		do {
			s->sleeping = 1;
			tsleep(s, 0, "hosleep", 3);
			s->sleeping = 0;
		} while (!s->req_done);
	}
	lwkt_reltoken(&ref);
	wg_done(&s->wg);
}

static void ho_requester(void *p)
{
	struct ho_state *s = p;
	struct lwkt_tokref ref;

	cpu_halt_until(cond_nonzero, (void *)&s->holding, 50 * TICK_MTIME);
	if (s->mode == 1)
		cpu_halt_until(cond_nonzero, (void *)&s->sleeping, 50 * TICK_MTIME);
	if (s->mode == 1)
		busy_wait_mtime(TICK_MTIME / 10);
	lwkt_gettoken(&ref, &s->tok);
	s->got_after_release = s->released;
	s->got_while_sleeping = s->sleeping;
	lwkt_reltoken(&ref);
	s->req_done = 1;
	wg_done(&s->wg);
}

static int test_token_handover(struct tctx *t)
{
	static struct ho_state s;
	int mode, hcpu = ncpus - 1, rcpu = ncpus - 2;

	if (ncpus < 2) {
		tnote(t, "1 hart: no foreign cpu");
		return 0;
	}
	for (mode = 0; mode < 2; mode++) {
		memset(&s, 0, sizeof(s));
		s.mode = mode;
		s.hcpu = hcpu;
		lwkt_token_init_cpu(&s.tok, "handover", hcpu);
		wg_init(&s.wg, 2);
		test_spawn(ho_holder, &s, hcpu, TDPRI_KERN_USER, "ho-hold");
		test_spawn(ho_requester, &s, rcpu, TDPRI_KERN_USER, "ho-req");
		if (wg_wait(&s.wg, WAIT_TICKS)) {
			int cpu;
			for (cpu = 0; cpu < ncpus; cpu++)
				lwkt_cpusync(1UL << cpu, lwkt_token_dump_cpu, (void *)1);
			kprintf("holding=%d stolen=%d sleeping=%d\n", s.holding, s.stolen, s.sleeping);
			return tfail(t, "mode %d: stuck", mode);
		}
		lwkt_token_uninit(&s.tok);
		if (mode == 0) {
			if (s.stolen)
				return tfail(t, "token left a running holder");
			if (s.tok.t_deferred == 0)
				return tfail(t, "request was not parked");
			if (!s.got_after_release)
				return tfail(t, "requester got the token before the release");
		} else if (!s.got_while_sleeping) {
			return tfail(t, "token not handed over while its holder slept");
		}
	}
	return 0;
}

/* ---- token_blocking: atomicity holds between blocking points only ---- */

struct bl_state {
	struct lwkt_token tok;
	volatile uint64_t gen;
	volatile int changed_plain;
	volatile int changed_block;
	struct waitgroup wg;
};

static void bl_worker(void *p)
{
	struct bl_state *s = p;
	struct lwkt_tokref ref;
	uint64_t g;
	int i;

	for (i = 0; i < 12; i++) {
		lwkt_gettoken(&ref, &s->tok);
		g = s->gen;
		spin_delay(200);
		if (s->gen != g)
			s->changed_plain++;
		s->gen = g + 1;
		g = s->gen;
		tsleep(&g, 0, "blk", 1);	/* blocking point, token held */
		if (s->gen != g)
			s->changed_block++;
		s->gen++;
		lwkt_reltoken(&ref);
	}
	wg_done(&s->wg);
}

static int test_token_blocking(struct tctx *t)
{
	static struct bl_state s;
	int cpu;

	memset(&s, 0, sizeof(s));
	lwkt_token_init(&s.tok, "blocking");
	wg_init(&s.wg, ncpus < 2 ? 2 : ncpus);
	for (cpu = 0; cpu < (ncpus < 2 ? 2 : ncpus); cpu++)
		test_spawn(bl_worker, &s, cpu % ncpus, TDPRI_KERN_USER, "blk");
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "stuck");
	lwkt_token_uninit(&s.tok);
	if (s.changed_plain)
		return tfail(t, "generation changed without a block (%d times)",
			     s.changed_plain);
	if (s.changed_block == 0)
		return tfail(t, "token never taken during a block");
	return 0;
}

/* ---- token_deadlock: random token sets, random order, blocking; watchdog ---- */

#define DL_TOKENS 4

struct dl_state {
	struct lwkt_token tok[DL_TOKENS];
	volatile uint64_t counter[DL_TOKENS];
	volatile uint64_t expect[DL_TOKENS][2 * MAXCPU];
	int iters;
	struct waitgroup wg;
};

struct dl_arg {
	struct dl_state *s;
	int id;
};

static void dl_worker(void *p)
{
	struct dl_arg *a = p;
	struct dl_state *s = a->s;
	struct lwkt_tokref refs[3];
	int held[3], idx[3], n, i, k, j;
	uint32_t seed = 0xabcdef + a->id * 104729;
	uint64_t v;

	for (i = 0; i < s->iters; i++) {
		n = 2 + krandom(&seed) % 2;
		for (k = 0; k < n; k++) {
			do {
				held[k] = krandom(&seed) % DL_TOKENS;
				for (j = 0; j < k && held[j] != held[k]; j++)
					;
			} while (j < k);
			lwkt_gettoken(&refs[k], &s->tok[held[k]]);
			if (krandom(&seed) % 5 == 0)
				lwkt_yield();
		}
		for (k = 0; k < n; k++) {
			v = s->counter[held[k]];
			spin_delay(krandom(&seed) % 8);
			s->counter[held[k]] = v + 1;
			s->expect[held[k]][a->id]++;
		}
		if (krandom(&seed) % 23 == 0)
			tsleep(&seed, 0, "dlslp", 1);
		/* release in a random order (tokrefs stay in place) */
		for (k = 0; k < n; k++)
			idx[k] = k;
		while (n > 0) {
			k = krandom(&seed) % n;
			lwkt_reltoken(&refs[idx[k]]);
			idx[k] = idx[n - 1];
			n--;
		}
	}
	wg_done(&s->wg);
}

static int test_token_deadlock(struct tctx *t)
{
	static struct dl_state s;
	static struct dl_arg args[2 * MAXCPU];
	int i, j, nthr = 2 * ncpus;
	uint64_t want, withdrawn = 0;
	char note[64];

	for (i = 0; i < ncpus; i++)
		withdrawn -= cpu_globaldata[i].gd_tok_withdrawn;
	memset(&s, 0, sizeof(s));
	s.iters = 400 / nthr < 10 ? 10 : 400 / nthr;
	for (j = 0; j < DL_TOKENS; j++)
		lwkt_token_init_cpu(&s.tok[j], "deadlock", j % ncpus);
	wg_init(&s.wg, nthr);
	for (i = 0; i < nthr; i++) {
		args[i].s = &s;
		args[i].id = i;
		test_spawn(dl_worker, &args[i], i % ncpus, TDPRI_KERN_USER, "dl");
	}
	if (wg_wait(&s.wg, WAIT_TICKS)) {
		int cpu;
		uint64_t done = 0;
		for (j = 0; j < DL_TOKENS; j++)
			for (i = 0; i < nthr; i++)
				done += s.expect[j][i];
		kprintf("deadlock: %lu token increments done\n", done);
		for (cpu = 0; cpu < ncpus; cpu++)
			lwkt_cpusync(1UL << cpu, lwkt_token_dump_cpu, (void *)1);
		return tfail(t, "watchdog: no progress in 10 s (deadlock)");
	}
	for (j = 0; j < DL_TOKENS; j++) {
		lwkt_token_uninit(&s.tok[j]);
		want = 0;
		for (i = 0; i < nthr; i++)
			want += s.expect[j][i];
		if (s.counter[j] != want)
			return tfail(t, "token %d: counter %lu expected %lu", j,
				     s.counter[j], want);
	}
	/*
	 * Parked requests that releases withdrew (lwkt_cancel_reqtoken_remote):
	 * how often this run met the window of the seed-119 deadlock.
	 */
	for (i = 0; i < ncpus; i++)
		withdrawn += cpu_globaldata[i].gd_tok_withdrawn;
	ksnprintf(note, sizeof(note), "%lu parked requests withdrawn by releases",
		  withdrawn);
	tnote(t, note);
	return 0;
}

/* ---- token_dependency: a holder whose token was taken waits for it ---- */

struct dep_state {
	struct lwkt_token tok;
	volatile int a_sleeping;
	volatile int b_have;
	volatile int b_released;
	volatile int a_ok;
	volatile uint64_t a_wake_deadline;
	struct waitgroup wg;
};

static void dep_a(void *p)
{
	struct dep_state *s = p;
	struct lwkt_tokref ref;

	lwkt_gettoken(&ref, &s->tok);
	/*
	 * Sleep until B has had the token: B may be slow to ask (a QEMU hart
	 * is a host thread that a loaded host can stall for many ticks), and
	 * until it asks we keep getting the token back, which is correct.
	 * Once we see b_have we must also see b_released: we can only run
	 * with the token after B let it go.
	 */
	do {
		s->a_wake_deadline = mtime_read() + TICK_MTIME;
		s->a_sleeping = 1;
		tsleep(s, 0, "depa", 1);	/* B may take the token meanwhile */
	} while (!s->b_have);
	s->a_ok = s->b_released;	/* we may only run after B let go */
	lwkt_reltoken(&ref);
	wg_done(&s->wg);
}

static void dep_b(void *p)
{
	struct dep_state *s = p;
	struct lwkt_tokref ref;

	cpu_halt_until(cond_nonzero, (void *)&s->a_sleeping, 50 * TICK_MTIME);
	lwkt_gettoken(&ref, &s->tok);
	s->b_have = 1;
	/* hold well past A's wakeup; A is runnable but must not run */
	while (mtime_read() < s->a_wake_deadline + 2 * TICK_MTIME)
		;
	s->b_released = 1;
	lwkt_reltoken(&ref);
	wg_done(&s->wg);
}

static int test_token_dependency(struct tctx *t)
{
	static struct dep_state s;

	if (ncpus < 2) {
		tnote(t, "1 hart: no foreign cpu");
		return 0;
	}
	memset(&s, 0, sizeof(s));
	lwkt_token_init_cpu(&s.tok, "dependency", ncpus - 1);
	wg_init(&s.wg, 2);
	test_spawn(dep_a, &s, ncpus - 1, TDPRI_KERN_USER, "dep-a");
	test_spawn(dep_b, &s, ncpus - 2, TDPRI_KERN_USER, "dep-b");
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "stuck");
	lwkt_token_uninit(&s.tok);
	if (!s.b_have)
		return tfail(t, "B never got the token");
	/*
	 * Only the flag is a sound witness: mtime read on two harts is not
	 * causally ordered under a quantum-based emulator (each hart's view of
	 * time runs ahead within its slice), so comparing the two time stamps
	 * would blame the clock, not the token.
	 */
	if (!s.a_ok)
		return tfail(t, "A ran before B released the token");
	return 0;
}

/* ---- token_compartments: cpus 0-1 on A, 2-3 on B ---- */

struct cp_arg {
	struct lwkt_token *tok;
	volatile uint64_t *counter;
	struct waitgroup *wg;
};

static void cp_worker(void *p)
{
	struct cp_arg *a = p;
	struct lwkt_tokref ref;
	int i;

	for (i = 0; i < 40; i++) {
		lwkt_gettoken(&ref, a->tok);
		(*a->counter)++;
		lwkt_reltoken(&ref);
		lwkt_yield();
	}
	wg_done(a->wg);
}

static int test_token_compartments(struct tctx *t)
{
	static struct lwkt_token ta, tb;
	static volatile uint64_t ca, cb;
	static struct cp_arg args[4];
	struct waitgroup wg;
	int cpu;

	if (ncpus < 4) {
		tnote(t, "needs 4 harts");
		return 0;
	}
	lwkt_token_init_cpu(&ta, "compartA", 0);
	lwkt_token_init_cpu(&tb, "compartB", 2);
	ca = cb = 0;
	wg_init(&wg, 4);
	for (cpu = 0; cpu < 4; cpu++) {
		args[cpu].tok = cpu < 2 ? &ta : &tb;
		args[cpu].counter = cpu < 2 ? &ca : &cb;
		args[cpu].wg = &wg;
		test_spawn(cp_worker, &args[cpu], cpu, TDPRI_KERN_USER, "compart");
	}
	if (wg_wait(&wg, WAIT_TICKS))
		return tfail(t, "stuck");
	lwkt_token_uninit(&ta);
	lwkt_token_uninit(&tb);
	if (ca != 80 || cb != 80)
		return tfail(t, "counters %lu %lu, expected 80", ca, cb);
	if (ta.t_rcvd[2] || ta.t_rcvd[3])
		return tfail(t, "cpus 2-3 received %u requests for A",
			     ta.t_rcvd[2] + ta.t_rcvd[3]);
	if (tb.t_rcvd[0] || tb.t_rcvd[1])
		return tfail(t, "cpus 0-1 received %u requests for B",
			     tb.t_rcvd[0] + tb.t_rcvd[1]);
	if (ta.t_rcvd[0] + ta.t_rcvd[1] == 0 || tb.t_rcvd[2] + tb.t_rcvd[3] == 0)
		return tfail(t, "no contention inside a compartment");
	return 0;
}

/* ---- token_recursion: recursive refs, release in any order ---- */

struct rc_state {
	struct lwkt_token tok;
	volatile int go;
	volatile int got;
	struct waitgroup wg;
};

static void rc_requester(void *p)
{
	struct rc_state *s = p;
	struct lwkt_tokref ref;

	cpu_halt_until(cond_nonzero, (void *)&s->go, 50 * TICK_MTIME);
	lwkt_gettoken(&ref, &s->tok);
	s->got = 1;
	lwkt_reltoken(&ref);
	wg_done(&s->wg);
}

static void rc_holder(void *p)
{
	struct rc_state *s = p;
	struct lwkt_tokref r1, r2;
	struct u32_watch w;
	int bad = 0;

	lwkt_gettoken(&r1, &s->tok);
	lwkt_gettoken(&r2, &s->tok);
	w.addr = &s->tok.t_rcvd[mycpu->gd_cpuid];
	w.old = *w.addr;
	s->go = 1;
	cpu_halt_until(cond_u32_changed, &w, 50 * TICK_MTIME);
	lwkt_reltoken(&r1);		/* outer first: still held via r2 */
	busy_wait_mtime(TICK_MTIME / 10);
	if (s->got || lwkt_token_owner(&s->tok) != mycpu)
		bad = 1;
	lwkt_reltoken(&r2);
	if (bad)
		s->got = -1;
	wg_done(&s->wg);
}

static int test_token_recursion(struct tctx *t)
{
	static struct rc_state s;
	struct lwkt_token k1, k2;
	struct lwkt_tokref a, b, c;

	/* local: recursion and both release orders */
	lwkt_token_init(&k1, "rec1");
	lwkt_token_init(&k2, "rec2");
	lwkt_gettoken(&a, &k1);
	lwkt_gettoken(&b, &k2);
	lwkt_gettoken(&c, &k1);
	lwkt_reltoken(&a);		/* oldest first */
	lwkt_reltoken(&c);
	lwkt_reltoken(&b);
	if (curthread->td_toks != NULL)
		return tfail(t, "tokref list not empty");
	lwkt_gettoken(&a, &k1);
	lwkt_gettoken(&b, &k2);
	lwkt_reltoken(&b);		/* newest first */
	lwkt_reltoken(&a);
	lwkt_token_uninit(&k1);
	lwkt_token_uninit(&k2);
	if (curthread->td_toks != NULL)
		return tfail(t, "tokref list not empty (2)");
	if (ncpus < 2) {
		tnote(t, "1 hart: local part only");
		return 0;
	}
	memset(&s, 0, sizeof(s));
	lwkt_token_init_cpu(&s.tok, "recursion", ncpus - 1);
	wg_init(&s.wg, 2);
	test_spawn(rc_holder, &s, ncpus - 1, TDPRI_KERN_USER, "rc-hold");
	test_spawn(rc_requester, &s, ncpus - 2, TDPRI_KERN_USER, "rc-req");
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "stuck");
	lwkt_token_uninit(&s.tok);
	if (s.got != 1)
		return tfail(t, "token left at the inner release");
	return 0;
}

/*
 * ---- token_fifo: requests parked behind a running holder are granted in
 * arrival order (the oldest first) ----
 */
struct ff_state {
	struct lwkt_token tok;
	volatile int holding;
	volatile int parked;		/* requests parked so far */
	volatile int order;		/* next acquisition number */
	volatile int got[2];		/* acquisition number of R0, R1 */
	struct waitgroup wg;
};

static void ff_holder(void *p)
{
	struct ff_state *s = p;
	struct lwkt_tokref ref;

	lwkt_gettoken(&ref, &s->tok);
	s->holding = 1;
	/* running (halting, not blocking): both requests park here */
	while (s->tok.t_deferred < 2)
		busy_wait_mtime(TICK_MTIME / 100);
	lwkt_reltoken(&ref);
	wg_done(&s->wg);
}

static void ff_requester(void *p)
{
	struct ff_state *s = (struct ff_state *)((uintptr_t)p & ~1UL);
	int i = (uintptr_t)p & 1;
	struct lwkt_tokref ref;

	cpu_halt_until(cond_nonzero, (void *)&s->holding, 50 * TICK_MTIME);
	/* R1 asks only once R0's request is parked: a known arrival order */
	while (s->tok.t_deferred < (uint64_t)i)
		busy_wait_mtime(TICK_MTIME / 100);
	lwkt_gettoken(&ref, &s->tok);
	s->got[i] = ++s->order;
	lwkt_reltoken(&ref);
	wg_done(&s->wg);
}

static int test_token_fifo(struct tctx *t)
{
	static struct ff_state s;

	if (ncpus < 3) {
		tnote(t, "needs 3 harts");
		return 0;
	}
	memset(&s, 0, sizeof(s));
	lwkt_token_init_cpu(&s.tok, "fifo", ncpus - 1);
	wg_init(&s.wg, 3);
	test_spawn(ff_holder, &s, ncpus - 1, TDPRI_KERN_USER, "ff-hold");
	test_spawn(ff_requester, &s, ncpus - 2, TDPRI_KERN_USER, "ff-r0");
	test_spawn(ff_requester, (void *)((uintptr_t)&s | 1), ncpus - 3, TDPRI_KERN_USER, "ff-r1");
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "stuck");
	lwkt_token_uninit(&s.tok);
	if (s.got[0] != 1 || s.got[1] != 2)
		return tfail(t, "granted out of arrival order: first request got it %d., second %d.",
			     s.got[0], s.got[1]);
	return 0;
}

/* ---- token_trytoken and pool tokens ---- */

static int test_token_try_pool(struct tctx *t)
{
	struct lwkt_token local, remote;
	struct lwkt_tokref r;
	static int obj1, obj2;
	lwkt_token_t p1, p2;
	uint64_t reqs0;

	lwkt_token_init(&local, "trylocal");
	if (!lwkt_trytoken(&r, &local))
		return tfail(t, "trytoken failed on a local token");
	lwkt_reltoken(&r);
	lwkt_token_uninit(&local);
	if (ncpus > 1) {
		lwkt_token_init_cpu(&remote, "tryremote", ncpus - 1);
		reqs0 = remote.t_remote_reqs;
		if (lwkt_trytoken(&r, &remote))
			return tfail(t, "trytoken took a foreign token");
		lwkt_token_uninit(&remote);
		if (remote.t_remote_reqs != reqs0 || curthread->td_toks)
			return tfail(t, "failed trytoken left state behind");
	}
	p1 = lwkt_token_pool_get(&obj1);
	p2 = lwkt_token_pool_get(&obj2);
	if (p1 != lwkt_token_pool_get(&obj1))
		return tfail(t, "pool token not stable");
	lwkt_gettoken(&r, p1);
	if (p2 != p1) {
		struct lwkt_tokref r2;
		lwkt_gettoken(&r2, p2);
		lwkt_reltoken(&r2);
	}
	lwkt_reltoken(&r);
	return 0;
}

/* ---- token_preempt: an interrupt thread waits for its victim's token ---- */

struct tp_state {
	struct lwkt_token tok;
	thread_t ithread;
	volatile int attempted;
	volatile int released;
	volatile int i_ok;
	volatile int i_done;
	struct systimer st;
	struct waitgroup wg;
};

static void tp_ithread(void *p)
{
	struct tp_state *s = p;
	struct lwkt_tokref ref;

	s->attempted = 1;
	lwkt_gettoken(&ref, &s->tok);	/* the preempted thread holds it */
	s->i_ok = s->released;
	lwkt_reltoken(&ref);
	s->i_done = 1;
	wg_done(&s->wg);
}

static void tp_timer(void *p)
{
	struct tp_state *s = p;
	lwkt_schedule(s->ithread);
}

static void tp_low(void *p)
{
	struct tp_state *s = p;
	struct lwkt_tokref ref;

	lwkt_gettoken(&ref, &s->tok);
	systimer_add(&s->st, mtime_read() + TICK_MTIME / 10, tp_timer, s);
	cpu_halt_until(cond_nonzero, (void *)&s->attempted, 20 * TICK_MTIME);
	busy_wait_mtime(TICK_MTIME / 20);	/* it must not get the token now */
	s->released = 1;
	cpu_mfence();
	lwkt_reltoken(&ref);
	wg_done(&s->wg);
}

static int test_token_preempt(struct tctx *t)
{
	static struct tp_state s;
	int cpu = ncpus - 1;

	memset(&s, 0, sizeof(s));
	lwkt_token_init_cpu(&s.tok, "preempt", cpu);
	lwkt_create(tp_ithread, &s, &s.ithread, cpu, TDPRI_INT_MED, TDF_NOSTART,
		    "tok-ithread");
	s.ithread->td_preemptable = 1;
	wg_init(&s.wg, 2);
	test_spawn(tp_low, &s, cpu, TDPRI_USER, "tok-low");
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "stuck");
	lwkt_token_uninit(&s.tok);
	if (!s.attempted)
		return tfail(t, "interrupt thread did not preempt");
	if (!s.i_ok)
		return tfail(t, "interrupt thread got the token its victim held");
	return 0;
}

/* ---- token_preempt_window: preemption anywhere in gettoken/reltoken ---- */

/*
 * A preempted thread stays the running holder of its tokens, whatever
 * instruction of lwkt_gettoken or lwkt_reltoken the interrupt lands on.
 * A (last cpu) takes and releases a token that B (another cpu) keeps
 * taking away, so A's acquisitions are hits and misses; B schedules a
 * preemptable interrupt thread on A's cpu by IPI after random delays,
 * over and over, and the interrupt thread tries the token each time it
 * runs.  Both builds check exclusion: the interrupt thread never gets the
 * token while A holds it, and a plain counter under the token is exact.
 * The INVARIANTS build also checks its running-holder shadow: resuming A
 * from a preemption used to recompute A's entries from td_toks, which
 * panicked between tokref_push and the miss's critical section ("thread
 * resumed without its token") and, between shadow_clear and the unlink,
 * left A the holder of a token it had released ("running holders" at the
 * next taker).  B usually waits for the token when A releases it, so
 * such a stale entry meets a taker at once.
 */
#define PW_PREEMPTS	50	/* A runs until preempted this often, */
#define PW_ITERS	10000	/* or for this many rounds once preempted, */
#define PW_MAX_ITERS	200000	/* or at most this many */

struct pw_state {
	struct lwkt_token tok;
	thread_t ithread;
	thread_t a_td;
	volatile int a_holds;
	volatile int a_done;
	volatile int b_started;
	volatile int quit;
	volatile int i_exited;
	volatile int i_runs;
	volatile int i_preempted_a;
	volatile int i_got;
	volatile int i_overlap;
	volatile uint64_t counter;
	volatile uint64_t a_count;
	volatile uint64_t b_count;
	struct waitgroup wg;
};

static void pw_ithread(void *p)
{
	struct pw_state *s = p;
	struct lwkt_tokref ref;

	for (;;) {
		if (curthread->td_preempted == s->a_td)
			s->i_preempted_a++;
		if (lwkt_trytoken(&ref, &s->tok)) {
			if (s->a_holds)
				s->i_overlap++;
			s->i_got++;
			lwkt_reltoken(&ref);
		}
		crit_enter();
		s->i_runs++;
		if (s->quit) {
			s->i_exited = 1;
			crit_exit();
			return;
		}
		lwkt_deschedule_self(curthread);
		lwkt_switch();
		crit_exit();
	}
}

static void pw_a(void *p)
{
	struct pw_state *s = p;
	struct lwkt_tokref ref;
	uint32_t seed = 0x5eed;
	uint64_t v;
	int i;

	cpu_halt_until(cond_nonzero, (void *)&s->b_started, 20 * TICK_MTIME);
	for (i = 0; i < PW_MAX_ITERS && s->i_preempted_a < PW_PREEMPTS &&
		    (i < PW_ITERS || s->i_preempted_a == 0); i++) {
		lwkt_gettoken(&ref, &s->tok);
		s->a_holds = 1;
		v = s->counter;
		spin_delay(krandom(&seed) % 4);
		s->counter = v + 1;
		s->a_count++;
		s->a_holds = 0;
		lwkt_reltoken(&ref);
		spin_delay(krandom(&seed) % 16);
	}
	s->a_done = 1;
	wg_done(&s->wg);
}

static void pw_b(void *p)
{
	struct pw_state *s = p;
	struct lwkt_tokref ref;
	uint32_t seed = 0xb0b;
	uint64_t v;

	s->b_started = 1;
	while (!s->a_done) {
		spin_delay(krandom(&seed) % 64);
		lwkt_schedule(s->ithread);	/* lands while A runs */
		lwkt_gettoken(&ref, &s->tok);
		v = s->counter;
		spin_delay(krandom(&seed) % 4);
		s->counter = v + 1;
		s->b_count++;
		lwkt_reltoken(&ref);
	}
	wg_done(&s->wg);
}

static int test_token_preempt_window(struct tctx *t)
{
	static struct pw_state s;
	int x = ncpus - 1, i;
	char note[80];

	if (ncpus < 2) {
		tnote(t, "needs 2 harts");
		return 0;
	}
	memset(&s, 0, sizeof(s));
	lwkt_token_init_cpu(&s.tok, "pwindow", x);
	lwkt_create(pw_ithread, &s, &s.ithread, x, TDPRI_INT_MED, TDF_NOSTART,
		    "pw-ithread");
	s.ithread->td_preemptable = 1;
	wg_init(&s.wg, 2);
	lwkt_create(pw_a, &s, &s.a_td, x, TDPRI_USER, TDF_NOSTART, "pw-a");
	lwkt_schedule(s.a_td);
	test_spawn(pw_b, &s, x - 1, TDPRI_USER, "pw-b");
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "stuck");
	/* static s: the interrupt thread is gone before we return */
	s.quit = 1;
	cpu_mfence();
	lwkt_schedule(s.ithread);
	for (i = 0; !s.i_exited && i < WAIT_TICKS; i++)
		tsleep(&s, 0, "pw", 1);
	if (!s.i_exited)
		return tfail(t, "interrupt thread did not exit");
	tsleep(&s, 0, "pw", 1);		/* it returns right after counting */
	lwkt_token_uninit(&s.tok);
	if (s.i_overlap)
		return tfail(t, "interrupt thread got the token while A held it (%d times)",
			     s.i_overlap);
	if (s.counter != s.a_count + s.b_count)
		return tfail(t, "counter %lu expected %lu", s.counter,
			     s.a_count + s.b_count);
	if (s.i_preempted_a == 0)
		return tfail(t, "the interrupt thread never preempted A (%d runs)",
			     s.i_runs);
	ksnprintf(note, sizeof(note), "%d preemptions of A, token taken %d times",
		  s.i_preempted_a, s.i_got);
	tnote(t, note);
	return 0;
}

const struct ktest ktests_token[] = {
	{ "token_preempt",        test_token_preempt },
	{ "token_preempt_window", test_token_preempt_window },
	{ "token_exclusion",      test_token_exclusion },
	{ "token_local_noatomic", test_token_local_noatomic },
	{ "token_one_hart",       test_token_one_hart },
	{ "token_handover",       test_token_handover },
	{ "token_blocking",       test_token_blocking },
	{ "token_deadlock",       test_token_deadlock },
	{ "token_dependency",     test_token_dependency },
	{ "token_compartments",   test_token_compartments },
	{ "token_recursion",      test_token_recursion },
	{ "token_fifo",           test_token_fifo },
	{ "token_try_pool",       test_token_try_pool },
	{ NULL, NULL },
};
