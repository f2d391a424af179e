#ifndef _PMC_H_
#define _PMC_H_

#include "types.h"

/* Event numbers implemented by our emulator (QEMU reads 0). */
#define PMC_EV_AMO	1	/* AMO instructions retired */
#define PMC_EV_LR	2
#define PMC_EV_SC	3
#define PMC_EV_SCFAIL	4
#define PMC_EV_ATOMIC	5	/* AMO + LR + SC */
#define PMC_EV_IPI	6	/* machine software interrupts taken */
#define PMC_EV_TRAP	7
#define PMC_EV_WFI	8
#define PMC_EV_FENCE	9
#define PMC_EV_TIMER	10
#define PMC_EV_EXT	11
#define PMC_EV_XFER	15	/* cache-line transfers by this hart (emu --coherence) */
#define PMC_EV_XFER_ALL	17	/* cache-line transfers by every hart */

/*
 * Default programming of the four counters on every hart:
 * mhpmcounter3 = AMO, 4 = LR, 5 = SC, 6 = IPIs taken, 7 = this hart's
 * cache-line transfers, 8 = every hart's.  Transfers count only when the
 * emulator's coherence model is on; without it they read 0.
 */
#define PMC_SLOT_AMO	0
#define PMC_SLOT_LR	1
#define PMC_SLOT_SC	2
#define PMC_SLOT_IPI	3
#define PMC_SLOT_XFER	4
#define PMC_SLOT_XFERALL 5
#define PMC_NSLOTS	6

struct pmc_snap {
	uint64_t insns;			/* minstret */
	uint64_t c[PMC_NSLOTS];		/* mhpmcounter3..8 */
};

extern int pmc_available;		/* counters count (not QEMU) */

void	pmc_init_cpu(void);
void	pmc_probe(void);
void	pmc_read(struct pmc_snap *s);
void	pmc_delta(const struct pmc_snap *a, const struct pmc_snap *b,
		  struct pmc_snap *d);
void	pmc_set_event(int slot, int event);
uint64_t pmc_read_slot(int slot);

#endif
