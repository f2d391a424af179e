#ifndef _SYSTIMER_H_
#define _SYSTIMER_H_

#include "types.h"

/*
 * One-shot per-cpu timeout.  Queued on the cpu that added it and only
 * touched by that cpu (critical section).  func runs in interrupt context.
 */
struct systimer {
	struct systimer	*st_next;
	uint64_t	st_deadline;	/* absolute mtime */
	void		(*st_func)(void *);
	void		*st_arg;
	int		st_queued;
};

uint64_t mtime_read(void);
void	systimer_add(struct systimer *st, uint64_t deadline,
		     void (*func)(void *), void *arg);
void	systimer_del(struct systimer *st);
void	timer_init_cpu(void);
void	timer_process(void);
void	timer_mask(void);
void	timer_poke(uint64_t deadline);
int	cpu_halt_until(int (*cond)(void *), void *arg, uint64_t timo);

#endif
