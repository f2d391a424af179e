/*
 * Announcements to the emulator's trace device: a 32-bit register file at
 * the unit address of /soc/lwkt-trace@ (ARG0 lo/hi at 0x0/0x4, ARG1 lo/hi
 * at 0x8/0xc, EVENT at 0x10).  Writing EVENT records the event with the
 * arguments written before it, on the writing hart's track.  An event is
 * written with interrupts off, so an interrupt handler's event cannot mix
 * its arguments into ours (a critical section would not do: its exit may
 * switch threads, which announces a switch from inside this one); harts
 * do not mix because the device keeps one register file per hart.
 */
#include "kernel.h"
#include "globaldata.h"
#include "thread.h"
#include "token.h"
#include "trace.h"

#define TRACE_ARG0	0x00
#define TRACE_ARG1	0x08
#define TRACE_EVENT	0x10

#define TEV_SWITCH		1	/* ARG0 = name of the thread switched to */
#define TEV_TOKEN_REQUEST	2	/* ARG0 = token, ARG1 = owner cpu */
#define TEV_TOKEN_HANDOVER	3	/* ARG0 = token, ARG1 = new owner cpu */
#define TEV_TOKEN_RECEIVED	4	/* ARG0 = token */

/* Set once at boot before the other harts start; 0 = no device. */
static uintptr_t trace_base;

void trace_init(const void *fdt)
{
	trace_base = fdt_find_unit(fdt, "lwkt-trace");
	if (trace_base)
		kprintf("boot: trace device at 0x%lx\n", trace_base);
}

static void trace_event(uint32_t ev, uintptr_t a0, uint64_t a1)
{
	uintptr_t b = trace_base;
	unsigned long s;

	if (!b)
		return;
	s = intr_disable();
	mmio_write32(b + TRACE_ARG0, (uint32_t)a0);
	mmio_write32(b + TRACE_ARG0 + 4, (uint32_t)(a0 >> 32));
	mmio_write32(b + TRACE_ARG1, (uint32_t)a1);
	mmio_write32(b + TRACE_ARG1 + 4, (uint32_t)(a1 >> 32));
	mmio_write32(b + TRACE_EVENT, ev);
	intr_restore(s);
}

void trace_switch(const struct thread *ntd)
{
	trace_event(TEV_SWITCH, (uintptr_t)ntd->td_name, 0);
}

void trace_token_request(const struct lwkt_token *tok, int owner_cpu)
{
	trace_event(TEV_TOKEN_REQUEST, (uintptr_t)tok, (uint64_t)owner_cpu);
}

void trace_token_handover(const struct lwkt_token *tok, int target_cpu)
{
	trace_event(TEV_TOKEN_HANDOVER, (uintptr_t)tok, (uint64_t)target_cpu);
}

void trace_token_received(const struct lwkt_token *tok)
{
	trace_event(TEV_TOKEN_RECEIVED, (uintptr_t)tok, 0);
}
