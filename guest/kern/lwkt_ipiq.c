/*
 * IPI message queues.
 *
 * One single-producer/single-consumer ring per (source, target) pair of
 * {func, arg1, arg2}.  The source writes a slot, a store fence, then
 * bumps ip_windex; the target reads ip_windex, a load fence, then the
 * slots, and publishes ip_rindex after it is done with a slot.  No lock.
 *
 * Doorbell: the target's gd_npoll.  A sender raises a hardware IPI
 * (msip) only when its amoswap moves npoll 0 -> 1; the target clears
 * npoll (then a full fence) before scanning its rings.  So a burst of
 * messages costs one interrupt.
 *
 * A sender whose ring is more than half full drains its *own* incoming
 * rings while it waits for space: two cpus flooding each other always
 * make progress.
 */
#include "kernel.h"
#include "globaldata.h"

static struct lwkt_ipiq ipiq_rings[MAXCPU][MAXCPU];	/* [source][target] */

/* Ring the target's doorbell unless it is already pending. */
static void ipiq_doorbell(struct globaldata *gd, struct globaldata *target)
{
	if (__atomic_exchange_n(&target->gd_npoll, 1, __ATOMIC_SEQ_CST) == 0) {
		gd->gd_ipiq_stats.hwipi++;
		cpu_send_ipi(target->gd_cpuid);
	} else {
		gd->gd_ipiq_stats.avoided++;
	}
}

/* Is a message waiting in one of this cpu's incoming rings? */
static int ipiq_incoming(struct globaldata *gd)
{
	int src;

	for (src = 0; src < ncpus; src++)
		if (src != gd->gd_cpuid &&
		    ipiq_rings[src][gd->gd_cpuid].ip_windex !=
		    ipiq_rings[src][gd->gd_cpuid].ip_rindex)
			return 1;
	return 0;
}

/*
 * Wait, draining our own rings, until done(arg) holds.  Instead of
 * spinning, the hart halts in WFI with MIE off (a pending msip ends WFI
 * without a trap) when neither the condition holds nor a message waits;
 * the cpu we wait for rings our msip when it is done (cpusync
 * completion, ring drained), and any new message rings it because we
 * cleared npoll.  Works inside a critical section.
 */
void lwkt_wait_until(int (*done)(void *), void *arg)
{
	struct globaldata *gd = mycpu;
	unsigned long s;

	for (;;) {
		lwkt_process_ipiq_poll();
		s = intr_disable();
		if (done(arg)) {
			intr_restore(s);
			return;
		}
		if (!ipiq_incoming(gd))
			cpu_wfi();
		intr_restore(s);
	}
}

/*
 * Drain our rings from a wait loop: clear npoll first (as splz does) so
 * that senders ring our doorbell again for what comes next.
 */
void lwkt_process_ipiq_poll(void)
{
	mycpu->gd_npoll = 0;
	cpu_mfence();
	lwkt_process_ipiq();
}

/*
 * lwkt_wait_until condition of a sender waiting for ring space.  The flag
 * is set again before every look at the ring: the target clears it when
 * it rings us, and a pass that did not drain enough (it stops at the
 * windex it read when it began, and we may have written after that) would
 * otherwise leave us halted with the flag clear, so the target's next
 * pass, which frees the space, would not ring us.
 */
static int ring_has_space(void *arg)
{
	struct lwkt_ipiq *ip = arg;

	ip->ip_spacewait = 1;
	cpu_mfence();			/* the flag before the ip_rindex load */
	return ip->ip_windex - ip->ip_rindex <= MAXCPUFIFO / 4;
}

/*
 * Wait (draining our own rings) until the ring is at most 1/4 full.
 * Invariant: a sender halts only with ip_spacewait set, and a target that
 * drains the ring reads ip_spacewait after its ip_rindex stores, each side
 * with a full fence between its store and its load (the SB shape): either
 * the sender's recheck sees the drained ring, or the target sees the flag
 * and rings our msip.  Deciding by how full the ring was when the target's
 * pass began lost that wake-up: a sender that filled the ring during the
 * pass halted until some unrelated IPI (seed 101 on 8 harts, ipiq_pairs).
 */
static void ipiq_wait_space(struct globaldata *gd, struct globaldata *target,
			    struct lwkt_ipiq *ip)
{
	gd->gd_ipiq_stats.fifofull++;
	if (target->gd_npoll == 0)
		ipiq_doorbell(gd, target);	/* passive messages: wake it now */
	else
		cpu_send_ipi(target->gd_cpuid);	/* poke a target halted in a wait */
	lwkt_wait_until(ring_has_space, ip);
	ip->ip_spacewait = 0;		/* no wake-up needed now (a late one is harmless) */
}

static int ipiq_send(struct globaldata *target, ipifunc_t func, void *a1,
		     void *a2, int passive, int nowait)
{
	struct globaldata *gd = mycpu;
	struct lwkt_ipiq *ip;
	struct ipiq_slot *slot;
	uint32_t wi;

	if (target == gd) {
		/* a message to ourselves runs at once */
		crit_enter();
		gd->gd_intr_nesting_level++;
		func(a1, a2);
		gd->gd_intr_nesting_level--;
		crit_exit();
		return 0;
	}
	crit_enter();
	ip = &ipiq_rings[gd->gd_cpuid][target->gd_cpuid];
	if (ip->ip_windex - ip->ip_rindex > MAXCPUFIFO / 2) {
		if (nowait) {
			crit_exit();
			return EAGAIN;
		}
		ipiq_wait_space(gd, target, ip);
	}
	/* the ip_rindex load above is ordered before these stores (ctrl dep) */
	wi = ip->ip_windex;
	slot = &ip->ip_ring[wi & MAXCPUFIFO_MASK];
	slot->func = func;
	slot->arg1 = a1;
	slot->arg2 = a2;
	cpu_sfence();			/* slot contents before the index */
	ip->ip_windex = wi + 1;
	gd->gd_ipiq_stats.sent++;
	if (passive && wi + 1 - ip->ip_rindex < MAXCPUFIFO / 4)
		gd->gd_ipiq_stats.passive++;	/* found at the target's next tick */
	else
		ipiq_doorbell(gd, target);
	crit_exit();
	return 0;
}

void lwkt_send_ipiq(struct globaldata *target, ipifunc_t func, void *a1, void *a2)
{
	ipiq_send(target, func, a1, a2, 0, 0);
}

/* No interrupt: the target finds it at its next tick (or earlier poll). */
void lwkt_send_ipiq_passive(struct globaldata *target, ipifunc_t func,
			    void *a1, void *a2)
{
	ipiq_send(target, func, a1, a2, 1, 0);
}

/* Fails with EAGAIN instead of waiting when the ring is half full. */
int lwkt_send_ipiq_nowait(struct globaldata *target, ipifunc_t func,
			  void *a1, void *a2)
{
	return ipiq_send(target, func, a1, a2, 0, 1);
}

void lwkt_send_ipiq_mask(cpumask_t mask, ipifunc_t func, void *a1, void *a2)
{
	int cpu;

	for (cpu = 0; cpu < ncpus; cpu++)
		if (mask & (1UL << cpu))
			lwkt_send_ipiq(globaldata_find(cpu), func, a1, a2);
}

/*
 * Run the messages of one ring.  The loop test is a signed difference:
 * a callback may drain this ring recursively and move ip_rindex past the
 * cached windex.
 */
static void ipiq_process_ring(struct globaldata *gd, struct lwkt_ipiq *ip,
			      int src)
{
	uint32_t wi = ip->ip_windex;
	uint32_t ri;
	struct ipiq_slot *slot;
	ipifunc_t func;
	void *a1, *a2;

	cpu_lfence();			/* slots are read after the index */
	while ((int32_t)(wi - ip->ip_rindex) > 0) {
		ri = ip->ip_rindex;
		slot = &ip->ip_ring[ri & MAXCPUFIFO_MASK];
		func = slot->func;
		a1 = slot->arg1;
		a2 = slot->arg2;
		cpu_release_fence();	/* done reading the slot before freeing it */
		ip->ip_rindex = ri + 1;
		gd->gd_ipiq_stats.received++;
		func(a1, a2);
		cpu_release_fence();	/* callback effects before ip_xindex */
		ip->ip_xindex = ri + 1;
	}
	cpu_mfence();			/* our ip_rindex stores before the flag */
	if (ip->ip_spacewait) {
		ip->ip_spacewait = 0;
		cpu_send_ipi(src);	/* its sender is halted waiting for space */
	}
}

/* Drain all of this cpu's incoming rings (IPI context). */
void lwkt_process_ipiq(void)
{
	struct globaldata *gd = mycpu;
	int src;

	crit_enter();
	gd->gd_intr_nesting_level++;
	for (src = 0; src < ncpus; src++)
		if (src != gd->gd_cpuid)
			ipiq_process_ring(gd, &ipiq_rings[src][gd->gd_cpuid], src);
	gd->gd_intr_nesting_level--;
	crit_exit();
}

/* ---- cpusync: run func(arg) on every cpu of a set, synchronously ---- */

struct lwkt_cpusync {
	volatile int	cs_done;
	int		cs_cpu;		/* initiator */
	int		cs_want;
	ipifunc_t	cs_func;
	void		*cs_arg;
};

static void cpusync_remote(void *a1, void *a2)
{
	struct lwkt_cpusync *cs = a1;

	int initiator = cs->cs_cpu;

	(void)a2;
	cs->cs_func(cs->cs_arg, NULL);
	/* after this add the initiator may return: cs is gone */
	__atomic_fetch_add(&cs->cs_done, 1, __ATOMIC_RELEASE);
	cpu_send_ipi(initiator);	/* it halts while it waits */
}

static int cpusync_done(void *arg)
{
	struct lwkt_cpusync *cs = arg;
	return __atomic_load_n(&cs->cs_done, __ATOMIC_ACQUIRE) >= cs->cs_want;
}

/*
 * The initiator keeps draining its own rings while it waits, so two cpus
 * running cpusyncs against each other cannot deadlock.
 */
void lwkt_cpusync(cpumask_t mask, ipifunc_t func, void *arg)
{
	struct globaldata *gd = mycpu;
	struct lwkt_cpusync cs;
	int cpu, n = 0;

	cs.cs_done = 0;
	cs.cs_cpu = gd->gd_cpuid;
	cs.cs_func = func;
	cs.cs_arg = arg;
	mask &= smp_active_mask;
	crit_enter();
	for (cpu = 0; cpu < ncpus; cpu++) {
		if ((mask & (1UL << cpu)) && cpu != gd->gd_cpuid) {
			lwkt_send_ipiq(globaldata_find(cpu), cpusync_remote, &cs, NULL);
			n++;
		}
	}
	if (mask & gd->gd_cpumask) {
		gd->gd_intr_nesting_level++;
		func(arg, NULL);
		gd->gd_intr_nesting_level--;
	}
	cs.cs_want = n;
	lwkt_wait_until(cpusync_done, &cs);
	crit_exit();
}

/* Messages queued from src to dst and not yet taken (tests, stats). */
int lwkt_ipiq_pending(int src, int dst)
{
	struct lwkt_ipiq *ip = &ipiq_rings[src][dst];
	return (int)(ip->ip_windex - ip->ip_rindex);
}
