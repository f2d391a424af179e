#ifndef _GLOBALDATA_H_
#define _GLOBALDATA_H_

#include "types.h"
#include "param.h"
#include "thread.h"
#include "ipiq.h"
#include "systimer.h"
#include "riscv.h"

struct lwkt_tokref;

/* gd_reqflags: work deferred by a critical section, replayed by splz() */
#define RQF_IPIQ	0x0001	/* IPI interrupt arrived */
#define RQF_TIMER	0x0002	/* timer interrupt arrived */
#define RQF_INTPEND	0x0004	/* external (PLIC) interrupt arrived */
#define RQF_PREEMPT	0x0008	/* gd_preempt_td wants to preempt */
#define RQF_SPLZ_MASK	(RQF_IPIQ | RQF_TIMER | RQF_INTPEND | RQF_PREEMPT)
#define RQF_AST_RESCHED	0x0100	/* a higher priority thread is runnable,
					   or an equal one waited a tick */
#define RQF_IDLECHECK_MASK (RQF_SPLZ_MASK | RQF_AST_RESCHED)	/* crit_exit looks */

#define SLPQ_SIZE	64
#define LINEBUF_SIZE	160

/*
 * Per-cpu data.  tp points at the running cpu's globaldata.
 * Invariant: every field is written only by its own cpu, except the few
 * marked "remote" (and those use the documented atomics/fences).
 */
struct globaldata {
	struct globaldata *gd_self;
	int		gd_cpuid;
	cpumask_t	gd_cpumask;		/* 1 << gd_cpuid */
	struct thread	*gd_curthread;
	volatile uint32_t gd_reqflags;		/* modified with MIE off */
	int		gd_intr_nesting_level;	/* >0: in interrupt/IPI code */
	volatile int	gd_online;		/* remote read: cpu running */
	/* the token hit path's fields sit near the top (short offsets) */
	struct lwkt_tokref *gd_tokreqbase;	/* parked token requests */
	uint64_t	gd_tok_local_hits;	/* token hits on this cpu (stats) */

	/* LWKT scheduler, owner cpu only */
	uint32_t	gd_runqmask;
	struct tdlist	gd_tdrunq[NQS];
	struct thread	gd_idlethread;
	struct thread	*gd_tdall;		/* all threads of this cpu */
	int		gd_nthreads;
	struct thread	*gd_freetd;		/* exited; freed after switch */
	struct thread	*gd_preempt_td;		/* pending preemption */
	uint64_t	gd_switches;
	uint64_t	gd_preempt_hit;
	uint64_t	gd_preempt_miss;
	uint64_t	gd_resched_switches;	/* involuntary switches (RQF_AST_RESCHED) */

	/* IPI */
	volatile uint32_t gd_npoll;		/* remote: amoswap by senders */
	struct ipiq_stats gd_ipiq_stats;
	int		gd_ipiq_nesting;

	/* timers */
	uint64_t	gd_nexttick;
	volatile uint64_t gd_ticks;
	struct systimer	*gd_timerq;

	/* sleep queues, owner cpu only */
	struct tdlist	gd_slpq[SLPQ_SIZE];

	/* console line buffer */
	char		gd_linebuf[LINEBUF_SIZE];
	int		gd_linelen;

	/* exception probing (kern_pmc) */
	volatile int	gd_probe_active;
	volatile int	gd_probe_faulted;

	/* tokens (issue 6) */
	uint64_t	gd_tok_contention;
	uint32_t	gd_tokwait_seq;
	uint64_t	gd_tok_ackwaits;	/* releases that waited for an ack */
	uint64_t	gd_tok_withdrawn;	/* parked requests of released refs
						   acknowledged here, untaken */
	uint64_t	gd_spintok_contention;

	/* slab (issue 7) */
	void		*gd_slab;

	uint64_t	gd_pad[7];		/* size unchanged by gd_tok_withdrawn */
} __attribute__((aligned(64)));

extern struct globaldata cpu_globaldata[MAXCPU];
extern int ncpus;
extern cpumask_t smp_active_mask;

static inline struct globaldata *mycpu_get(void)
{
	struct globaldata *gd;
	__asm__ __volatile__("mv %0, tp" : "=r"(gd));
	return gd;
}
#define mycpu		(mycpu_get())
#define curthread	(mycpu_get()->gd_curthread)
#define globaldata_find(cpu) (&cpu_globaldata[(cpu)])

/*
 * Critical sections: a per-thread count between compiler barriers.  No
 * interrupt masking and no atomic: an interrupt arriving inside one is
 * recorded in gd_reqflags and replayed by splz() at the crit_exit that
 * brings the count to zero.
 */
void splz(void);
extern void (*splz_exit_hook)(void);	/* tests only; NULL otherwise */

static inline void crit_enter(void)
{
	thread_t td = curthread;
	++td->td_critcount;
	__asm__ __volatile__("" ::: "memory");
}

static inline void crit_exit_noyield(thread_t td)
{
	__asm__ __volatile__("" ::: "memory");
	--td->td_critcount;
}

static inline void crit_exit(void)
{
	struct globaldata *gd = mycpu;
	thread_t td = gd->gd_curthread;

	__asm__ __volatile__("" ::: "memory");
	if (--td->td_critcount == 0) {
		__asm__ __volatile__("" ::: "memory");
		if (gd->gd_reqflags & RQF_IDLECHECK_MASK)
			splz();
	}
}

/* Spinlocks imply a critical section (see kernel.h). */
static inline void spin_lock(struct spinlock *l)
{
	crit_enter();
	spin_lock_raw(l);
}

static inline int spin_trylock(struct spinlock *l)
{
	crit_enter();
	if (spin_trylock_raw(l))
		return 1;
	crit_exit();
	return 0;
}

static inline void spin_unlock(struct spinlock *l)
{
	spin_unlock_raw(l);
	crit_exit();
}

/* Set/clear request flags atomically with respect to this cpu's traps. */
static inline void reqflags_set(struct globaldata *gd, uint32_t f)
{
	unsigned long s = intr_disable();
	gd->gd_reqflags |= f;
	intr_restore(s);
}

static inline void reqflags_clear(struct globaldata *gd, uint32_t f)
{
	unsigned long s = intr_disable();
	gd->gd_reqflags &= ~f;
	intr_restore(s);
}

#endif
