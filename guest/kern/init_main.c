/* Kernel start after the machine-dependent boot (hart 0). */
#include "kernel.h"
#include "globaldata.h"
#include "pmc.h"
#include "msgport.h"

void shell_main(void *arg);

/* Wait (bounded, 1 s) until every counted hart is running. */
static void wait_harts_online(void)
{
	uint64_t t0 = mtime_read();
	int cpu, online;

	do {
		online = 0;
		for (cpu = 0; cpu < ncpus; cpu++)
			online += cpu_globaldata[cpu].gd_online != 0;
		if (online == ncpus)
			return;
	} while (mtime_read() - t0 < TIMER_FREQ);
	panic("only %d of %d harts came online", online, ncpus);
}

void kmain(void)
{
	wait_harts_online();
	cpu_mfence();
	pmc_probe();
	csr_set(mstatus, MSTATUS_MIE);
	cons_enable_rx();
	objsvc_init();
	lwkt_create(shell_main, NULL, NULL, 0, TDPRI_KERN_DAEMON, 0, "shell");
	lwkt_idle_loop();
}
