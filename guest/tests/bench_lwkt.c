/* Benchmarks of the scheduler and IPI queues. */
#include "kernel.h"
#include "globaldata.h"
#include "ktest.h"
#include "pmc.h"

/* ---- switch: two threads on one cpu yielding to each other ---- */

#define SW_ROUNDS 2000

struct sw_state {
	volatile int stop;
	struct pmc_snap a, b;
	struct waitgroup wg;
};

static void sw_partner(void *p)
{
	struct sw_state *s = p;

	while (!s->stop)
		lwkt_yield();
	wg_done(&s->wg);
}

static void sw_main(void *p)
{
	struct sw_state *s = p;
	int i;

	lwkt_yield();	/* let the partner start */
	pmc_read(&s->a);
	for (i = 0; i < SW_ROUNDS; i++)
		lwkt_yield();
	pmc_read(&s->b);
	s->stop = 1;
	wg_done(&s->wg);
}

static void bench_switch(void)
{
	static struct sw_state s;
	struct pmc_snap d;
	int cpu = ncpus - 1;
	uint64_t ops = 2 * SW_ROUNDS;	/* each yield switches twice per round */

	memset(&s, 0, sizeof(s));
	wg_init(&s.wg, 2);
	test_spawn(sw_partner, &s, cpu, TDPRI_KERN_USER, "sw-b");
	test_spawn(sw_main, &s, cpu, TDPRI_KERN_USER, "sw-a");
	wg_wait(&s.wg, 300);
	pmc_delta(&s.a, &s.b, &d);
	/* minstret counts both threads' instructions on this hart */
	bench_printf("BENCH switch harts=%d insns_per_op=%lu amo_per_op=%lu.%02lu%s\n",
		ncpus, d.insns / ops, d.c[PMC_SLOT_AMO] / ops,
		(d.c[PMC_SLOT_AMO] * 100 / ops) % 100,
		pmc_available ? "" : " counters=none");
}

/* ---- ipiq: one-way messages from cpu 0 to cpu 1, and a round trip ---- */

#define IPI_MSGS 1000

static volatile int ipi_recv;
static volatile int ipi_pong;

static void ipi_count(void *a1, void *a2)
{
	(void)a1;
	(void)a2;
	ipi_recv++;
}

static void ipi_pong_cb(void *a1, void *a2)
{
	(void)a1;
	(void)a2;
	ipi_pong++;
}

static void ipi_ping_cb(void *a1, void *a2)
{
	(void)a2;
	lwkt_send_ipiq(globaldata_find((int)(uintptr_t)a1), ipi_pong_cb, NULL, NULL);
}

static volatile int pong_want;

static int pong_arrived(void *arg)
{
	(void)arg;
	return ipi_pong >= pong_want;
}

static void bench_ipiq(void)
{
	struct globaldata *gd = mycpu;
	struct globaldata *peer;
	struct pmc_snap a, b, d;
	uint64_t hw0, av0, t0, t1;
	int i;

	if (ncpus < 2) {
		bench_printf("BENCH ipiq harts=1 skipped=1\n");
		return;
	}
	peer = globaldata_find(1);
	ipi_recv = 0;
	hw0 = gd->gd_ipiq_stats.hwipi;
	av0 = gd->gd_ipiq_stats.avoided;
	pmc_read(&a);
	for (i = 0; i < IPI_MSGS; i++)
		lwkt_send_ipiq(peer, ipi_count, NULL, NULL);
	pmc_read(&b);
	while (ipi_recv < IPI_MSGS)
		tsleep((void *)&ipi_recv, 0, "ipib", 1);
	pmc_delta(&a, &b, &d);
	bench_printf("BENCH ipiq.send harts=%d msgs=%d insns_per_msg=%lu hwipi=%lu avoided=%lu amo_per_msg=%lu.%02lu\n",
		ncpus, IPI_MSGS, d.insns / IPI_MSGS,
		gd->gd_ipiq_stats.hwipi - hw0, gd->gd_ipiq_stats.avoided - av0,
		d.c[PMC_SLOT_AMO] / IPI_MSGS, (d.c[PMC_SLOT_AMO] * 100 / IPI_MSGS) % 100);

	/* round trip: ping to cpu 1, which pongs back; spin for each */
	ipi_pong = 0;
	t0 = mtime_read();
	pmc_read(&a);
	crit_enter();
	for (i = 0; i < 100; i++) {
		lwkt_send_ipiq(peer, ipi_ping_cb, (void *)(uintptr_t)gd->gd_cpuid, NULL);
		pong_want = i + 1;
		lwkt_wait_until(pong_arrived, NULL);	/* halts; the pong rings us */
	}
	crit_exit();
	pmc_read(&b);
	t1 = mtime_read();
	pmc_delta(&a, &b, &d);
	bench_printf("BENCH ipiq.roundtrip harts=%d insns_per_op=%lu mtime_per_op=%lu\n",
		ncpus, d.insns / 100, (t1 - t0) / 100);
}

const struct kbench kbenches_lwkt[] = {
	{ "switch", bench_switch },
	{ "ipiq",   bench_ipiq },
	{ NULL, NULL },
};
