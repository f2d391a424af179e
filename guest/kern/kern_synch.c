/*
 * tsleep / wakeup.
 *
 * Each cpu keeps its own sleep hash (owner cpu, critical section).  A
 * global per-bucket cpumask says which cpus may have sleepers in that
 * bucket; wakeup() handles its own cpu directly and sends an IPI to the
 * others named in the mask.  Lost wakeups are prevented like DragonFly's
 * tsleep_interlock: the sleeper queues itself (and sets its mask bit,
 * amoor = full fence) *before* testing its condition; the waker sets the
 * condition, then a full fence, then reads the mask.  A wakeup that
 * arrives between the interlock and tsleep() dequeues the thread, and
 * tsleep() then returns at once.
 */
#include "kernel.h"
#include "globaldata.h"

static volatile uint64_t slpque_cpumask[SLPQ_SIZE];

static int slp_hash(const void *ident)
{
	uintptr_t v = (uintptr_t)ident;
	return (int)((v >> 3) ^ (v >> 9) ^ (v >> 15)) & (SLPQ_SIZE - 1);
}

static void slpq_insert(struct tdlist *q, thread_t td)
{
	td->td_sqnext = NULL;
	td->td_sqprev = q->tail;
	if (q->tail)
		q->tail->td_sqnext = td;
	else
		q->head = td;
	q->tail = td;
}

static void slpq_remove(struct tdlist *q, thread_t td)
{
	if (td->td_sqprev)
		td->td_sqprev->td_sqnext = td->td_sqnext;
	else
		q->head = td->td_sqnext;
	if (td->td_sqnext)
		td->td_sqnext->td_sqprev = td->td_sqprev;
	else
		q->tail = td->td_sqprev;
	td->td_sqnext = td->td_sqprev = NULL;
}

void sched_init(void)
{
}

/* Remove td (of this cpu) from its sleep queue, if it is on one. */
void tsleep_remove(thread_t td)
{
	struct globaldata *gd = td->td_gd;

	crit_enter();
	if (td->td_flags & TDF_TSLEEPQ) {
		slpq_remove(&gd->gd_slpq[slp_hash(td->td_wchan)], td);
		td->td_flags &= ~TDF_TSLEEPQ;
	}
	crit_exit();
}

/* Queue the current thread on ident before testing the sleep condition. */
void tsleep_interlock(const void *ident)
{
	struct globaldata *gd = mycpu;
	thread_t td = gd->gd_curthread;
	int b = slp_hash(ident);

	crit_enter();
	if (td->td_flags & TDF_TSLEEPQ)
		tsleep_remove(td);
	td->td_wchan = ident;
	slpq_insert(&gd->gd_slpq[b], td);
	td->td_flags |= TDF_TSLEEPQ;
	if (ncpus > 1) {
		if (!(slpque_cpumask[b] & gd->gd_cpumask))
			atomic_set_mask64(&slpque_cpumask[b], gd->gd_cpumask);
		else
			cpu_mfence();	/* queued before the condition is read */
	}
	crit_exit();
}

/* systimer callback (interrupt context): the sleep timed out. */
static void endtsleep(void *arg)
{
	thread_t td = arg;

	if (td->td_flags & TDF_TSLEEPQ) {
		tsleep_remove(td);
		td->td_flags |= TDF_TIMEOUT;
		lwkt_schedule(td);
	}
}

/*
 * Sleep on ident until wakeup(ident) or, if timo > 0, for timo ticks.
 * Returns 0 when woken, EWOULDBLOCK on timeout.  With PINTERLOCKED the
 * caller already called tsleep_interlock(ident).
 */
int tsleep(const void *ident, int flags, const char *wmesg, int timo)
{
	struct globaldata *gd = mycpu;
	thread_t td = gd->gd_curthread;
	int error = 0;

	KASSERT(gd->gd_intr_nesting_level == 0, "tsleep from interrupt");
	crit_enter();
	if (!(flags & PINTERLOCKED))
		tsleep_interlock(ident);
	if (!(td->td_flags & TDF_TSLEEPQ) || td->td_wchan != ident) {
		crit_exit();		/* woken between interlock and here */
		return 0;
	}
	td->td_flags &= ~TDF_TIMEOUT;
	td->td_wmesg = wmesg;
	if (timo > 0)
		systimer_add(&td->td_sleeptimer,
			     mtime_read() + (uint64_t)timo * TICK_MTIME,
			     endtsleep, td);
	lwkt_deschedule_self(td);
	lwkt_switch();
	if (td->td_flags & TDF_TIMEOUT) {
		td->td_flags &= ~TDF_TIMEOUT;
		error = EWOULDBLOCK;
	}
	if (timo > 0)
		systimer_del(&td->td_sleeptimer);
	tsleep_remove(td);
	td->td_wmesg = NULL;
	crit_exit();
	return error;
}

/* Wake this cpu's sleepers on ident (critical section). */
static void wakeup_local(const void *ident)
{
	struct globaldata *gd = mycpu;
	int b = slp_hash(ident);
	struct tdlist *q = &gd->gd_slpq[b];
	thread_t td, next;

	crit_enter();
	for (td = q->head; td; td = next) {
		next = td->td_sqnext;
		if (td->td_wchan == ident) {
			slpq_remove(q, td);
			td->td_flags &= ~TDF_TSLEEPQ;
			lwkt_schedule(td);
		}
	}
	/* lazily drop our mask bit when the bucket is empty */
	if (q->head == NULL && ncpus > 1 && (slpque_cpumask[b] & gd->gd_cpumask))
		atomic_clear_mask64(&slpque_cpumask[b], gd->gd_cpumask);
	crit_exit();
}

static void wakeup_remote(void *arg1, void *arg2)
{
	(void)arg2;
	wakeup_local(arg1);
}

void wakeup(const void *ident)
{
	struct globaldata *gd = mycpu;
	uint64_t mask;
	int cpu;

	wakeup_local(ident);
	if (ncpus == 1)
		return;
	cpu_mfence();		/* the caller's condition store before the mask load */
	mask = slpque_cpumask[slp_hash(ident)] & ~gd->gd_cpumask;
	for (cpu = 0; mask; cpu++, mask >>= 1)
		if (mask & 1)
			lwkt_send_ipiq(globaldata_find(cpu), wakeup_remote,
				       (void *)ident, NULL);
}

/* ---- waitgroup ---- */

void wg_init(struct waitgroup *wg, int n)
{
	wg->count = n;
	cpu_mfence();
}

void wg_done(struct waitgroup *wg)
{
	if (atomic_fetchadd_int(&wg->count, -1) == 1)
		wakeup(wg);
}

/* Wait until the count is 0.  Returns ETIMEDOUT after timo ticks (0 = forever). */
int wg_wait(struct waitgroup *wg, int timo_ticks)
{
	uint64_t deadline = mtime_read() + (uint64_t)timo_ticks * TICK_MTIME;

	for (;;) {
		tsleep_interlock(wg);
		if (__atomic_load_n(&wg->count, __ATOMIC_ACQUIRE) == 0)
			break;
		if (timo_ticks && mtime_read() >= deadline) {
			tsleep_remove(curthread);
			return ETIMEDOUT;
		}
		tsleep(wg, PINTERLOCKED, "wgwait", timo_ticks ? 10 : 0);
	}
	tsleep_remove(curthread);
	return 0;
}
