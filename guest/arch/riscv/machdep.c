/*
 * Machine-dependent code: boot of every hart, the trap dispatcher, CLINT
 * software interrupts and the PLIC.
 */
#include "kernel.h"
#include "trace.h"
#include "globaldata.h"
#include "machdep.h"
#include "pmc.h"
#include "token.h"
#include "slaballoc.h"

struct globaldata cpu_globaldata[MAXCPU];
int ncpus = 1;
cpumask_t smp_active_mask;

static void *boot_fdt;

void *machdep_boot_fdt(void)
{
	return boot_fdt;
}

void kmain(void);	/* kern/init_main.c */

/* ---- CLINT software interrupts ---- */

/* Raise a machine software interrupt on 'cpu'. */
void cpu_send_ipi(int cpu)
{
	/* our stores (ring slots, windex) are visible before the doorbell */
	__asm__ __volatile__("fence rw, o" ::: "memory");
	mmio_write32(CLINT_MSIP(cpu), 1);
}

/* Acknowledge this hart's software interrupt (trap context). */
void ipiq_intr_ack(void)
{
	mmio_write32(CLINT_MSIP(mycpu->gd_cpuid), 0);
	__asm__ __volatile__("fence o, rw" ::: "memory");
}

/* ---- PLIC: context 2h is hart h in M-mode ---- */

#define PLIC_PRIORITY(irq)	(PLIC_BASE + 4UL * (irq))
#define PLIC_ENABLE(ctx)	(PLIC_BASE + 0x2000UL + 0x80UL * (ctx))
#define PLIC_THRESHOLD(ctx)	(PLIC_BASE + 0x200000UL + 0x1000UL * (ctx))
#define PLIC_CLAIM(ctx)		(PLIC_BASE + 0x200004UL + 0x1000UL * (ctx))

void plic_init(void)
{
	mmio_write32(PLIC_PRIORITY(UART0_IRQ), 1);
}

/* Route the UART only to hart 0; other harts take no external irqs. */
void plic_init_cpu(void)
{
	int ctx = 2 * mycpu->gd_cpuid;

	if (mycpu->gd_cpuid == 0)
		mmio_write32(PLIC_ENABLE(ctx), 1U << UART0_IRQ);
	else
		mmio_write32(PLIC_ENABLE(ctx), 0);
	mmio_write32(PLIC_THRESHOLD(ctx), 0);
}

uint32_t plic_claim(void)
{
	return mmio_read32(PLIC_CLAIM(2 * mycpu->gd_cpuid));
}

void plic_complete(uint32_t irq)
{
	mmio_write32(PLIC_CLAIM(2 * mycpu->gd_cpuid), irq);
}

/*
 * Run pending external interrupts (from splz, in a critical section).
 * The UART handler schedules its interrupt thread, which completes the
 * claim when it has drained the UART; other sources are completed here.
 */
void plic_dispatch(void)
{
	uint32_t irq;

	while ((irq = plic_claim()) != 0) {
		if (irq == UART0_IRQ)
			cons_rx_intr();
		else
			plic_complete(irq);
	}
}

/* ---- traps ---- */

static void trap_panic(struct trapframe *tf)
{
	static const char *names[32] = {
		"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1",
		"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3",
		"s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
		"t5", "t6" };
	int i;

	panic_begin();
	kprintf("panic: fatal trap on hart %d: mcause=0x%lx mepc=0x%lx mtval=0x%lx\n",
		mycpu->gd_cpuid, tf->tf_mcause, tf->tf_mepc, tf->tf_mtval);
	for (i = 1; i < 32; i += 2) {
		if (i + 1 < 32)
			kprintf("  %-4s=0x%016lx  %-4s=0x%016lx\n", names[i],
				tf->tf_x[i], names[i + 1], tf->tf_x[i + 1]);
		else
			kprintf("  %-4s=0x%016lx\n", names[i], tf->tf_x[i]);
	}
	kprintf("  thread=%s\n", curthread ? curthread->td_name : "?");
	cons_flush();
	machine_fail(2);
}

/* Length of the instruction at pc (2 for compressed, else 4). */
static int insn_length(uint64_t pc)
{
	uint16_t lo = *(volatile uint16_t *)pc;
	return (lo & 3) == 3 ? 4 : 2;
}

/*
 * One entry for interrupts and exceptions.  An interrupt only masks its
 * source and records itself in gd_reqflags (MIE is off here, so the
 * read-modify-write cannot race with another trap on this hart).  If the
 * interrupted thread is not in a critical section the work runs now via
 * splz(); otherwise it runs at the crit_exit that reaches zero.
 */
void trap(struct trapframe *tf)
{
	struct globaldata *gd = mycpu;
	uint64_t cause = tf->tf_mcause;

	if (cause & MCAUSE_INTR) {
		switch (cause & 0xff) {
		case IRQ_M_SOFT:
			ipiq_intr_ack();
			gd->gd_ipiq_stats.intrs++;
			gd->gd_reqflags |= RQF_IPIQ;
			break;
		case IRQ_M_TIMER:
			timer_mask();
			gd->gd_reqflags |= RQF_TIMER;
			break;
		case IRQ_M_EXT:
			csr_clear(mie, MIE_MEIE);
			gd->gd_reqflags |= RQF_INTPEND;
			break;
		default:
			trap_panic(tf);
		}
		if (gd->gd_curthread->td_critcount == 0)
			splz();
		return;
	}
	if (gd->gd_probe_active && cause == EXC_ILLEGAL) {
		/* kern_pmc probing a CSR that may not exist */
		gd->gd_probe_faulted = 1;
		tf->tf_mepc += insn_length(tf->tf_mepc);
		return;
	}
	trap_panic(tf);
}

/* ---- boot ---- */

static void gd_setup(int cpu)
{
	struct globaldata *gd = &cpu_globaldata[cpu];

	gd->gd_self = gd;
	gd->gd_cpuid = cpu;
	gd->gd_cpumask = 1UL << cpu;
	lwkt_init_cpu(gd);
}

static void set_tp(struct globaldata *gd)
{
	__asm__ __volatile__("mv tp, %0" :: "r"(gd) : "memory");
}

/* Per-hart interrupt setup: msip, timer, and external (hart 0 only). */
void cpu_init_local(void)
{
	plic_init_cpu();
	timer_init_cpu();
	pmc_init_cpu();
	csr_write(mie, MIE_MSIE | MIE_MTIE | (mycpu->gd_cpuid == 0 ? MIE_MEIE : 0));
}

static int popcount64(uint64_t v)
{
	int n = 0;
	while (v) {
		v &= v - 1;
		n++;
	}
	return n;
}

/*
 * Number of harts: cpu@ nodes under /cpus in the FDT; without a valid
 * FDT, the harts that checked in within 50 ms (they need not start
 * together, but the fallback can only count those that did).
 */
static int discover_harts(void *fdt)
{
#ifdef BOOT_IGNORE_FDT
	int n = -1;	/* test build: exercise the check-in fallback */
#else
	int n = fdt_count_cpus(fdt);
#endif
	uint64_t t0;

	trace_init(fdt);

	if (n > 0) {
		kprintf("boot: FDT at %p: %d cpu nodes\n", fdt, n);
		return n > MAXCPU ? MAXCPU : n;
	}
	t0 = mtime_read();
	while (mtime_read() - t0 < TIMER_FREQ / 20)
		;
	n = popcount64(boot_checkin_mask);
	kprintf("boot: no valid FDT, %d harts checked in\n", n);
	return n > 0 ? n : 1;
}

/*
 * Entered with a1 = 0: nothing passed a device tree (e.g. `sysbus LoadELF`
 * without `sysbus LoadFdt` and board.resc's a0/a1 handoff), so a0 is not
 * a hart id either and every hart would boot as hart 0.  entry.S lets
 * only the first such hart get here.
 */
void boot_nofdt(void)
{
	cons_early_panic("panic: boot: entered with a1 = 0 (no device tree): "
	    "pass its address in a1 and the hart id in a0, as board.resc does\n");
}

void boot_main(uint64_t hartid, void *fdt)
{
	uintptr_t top = RAM_END;
	int cpu;

	(void)hartid;
	gd_setup(0);
	set_tp(&cpu_globaldata[0]);
	boot_fdt = fdt;
	cons_init();
	ncpus = discover_harts(fdt);
	for (cpu = 0; cpu < ncpus; cpu++)
		smp_active_mask |= 1UL << cpu;
	for (cpu = 1; cpu < ncpus; cpu++)
		gd_setup(cpu);
	lwkt_token_pool_init();
	slab_init();
	/* keep the FDT (QEMU puts it near the end of RAM) out of the allocator */
	if ((uintptr_t)fdt >= (uintptr_t)_end && (uintptr_t)fdt < RAM_END)
		top = (uintptr_t)fdt & ~(PAGE_SIZE - 1);
	vm_page_init((uintptr_t)_end, top);
	kprintf("LWKT kernel: %d harts\n", ncpus);
	plic_init();
	sched_init();
	cpu_init_local();
	cpu_globaldata[0].gd_online = 1;
	/* release the other harts; our stores above are ordered before msip */
	for (cpu = 1; cpu < ncpus; cpu++)
		cpu_send_ipi(cpu);
	kmain();
}

void secondary_main(uint64_t hartid)
{
	struct globaldata *gd = &cpu_globaldata[hartid];

	if ((int)hartid >= ncpus) {
		/* not counted at boot: stay parked */
		for (;;)
			cpu_wfi();
	}
	set_tp(gd);
	cpu_init_local();
	cpu_release_fence();
	gd->gd_online = 1;
	cpu_send_ipi(0);		/* hart 0 halts until we are all online */
	csr_set(mstatus, MSTATUS_MIE);
	lwkt_idle_loop();
}
