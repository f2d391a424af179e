/*
 * bench slab: kmalloc/kfree pairs on the owner cpu, in parallel on all
 * cpus, and remote frees; against a baseline allocator that protects
 * per-class free lists with one global AMO spinlock.
 * bench msgport: lwkt_domsg to a port that completes the message in place,
 * and round trips to a server thread on the same cpu and on another cpu.
 */
#include "kernel.h"
#include "globaldata.h"
#include "ktest.h"
#include "slaballoc.h"
#include "msgport.h"
#include "pmc.h"

/* ---- baseline: global spinlock allocator ---- */

struct gl_chunk {
	struct gl_chunk *next;
};

static struct spinlock gl_lock;
static struct gl_chunk *gl_free[NZONES];
static char *gl_carve;
static size_t gl_left;

static void *gl_malloc(size_t size)
{
	size_t align;
	int zi = slab_zoneindex(&size, &align);
	struct gl_chunk *c;

	spin_lock_raw(&gl_lock);
	if ((c = gl_free[zi]) != NULL) {
		gl_free[zi] = c->next;
	} else {
		if (gl_left < size) {
			gl_carve = kmem_alloc_pages(16, 1);
			gl_left = gl_carve ? 16 * PAGE_SIZE : 0;
		}
		c = (struct gl_chunk *)gl_carve;
		gl_carve += size;
		gl_left -= size;
	}
	spin_unlock_raw(&gl_lock);
	return c;
}

static void gl_kfree(void *p, size_t size)
{
	size_t align;
	int zi = slab_zoneindex(&size, &align);
	struct gl_chunk *c = p;

	spin_lock_raw(&gl_lock);
	c->next = gl_free[zi];
	gl_free[zi] = c;
	spin_unlock_raw(&gl_lock);
}

/* ---- helpers ---- */

/*
 * max(a, b) without a branch: the transfer counters differ with and without
 * the emulator's coherence model, and picking the maximum must retire the
 * same instructions either way (see bench_report.c). The empty asm keeps
 * the compiler from turning the mask back into a branch.
 */
static uint64_t max_u64(uint64_t a, uint64_t b)
{
	uint64_t m = -(uint64_t)(b > a);

	__asm__("" : "+r"(m));
	return a ^ ((a ^ b) & m);
}

static void put_ratio(const char *key, uint64_t v, uint64_t ops)
{
	uint64_t x100 = ops ? v * 100 / ops : 0;
	bench_printf(" %s=%lu.%02lu", key, x100 / 100, x100 % 100);
}

static void report(const char *name, const char *impl, struct pmc_snap *d,
		   uint64_t ops, uint64_t ipis)
{
	bench_printf("BENCH %s impl=%s harts=%d ops=%lu insns_per_op=%lu", name, impl,
		ncpus, ops, ops ? d->insns / ops : 0);
	put_ratio("amo_per_op", d->c[PMC_SLOT_AMO], ops);
	put_ratio("lr_per_op", d->c[PMC_SLOT_LR], ops);
	put_ratio("sc_per_op", d->c[PMC_SLOT_SC], ops);
	put_ratio("ipi_per_op", ipis, ops);
	put_ratio("xfer_per_op", d->c[PMC_SLOT_XFERALL], ops);
	bench_printf("%s\n", pmc_available ? "" : " counters=none");
}

static uint64_t ipi_intrs_all(void)
{
	uint64_t n = 0;
	int cpu;

	for (cpu = 0; cpu < ncpus; cpu++)
		n += cpu_globaldata[cpu].gd_ipiq_stats.intrs;
	return n;
}

/* ---- slab.local and slab.parallel ---- */

#define SB_OPS 500

static void bench_slab_local(int impl)
{
	struct pmc_snap a, b, d;
	void *x;
	int i;

	if (impl == 0)
		kfree(kmalloc(64, M_TEST, M_WAITOK), M_TEST);
	else
		gl_kfree(gl_malloc(64), 64);
	crit_enter();
	pmc_read(&a);
	for (i = 0; i < SB_OPS; i++) {
		if (impl == 0) {
			x = kmalloc(64, M_TEST, M_WAITOK);
			kfree(x, M_TEST);
		} else {
			x = gl_malloc(64);
			gl_kfree(x, 64);
		}
	}
	pmc_read(&b);
	crit_exit();
	pmc_delta(&a, &b, &d);
	report("slab.local", impl ? "spinlock" : "slab", &d, SB_OPS, 0);
}

/* Every cpu at once; figures of the slowest hart (per pair). */
struct par_state {
	int impl;
	volatile int start;
	struct pmc_snap d[MAXCPU];
	struct waitgroup wg;
};

static void par_worker(void *p)
{
	struct par_state *s = p;
	struct pmc_snap a, b;
	int me = mycpu->gd_cpuid, i;
	void *x;

	if (s->impl == 0)
		kfree(kmalloc(64, M_TEST, M_WAITOK), M_TEST);
	else
		gl_kfree(gl_malloc(64), 64);
	__atomic_fetch_add(&s->start, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&s->start, __ATOMIC_ACQUIRE) < ncpus)
		cpu_pause();
	crit_enter();
	pmc_read(&a);
	for (i = 0; i < SB_OPS; i++) {
		if (s->impl == 0) {
			x = kmalloc(64, M_TEST, M_WAITOK);
			kfree(x, M_TEST);
		} else {
			x = gl_malloc(64);
			gl_kfree(x, 64);
		}
	}
	pmc_read(&b);
	crit_exit();
	pmc_delta(&a, &b, &s->d[me]);
	wg_done(&s->wg);
}

static void bench_slab_parallel(int impl)
{
	static struct par_state s;
	struct pmc_snap worst;
	int cpu, i;

	memset(&s, 0, sizeof(s));
	s.impl = impl;
	wg_init(&s.wg, ncpus);
	for (cpu = 0; cpu < ncpus; cpu++)
		test_spawn(par_worker, &s, cpu, TDPRI_KERN_USER, "slab-par");
	wg_wait(&s.wg, 3000);
	worst = s.d[0];
	for (cpu = 1; cpu < ncpus; cpu++) {
		if (s.d[cpu].insns > worst.insns)
			worst.insns = s.d[cpu].insns;
		for (i = 0; i < PMC_NSLOTS; i++)
			worst.c[i] = max_u64(worst.c[i], s.d[cpu].c[i]);
	}
	/* every hart runs at once: report the slowest hart's own transfers */
	worst.c[PMC_SLOT_XFERALL] = worst.c[PMC_SLOT_XFER];
	report("slab.parallel", impl ? "spinlock" : "slab", &worst, SB_OPS, 0);
}

/* ---- slab.remote: chunks of cpu 1 freed on cpu 0 ---- */

#define RM_N 256

struct rm_state {
	void *ptr[RM_N];
	struct waitgroup wg;
};

static void rm_alloc(void *p)
{
	struct rm_state *s = p;
	int i;

	for (i = 0; i < RM_N; i++)
		s->ptr[i] = kmalloc(64, M_TEST, M_WAITOK);
	wg_done(&s->wg);
}

static void bench_slab_remote(int batch)
{
	static struct rm_state s;
	struct globaldata *gd = mycpu;
	struct pmc_snap a, b, d;
	uint64_t msgs0, hw0, ipi0;
	int i;

	if (ncpus < 2) {
		bench_printf("BENCH slab.remote harts=1 skipped=1\n");
		return;
	}
	slab_rbatch = batch;
	wg_init(&s.wg, 1);
	test_spawn(rm_alloc, &s, 1, TDPRI_KERN_USER, "slab-rm");
	wg_wait(&s.wg, 3000);
	msgs0 = gd->gd_ipiq_stats.sent;
	hw0 = gd->gd_ipiq_stats.hwipi;
	ipi0 = ipi_intrs_all();
	pmc_read(&a);
	for (i = 0; i < RM_N; i++)
		kfree(s.ptr[i], M_TEST);
	pmc_read(&b);
	pmc_delta(&a, &b, &d);
	bench_printf("BENCH slab.remote batch=%d harts=%d frees=%d insns_per_op=%lu msgs=%lu hwipi=%lu",
		batch, ncpus, RM_N, d.insns / RM_N, gd->gd_ipiq_stats.sent - msgs0,
		gd->gd_ipiq_stats.hwipi - hw0);
	put_ratio("ipi_intrs_per_free", ipi_intrs_all() - ipi0, RM_N);
	bench_printf("\n");
	slab_flush_remote();
	slab_rbatch = SLAB_RBATCH;
}

static void bench_slab(void)
{
	int impl;

	for (impl = 0; impl < 2; impl++)
		bench_slab_local(impl);
	for (impl = 0; impl < 2; impl++)
		bench_slab_parallel(impl);
	bench_slab_remote(1);		/* one passive IPI per free (2003) */
	bench_slab_remote(SLAB_RBATCH);	/* batched */
}

/* ---- msgport: domsg round trips ---- */

#define MP_OPS 200

static void echo_server(void *p)
{
	lwkt_msg_t msg;

	(void)p;
	for (;;) {
		msg = lwkt_waitport(&curthread->td_msgport, 0);
		if (msg->ms_cmd == 99) {
			lwkt_replymsg(msg, 0);
			return;
		}
		lwkt_replymsg(msg, 0);
	}
}

static void bench_msgport_to(int cpu, const char *name)
{
	struct lwkt_msg m;
	struct pmc_snap a, b, d;
	thread_t srv;
	uint64_t ipi0;
	int i;

	lwkt_create(echo_server, NULL, &srv, cpu, TDPRI_KERN_USER, 0, "echo");
	lwkt_initmsg(&m, &curthread->td_msgport, 1);
	lwkt_domsg(&srv->td_msgport, &m, 0);	/* warm up */
	ipi0 = ipi_intrs_all();
	pmc_read(&a);
	for (i = 0; i < MP_OPS; i++) {
		lwkt_initmsg(&m, &curthread->td_msgport, 1);
		lwkt_domsg(&srv->td_msgport, &m, 0);
	}
	pmc_read(&b);
	pmc_delta(&a, &b, &d);
	report(name, "msgport", &d, MP_OPS, ipi_intrs_all() - ipi0);
	lwkt_initmsg(&m, &curthread->td_msgport, 99);
	lwkt_domsg(&srv->td_msgport, &m, 0);
}

/* A target that completes the message in place (returns its result). */
static int inplace_putport(lwkt_port_t port, lwkt_msg_t msg)
{
	msg->ms_target_port = port;
	msg->ms_arg[1] = msg->ms_arg[0] + 1;
	return 0;
}

static void bench_msgport_inplace(void)
{
	struct lwkt_port ip;
	struct lwkt_msg m;
	struct pmc_snap a, b, d;
	uint64_t ipi0;
	int i;

	lwkt_initport_putonly(&ip, inplace_putport);
	ipi0 = ipi_intrs_all();
	pmc_read(&a);
	for (i = 0; i < MP_OPS; i++) {
		lwkt_initmsg(&m, &curthread->td_msgport, 1);
		lwkt_domsg(&ip, &m, 0);
	}
	pmc_read(&b);
	pmc_delta(&a, &b, &d);
	report("msgport.inplace", "msgport", &d, MP_OPS, ipi_intrs_all() - ipi0);
}

static void bench_msgport(void)
{
	bench_msgport_inplace();
	bench_msgport_to(mycpu->gd_cpuid, "msgport.local");
	if (ncpus > 1)
		bench_msgport_to(1, "msgport.remote");
}

const struct kbench kbenches_slab[] = {
	{ "slab",    bench_slab },
	{ "msgport", bench_msgport },
	{ NULL, NULL },
};
