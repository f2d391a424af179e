#ifndef _KTEST_H_
#define _KTEST_H_

#include "types.h"

/* Result of one in-kernel test. */
struct tctx {
	char reason[120];	/* FAIL reason */
	char note[80];		/* optional "(...)" note on PASS */
};

struct ktest {
	const char *name;
	int (*fn)(struct tctx *t);	/* 0 = pass */
};

struct kbench {
	const char *name;
	void (*fn)(void);
};

int	tfail(struct tctx *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void	tnote(struct tctx *t, const char *note);
int	ktest_run(const char *name);
int	kbench_run(const char *name);
void	ktest_list(void);
/* benchmark output, printed when the bench command ends (bench_report.c) */
void	bench_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	bench_report_begin(void);
void	bench_report_flush(void);

/* test suites, one table per file */
extern const struct ktest ktests_thread[];
extern const struct ktest ktests_ipiq[];
extern const struct ktest ktests_token[];
extern const struct ktest ktests_slab[];
extern const struct ktest ktests_intr[];
extern const struct ktest ktests_msgport[];
extern const struct ktest ktests_tokorder[];
extern const struct kbench kbenches_lwkt[];
extern const struct kbench kbenches_token[];
extern const struct kbench kbenches_slab[];

/* helpers shared by tests */
int	test_spawn(void (*fn)(void *), void *arg, int cpu, int pri, const char *name);
void	busy_wait_mtime(uint64_t ticks10mhz);
int	wait_flag(volatile int *flag, int value, int timo_ticks);
void	barrier_wait(volatile int *cnt, int n);
int	cond_nonzero(void *p);		/* *(volatile int *)p != 0 */
int	cond_u32_changed(void *p);	/* for struct u32_watch */
struct u32_watch {
	volatile uint32_t *addr;
	uint32_t old;
};

#endif
