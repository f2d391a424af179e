/*
 * Event counters: mhpmcounter3..6 with events selected in mhpmevent3..6.
 * Our emulator counts the events in pmc.h; QEMU accepts the CSRs but the
 * counters stay 0 for these events.  pmc_probe() tells the two apart by
 * counting one AMO; tests that need counters skip their checks when
 * pmc_available is 0 and say so in their PASS line.
 */
#include "kernel.h"
#include "globaldata.h"
#include "pmc.h"

int pmc_available;
static int pmc_csrs_ok = 1;	/* CSR accesses did not trap */

static void pmc_write_event(int slot, uint64_t ev)
{
	switch (slot) {
	case 0: csr_write(mhpmevent3, ev); break;
	case 1: csr_write(mhpmevent4, ev); break;
	case 2: csr_write(mhpmevent5, ev); break;
	case 3: csr_write(mhpmevent6, ev); break;
	case 4: csr_write(mhpmevent7, ev); break;
	case 5: csr_write(mhpmevent8, ev); break;
	}
}

uint64_t pmc_read_slot(int slot)
{
	if (!pmc_csrs_ok)
		return 0;
	switch (slot) {
	case 0: return csr_read(mhpmcounter3);
	case 1: return csr_read(mhpmcounter4);
	case 2: return csr_read(mhpmcounter5);
	case 3: return csr_read(mhpmcounter6);
	case 4: return csr_read(mhpmcounter7);
	case 5: return csr_read(mhpmcounter8);
	}
	return 0;
}

/* Program a counter, tolerating a board where the CSR does not exist. */
void pmc_set_event(int slot, int event)
{
	struct globaldata *gd = mycpu;

	if (!pmc_csrs_ok)
		return;
	gd->gd_probe_faulted = 0;
	gd->gd_probe_active = 1;
	cpu_ccfence();
	pmc_write_event(slot, event);
	cpu_ccfence();
	gd->gd_probe_active = 0;
	if (gd->gd_probe_faulted)
		pmc_csrs_ok = 0;
}

void pmc_init_cpu(void)
{
	pmc_set_event(PMC_SLOT_AMO, PMC_EV_AMO);
	pmc_set_event(PMC_SLOT_LR, PMC_EV_LR);
	pmc_set_event(PMC_SLOT_SC, PMC_EV_SC);
	pmc_set_event(PMC_SLOT_IPI, PMC_EV_IPI);
	pmc_set_event(PMC_SLOT_XFER, PMC_EV_XFER);
	pmc_set_event(PMC_SLOT_XFERALL, PMC_EV_XFER_ALL);
}

/* Program event 5 (all atomics), do one AMO, see whether the count moved. */
void pmc_probe(void)
{
	static volatile uint32_t word;
	uint64_t a, b;

	pmc_set_event(PMC_SLOT_AMO, PMC_EV_ATOMIC);
	a = pmc_read_slot(PMC_SLOT_AMO);
	__atomic_fetch_add(&word, 1, __ATOMIC_RELAXED);
	b = pmc_read_slot(PMC_SLOT_AMO);
	pmc_set_event(PMC_SLOT_AMO, PMC_EV_AMO);
	pmc_available = pmc_csrs_ok && (b - a) >= 1 && (b - a) < 4;
}

void pmc_read(struct pmc_snap *s)
{
	int i;

	s->insns = rd_minstret();
	/* without working counters (QEMU maps some events to cycles) report 0 */
	for (i = 0; i < PMC_NSLOTS; i++)
		s->c[i] = pmc_available ? pmc_read_slot(i) : 0;
}

void pmc_delta(const struct pmc_snap *a, const struct pmc_snap *b,
	       struct pmc_snap *d)
{
	int i;

	d->insns = b->insns - a->insns;
	for (i = 0; i < PMC_NSLOTS; i++)
		d->c[i] = b->c[i] - a->c[i];
}
