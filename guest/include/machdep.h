#ifndef _MACHDEP_H_
#define _MACHDEP_H_

#include "types.h"

struct trapframe {
	uint64_t tf_x[32];	/* tf_x[0] unused, tf_x[2] = interrupted sp */
	uint64_t tf_mepc;
	uint64_t tf_mstatus;
	uint64_t tf_mcause;
	uint64_t tf_mtval;
};

void	trap(struct trapframe *tf);
void	plic_init(void);
void	plic_init_cpu(void);
uint32_t plic_claim(void);
void	plic_complete(uint32_t irq);
void	plic_dispatch(void);
void	cpu_init_local(void);
void	*machdep_boot_fdt(void);

extern volatile uint64_t boot_checkin_mask;
extern char boot_stacks[];
extern char __bss_start[], __bss_end[], _end[];

#endif
