#ifndef _IPIQ_H_
#define _IPIQ_H_

#include "types.h"
#include "param.h"

struct globaldata;
typedef void (*ipifunc_t)(void *arg1, void *arg2);

#define MAXCPUFIFO	32		/* slots per ring; power of 2 */
#define MAXCPUFIFO_MASK	(MAXCPUFIFO - 1)

struct ipiq_slot {
	ipifunc_t	func;
	void		*arg1;
	void		*arg2;
};

/*
 * One single-producer single-consumer ring per (source, target) pair.
 * ip_windex is written only by the source cpu, ip_rindex and ip_xindex
 * only by the target cpu.  Indices run freely; compare with signed
 * differences.
 */
struct lwkt_ipiq {
	volatile uint32_t ip_windex;
	volatile uint32_t ip_spacewait;		/* sender halts until the ring drains */
	uint32_t	ip_pad0[14];		/* separate cache lines */
	volatile uint32_t ip_rindex;
	volatile uint32_t ip_xindex;
	uint32_t	ip_pad1[14];
	struct ipiq_slot ip_ring[MAXCPUFIFO];
};

struct ipiq_stats {
	uint64_t	sent;		/* messages queued by this cpu */
	uint64_t	received;	/* messages run on this cpu */
	uint64_t	avoided;	/* sends that needed no hardware IPI */
	uint64_t	hwipi;		/* hardware IPIs raised by this cpu */
	uint64_t	fifofull;	/* sends that waited for ring space */
	uint64_t	passive;	/* passive sends */
	uint64_t	intrs;		/* IPI interrupts taken */
};

void	lwkt_send_ipiq(struct globaldata *target, ipifunc_t func, void *a1, void *a2);
void	lwkt_send_ipiq_passive(struct globaldata *target, ipifunc_t func, void *a1, void *a2);
int	lwkt_send_ipiq_nowait(struct globaldata *target, ipifunc_t func, void *a1, void *a2);
void	lwkt_send_ipiq_mask(cpumask_t mask, ipifunc_t func, void *a1, void *a2);
void	lwkt_process_ipiq(void);
void	lwkt_process_ipiq_poll(void);
void	lwkt_wait_until(int (*done)(void *), void *arg);
void	lwkt_cpusync(cpumask_t mask, ipifunc_t func, void *arg);
void	ipiq_intr_ack(void);
void	cpu_send_ipi(int cpu);
int	lwkt_ipiq_pending(int src, int dst);

#endif
