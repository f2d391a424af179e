#ifndef _TRACE_H_
#define _TRACE_H_

#include "types.h"

/*
 * Timeline announcements for the emulator's trace device (docs/tracing.md):
 * thread switches and token requests/hand-overs, drawn in Perfetto by
 * `emu run --trace`.  The device is found in the device tree
 * (/soc/lwkt-trace@...); where there is none (QEMU, boards without the
 * platform/boards/trace.repl overlay) every call is one load and a branch.
 */
struct thread;
struct lwkt_token;

void	trace_init(const void *fdt);
void	trace_switch(const struct thread *ntd);
void	trace_token_request(const struct lwkt_token *tok, int owner_cpu);
void	trace_token_handover(const struct lwkt_token *tok, int target_cpu);
void	trace_token_received(const struct lwkt_token *tok);

#endif
