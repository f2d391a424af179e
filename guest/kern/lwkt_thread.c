/*
 * LWKT threads and the per-cpu scheduler.
 *
 * A thread belongs to one cpu (td_gd) for life.  Each cpu has 32 run
 * queues and a bitmask of the non-empty ones; strict priority, round
 * robin within a level.  Only the owning cpu touches its queues and its
 * threads' scheduling fields, inside a critical section, so there is no
 * lock.  Other cpus act on a thread by sending an IPI to its cpu.
 */
#include "kernel.h"
#include "trace.h"
#include "globaldata.h"
#include "token.h"
#include "machdep.h"

void lwkt_thread_start(void (*func)(void *), void *arg);

/* ---- run queues (owner cpu, critical section) ---- */

static void runq_insert_tail(struct globaldata *gd, thread_t td)
{
	struct tdlist *q = &gd->gd_tdrunq[td->td_pri];

	/* only the owning cpu touches its run queues */
	INVKASSERT(gd == mycpu && td->td_gd == gd, "run queue touched off its cpu");
	INVKASSERT(!(td->td_flags & TDF_RUNQ), "thread queued twice");
	td->td_rqnext = NULL;
	td->td_rqprev = q->tail;
	if (q->tail)
		q->tail->td_rqnext = td;
	else
		q->head = td;
	q->tail = td;
	gd->gd_runqmask |= 1U << td->td_pri;
	td->td_flags |= TDF_RUNQ;
	gd->gd_tok_contention = 0;	/* the idle loop must look again */
	gd->gd_spintok_contention = 0;
}

static void runq_remove(struct globaldata *gd, thread_t td)
{
	struct tdlist *q = &gd->gd_tdrunq[td->td_pri];

	INVKASSERT(gd == mycpu && td->td_gd == gd, "run queue touched off its cpu");
	INVKASSERT(td->td_flags & TDF_RUNQ, "removing a thread not queued");
	if (td->td_rqprev)
		td->td_rqprev->td_rqnext = td->td_rqnext;
	else
		q->head = td->td_rqnext;
	if (td->td_rqnext)
		td->td_rqnext->td_rqprev = td->td_rqprev;
	else
		q->tail = td->td_rqprev;
	td->td_rqnext = td->td_rqprev = NULL;
	if (q->head == NULL)
		gd->gd_runqmask &= ~(1U << td->td_pri);
	td->td_flags &= ~TDF_RUNQ;
}

int lwkt_runq_count(struct globaldata *gd)
{
	int n = 0, pri;
	thread_t td;

	for (pri = 0; pri < NQS; pri++)
		for (td = gd->gd_tdrunq[pri].head; td; td = td->td_rqnext)
			n++;
	return n;
}

/* ---- per-cpu setup ---- */

/* The boot context of each hart becomes its idle thread. */
void lwkt_init_cpu(struct globaldata *gd)
{
	thread_t td = &gd->gd_idlethread;

	memset(td, 0, sizeof(*td));
	td->td_gd = gd;
	td->td_pri = TDPRI_IDLE;
	td->td_flags = TDF_IDLE | TDF_RUNNING | TDF_STATIC;
	td->td_kstack = boot_stacks + gd->gd_cpuid * BOOT_STACK_SIZE;
	ksnprintf(td->td_name, sizeof(td->td_name), "idle%d", gd->gd_cpuid);
#ifdef INVARIANTS
	td->td_magic = TD_MAGIC;
#endif
	lwkt_initport_thread(&td->td_msgport, td);
	gd->gd_curthread = td;
	gd->gd_tdall = td;
	gd->gd_nthreads = 1;
}

/* ---- switching ---- */

/* Work after every cpu_switch, on the thread that was switched in. */
static void lwkt_switch_return(struct globaldata *gd)
{
	thread_t dead = gd->gd_freetd;

	if (dead && dead != gd->gd_curthread) {
		gd->gd_freetd = NULL;
#ifdef INVARIANTS
		dead->td_magic = 0;
#endif
		kmem_free_pages(dead->td_kstack, KSTACK_PAGES);
	}
}

/*
 * Choose the next thread: the head of the highest non-empty queue whose
 * tokens are all local (lwkt_chktokens sends requests for those that are
 * not).  The chosen thread moves to the tail of its queue (round robin).
 * A thread preempted by an interrupt thread is never chosen here: only
 * its preempter resumes it.
 */
/* Index of the highest set bit of a non-zero mask (no libgcc here). */
static int fls32(uint32_t m)
{
	int n = 0;

	if (m & 0xffff0000) { n += 16; m >>= 16; }
	if (m & 0xff00) { n += 8; m >>= 8; }
	if (m & 0xf0) { n += 4; m >>= 4; }
	if (m & 0xc) { n += 2; m >>= 2; }
	if (m & 0x2) n += 1;
	return n;
}

static thread_t lwkt_pick(struct globaldata *gd)
{
	uint32_t mask = gd->gd_runqmask;
	thread_t ntd;
	int pri;

	gd->gd_tok_contention = 0;
	gd->gd_spintok_contention = 0;
	while (mask) {
		pri = fls32(mask);
		for (ntd = gd->gd_tdrunq[pri].head; ntd; ntd = ntd->td_rqnext) {
			if (ntd->td_flags & TDF_PREEMPT_LOCK)
				continue;
			if (ntd->td_toks && !lwkt_chktokens(ntd)) {
				gd->gd_tok_contention++;
				continue;
			}
			if (ntd->td_nspintoks && !spintoken_getall(ntd)) {
				gd->gd_spintok_contention++;
				continue;
			}
			ntd->td_tokwait_ts = 0;		/* it has all its tokens */
			runq_remove(gd, ntd);
			runq_insert_tail(gd, ntd);
			return ntd;
		}
		mask &= ~(1U << pri);
	}
	return &gd->gd_idlethread;
}

static void lwkt_switch_to(struct globaldata *gd, thread_t td, thread_t ntd,
			   int preempt)
{
	(void)preempt;	/* read by the INVARIANTS shadow below */
	td->td_flags &= ~TDF_RUNNING;
	ntd->td_flags |= TDF_RUNNING;
	gd->gd_curthread = ntd;
	gd->gd_switches++;
	ntd->td_switches++;
	trace_switch(ntd);
	cpu_switch(&td->td_pcb, &ntd->td_pcb);
	lwkt_switch_return(gd);
#ifdef INVARIANTS
	/*
	 * td runs again.  Shadow invariant: a thread's shadow entries are
	 * cleared only where it stops running (lwkt_switch) and are set again
	 * only where it resumes from there.  A preempted thread (preempt: we
	 * are back in lwkt_preempt) never stopped being the running holder,
	 * so its entries are still exact and must not be recomputed from
	 * td_toks: it may have been interrupted between tokref_push and its
	 * crit_enter in lwkt_gettoken (td_toks then lists a token that is not
	 * local yet, "thread resumed without its token"), or in lwkt_reltoken
	 * between shadow_clear and the unlink (setting the entry again would
	 * leave this thread the holder of a token it no longer references,
	 * and the next cpu to take it would panic "running holders").
	 */
	if (!preempt)
		lwkt_token_shadow_in(td);
#endif
}

/*
 * Give up the cpu to the best runnable thread (maybe ourselves).
 * A preempting thread returns straight to the thread it preempted; that
 * thread never lost its tokens, so no drain and no token check.
 * Otherwise parked token requests are granted first: this is a switch
 * boundary, where tokens of threads that are not running may be taken.
 */
void lwkt_switch(void)
{
	struct globaldata *gd = mycpu;
	thread_t td = gd->gd_curthread;
	thread_t ntd;

	KASSERT(gd->gd_intr_nesting_level == 0, "lwkt_switch from interrupt");
	crit_enter();
	if (gd->gd_reqflags & RQF_AST_RESCHED)
		reqflags_clear(gd, RQF_AST_RESCHED);
	if (td->td_nspintoks)
		spintoken_relall(td);	/* baseline: retaken at switch-in */
#ifdef INVARIANTS
	/* td stops being the running holder before any token is drained */
	lwkt_token_shadow_out(td);
#endif
	if (td->td_preempted) {
		ntd = td->td_preempted;
		td->td_preempted = NULL;
	} else {
		lwkt_drain_token_requests(gd);
		ntd = lwkt_pick(gd);
	}
	if (ntd != td)
		lwkt_switch_to(gd, td, ntd, 0);
#ifdef INVARIANTS
	else
		lwkt_token_shadow_in(td);
#endif
	crit_exit();
}

void lwkt_yield(void)
{
	lwkt_switch();
}

/*
 * An involuntary switch (RQF_AST_RESCHED, from splz at crit_exit or at
 * interrupt return, never inside a critical section).  Only a thread that
 * holds no tokens is switched out this way: for a token holder every
 * point would become a blocking point, and its atomicity is only lost
 * where it blocks.  The flag stays set for it (and for the idle thread,
 * whose loop switches itself), so the switch happens at its next
 * crit_exit or interrupt after the last release.  An interrupt thread
 * running over a preempted one is not switched either (it returns to its
 * victim when it blocks).  The thread goes behind the others of its
 * priority, so equal priorities take turns.
 */
void lwkt_maybe_resched(void)
{
	struct globaldata *gd = mycpu;
	thread_t td = gd->gd_curthread;

	if (td->td_critcount != 0 || gd->gd_intr_nesting_level != 0 ||
	    (td->td_flags & (TDF_IDLE | TDF_EXITING)) || !(td->td_flags & TDF_RUNQ) ||
	    td->td_toks != NULL || td->td_nspintoks || td->td_preempted != NULL)
		return;
	crit_enter();
	gd->gd_resched_switches++;
	runq_remove(gd, td);
	runq_insert_tail(gd, td);
	lwkt_switch();
	crit_exit();
}

/*
 * From the tick (splz, critical section): if another thread of the
 * running thread's priority is runnable, ask for a switch at the end of
 * this interrupt (round robin).  Running threads stay on their queue, so
 * "another" is a queue with more than one entry.
 */
void lwkt_schedulerclock(struct globaldata *gd)
{
	thread_t td = gd->gd_curthread;
	struct tdlist *q = &gd->gd_tdrunq[td->td_pri];

	if ((td->td_flags & TDF_IDLE) || td->td_preempted != NULL)
		return;
	if (q->head != NULL && q->head != q->tail)
		reqflags_set(gd, RQF_AST_RESCHED);
}

/*
 * Preempt the current thread with the interrupt thread ntd (same cpu,
 * higher priority, holding no tokens).  Called from splz with the
 * critical section count of the current thread at critpri.  The current
 * thread keeps its tokens and resumes, here, when ntd blocks.
 */
void lwkt_preempt(thread_t ntd, int critpri)
{
	struct globaldata *gd = mycpu;
	thread_t td = gd->gd_curthread;
	int nest;

	if (ntd == td || ntd->td_gd != gd || ntd->td_pri <= td->td_pri ||
	    td->td_critcount > critpri || td->td_preempted != NULL ||
	    ntd->td_toks != NULL || ntd->td_nspintoks ||
	    !(ntd->td_flags & TDF_RUNQ) ||
	    (td->td_flags & TDF_IDLE)) {
		gd->gd_preempt_miss++;
		reqflags_set(gd, RQF_AST_RESCHED);
		return;
	}
	gd->gd_preempt_hit++;
	ntd->td_preempted = td;
	td->td_flags |= TDF_PREEMPT_LOCK;
	nest = gd->gd_intr_nesting_level;
	gd->gd_intr_nesting_level = 0;
	lwkt_switch_to(gd, td, ntd, 1);
	gd->gd_intr_nesting_level = nest;
	td->td_flags &= ~TDF_PREEMPT_LOCK;
}

/* ---- scheduling ---- */

static void lwkt_schedule_local(struct globaldata *gd, thread_t td)
{
	if (td->td_flags & (TDF_RUNQ | TDF_EXITING | TDF_IDLE))
		return;
	runq_insert_tail(gd, td);
	if (td->td_pri > gd->gd_curthread->td_pri) {
		if (td->td_preemptable && gd->gd_preempt_td == NULL) {
			gd->gd_preempt_td = td;
			reqflags_set(gd, RQF_PREEMPT);
		} else {
			reqflags_set(gd, RQF_AST_RESCHED);
		}
	}
}

static void lwkt_schedule_remote(void *arg1, void *arg2)
{
	(void)arg2;
	lwkt_schedule_local(mycpu, arg1);
}

/* Make td runnable.  A thread of another cpu is scheduled by IPI. */
void lwkt_schedule(thread_t td)
{
	struct globaldata *gd = mycpu;

	INVKASSERT(td->td_magic == TD_MAGIC, "lwkt_schedule: bad thread");
	if (td->td_gd != gd) {
		lwkt_send_ipiq(td->td_gd, lwkt_schedule_remote, td, NULL);
		return;
	}
	crit_enter();
	lwkt_schedule_local(gd, td);
	crit_exit();
}

/* Caller holds a critical section and is about to lwkt_switch(). */
void lwkt_deschedule_self(thread_t td)
{
	if (td->td_flags & TDF_RUNQ)
		runq_remove(td->td_gd, td);
}

static void lwkt_deschedule_remote(void *arg1, void *arg2)
{
	thread_t td = arg1;

	(void)arg2;
	if (td->td_flags & TDF_RUNQ)
		runq_remove(mycpu, td);
}

/* Remove td from its run queue (by IPI if it is another cpu's). */
void lwkt_deschedule(thread_t td)
{
	struct globaldata *gd = mycpu;

	if (td->td_gd != gd) {
		lwkt_send_ipiq(td->td_gd, lwkt_deschedule_remote, td, NULL);
		return;
	}
	crit_enter();
	if (td->td_flags & TDF_RUNQ)
		runq_remove(gd, td);
	crit_exit();
}

/* ---- creation and exit ---- */

/* On the owning cpu: list the new thread, start it unless NOSTART. */
static void lwkt_adopt(void *arg1, void *arg2)
{
	struct globaldata *gd = mycpu;
	thread_t td = arg1;
	int start = (int)(uintptr_t)arg2;

	td->td_allnext = gd->gd_tdall;
	gd->gd_tdall = td;
	gd->gd_nthreads++;
	if (start)
		lwkt_schedule_local(gd, td);
}

/*
 * Create a thread on 'cpu' at priority 'pri'.  Its struct thread sits at
 * the bottom of its KSTACK_SIZE block; the stack grows down from the top.
 * It starts in cpu_thread_trampoline -> lwkt_thread_start(func, arg).
 */
int lwkt_create(void (*func)(void *), void *arg, thread_t *tdp,
		int cpu, int pri, int flags, const char *name)
{
	struct globaldata *gd = globaldata_find(cpu);
	void *block;
	thread_t td;

	KASSERT(cpu >= 0 && cpu < ncpus, "lwkt_create: bad cpu");
	KASSERT(pri > 0 && pri < NQS, "lwkt_create: bad priority");
	block = kmem_alloc_pages(KSTACK_PAGES, 1);
	if (block == NULL)
		return ENOMEM;
	td = block;
	memset(td, 0, sizeof(*td));
	td->td_kstack = block;
	td->td_gd = gd;
	td->td_pri = pri;
	td->td_func = func;
	td->td_arg = arg;
	td->td_critcount = 1;		/* released in lwkt_thread_start */
	td->td_pcb.pcb_ra = (uint64_t)cpu_thread_trampoline;
	td->td_pcb.pcb_sp = (uint64_t)block + KSTACK_SIZE;
	td->td_pcb.pcb_s[0] = (uint64_t)func;
	td->td_pcb.pcb_s[1] = (uint64_t)arg;
	td->td_pcb.pcb_mstatus = MSTATUS_MIE | MSTATUS_MPP_M;
	strlcpy(td->td_name, name, sizeof(td->td_name));
	lwkt_initport_thread(&td->td_msgport, td);
#ifdef INVARIANTS
	td->td_magic = TD_MAGIC;
#endif
	if (tdp)
		*tdp = td;
	if (gd == mycpu) {
		crit_enter();
		lwkt_adopt(td, (void *)(uintptr_t)!(flags & TDF_NOSTART));
		crit_exit();
	} else {
		/* the IPI ring orders this before any later lwkt_schedule */
		lwkt_send_ipiq(gd, lwkt_adopt, td,
			       (void *)(uintptr_t)!(flags & TDF_NOSTART));
	}
	return 0;
}

void lwkt_thread_start(void (*func)(void *), void *arg)
{
	struct globaldata *gd = mycpu;

	lwkt_switch_return(gd);
	crit_exit();
	func(arg);
	lwkt_exit();
}

static void tdall_remove(struct globaldata *gd, thread_t td)
{
	thread_t *pp;

	for (pp = &gd->gd_tdall; *pp; pp = &(*pp)->td_allnext) {
		if (*pp == td) {
			*pp = td->td_allnext;
			gd->gd_nthreads--;
			return;
		}
	}
}

/* Terminate the current thread; its block is freed after the switch. */
void lwkt_exit(void)
{
	struct globaldata *gd = mycpu;
	thread_t td = gd->gd_curthread;

	KASSERT(td->td_toks == NULL, "lwkt_exit: thread holds tokens");
	/* DEBUG_CRIT_SECTIONS: enters and exits must pair up */
	INVKASSERT(td->td_critcount == 0, "lwkt_exit: inside a critical section");
	crit_enter();
	tsleep_remove(td);
	systimer_del(&td->td_sleeptimer);
	tdall_remove(gd, td);
	td->td_flags |= TDF_EXITING;
	lwkt_deschedule_self(td);
	KASSERT(gd->gd_freetd == NULL, "lwkt_exit: freetd busy");
	gd->gd_freetd = td;
	lwkt_switch();
	panic("lwkt_exit: returned");
}

/*
 * Idle thread: run deferred work, switch when something is runnable,
 * otherwise WFI.  Interrupts are disabled around the final check so that
 * a wakeup cannot slip in between the check and the WFI (a pending
 * enabled interrupt ends WFI even with MIE off).  Runnable threads that
 * only wait for tokens do not keep us awake: the cpu that hands a token
 * over (or acknowledges a request) rings our msip.
 */
void lwkt_idle_loop(void)
{
	struct globaldata *gd = mycpu;
	unsigned long s;

	for (;;) {
		if (gd->gd_reqflags & RQF_SPLZ_MASK)
			splz();
		if (gd->gd_runqmask)
			lwkt_switch();
		s = intr_disable();
		/* spin-token waiters poll (nobody rings us when one is freed) */
		if (!(gd->gd_reqflags & RQF_SPLZ_MASK) && !gd->gd_spintok_contention &&
		    (gd->gd_runqmask == 0 || gd->gd_tok_contention))
			cpu_wfi();
		intr_restore(s);
	}
}

static const char *td_state(thread_t td)
{
	if (td->td_flags & TDF_RUNNING)
		return "RUN";
	if (td->td_flags & TDF_IDLE)
		return "IDLE";
	if (td->td_flags & TDF_PREEMPT_LOCK)
		return "PREEMPTED";
	if (td->td_flags & TDF_RUNQ)
		return td->td_toks ? "RDY/TOK" : "READY";
	if (td->td_flags & TDF_TSLEEPQ)
		return "SLEEP";
	return "BLOCKED";
}

/* ps, run on each cpu by lwkt_cpusync: this cpu's threads. */
void lwkt_print_threads(void *arg, void *arg2)
{
	struct globaldata *gd = mycpu;
	thread_t td;

	(void)arg;
	(void)arg2;
	for (td = gd->gd_tdall; td; td = td->td_allnext)
		kprintf("%3d %3d %-9s %-8s %8lu %s\n", gd->gd_cpuid, td->td_pri,
			td_state(td), td->td_wmesg ? td->td_wmesg : "-",
			td->td_switches, td->td_name);
}
