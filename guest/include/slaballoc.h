#ifndef _SLABALLOC_H_
#define _SLABALLOC_H_

#include "types.h"
#include "param.h"

/* kmalloc flags */
#define M_NOWAIT	0x0001	/* fail instead of waiting */
#define M_WAITOK	0x0002	/* may block (never returns NULL) */
#define M_ZERO		0x0100	/* zero the memory */

/* Per-cpu statistics of a malloc type; each cpu writes only its own. */
struct kmalloc_use {
	int64_t memuse;		/* bytes; may go negative (remote frees) */
	int64_t inuse;		/* chunks */
	uint64_t calls;
} __attribute__((aligned(32)));

struct malloc_type {
	const char	*ks_shortdesc;
	uint64_t	ks_limit;		/* 0 = none */
	volatile int64_t ks_loosememuse;	/* cached sum, refreshed now and then */
	struct kmalloc_use ks_use[MAXCPU];
	struct malloc_type *ks_next;
};

extern struct malloc_type M_TEMP[1], M_DEVBUF[1], M_TEST[1], M_OBJ[1], M_LIMITED[1];

void	*kmalloc(size_t size, struct malloc_type *type, int flags);
void	kfree(void *ptr, struct malloc_type *type);
void	slab_init(void);
void	slab_flush_remote(void);
void	slab_tick(void);
extern int slab_rbatch;
void	slab_print_stats(void);
int64_t	kmalloc_type_inuse(struct malloc_type *type);
int64_t	kmalloc_type_memuse(struct malloc_type *type);
int	slab_zoneindex(size_t *bytes, size_t *align);
int	slab_cpu_zone_counts(int cpu, int *inuse, int *freecache);

#define ZONE_SIZE	(64 * 1024)		/* zones are aligned to their size */
#define ZONE_MASK	(ZONE_SIZE - 1)
#define NZONES		72
#define KMALLOC_LARGE	16384			/* >= this: whole pages */
#define SLAB_RBATCH	16			/* remote frees per passive IPI */
#define ZONE_RELS_THRESH 4			/* free zones kept per cpu */

#endif
