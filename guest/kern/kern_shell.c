/*
 * The shell: a thread on cpu 0 reading UART0 (interrupt driven).
 * Echoes input, handles backspace, takes CR, LF or CR LF as one Enter.
 */
#include "kernel.h"
#include "globaldata.h"
#include "ktest.h"
#include "token.h"
#include "pmc.h"

#define LINE_MAX	128
#define MAXARGS		8

void slab_print_stats(void);
void objs_print_stats(void);

static int last_was_cr;		/* swallow the LF of a CR LF pair */

static void readline(char *buf, int max)
{
	int len = 0, c;

	for (;;) {
		c = cons_getc();
		if (c == '\n' && last_was_cr) {
			last_was_cr = 0;
			continue;
		}
		last_was_cr = (c == '\r');
		if (c == '\r' || c == '\n') {
			cons_putc_raw('\n');
			buf[len] = 0;
			return;
		}
		if (c == 8 || c == 127) {
			if (len > 0) {
				len--;
				cons_putc_raw(8);
				cons_putc_raw(' ');
				cons_putc_raw(8);
			}
			continue;
		}
		if (c >= 32 && c < 127 && len < max - 1) {
			buf[len++] = (char)c;
			cons_putc_raw(c);
		}
	}
}

static int split(char *line, char **argv)
{
	int argc = 0;

	while (*line && argc < MAXARGS) {
		while (*line == ' ' || *line == '\t')
			*line++ = 0;
		if (*line == 0)
			break;
		argv[argc++] = line;
		while (*line && *line != ' ' && *line != '\t')
			line++;
	}
	return argc;
}

static void cmd_help(int argc, char **argv);

static void cmd_ps(int argc, char **argv)
{
	int cpu;

	(void)argc;
	(void)argv;
	kprintf("CPU PRI STATE     WAIT     SWITCHES NAME\n");
	for (cpu = 0; cpu < ncpus; cpu++)
		lwkt_cpusync(1UL << cpu, lwkt_print_threads, NULL);
}

static void cmd_ipiq(int argc, char **argv)
{
	int cpu;

	(void)argc;
	(void)argv;
	for (cpu = 0; cpu < ncpus; cpu++) {
		struct ipiq_stats *s = &cpu_globaldata[cpu].gd_ipiq_stats;
		kprintf("cpu%d: sent=%lu received=%lu hwipi=%lu avoided=%lu "
			"fifofull=%lu passive=%lu intrs=%lu\n", cpu, s->sent,
			s->received, s->hwipi, s->avoided, s->fifofull,
			s->passive, s->intrs);
	}
}

static void cmd_test(int argc, char **argv)
{
	if (argc < 2) {
		ktest_list();
		return;
	}
	ktest_run(argv[1]);
}

static void cmd_bench(int argc, char **argv)
{
	kbench_run(argc < 2 ? "all" : argv[1]);
}

static volatile uint64_t insns_seen[MAXCPU];

static void read_minstret(void *a1, void *a2)
{
	(void)a1;
	(void)a2;
	insns_seen[mycpu->gd_cpuid] = rd_minstret();
}

static void cmd_uptime(int argc, char **argv)
{
	uint64_t t = mtime_read();
	int cpu;

	(void)argc;
	(void)argv;
	kprintf("uptime %lu.%03lu s, ticks", t / TIMER_FREQ,
		(t % TIMER_FREQ) / (TIMER_FREQ / 1000));
	for (cpu = 0; cpu < ncpus; cpu++)
		kprintf(" cpu%d=%lu", cpu, cpu_globaldata[cpu].gd_ticks);
	kprintf("\n");
	lwkt_cpusync(smp_active_mask, read_minstret, NULL);
	{
		uint64_t total = 0;
		kprintf("minstret");
		for (cpu = 0; cpu < ncpus; cpu++) {
			kprintf(" cpu%d=%lu", cpu, insns_seen[cpu]);
			total += insns_seen[cpu];
		}
		kprintf(" total=%lu\n", total);
	}
}

static void cmd_poweroff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	kprintf("Powering off.\n");
	machine_poweroff();
}

static void cmd_tokens(int argc, char **argv)
{
	int cpu;

	(void)argc;
	(void)argv;
	lwkt_token_print_all();
	kprintf("threads (tokref: token@owner, R = request in flight):\n");
	for (cpu = 0; cpu < ncpus; cpu++)
		lwkt_cpusync(1UL << cpu, lwkt_token_dump_cpu, NULL);
}

static void cmd_slab(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	slab_print_stats();
}

static void cmd_objs(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	objs_print_stats();
}

/* Deliberate kernel fault: checks the panic path (ends the machine). */
static void cmd_fault(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	volatile uintptr_t addr = 0x8;	/* hidden from the compiler */

	kprintf("loading from address 0x8 ...\n");
	(void)*(volatile uint64_t *)addr;
}

struct command {
	const char *name;
	void (*fn)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{ "help",     cmd_help,     "list commands" },
	{ "ps",       cmd_ps,       "threads per cpu: state, priority" },
	{ "ipiq",     cmd_ipiq,     "IPI queue counters per cpu" },
	{ "tokens",   cmd_tokens,   "token statistics" },
	{ "slab",     cmd_slab,     "kmalloc statistics per type" },
	{ "objs",     cmd_objs,     "object service partitions" },
	{ "test",     cmd_test,     "test [name|all]: run in-kernel tests" },
	{ "bench",    cmd_bench,    "bench [name|all]: run benchmarks" },
	{ "uptime",   cmd_uptime,   "time since boot, ticks and minstret per cpu" },
	{ "poweroff", cmd_poweroff, "power off (test finisher)" },
	{ "fault",    cmd_fault,    "take a kernel fault (panic, finisher fail code 2)" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void cmd_help(int argc, char **argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	for (i = 0; i < NCOMMANDS; i++)
		kprintf("  %-9s %s\n", commands[i].name, commands[i].help);
}

static void run_command(char *line)
{
	char *argv[MAXARGS];
	int argc = split(line, argv);
	size_t i;

	if (argc == 0)
		return;
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[0], commands[i].name) == 0) {
			commands[i].fn(argc, argv);
			return;
		}
	}
	kprintf("unknown command: %s (try help)\n", argv[0]);
}

void shell_main(void *arg)
{
	char line[LINE_MAX];

	(void)arg;
	kprintf("event counters: %s\n", pmc_available ? "yes" : "no (reads 0, QEMU?)");
	for (;;) {
		kprintf("lwkt> ");
		cons_flush();
		readline(line, sizeof(line));
		run_command(line);
	}
}
