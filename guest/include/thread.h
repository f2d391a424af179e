#ifndef _THREAD_H_
#define _THREAD_H_

#include "types.h"
#include "systimer.h"
#include "msgport.h"

struct globaldata;
struct lwkt_tokref;
struct spintoken;

/* Callee-saved context, saved and restored by cpu_switch (swtch.S). */
struct pcb {
	uint64_t pcb_ra;
	uint64_t pcb_sp;
	uint64_t pcb_s[12];
	uint64_t pcb_mstatus;	/* only MIE matters: a thread resumes with its own */
};

/* A doubly linked list of threads (run queues, sleep queues). */
struct tdlist {
	struct thread *head;
	struct thread *tail;
};

struct thread {
	struct pcb	td_pcb;			/* must stay first (swtch.S) */
	struct thread	*td_rqnext;		/* run queue link (owner cpu only) */
	struct thread	*td_rqprev;
	struct thread	*td_sqnext;		/* sleep queue link (owner cpu only) */
	struct thread	*td_sqprev;
	struct thread	*td_allnext;		/* gd_tdall list (owner cpu only) */
	struct globaldata *td_gd;		/* owning cpu; never changes */
	int		td_pri;			/* 0..31, higher runs first */
	volatile int	td_critcount;		/* critical section depth */
	volatile uint32_t td_flags;		/* TDF_*, owner cpu only */
	const char	*td_wmesg;		/* why it is blocked */
	const void	*td_wchan;		/* sleep ident */
	struct thread	*td_preempted;		/* thread this one preempted */
	struct lwkt_tokref *td_toks;		/* held tokrefs, newest first */
	struct spintoken *td_spintoks[4];	/* baseline spin tokens held */
	int		td_nspintoks;
	uint64_t	td_tokwait_ts;		/* age of its token wait; 0 = not waiting */
	int		td_preemptable;		/* interrupt thread: may preempt */
	int		td_tokwait;		/* waiting for tokens (stats) */
	void		(*td_func)(void *);
	void		*td_arg;
	void		*td_kstack;		/* block holding this struct + stack */
	uint64_t	td_switches;		/* times switched in */
	struct systimer	td_sleeptimer;		/* tsleep timeout */
	struct lwkt_port td_msgport;		/* the thread's own port */
	char		td_name[24];
#ifdef INVARIANTS
	uint64_t	td_magic;
#endif
};
typedef struct thread *thread_t;

#define TD_MAGIC	0x7468726561646d67UL

/* td_flags; written only by the owning cpu inside a critical section */
#define TDF_RUNQ	0x0001	/* on a run queue (runnable) */
#define TDF_RUNNING	0x0002	/* currently running on its cpu */
#define TDF_PREEMPT_LOCK 0x0004	/* preempted; resumed only by its preempter */
#define TDF_TSLEEPQ	0x0008	/* on a sleep queue */
#define TDF_TIMEOUT	0x0010	/* tsleep timed out */
#define TDF_EXITING	0x0020	/* lwkt_exit called */
#define TDF_IDLE	0x0040	/* the per-cpu idle thread */
#define TDF_NOSTART	0x0080	/* lwkt_create: do not schedule yet */
#define TDF_STATIC	0x0100	/* storage not from the page allocator */

/* Priorities (DragonFly's scale) */
#define TDPRI_IDLE	0
#define TDPRI_USER	6
#define TDPRI_KERN_USER	10
#define TDPRI_KERN_DAEMON 12
#define TDPRI_SOFT	14
#define TDPRI_TIMER	16
#define TDPRI_INT_SUPPORT 20
#define TDPRI_INT_MED	28
#define NQS		32

/* tsleep flags */
#define PINTERLOCKED	0x0400

int	lwkt_create(void (*func)(void *), void *arg, thread_t *tdp,
		    int cpu, int pri, int flags, const char *name);
void	lwkt_exit(void) __attribute__((noreturn));
void	lwkt_switch(void);
void	lwkt_yield(void);
void	lwkt_schedule(thread_t td);
void	lwkt_deschedule(thread_t td);
void	lwkt_deschedule_self(thread_t td);
void	lwkt_preempt(thread_t ntd, int critpri);
void	lwkt_maybe_resched(void);
void	lwkt_schedulerclock(struct globaldata *gd);
void	lwkt_idle_loop(void) __attribute__((noreturn));
void	lwkt_init_cpu(struct globaldata *gd);
int	lwkt_runq_count(struct globaldata *gd);
void	lwkt_print_threads(void *arg, void *arg2);

int	tsleep(const void *ident, int flags, const char *wmesg, int timo);
void	tsleep_interlock(const void *ident);
void	tsleep_remove(thread_t td);
void	wakeup(const void *ident);
void	sched_init(void);

void	cpu_switch(struct pcb *old, struct pcb *new);
void	cpu_thread_trampoline(void);

/* A small join helper used by tests and commands. */
struct waitgroup {
	volatile int count;
};
void	wg_init(struct waitgroup *wg, int n);
void	wg_done(struct waitgroup *wg);
int	wg_wait(struct waitgroup *wg, int timo_ticks);

#endif
