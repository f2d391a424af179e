/*
 * splz: replay the interrupt work recorded in gd_reqflags.
 *
 * Called at the crit_exit that brings a thread's count to zero, by the
 * trap handler when the interrupted thread was not in a critical section,
 * and by the idle loop.  Runs the work in a critical section of its own,
 * with gd_intr_nesting_level raised (handlers may not block or take
 * tokens).  A pending preemption is done last, when no handler is half
 * way through its work, so a preempting thread can never re-enter one.
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

void splz(void)
{
	struct globaldata *gd = mycpu;
	thread_t td = gd->gd_curthread;
	thread_t ntd;
	uint32_t f;

	crit_enter();
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
	crit_exit_noyield(td);
}
