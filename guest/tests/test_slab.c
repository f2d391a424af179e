/* Tests of the SLAB allocator, message ports and the object service. */
#include "kernel.h"
#include "globaldata.h"
#include "ktest.h"
#include "slaballoc.h"
#include "msgport.h"
#include "pmc.h"

#define WAIT_TICKS 1000

static void flush_cb(void *a1, void *a2)
{
	(void)a1;
	(void)a2;
	slab_flush_remote();
}

/* Push every cpu's remote-free batches out and let them be processed. */
static void slab_settle(void)
{
	int cpu;

	for (cpu = 0; cpu < ncpus; cpu++)
		lwkt_cpusync(1UL << cpu, flush_cb, NULL);
	for (cpu = 0; cpu < ncpus; cpu++)	/* passive: found at the tick */
		lwkt_cpusync(1UL << cpu, flush_cb, NULL);
	tsleep(&cpu, 0, "settle", 3);
}

static void fill(void *p, size_t n, uint8_t seed)
{
	uint8_t *b = p;
	size_t i;
	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(seed + i * 7);
}

static int check(const void *p, size_t n, uint8_t seed)
{
	const uint8_t *b = p;
	size_t i;
	for (i = 0; i < n; i++)
		if (b[i] != (uint8_t)(seed + i * 7))
			return 0;
	return 1;
}

/* ---- slab_sizes: every class, alignment, no overlap, stats ---- */

static int test_slab_sizes(struct tctx *t)
{
	static const size_t sizes[] = {
		1, 7, 8, 9, 31, 64, 100, 127, 128, 129, 200, 256, 300, 512, 700,
		1024, 1500, 2048, 3000, 4096, 5000, 8192, 10000, 16383, 16384,
		20000, 65536 };
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	void *p[N];
	int64_t inuse0 = kmalloc_type_inuse(M_TEST);
	int64_t mem0 = kmalloc_type_memuse(M_TEST);
	size_t s, a;
	int i;

	s = 1;
	if (slab_zoneindex(&s, &a) != 0 || s != 8)
		return tfail(t, "zoneindex(1) wrong");
	s = 128;
	if (slab_zoneindex(&s, &a) != 15 || a != 128)
		return tfail(t, "zoneindex(128) wrong");
	s = 16383;
	if (slab_zoneindex(&s, &a) != NZONES - 1 || s != 16384)
		return tfail(t, "zoneindex(16383) wrong");
	for (i = 0; i < N; i++) {
		p[i] = kmalloc(sizes[i], M_TEST, M_WAITOK);
		if (p[i] == NULL)
			return tfail(t, "kmalloc(%lu) failed", sizes[i]);
		if ((uintptr_t)p[i] & 7)
			return tfail(t, "kmalloc(%lu) not 8-aligned", sizes[i]);
		if ((sizes[i] & (sizes[i] - 1)) == 0 && sizes[i] <= PAGE_SIZE &&
		    ((uintptr_t)p[i] & (sizes[i] - 1)))
			return tfail(t, "kmalloc(%lu) not aligned to its size", sizes[i]);
		fill(p[i], sizes[i], (uint8_t)i);
	}
	for (i = 0; i < N; i++)
		if (!check(p[i], sizes[i], (uint8_t)i))
			return tfail(t, "chunk of %lu bytes overwritten", sizes[i]);
	if (kmalloc_type_inuse(M_TEST) != inuse0 + N)
		return tfail(t, "inuse did not grow by %d", N);
	for (i = 0; i < N; i++)
		kfree(p[i], M_TEST);
	if (kmalloc_type_inuse(M_TEST) != inuse0 ||
	    kmalloc_type_memuse(M_TEST) != mem0)
		return tfail(t, "stats not restored after kfree");
	return 0;
}

/* ---- slab_zero: LIFO reuse and M_ZERO ---- */

static int test_slab_zero(struct tctx *t)
{
	uint8_t *p, *q;
	int i;

	p = kmalloc(200, M_TEST, M_WAITOK);
	memset(p, 0xaa, 200);
	kfree(p, M_TEST);
	q = kmalloc(200, M_TEST, M_WAITOK | M_ZERO);
	if (q != p)
		return tfail(t, "freed chunk not reused first (cache-warm LIFO)");
	for (i = 0; i < 200; i++)
		if (q[i] != 0)
			return tfail(t, "M_ZERO byte %d is 0x%x", i, q[i]);
	kfree(q, M_TEST);
	return 0;
}

/* ---- slab_local_noatomic: owner-cpu kmalloc/kfree take no atomics ---- */

static int test_slab_local_noatomic(struct tctx *t)
{
	struct pmc_snap a, b, d;
	struct globaldata *gd;
	uint64_t sent0;
	void *p;
	int i;

	p = kmalloc(64, M_TEST, M_WAITOK);	/* make sure a zone exists */
	crit_enter();
	gd = mycpu;
	sent0 = gd->gd_ipiq_stats.sent;
	pmc_read(&a);
	for (i = 0; i < 200; i++)
		kfree(kmalloc(64, M_TEST, M_WAITOK), M_TEST);
	pmc_read(&b);
	crit_exit();
	kfree(p, M_TEST);
	pmc_delta(&a, &b, &d);
	if (gd->gd_ipiq_stats.sent != sent0)
		return tfail(t, "local kmalloc/kfree sent IPIs");
	if (!pmc_available) {
		tnote(t, "no event counters");
		return 0;
	}
	if (d.c[PMC_SLOT_AMO] || d.c[PMC_SLOT_LR] || d.c[PMC_SLOT_SC])
		return tfail(t, "amo=%lu lr=%lu sc=%lu per 200 pairs",
			     d.c[PMC_SLOT_AMO], d.c[PMC_SLOT_LR], d.c[PMC_SLOT_SC]);
	return 0;
}

/* ---- slab_remote_free: batched passive IPIs to the owner ---- */

#define RF_N 64

struct rf_state {
	void *ptr[RF_N];
	volatile int allocated;
	uint64_t batches, hwipi;
	struct waitgroup wg;
};

static void rf_alloc(void *p)
{
	struct rf_state *s = p;
	int i;

	for (i = 0; i < RF_N; i++) {
		s->ptr[i] = kmalloc(128, M_TEST, M_WAITOK);
		fill(s->ptr[i], 128, (uint8_t)i);
	}
	cpu_mfence();
	s->allocated = 1;
	wg_done(&s->wg);
}

static void rf_free(void *p)
{
	struct rf_state *s = p;
	struct globaldata *gd = mycpu;
	struct ipiq_stats *st = &gd->gd_ipiq_stats;
	uint64_t hw0;
	int i;

	while (!s->allocated)
		tsleep(s, 0, "rf", 1);
	cpu_acquire_fence();
	crit_enter();
	slab_flush_remote();
	hw0 = st->hwipi;
	for (i = 0; i < RF_N; i++) {
		if (!check(s->ptr[i], 128, (uint8_t)i))
			s->batches = ~0UL;	/* corrupted */
		kfree(s->ptr[i], M_TEST);
	}
	s->hwipi = st->hwipi - hw0;
	crit_exit();
	wg_done(&s->wg);
}

static int test_slab_remote_free(struct tctx *t)
{
	static struct rf_state s;
	int64_t inuse0 = kmalloc_type_inuse(M_TEST);
	uint64_t sent0;
	int acpu = ncpus - 1, fcpu = ncpus > 1 ? ncpus - 2 : 0;
	int64_t own0 = M_TEST->ks_use[acpu].inuse, frc0 = M_TEST->ks_use[fcpu].inuse;

	if (ncpus < 2) {
		tnote(t, "1 hart: no remote cpu");
		return 0;
	}
	memset(&s, 0, sizeof(s));
	wg_init(&s.wg, 2);
	sent0 = cpu_globaldata[fcpu].gd_ipiq_stats.passive;
	test_spawn(rf_alloc, &s, acpu, TDPRI_KERN_USER, "rf-alloc");
	test_spawn(rf_free, &s, fcpu, TDPRI_KERN_USER, "rf-free");
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "stuck");
	if (s.batches == ~0UL)
		return tfail(t, "chunk contents corrupted before remote free");
	if (cpu_globaldata[fcpu].gd_ipiq_stats.passive - sent0 < RF_N / SLAB_RBATCH)
		return tfail(t, "expected %d passive batches, saw %lu", RF_N / SLAB_RBATCH,
			     cpu_globaldata[fcpu].gd_ipiq_stats.passive - sent0);
	if (s.hwipi != 0)
		return tfail(t, "%lu hardware IPIs for %d remote frees", s.hwipi, RF_N);
	slab_settle();
	/* a free is charged when the owner gets the chunk back: a lost batch shows */
	if (kmalloc_type_inuse(M_TEST) != inuse0)
		return tfail(t, "inuse %ld after remote frees, expected %ld",
			     kmalloc_type_inuse(M_TEST), inuse0);
	if (M_TEST->ks_use[acpu].inuse != own0 || M_TEST->ks_use[fcpu].inuse != frc0)
		return tfail(t, "frees charged to the freeing cpu: owner inuse %ld, freer %ld (want 0, 0)",
			     M_TEST->ks_use[acpu].inuse - own0,
			     M_TEST->ks_use[fcpu].inuse - frc0);
	return 0;
}

/* ---- slab_stress: every cpu frees its neighbour's chunks ---- */

#define ST_N 48

struct st_state {
	void *ptr[MAXCPU][ST_N];
	size_t size[MAXCPU][ST_N];
	volatile int phase;
	volatile int corrupt;
	struct waitgroup allocated;
	struct waitgroup done;
};

static void st_worker(void *p)
{
	struct st_state *s = p;
	int me = mycpu->gd_cpuid, peer = (me + 1) % ncpus, i;
	uint32_t seed = 77 + me;

	for (i = 0; i < ST_N; i++) {
		size_t n = 8 + krandom(&seed) % 2040;
		if (i % 16 == 15)
			n = 20000;		/* a large block now and then */
		s->size[me][i] = n;
		s->ptr[me][i] = kmalloc(n, M_TEST, M_WAITOK);
		fill(s->ptr[me][i], n, (uint8_t)(me * 31 + i));
	}
	wg_done(&s->allocated);
	while (!s->phase)
		tsleep(s, 0, "st", 1);
	cpu_acquire_fence();
	for (i = 0; i < ST_N; i++) {
		if (!check(s->ptr[peer][i], s->size[peer][i], (uint8_t)(peer * 31 + i)))
			s->corrupt = 1;
		kfree(s->ptr[peer][i], M_TEST);
	}
	slab_flush_remote();
	wg_done(&s->done);
}

static int test_slab_stress(struct tctx *t)
{
	static struct st_state s;
	int64_t inuse0 = kmalloc_type_inuse(M_TEST);
	int64_t mem0 = kmalloc_type_memuse(M_TEST);
	int cpu;

	memset(&s, 0, sizeof(s));
	wg_init(&s.allocated, ncpus);
	wg_init(&s.done, ncpus);
	for (cpu = 0; cpu < ncpus; cpu++)
		test_spawn(st_worker, &s, cpu, TDPRI_KERN_USER, "slab-st");
	if (wg_wait(&s.allocated, WAIT_TICKS))
		return tfail(t, "allocation stuck");
	if (kmalloc_type_inuse(M_TEST) != inuse0 + ncpus * ST_N)
		return tfail(t, "inuse %ld, expected %ld", kmalloc_type_inuse(M_TEST),
			     inuse0 + ncpus * ST_N);
	cpu_mfence();
	s.phase = 1;
	if (wg_wait(&s.done, WAIT_TICKS))
		return tfail(t, "free stuck");
	if (s.corrupt)
		return tfail(t, "chunk contents corrupted");
	slab_settle();
	if (kmalloc_type_inuse(M_TEST) != inuse0 || kmalloc_type_memuse(M_TEST) != mem0)
		return tfail(t, "stats not restored: inuse %ld memuse %ld",
			     kmalloc_type_inuse(M_TEST) - inuse0,
			     kmalloc_type_memuse(M_TEST) - mem0);
	return 0;
}

/* ---- slab_limit: malloc type limit ---- */

static int test_slab_limit(struct tctx *t)
{
	void *p[5];
	int i;

	for (i = 0; i < 4; i++) {
		p[i] = kmalloc(1024, M_LIMITED, M_NOWAIT);
		if (p[i] == NULL)
			return tfail(t, "allocation %d under the limit failed", i);
	}
	p[4] = kmalloc(1024, M_LIMITED, M_NOWAIT);
	if (p[4] != NULL)
		return tfail(t, "allocation over the limit succeeded");
	kfree(p[0], M_LIMITED);
	p[0] = kmalloc(1024, M_LIMITED, M_NOWAIT);
	if (p[0] == NULL)
		return tfail(t, "allocation after a free failed");
	for (i = 0; i < 4; i++)
		kfree(p[i], M_LIMITED);
	return 0;
}

/* ---- slab_freezones: empty zones go to the per-cpu cache ---- */

static int test_slab_freezones(struct tctx *t)
{
	static void *p[256];
	int cpu = mycpu->gd_cpuid, in0, fr0, in1, fr1, in2, fr2, i;

	slab_cpu_zone_counts(cpu, &in0, &fr0);
	for (i = 0; i < 256; i++)
		p[i] = kmalloc(1000, M_TEST, M_WAITOK);	/* ~4 zones of 1024 */
	slab_cpu_zone_counts(cpu, &in1, &fr1);
	for (i = 0; i < 256; i++)
		kfree(p[i], M_TEST);
	slab_cpu_zone_counts(cpu, &in2, &fr2);
	if (in1 < in0 + 3)
		return tfail(t, "zones in use %d -> %d", in0, in1);
	if (in2 > in0 + 1 || fr2 < fr0 + 2)
		return tfail(t, "free zones not cached (in use %d, cached %d)", in2, fr2);
	kfree(kmalloc(8, M_TEST, M_WAITOK), M_TEST);	/* releases beyond the cache */
	slab_cpu_zone_counts(cpu, &in2, &fr2);
	if (fr2 > ZONE_RELS_THRESH)
		return tfail(t, "%d cached zones, threshold %d", fr2, ZONE_RELS_THRESH);
	return 0;
}

/* ---- msgport: async send + reply port, sync domsg on every cpu, FIFO ---- */

struct mp_state {
	thread_t server[MAXCPU];
	volatile int quit;
	struct waitgroup wg;
};

static void mp_server(void *p)
{
	struct mp_state *s = p;
	lwkt_msg_t msg;

	for (;;) {
		msg = lwkt_waitport(&curthread->td_msgport, 0);
		if (msg->ms_cmd == 99) {		/* quit */
			lwkt_replymsg(msg, 0);
			break;
		}
		msg->ms_arg[1] = msg->ms_arg[0] * 2 + (uint64_t)mycpu->gd_cpuid;
		lwkt_replymsg(msg, 40 + msg->ms_cmd);
	}
	(void)s;
	wg_done(&s->wg);
}

static int test_msgport(struct tctx *t)
{
	static struct mp_state s;
	struct lwkt_msg m[5], q;
	lwkt_port_t me = &curthread->td_msgport;
	lwkt_msg_t r;
	int cpu, i, err;

	memset(&s, 0, sizeof(s));
	wg_init(&s.wg, ncpus);
	for (cpu = 0; cpu < ncpus; cpu++)
		lwkt_create(mp_server, &s, &s.server[cpu], cpu, TDPRI_KERN_USER, 0, "mp-srv");
	if (lwkt_getport(me) != NULL)
		return tfail(t, "getport on an empty port returned a message");
	/* synchronous on every cpu */
	for (cpu = 0; cpu < ncpus; cpu++) {
		lwkt_initmsg(&q, me, 1);
		q.ms_arg[0] = 100 + cpu;
		err = lwkt_domsg(&s.server[cpu]->td_msgport, &q, 0);
		if (err != 41 || q.ms_arg[1] != (uint64_t)(200 + 3 * cpu))
			return tfail(t, "domsg to cpu %d: error %d result %lu", cpu, err,
				     q.ms_arg[1]);
	}
	/* asynchronous to the last cpu: replies come back in order */
	for (i = 0; i < 5; i++) {
		lwkt_initmsg(&m[i], me, 2);
		m[i].ms_arg[0] = i;
		lwkt_sendmsg(&s.server[ncpus - 1]->td_msgport, &m[i]);
	}
	for (i = 0; i < 5; i++) {
		r = lwkt_waitport(me, 300);
		if (r != &m[i])
			return tfail(t, "reply %d out of order or missing", i);
		if (!(r->ms_flags & MSGF_REPLY) || r->ms_error != 42)
			return tfail(t, "reply %d: flags 0x%x error %d", i, r->ms_flags,
				     r->ms_error);
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		lwkt_initmsg(&q, me, 99);
		lwkt_domsg(&s.server[cpu]->td_msgport, &q, 0);
	}
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "servers did not quit");
	return 0;
}

/* ---- objs: insert/lookup/update/delete from every cpu ---- */

#define OB_K 16

struct ob_state {
	volatile int errors;
	char msg[80];
	struct waitgroup wg;
};

static void ob_client(void *p)
{
	struct ob_state *s = p;
	int me = mycpu->gd_cpuid, i, e;
	uint64_t key, val;

	for (i = 0; i < OB_K; i++) {
		key = (uint64_t)me * 100000 + i;
		val = key * 3;
		if ((e = obj_request(OBJ_INSERT, key, &val)) != 0)
			goto bad;
		if (obj_request(OBJ_INSERT, key, &val) != EEXIST) {
			e = -1;
			goto bad;
		}
	}
	for (i = 0; i < OB_K; i++) {
		key = (uint64_t)me * 100000 + i;
		val = 0;
		if ((e = obj_request(OBJ_LOOKUP, key, &val)) != 0 || val != key * 3) {
			e = e ? e : -2;
			goto bad;
		}
		val = key + 1;
		if ((e = obj_request(OBJ_UPDATE, key, &val)) != 0)
			goto bad;
		val = 0;
		obj_request(OBJ_LOOKUP, key, &val);
		if (val != key + 1) {
			e = -3;
			goto bad;
		}
		if (i % 2 == 0) {
			if ((e = obj_request(OBJ_DELETE, key, NULL)) != 0)
				goto bad;
			if (obj_request(OBJ_LOOKUP, key, &val) != ENOENT) {
				e = -4;
				goto bad;
			}
		}
	}
	wg_done(&s->wg);
	return;
bad:
	if (s->errors++ == 0)
		ksnprintf(s->msg, sizeof(s->msg), "cpu %d key %lu: error %d", me, key, e);
	wg_done(&s->wg);
}

static int test_objs(struct tctx *t)
{
	static struct ob_state s;
	uint64_t total = 0, before = 0;
	int cpu, i, owners = 0;

	for (cpu = 0; cpu < ncpus; cpu++)
		before += objsvc_count(cpu);
	memset(&s, 0, sizeof(s));
	wg_init(&s.wg, ncpus);
	for (cpu = 0; cpu < ncpus; cpu++)
		test_spawn(ob_client, &s, cpu, TDPRI_KERN_USER, "obj-client");
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "clients stuck");
	if (s.errors)
		return tfail(t, "%s", s.msg);
	for (cpu = 0; cpu < ncpus; cpu++) {
		total += objsvc_count(cpu);
		owners += objsvc_count(cpu) > 0;
	}
	if (total != before + (uint64_t)ncpus * OB_K / 2)
		return tfail(t, "%lu objects, expected %lu", total,
			     before + (uint64_t)ncpus * OB_K / 2);
	if (ncpus > 1 && owners < 2)
		return tfail(t, "all objects on one cpu");
	/* clean up */
	for (cpu = 0; cpu < ncpus; cpu++)
		for (i = 1; i < OB_K; i += 2)
			obj_request(OBJ_DELETE, (uint64_t)cpu * 100000 + i, NULL);
	return 0;
}

const struct ktest ktests_slab[] = {
	{ "slab_sizes",          test_slab_sizes },
	{ "slab_zero",           test_slab_zero },
	{ "slab_local_noatomic", test_slab_local_noatomic },
	{ "slab_remote_free",    test_slab_remote_free },
	{ "slab_stress",         test_slab_stress },
	{ "slab_limit",          test_slab_limit },
	{ "slab_freezones",      test_slab_freezones },
	{ "msgport",             test_msgport },
	{ "objs",                test_objs },
	{ NULL, NULL },
};

