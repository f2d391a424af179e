/*
 * bench token: cost per acquire+release pair of a serializing token
 * (lwkt), the spin token baseline and an AMO spinlock, measured on the
 * acquiring hart: retired instructions (minstret), AMO/LR/SC (event
 * counters) and IPI interrupts taken (all harts) per pair.
 */
#include "kernel.h"
#include "globaldata.h"
#include "ktest.h"
#include "token.h"
#include "pmc.h"

enum { B_LWKT, B_SPINTOK, B_SPINLOCK, B_NIMPL };
static const char *const bimpl[B_NIMPL] = { "lwkt", "spintoken", "spinlock" };

struct block {
	struct lwkt_token tok;
	struct spintoken st;
	struct spinlock sl;
};

static void b_get(int impl, struct block *l, struct lwkt_tokref *ref)
{
	if (impl == B_LWKT)
		lwkt_gettoken(ref, &l->tok);
	else if (impl == B_SPINTOK)
		spintoken_get(&l->st);
	else
		spin_lock_raw(&l->sl);
}

static void b_rel(int impl, struct block *l, struct lwkt_tokref *ref)
{
	if (impl == B_LWKT)
		lwkt_reltoken(ref);
	else if (impl == B_SPINTOK)
		spintoken_rel(&l->st);
	else
		spin_unlock_raw(&l->sl);
}

static uint64_t ipi_intrs_all(void)
{
	uint64_t n = 0;
	int cpu;

	for (cpu = 0; cpu < ncpus; cpu++)
		n += cpu_globaldata[cpu].gd_ipiq_stats.intrs;
	return n;
}

/* Accumulated cost of the measured pairs. */
struct bacc {
	struct pmc_snap sum;
	uint64_t ops;
};

static void bacc_add(struct bacc *a, const struct pmc_snap *x, const struct pmc_snap *y)
{
	struct pmc_snap d;
	int i;

	pmc_delta(x, y, &d);
	a->sum.insns += d.insns;
	for (i = 0; i < PMC_NSLOTS; i++)
		a->sum.c[i] += d.c[i];
	a->ops++;
}

/* Print value/ops with two decimals. */
static void put_ratio(const char *key, uint64_t v, uint64_t ops)
{
	uint64_t x100 = ops ? v * 100 / ops : 0;
	bench_printf(" %s=%lu.%02lu", key, x100 / 100, x100 % 100);
}

static void b_report(const char *name, int impl, struct bacc *a, uint64_t ipis,
		     uint64_t overhead)
{
	uint64_t insns = a->sum.insns / (a->ops ? a->ops : 1);

	insns = insns > overhead ? insns - overhead : 0;
	bench_printf("BENCH token.%s impl=%s harts=%d ops=%lu insns_per_op=%lu", name,
		bimpl[impl], ncpus, a->ops, insns);
	put_ratio("amo_per_op", a->sum.c[PMC_SLOT_AMO], a->ops);
	put_ratio("lr_per_op", a->sum.c[PMC_SLOT_LR], a->ops);
	put_ratio("sc_per_op", a->sum.c[PMC_SLOT_SC], a->ops);
	put_ratio("ipi_per_op", ipis, a->ops);
	put_ratio("xfer_per_op", a->sum.c[PMC_SLOT_XFERALL], a->ops);
	bench_printf("%s\n", pmc_available ? "" : " counters=none");
}

/* Cost of the measurement itself (two pmc_read calls). */
static uint64_t pmc_overhead(void)
{
	struct pmc_snap a, b;
	uint64_t best = ~0UL;
	int i;

	for (i = 0; i < 8; i++) {
		pmc_read(&a);
		pmc_read(&b);
		if (b.insns - a.insns < best)
			best = b.insns - a.insns;
	}
	return best;
}

/* ---- local, uncontended ---- */

static void bench_local(int impl, uint64_t ovh)
{
	static struct block l;
	struct lwkt_tokref ref;
	struct pmc_snap x, y;
	struct bacc acc;
	uint64_t ipi0;
	int i;

	memset(&acc, 0, sizeof(acc));
	lwkt_token_init(&l.tok, "bench-local");
	spintoken_init(&l.st, "bench-local");
	l.sl.lock = 0;
	ipi0 = ipi_intrs_all();
	crit_enter();		/* keep the tick out of the numbers */
	for (i = 0; i < 1000; i++) {
		pmc_read(&x);
		b_get(impl, &l, &ref);
		b_rel(impl, &l, &ref);
		pmc_read(&y);
		bacc_add(&acc, &x, &y);
	}
	crit_exit();
	lwkt_token_uninit(&l.tok);
	b_report("local", impl, &acc, ipi_intrs_all() - ipi0, ovh);
}

/* ---- foreign round trip, and mixed local/foreign ---- */

struct bx_state {
	int impl;
	int period;		/* the other cpu takes it every period ops; 0 = never; 1 = alternate */
	int nops;
	/*
	 * The measured lock and the hand-shake flags each get their own cache
	 * lines: the transfers the coherence model counts must be the lock's,
	 * not those of whatever the linker happened to place beside it.
	 */
	struct block l __attribute__((aligned(64)));
	volatile int turn __attribute__((aligned(64)));	/* 1: cpu B should take the lock once */
	volatile int quit;
	struct bacc acc __attribute__((aligned(64)));	/* the measuring hart's alone */
	uint64_t ovh;
	struct waitgroup wg;
};

static int bx_go(void *p)
{
	struct bx_state *s = p;
	return s->turn || s->quit;
}

static int bx_back(void *p)
{
	struct bx_state *s = p;
	return s->turn == 0;
}

/*
 * Both sides wait by halting (cpu_halt_until re-checks every 1 ms), so
 * the waiting hart burns no instructions and raises no IPI of its own.
 */
static void bx_other(void *p)
{
	struct bx_state *s = p;
	struct lwkt_tokref ref;

	for (;;) {
		while (!bx_go(s))
			cpu_halt_until(bx_go, s, TIMER_FREQ);
		if (s->quit)
			break;
		b_get(s->impl, &s->l, &ref);
		b_rel(s->impl, &s->l, &ref);
		cpu_mfence();
		s->turn = 0;
	}
	wg_done(&s->wg);
}

static void bx_main(void *p)
{
	struct bx_state *s = p;
	struct lwkt_tokref ref;
	struct pmc_snap x, y;
	int i;

	for (i = 0; i < s->nops; i++) {
		if (s->period && i % s->period == 0) {
			s->turn = 1;		/* cpu B takes it: next acquire is foreign */
			while (!bx_back(s))
				cpu_halt_until(bx_back, s, TIMER_FREQ);
		}
		pmc_read(&x);
		b_get(s->impl, &s->l, &ref);
		b_rel(s->impl, &s->l, &ref);
		pmc_read(&y);
		bacc_add(&s->acc, &x, &y);
	}
	s->quit = 1;
	wg_done(&s->wg);
}

static void bench_cross(const char *name, int impl, int period, int nops, uint64_t ovh)
{
	static struct bx_state s;
	uint64_t ipi0;

	memset(&s, 0, sizeof(s));
	s.impl = impl;
	s.period = period;
	s.nops = nops;
	lwkt_token_init_cpu(&s.l.tok, "bench-x", 0);
	spintoken_init(&s.l.st, "bench-x");
	wg_init(&s.wg, 2);
	ipi0 = ipi_intrs_all();
	test_spawn(bx_other, &s, 1, TDPRI_KERN_USER, "bench-b");
	test_spawn(bx_main, &s, 0, TDPRI_KERN_USER, "bench-a");
	wg_wait(&s.wg, 3000);
	lwkt_token_uninit(&s.l.tok);
	b_report(name, impl, &s.acc, ipi_intrs_all() - ipi0, ovh);
}

static void bench_token(void)
{
	static const struct { const char *name; int period; } mixes[] = {
		{ "mixed100", 0 }, { "mixed99", 100 }, { "mixed90", 10 },
		{ "mixed50", 2 },
	};
	uint64_t ovh = pmc_overhead();
	int impl, m;

	for (impl = 0; impl < B_NIMPL; impl++)
		bench_local(impl, ovh);
	if (ncpus < 2) {
		bench_printf("BENCH token.foreign harts=1 skipped=1\n");
		return;
	}
	for (impl = 0; impl < B_NIMPL; impl++)
		bench_cross("foreign", impl, 1, 200, ovh);
	for (m = 0; m < 4; m++)
		for (impl = 0; impl < B_NIMPL; impl++)
			bench_cross(mixes[m].name, impl, mixes[m].period, 400, ovh);
}

const struct kbench kbenches_token[] = {
	{ "token", bench_token },
	{ NULL, NULL },
};
