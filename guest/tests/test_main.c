/* In-kernel test and benchmark runner, and helpers shared by tests. */
#include "kernel.h"
#include "globaldata.h"
#include "ktest.h"
#include "subr_prf.h"

static const struct ktest *const suites[] = {
	ktests_thread, ktests_ipiq, ktests_token, ktests_tokorder, ktests_slab,
	ktests_msgport,
	ktests_intr,
};
static const struct kbench *const bench_suites[] = {
	kbenches_lwkt, kbenches_token, kbenches_slab,
};
#define NSUITES (sizeof(suites) / sizeof(suites[0]))
#define NBSUITES (sizeof(bench_suites) / sizeof(bench_suites[0]))

struct snbuf2 {
	char *buf;
	size_t size;
	size_t len;
};

static void put2(int c, void *arg)
{
	struct snbuf2 *b = arg;
	if (b->len + 1 < b->size)
		b->buf[b->len++] = (char)c;
	b->buf[b->len] = 0;
}

int tfail(struct tctx *t, const char *fmt, ...)
{
	struct snbuf2 b = { t->reason, sizeof(t->reason), 0 };
	va_list ap;

	t->reason[0] = 0;
	va_start(ap, fmt);
	kformat(put2, &b, fmt, ap);
	va_end(ap);
	return 1;
}

void tnote(struct tctx *t, const char *note)
{
	strlcpy(t->note, note, sizeof(t->note));
}

void ktest_list(void)
{
	size_t s;
	const struct ktest *k;

	kprintf("tests:");
	for (s = 0; s < NSUITES; s++)
		for (k = suites[s]; k->name; k++)
			kprintf(" %s", k->name);
	kprintf("\nbenchmarks:");
	for (s = 0; s < NBSUITES; s++) {
		const struct kbench *b;
		for (b = bench_suites[s]; b->name; b++)
			kprintf(" %s", b->name);
	}
	kprintf("\n");
}

/* Run the test called name, or all of them; prints one line each. */
int ktest_run(const char *name)
{
	int all = strcmp(name, "all") == 0;
	int passed = 0, failed = 0;
	size_t s;
	const struct ktest *k;
	struct tctx t;

	for (s = 0; s < NSUITES; s++) {
		for (k = suites[s]; k->name; k++) {
			if (!all && strcmp(name, k->name) != 0)
				continue;
			memset(&t, 0, sizeof(t));
			if (k->fn(&t) == 0) {
				passed++;
				if (t.note[0])
					kprintf("TEST %s: PASS (%s)\n", k->name, t.note);
				else
					kprintf("TEST %s: PASS\n", k->name);
			} else {
				failed++;
				kprintf("TEST %s: FAIL %s\n", k->name, t.reason);
			}
		}
	}
	if (passed + failed == 0) {
		kprintf("unknown test: %s\n", name);
		ktest_list();
		return -1;
	}
	kprintf("TESTS: %d passed, %d failed\n", passed, failed);
	return failed;
}

int kbench_run(const char *name)
{
	int all = strcmp(name, "all") == 0, n = 0;
	size_t s;
	const struct kbench *b;

	/* every figure is measured before any is printed (bench_report.c) */
	bench_report_begin();
	for (s = 0; s < NBSUITES; s++) {
		for (b = bench_suites[s]; b->name; b++) {
			if (!all && strcmp(name, b->name) != 0)
				continue;
			b->fn();
			n++;
		}
	}
	bench_report_flush();
	if (n == 0) {
		kprintf("unknown benchmark: %s\n", name);
		ktest_list();
	}
	return n;
}

int test_spawn(void (*fn)(void *), void *arg, int cpu, int pri, const char *name)
{
	return lwkt_create(fn, arg, NULL, cpu, pri, 0, name);
}

void busy_wait_mtime(uint64_t d)
{
	uint64_t t0 = mtime_read();
	while (mtime_read() - t0 < d)
		;
}

/* Sleep-poll (one tick at a time) until *flag == value; 0 or ETIMEDOUT. */
int wait_flag(volatile int *flag, int value, int timo_ticks)
{
	int i;

	for (i = 0; i <= timo_ticks; i++) {
		if (*flag == value)
			return 0;
		tsleep((void *)flag, 0, "waitflag", 1);
	}
	return *flag == value ? 0 : ETIMEDOUT;
}

/* All n threads wait here until the last arrives (sleeping, not spinning). */
void barrier_wait(volatile int *cnt, int n)
{
	if (atomic_fetchadd_int(cnt, 1) + 1 >= n) {
		wakeup((void *)cnt);
		return;
	}
	for (;;) {
		tsleep_interlock((void *)cnt);
		if (__atomic_load_n(cnt, __ATOMIC_ACQUIRE) >= n)
			break;
		tsleep((void *)cnt, PINTERLOCKED, "barrier", 0);
	}
	tsleep_remove(curthread);
}

int cond_nonzero(void *p)
{
	return *(volatile int *)p != 0;
}

int cond_u32_changed(void *p)
{
	struct u32_watch *w = p;
	return *w->addr != w->old;
}
