/*
 * splz: replay the interrupt work recorded in gd_reqflags.
 *
 * Called at the crit_exit that brings a thread's count to zero, by the
 * trap handler when the interrupted thread was not in a critical section,
 * and by the idle loop.  Runs the work in a critical section of its own,
 * with gd_intr_nesting_level raised (handlers may not block or take
 * tokens).  A pending preemption is done last, when no handler is half
 * way through its work, so a preempting thread can never re-enter one.
 * Last, outside the critical section, a requested reschedule
 * (RQF_AST_RESCHED: a higher priority thread became runnable, or an equal
 * one has waited a tick) switches if the thread may be switched out.
 */
#include "kernel.h"
#include "globaldata.h"
#include "machdep.h"

/* Read and clear the deferred-work bits with this hart's traps off. */
static uint32_t reqflags_take(struct globaldata *gd)
{
	unsigned long s = intr_disable();
	uint32_t f = gd->gd_reqflags & RQF_SPLZ_MASK;

	gd->gd_reqflags &= ~f;
	intr_restore(s);
	return f;
}

/* Tests: called once per splz after the work loop (see test_intr.c). */
void (*splz_exit_hook)(void);

void splz(void)
{
	struct globaldata *gd = mycpu;
	thread_t td = gd->gd_curthread;
	thread_t ntd;
	unsigned long s;
	uint32_t f;

	crit_enter();
again:
	while ((f = reqflags_take(gd)) != 0) {
		gd->gd_intr_nesting_level++;
		if (f & RQF_IPIQ) {
			/* clear npoll before scanning: a sender that saw 1 queued first */
			gd->gd_npoll = 0;
			cpu_mfence();
			lwkt_process_ipiq();
		}
		if (f & RQF_TIMER)
			timer_process();
		if (f & RQF_INTPEND) {
			plic_dispatch();
			csr_set(mie, MIE_MEIE);
		}
		gd->gd_intr_nesting_level--;
		if (f & RQF_PREEMPT) {
			ntd = gd->gd_preempt_td;
			gd->gd_preempt_td = NULL;
			if (ntd)
				lwkt_preempt(ntd, 1);
		}
	}
	if (splz_exit_hook)
		splz_exit_hook();
	/*
	 * An interrupt taken after the last reqflags_take was only recorded
	 * (we are in a critical section) and its source is masked: recheck
	 * with traps off, and leave the critical section with traps still
	 * off, so that anything later finds the count at its entry value
	 * (0 when called from crit_exit or a trap) and runs splz itself.
	 */
	s = intr_disable();
	if (gd->gd_reqflags & RQF_SPLZ_MASK) {
		intr_restore(s);
		goto again;
	}
	crit_exit_noyield(td);
	intr_restore(s);
	/* at crit_exit or interrupt return: a higher or equal thread's turn */
	if ((gd->gd_reqflags & RQF_AST_RESCHED) && td->td_critcount == 0)
		lwkt_maybe_resched();
}
