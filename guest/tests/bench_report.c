/*
 * Deferred benchmark output.
 *
 * A benchmark's figures must not depend on what the benchmarks before it
 * printed. Under the emulator's coherence model (emu run --coherence) the
 * transfer counters read non-zero where they read zero without it, and
 * formatting other digits retires other instructions on the printing
 * hart. That moves where the emulator's slices fall in every later
 * benchmark, and a lock that harts contend for costs a different number of
 * spins wherever a slice boundary lands. So while a bench command runs,
 * bench_printf only records the format and its raw arguments, at a cost
 * that depends on the format alone (never on the values), and kbench_run
 * prints the records once every benchmark of the command has finished.
 *
 * Only the thread that runs the benchmarks calls bench_printf, and the
 * format and its %s arguments are literals (they are used after the call).
 */
#include "kernel.h"
#include "ktest.h"

#define BR_MAXREC	512	/* bench all on 16 harts records about 250 */
#define BR_MAXARG	8

struct br_rec {
	const char *fmt;	/* a literal: lives as long as the kernel */
	int nargs;
	uint64_t arg[BR_MAXARG];
};

static struct br_rec br_recs[BR_MAXREC];
static int br_nrec;
static int br_deferring;

/*
 * Skips one conversion of kformat's grammar (flags '-' and '0', a width,
 * 'l'/'z') and returns its conversion character, *lngp = 1 for a 64-bit
 * argument; *pp is left on the conversion character.
 */
static char br_spec(const char **pp, int *lngp)
{
	const char *p = *pp;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	while (*p >= '0' && *p <= '9')
		p++;
	*lngp = 0;
	while (*p == 'l' || *p == 'z') {
		*lngp = 1;
		p++;
	}
	*pp = p;
	return *p;
}

/* Whether conversion c takes an argument. */
static int br_takes_arg(char c)
{
	return c == 'd' || c == 'i' || c == 'u' || c == 'x' || c == 'X' ||
	       c == 'p' || c == 'c' || c == 's';
}

void bench_report_begin(void)
{
	br_nrec = 0;
	br_deferring = 1;
}

static void br_print(const struct br_rec *r)
{
	char lit[64], spec[16];
	const char *p, *start;
	size_t nlit = 0;
	int lng, ai = 0;
	char c;

	for (p = r->fmt; *p; p++) {
		if (*p != '%') {
			lit[nlit++] = *p;
			if (nlit == sizeof(lit) - 1) {
				lit[nlit] = 0;
				kprintf("%s", lit);
				nlit = 0;
			}
			continue;
		}
		lit[nlit] = 0;
		kprintf("%s", lit);
		nlit = 0;
		start = p++;
		c = br_spec(&p, &lng);
		if (c == 0)
			break;
		if (!br_takes_arg(c) || ai == r->nargs ||
		    (size_t)(p - start + 1) >= sizeof(spec)) {
			/* as kformat: "%%" is '%', an unknown conversion itself */
			if (c == '%')
				kprintf("%%");
			else
				kprintf("%%%c", c);
			continue;
		}
		memcpy(spec, start, (size_t)(p - start + 1));
		spec[p - start + 1] = 0;
		switch (c) {
		case 'd':
		case 'i':
			if (lng)
				kprintf(spec, (int64_t)r->arg[ai]);
			else
				kprintf(spec, (int)r->arg[ai]);
			break;
		case 'p':
			kprintf(spec, (void *)(uintptr_t)r->arg[ai]);
			break;
		case 'c':
			kprintf(spec, (int)r->arg[ai]);
			break;
		case 's':
			kprintf(spec, (const char *)(uintptr_t)r->arg[ai]);
			break;
		default:
			if (lng)
				kprintf(spec, (uint64_t)r->arg[ai]);
			else
				kprintf(spec, (unsigned)r->arg[ai]);
			break;
		}
		ai++;
	}
	lit[nlit] = 0;
	kprintf("%s", lit);
}

void bench_report_flush(void)
{
	int i;

	for (i = 0; i < br_nrec; i++)
		br_print(&br_recs[i]);
	br_nrec = 0;
	br_deferring = 0;
}

void bench_printf(const char *fmt, ...)
{
	struct br_rec *r;
	const char *p;
	va_list ap;
	int lng;
	char c;

	va_start(ap, fmt);
	if (!br_deferring) {
		kvprintf(fmt, ap);
		va_end(ap);
		return;
	}
	if (br_nrec == BR_MAXREC) {
		/* out of records: print what there is and go on undeferred */
		bench_report_flush();
		kprintf("bench: output buffer full, later figures may depend on the output before them\n");
		kvprintf(fmt, ap);
		va_end(ap);
		return;
	}
	r = &br_recs[br_nrec++];
	r->fmt = fmt;
	r->nargs = 0;
	for (p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		p++;
		c = br_spec(&p, &lng);
		if (c == 0)
			break;
		if (!br_takes_arg(c))
			continue;
		if (r->nargs == BR_MAXARG)
			panic("bench_printf: more than %d arguments: %s", BR_MAXARG, fmt);
		switch (c) {
		case 'd':
		case 'i':
			r->arg[r->nargs++] = lng ? (uint64_t)va_arg(ap, int64_t)
						 : (uint64_t)(int64_t)va_arg(ap, int);
			break;
		case 'u':
		case 'x':
		case 'X':
			r->arg[r->nargs++] = lng ? va_arg(ap, uint64_t)
						 : va_arg(ap, unsigned);
			break;
		case 'c':
			r->arg[r->nargs++] = (uint64_t)va_arg(ap, int);
			break;
		default:	/* 'p', 's' */
			r->arg[r->nargs++] = (uintptr_t)va_arg(ap, const void *);
			break;
		}
	}
	va_end(ap);
}
