/* Kernel start after the machine-dependent boot (hart 0). */
#include "kernel.h"
#include "globaldata.h"
#include "pmc.h"
#include "msgport.h"

void shell_main(void *arg);

static int harts_online(void *arg)
{
	int cpu, online = 0;

	ipiq_intr_ack();	/* MIE is off: clear the doorbell ourselves */
	for (cpu = 0; cpu < ncpus; cpu++)
		online += cpu_globaldata[cpu].gd_online != 0;
	*(int *)arg = online;
	return online == ncpus;
}

/*
 * Wait (bounded, 1 s) until every counted hart is running.  Hart 0 halts
 * meanwhile (each secondary rings its msip when online); interrupts are
 * still disabled here, so the doorbells only end WFI.
 */
static void wait_harts_online(void)
{
	int online = 0;

	if (!cpu_halt_until(harts_online, &online, TIMER_FREQ))
		panic("only %d of %d harts came online", online, ncpus);
	ipiq_intr_ack();
	timer_init_cpu();	/* the waits poked the timer */
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
