/*
 * Token tests aimed at the explorer (scripts/explore: PCT schedules, the
 * RVWMO memory model): ordering of many fields across a hand-over,
 * several cpus requesting one token, and releasing a reference whose
 * request is still in flight.  They run in `test all` as well.
 */
#include "kernel.h"
#include "globaldata.h"
#include "ktest.h"
#include "token.h"

#define WAIT_TICKS 1000
#define TO_FIELDS 16

/*
 * Data protected by a token: one field per cache line, so that an
 * ordering bug in the hand-over (a missing fence rw,w before t_cpu, or
 * fence r,rw after seeing it) lets a reader on another hart see some
 * fields of the last writer and not others.
 */
struct to_fields {
	struct {
		volatile uint64_t v;
		uint64_t pad[7];
	} f[TO_FIELDS];
} __attribute__((aligned(64)));

/* Holding the token: all fields equal; write the next generation. */
static int to_check_and_bump(struct to_fields *d, uint64_t *gen)
{
	uint64_t g = d->f[0].v;
	int k, bad = 0;

	for (k = 1; k < TO_FIELDS; k++)
		if (d->f[k].v != g)
			bad = 1;
	for (k = 0; k < TO_FIELDS; k++)
		d->f[k].v = g + 1;
	*gen = g;
	return bad;
}

/* ---- token_ordering: two harts alternate, every round crosses harts ---- */

#define TO_ROUNDS 60

struct to_state {
	struct to_fields d;
	struct lwkt_token tok;
	volatile int turn;		/* protected by tok */
	volatile int bad;
	volatile uint64_t badgen;
	volatile uint64_t badfield;
	struct waitgroup wg;
};

static void to_thread(void *p)
{
	struct to_state *s = p;
	struct lwkt_tokref ref;
	int me = mycpu->gd_cpuid == 0 ? 0 : 1, r, k;
	uint64_t g;

	for (r = 0; r < TO_ROUNDS; r++) {
		for (;;) {
			lwkt_gettoken(&ref, &s->tok);
			if (s->turn == me)
				break;
			lwkt_reltoken(&ref);
			lwkt_yield();
		}
		g = s->d.f[0].v;
		for (k = 1; k < TO_FIELDS; k++) {
			if (s->d.f[k].v != g && !s->bad) {
				s->bad = 1;
				s->badgen = g;
				s->badfield = (uint64_t)k << 32 | (uint32_t)s->d.f[k].v;
			}
		}
		to_check_and_bump(&s->d, &g);
		s->turn = 1 - me;
		lwkt_reltoken(&ref);
	}
	wg_done(&s->wg);
}

static int test_token_ordering(struct tctx *t)
{
	static struct to_state s;
	int k;

	if (ncpus < 2) {
		tnote(t, "1 hart: nothing crosses harts");
		return 0;
	}
	lwkt_token_uninit(&s.tok);	/* a previous run registered it */
	memset(&s, 0, sizeof(s));
	lwkt_token_init_cpu(&s.tok, "ordering", 0);
	wg_init(&s.wg, 2);
	test_spawn(to_thread, &s, 0, TDPRI_KERN_USER, "order-0");
	test_spawn(to_thread, &s, ncpus - 1, TDPRI_KERN_USER, "order-1");
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "stuck");
	cpu_acquire_fence();
	if (s.bad)
		return tfail(t, "generation %lu: field %lu read %lu (stale across the hand-over)",
			     s.badgen, s.badfield >> 32, s.badfield & 0xffffffff);
	for (k = 0; k < TO_FIELDS; k++)
		if (s.d.f[k].v != 2 * TO_ROUNDS)
			return tfail(t, "field %d = %lu, want %d", k, s.d.f[k].v, 2 * TO_ROUNDS);
	return 0;
}

/* ---- token_multireq: every cpu (3 or more) requests one token ---- */

#define TM_ROUNDS 25

struct tm_state {
	struct to_fields d;
	struct lwkt_token tok;
	uint64_t count;			/* protected by tok, non-atomic */
	volatile int bad;
	volatile int start;
	struct waitgroup wg;
};

static void tm_thread(void *p)
{
	struct tm_state *s = p;
	struct lwkt_tokref ref;
	uint64_t g;
	int r;

	barrier_wait(&s->start, ncpus);	/* all cpus ask at about the same time */
	for (r = 0; r < TM_ROUNDS; r++) {
		lwkt_gettoken(&ref, &s->tok);
		if (to_check_and_bump(&s->d, &g))
			s->bad++;
		s->count = s->count + 1;
		lwkt_reltoken(&ref);
		if (r & 1)
			lwkt_yield();
	}
	wg_done(&s->wg);
}

static int test_token_multireq(struct tctx *t)
{
	static struct tm_state s;
	uint64_t rcvd = 0, want = (uint64_t)ncpus * TM_ROUNDS;
	int cpu, k;

	if (ncpus < 3) {
		tnote(t, "needs 3 harts");
		return 0;
	}
	lwkt_token_uninit(&s.tok);
	memset(&s, 0, sizeof(s));
	lwkt_token_init_cpu(&s.tok, "multireq", 0);
	wg_init(&s.wg, ncpus);
	for (cpu = 0; cpu < ncpus; cpu++)
		test_spawn(tm_thread, &s, cpu, TDPRI_KERN_USER, "multireq");
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "stuck");
	cpu_acquire_fence();
	if (s.bad)
		return tfail(t, "%d acquisitions saw fields of different generations", s.bad);
	if (s.count != want)
		return tfail(t, "count %lu, want %lu (lost update)", s.count, want);
	for (k = 0; k < TO_FIELDS; k++)
		if (s.d.f[k].v != want)
			return tfail(t, "field %d = %lu, want %lu", k, s.d.f[k].v, want);
	for (cpu = 0; cpu < ncpus; cpu++)
		rcvd += s.tok.t_rcvd[cpu];
	if (rcvd == 0)
		return tfail(t, "no remote request was ever made");
	return 0;
}

/*
 * ---- token_release_inflight: release a ref whose request is in flight ----
 *
 * X (cpu 0) holds T twice (recursion) and sleeps; Y (last cpu) takes T
 * meanwhile, wakes X and keeps T a little.  X's scheduler then sends one
 * request per ref (both to Y's cpu, both parked behind Y).  Y's release
 * grants the older request and acknowledges the other one; X may run as
 * soon as T arrives, and then releases the ref whose acknowledgement may
 * not have arrived yet: that release must wait for it (a remote cpu still
 * points at the ref), without losing exclusion or hanging.  How often the
 * wait happens depends on the interleaving (the explorer varies it); the
 * note gives the count.
 */

#define TR_ROUNDS 30

struct tr_state {
	struct to_fields d;
	struct lwkt_token tok;
	volatile int round;		/* X: its refs are set for this round */
	volatile int stolen;		/* Y: has T for this round */
	volatile int bad;
	struct waitgroup wg;
};

static void tr_x(void *p)
{
	struct tr_state *s = p;
	struct lwkt_tokref r1, r2;
	uint64_t g;
	int r;

	for (r = 1; r <= TR_ROUNDS; r++) {
		lwkt_gettoken(&r1, &s->tok);
		lwkt_gettoken(&r2, &s->tok);
		if (to_check_and_bump(&s->d, &g))
			s->bad++;
		s->round = r;
		wakeup((void *)&s->round);
		/* sleep until Y has taken T (it can: we are not running) */
		while (s->stolen != r)
			tsleep((void *)&s->stolen, 0, "stolen", 1);
		/* running again: T is back, with both refs */
		if (!lwkt_token_is_local(&s->tok) || to_check_and_bump(&s->d, &g))
			s->bad++;
		lwkt_reltoken(&r1);	/* older ref first: its request was answered last */
		lwkt_reltoken(&r2);
	}
	wg_done(&s->wg);
}

static void tr_y(void *p)
{
	struct tr_state *s = p;
	struct lwkt_tokref ref;
	uint64_t g;
	int r;

	for (r = 1; r <= TR_ROUNDS; r++) {
		while (s->round != r)
			tsleep((void *)&s->round, 0, "round", 1);
		lwkt_gettoken(&ref, &s->tok);
		if (to_check_and_bump(&s->d, &g))
			s->bad++;
		s->stolen = r;
		wakeup((void *)&s->stolen);
		busy_wait_mtime(TICK_MTIME / 20);	/* X's requests arrive and park */
		lwkt_reltoken(&ref);
	}
	wg_done(&s->wg);
}

static int test_token_release_inflight(struct tctx *t)
{
	static struct tr_state s;
	uint64_t waits0 = cpu_globaldata[0].gd_tok_ackwaits;
	char note[64];
	int k;

	if (ncpus < 2) {
		tnote(t, "1 hart: no remote request");
		return 0;
	}
	lwkt_token_uninit(&s.tok);
	memset(&s, 0, sizeof(s));
	lwkt_token_init_cpu(&s.tok, "inflight", 0);
	wg_init(&s.wg, 2);
	test_spawn(tr_x, &s, 0, TDPRI_KERN_USER, "inflight-x");
	test_spawn(tr_y, &s, ncpus - 1, TDPRI_KERN_USER, "inflight-y");
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "stuck");
	cpu_acquire_fence();
	if (s.bad)
		return tfail(t, "%d acquisitions saw fields of different generations", s.bad);
	for (k = 0; k < TO_FIELDS; k++)
		if (s.d.f[k].v != 3 * TR_ROUNDS)
			return tfail(t, "field %d = %lu, want %d", k, s.d.f[k].v, 3 * TR_ROUNDS);
	ksnprintf(note, sizeof(note), "%lu releases waited for an acknowledgement",
		  cpu_globaldata[0].gd_tok_ackwaits - waits0);
	tnote(t, note);
	return 0;
}

const struct ktest ktests_tokorder[] = {
	{ "token_ordering",         test_token_ordering },
	{ "token_multireq",         test_token_multireq },
	{ "token_release_inflight", test_token_release_inflight },
	{ NULL, NULL },
};
