/*
 * Per-cpu SLAB allocator after DragonFly's kern_slaballoc.c.
 *
 * Requests below 16K are rounded to one of 72 size classes and served
 * from per-cpu zones: ZONE_SIZE blocks aligned to ZONE_SIZE, so the zone
 * header is found by masking a chunk address.  A zone belongs to the cpu
 * that created it; only that cpu allocates from it or links it, inside a
 * critical section: no lock, no atomic.  A chunk freed by another cpu is
 * put on a per-(source, owner) batch list on the freeing cpu (the chunk's
 * first word links it) and the batch goes to the owner with one passive
 * IPI every SLAB_RBATCH frees (or at the next tick).  Fully free zones go
 * to a per-cpu free-zone cache; kmalloc returns zones beyond
 * ZONE_RELS_THRESH to the page allocator (kfree never does: it may run
 * in an IPI).  Requests of 16K or more get whole pages.
 *
 * Statistics are per malloc type and per cpu.  An allocation is charged
 * to the allocating cpu; a free to the cpu that owns the chunk, when the
 * chunk is really back in its zone: a remote free is charged on the
 * owner when its batch arrives (the type travels in the low bits of the
 * chunk's link word), so a batch that never arrives stays visible as
 * memory in use.  Per-cpu figures of large blocks (whole pages, freed by
 * any cpu at once) may go negative; sums are exact.
 */
#include "kernel.h"
#include "globaldata.h"
#include "slaballoc.h"

#define ZALLOC_SLAB_MAGIC	0x736c6162	/* "slab" */
#define ZALLOC_FREE_POISON	0xdeadc0de

typedef struct slchunk {
	struct slchunk *c_Next;
} slchunk_t;

typedef struct slzone {
	uint32_t	z_Magic;
	int		z_Cpu;			/* owning cpu */
	int		z_ZoneIndex;
	int		z_NFree;
	int		z_NMax;
	size_t		z_ChunkSize;
	char		*z_BasePtr;		/* first chunk */
	int		z_UIndex;		/* never-used chunks start here */
	slchunk_t	*z_LChunks;		/* local free list */
	struct slzone	*z_Next;		/* ZoneAry / FreeZones link */
#ifdef INVARIANTS
	uint64_t	z_Bitmap[(ZONE_SIZE / 8) / 64];	/* 1 = allocated */
#endif
} slzone_t;

struct slglobaldata {
	slzone_t	*ZoneAry[NZONES];	/* zones with free chunks */
	slzone_t	*FreeZones;		/* completely free zones */
	int		NFreeZones;
	int		NZones;			/* zones owned (in use + cache) */
	slchunk_t	*RBatch[MAXCPU];	/* remote frees waiting to go */
	int		RCount[MAXCPU];
	uint64_t	RemoteFrees;		/* chunks freed here for others */
	uint64_t	RemoteBatches;		/* passive IPIs sent */
};

static struct slglobaldata slab_gd[MAXCPU];

/* Remote frees per passive IPI (SLAB_RBATCH; 1 = one IPI per free, 2003 style). */
int slab_rbatch = SLAB_RBATCH;

/* Per page: >0 first page of a large block (page count), -1 zone page. */
static int32_t kmemusage[RAM_SIZE / PAGE_SIZE];

struct malloc_type M_TEMP[1] = { { .ks_shortdesc = "temp" } };
struct malloc_type M_DEVBUF[1] = { { .ks_shortdesc = "devbuf" } };
struct malloc_type M_TEST[1] = { { .ks_shortdesc = "test" } };
struct malloc_type M_OBJ[1] = { { .ks_shortdesc = "objs" } };
struct malloc_type M_LIMITED[1] = { { .ks_shortdesc = "limited", .ks_limit = 4096 } };
static struct malloc_type *kmalloc_types[] = { M_TEMP, M_DEVBUF, M_TEST, M_OBJ, M_LIMITED };
#define NTYPES (sizeof(kmalloc_types) / sizeof(kmalloc_types[0]))

static size_t page_index(const void *p)
{
	return ((uintptr_t)p - RAM_BASE) / PAGE_SIZE;
}

/*
 * A remote free links the chunk into a batch with its type's index in the
 * low bits of the link word: chunks are at least 8-byte aligned.
 */
#define RLINK_TYPE_MASK	7UL
_Static_assert(NTYPES <= RLINK_TYPE_MASK + 1, "malloc type index must fit the link's low bits");

static uintptr_t type_index(struct malloc_type *type)
{
	uintptr_t i;

	for (i = 0; i < NTYPES; i++)
		if (kmalloc_types[i] == type)
			return i;
	panic("kfree: unknown malloc type %p", type);
}

void slab_init(void)
{
	int cpu;

	for (cpu = 0; cpu < ncpus; cpu++)
		cpu_globaldata[cpu].gd_slab = &slab_gd[cpu];
}

/*
 * Round *bytes up to its size class and return the class index.  Power of
 * 2 sizes are aligned to their size (up to a page), others to the class
 * granularity.
 */
int slab_zoneindex(size_t *bytes, size_t *align)
{
	size_t n = *bytes, g;
	int base;

	if (n < 128) {
		g = 8; base = -1;
	} else if (n < 256) {
		g = 16; base = 7;
	} else if (n < 512) {
		g = 32; base = 15;
	} else if (n < 1024) {
		g = 64; base = 23;
	} else if (n < 2048) {
		g = 128; base = 31;
	} else if (n < 4096) {
		g = 256; base = 39;
	} else if (n < 8192) {
		g = 512; base = 47;
	} else {
		g = 1024; base = 55;
	}
	n = (n + g - 1) & ~(g - 1);
	*bytes = n;
	*align = g;
	if ((n & (n - 1)) == 0)
		*align = n < PAGE_SIZE ? n : PAGE_SIZE;
	return (int)(n / g) + base;
}

/* ---- statistics ---- */

static void stats_alloc(struct malloc_type *type, int cpu, size_t size)
{
	struct kmalloc_use *u = &type->ks_use[cpu];
	u->memuse += size;
	u->inuse++;
	u->calls++;
}

static void stats_free(struct malloc_type *type, int cpu, size_t size)
{
	struct kmalloc_use *u = &type->ks_use[cpu];
	u->memuse -= size;
	u->inuse--;
}

int64_t kmalloc_type_memuse(struct malloc_type *type)
{
	int64_t n = 0;
	int cpu;

	for (cpu = 0; cpu < ncpus; cpu++)
		n += type->ks_use[cpu].memuse;
	return n;
}

int64_t kmalloc_type_inuse(struct malloc_type *type)
{
	int64_t n = 0;
	int cpu;

	for (cpu = 0; cpu < ncpus; cpu++)
		n += type->ks_use[cpu].inuse;
	return n;
}

/*
 * Type limit: only types with a limit pay for it, with a sum over the
 * per-cpu figures (plain loads, no lock: concurrent allocations on other
 * cpus may overshoot slightly, as in DragonFly).
 */
static int over_limit(struct malloc_type *type, size_t size)
{
	int64_t use;

	if (type->ks_limit == 0)
		return 0;
	use = kmalloc_type_memuse(type);
	type->ks_loosememuse = use;
	return use + (int64_t)size > (int64_t)type->ks_limit;
}

/* ---- zones (owner cpu, critical section) ---- */

static void zone_link(struct slglobaldata *slgd, slzone_t *z)
{
	z->z_Next = slgd->ZoneAry[z->z_ZoneIndex];
	slgd->ZoneAry[z->z_ZoneIndex] = z;
}

static void zone_unlink(struct slglobaldata *slgd, slzone_t *z)
{
	slzone_t **pp;

	for (pp = &slgd->ZoneAry[z->z_ZoneIndex]; *pp; pp = &(*pp)->z_Next) {
		if (*pp == z) {
			*pp = z->z_Next;
			return;
		}
	}
	panic("slab: zone %p not linked", (void *)z);
}

/* Set up a (new or cached) zone for class zi and link it. */
static slzone_t *zone_setup(struct slglobaldata *slgd, void *mem, int zi,
			    size_t size, size_t align)
{
	slzone_t *z = mem;
	uintptr_t off = (sizeof(slzone_t) + align - 1) & ~(align - 1);

	z->z_Magic = ZALLOC_SLAB_MAGIC;
	z->z_Cpu = mycpu->gd_cpuid;
	z->z_ZoneIndex = zi;
	z->z_ChunkSize = size;
	z->z_BasePtr = (char *)z + off;
	z->z_NMax = (int)((ZONE_SIZE - off) / size);
	z->z_NFree = z->z_NMax;
	z->z_UIndex = 0;
	z->z_LChunks = NULL;
#ifdef INVARIANTS
	memset(z->z_Bitmap, 0, sizeof(z->z_Bitmap));
#endif
	zone_link(slgd, z);
	return z;
}

static slzone_t *zone_alloc(struct slglobaldata *slgd, int zi, size_t size,
			    size_t align)
{
	void *mem;
	size_t i;

	if (slgd->FreeZones) {
		mem = slgd->FreeZones;
		slgd->FreeZones = slgd->FreeZones->z_Next;
		slgd->NFreeZones--;
	} else {
		mem = kmem_alloc_pages(ZONE_SIZE / PAGE_SIZE, ZONE_SIZE / PAGE_SIZE);
		if (mem == NULL)
			return NULL;
		for (i = 0; i < ZONE_SIZE / PAGE_SIZE; i++)
			kmemusage[page_index(mem) + i] = -1;
		slgd->NZones++;
	}
	return zone_setup(slgd, mem, zi, size, align);
}

#ifdef INVARIANTS
static int chunk_bit(slzone_t *z, void *chunk)
{
	return (int)(((char *)chunk - z->z_BasePtr) / z->z_ChunkSize);
}
#endif

/* Free a chunk of a zone this cpu owns (critical section). */
static void slab_free_local(struct slglobaldata *slgd, slzone_t *z, void *ptr)
{
	slchunk_t *c = ptr;

#ifdef INVARIANTS
	int b = chunk_bit(z, ptr);
	KASSERT((char *)ptr >= z->z_BasePtr &&
		((char *)ptr - z->z_BasePtr) % z->z_ChunkSize == 0, "kfree: bad chunk");
	if (!(z->z_Bitmap[b / 64] & (1UL << (b % 64))))
		panic("kfree: double free of %p (%lu bytes)", ptr, z->z_ChunkSize);
	z->z_Bitmap[b / 64] &= ~(1UL << (b % 64));
#endif
	c->c_Next = z->z_LChunks;
	z->z_LChunks = c;
	if (z->z_NFree++ == 0)
		zone_link(slgd, z);
	/* a completely free zone goes to the cache, unless it is the last one */
	if (z->z_NFree == z->z_NMax &&
	    (slgd->ZoneAry[z->z_ZoneIndex] != z || z->z_Next != NULL)) {
		zone_unlink(slgd, z);
		z->z_Magic = 0;
		z->z_Next = slgd->FreeZones;
		slgd->FreeZones = z;
		slgd->NFreeZones++;
	}
}

/* Give zones beyond the cache threshold back to the page allocator. */
static void slab_release_zones(struct slglobaldata *slgd)
{
	slzone_t *z;
	size_t i;

	while (slgd->NFreeZones > ZONE_RELS_THRESH) {
		crit_enter();
		z = slgd->FreeZones;
		if (z == NULL || slgd->NFreeZones <= ZONE_RELS_THRESH) {
			crit_exit();
			break;
		}
		slgd->FreeZones = z->z_Next;
		slgd->NFreeZones--;
		slgd->NZones--;
		crit_exit();
		for (i = 0; i < ZONE_SIZE / PAGE_SIZE; i++)
			kmemusage[page_index(z) + i] = 0;
		kmem_free_pages(z, ZONE_SIZE / PAGE_SIZE);
	}
}

/* ---- large blocks ---- */

static void *kmalloc_large(size_t size, struct malloc_type *type, int flags)
{
	size_t npages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	void *p = kmem_alloc_pages(npages, 1);

	if (p == NULL) {
		if (flags & M_NOWAIT)
			return NULL;
		panic("kmalloc: out of memory (%lu bytes)", size);
	}
	kmemusage[page_index(p)] = (int32_t)npages;
	crit_enter();
	stats_alloc(type, mycpu->gd_cpuid, npages * PAGE_SIZE);
	crit_exit();
	if (flags & M_ZERO)
		memset(p, 0, npages * PAGE_SIZE);
	return p;
}

/* ---- kmalloc / kfree ---- */

void *kmalloc(size_t size, struct malloc_type *type, int flags)
{
	struct globaldata *gd = mycpu;
	struct slglobaldata *slgd = gd->gd_slab;
	slzone_t *z;
	slchunk_t *c;
	size_t align;
	int zi;

	KASSERT(gd->gd_intr_nesting_level == 0 || (flags & M_NOWAIT),
		"kmalloc M_WAITOK from interrupt");
	while (over_limit(type, size)) {
		if (flags & M_NOWAIT)
			return NULL;
		tsleep(type, 0, "memlimit", 1);	/* until someone frees */
	}
	if (slgd->NFreeZones > ZONE_RELS_THRESH && gd->gd_intr_nesting_level == 0)
		slab_release_zones(slgd);
	if (size >= KMALLOC_LARGE)
		return kmalloc_large(size, type, flags);
	if (size == 0)
		size = 1;
	zi = slab_zoneindex(&size, &align);

	crit_enter();
	z = slgd->ZoneAry[zi];
	if (z == NULL) {
		z = zone_alloc(slgd, zi, size, align);
		if (z == NULL) {
			crit_exit();
			if (flags & M_NOWAIT)
				return NULL;
			panic("kmalloc: out of memory for zones");
		}
	}
	if ((c = z->z_LChunks) != NULL)
		z->z_LChunks = c->c_Next;
	else
		c = (slchunk_t *)(z->z_BasePtr + z->z_UIndex++ * size);
	if (--z->z_NFree == 0)
		zone_unlink(slgd, z);
#ifdef INVARIANTS
	{
		int b = chunk_bit(z, c);
		KASSERT(!(z->z_Bitmap[b / 64] & (1UL << (b % 64))), "kmalloc: chunk in use");
		z->z_Bitmap[b / 64] |= 1UL << (b % 64);
	}
#endif
	stats_alloc(type, gd->gd_cpuid, size);
	crit_exit();
	if (flags & M_ZERO)
		memset(c, 0, size);
	return c;
}

/* Owner side of a batch of remote frees (passive IPI). */
static void slab_free_remote(void *a1, void *a2)
{
	struct slglobaldata *slgd = mycpu->gd_slab;
	slchunk_t *c = a1, *next;

	(void)a2;
#ifdef SLAB_TEST_DROP_BATCH
	/* fault injection (README): the first batch arrives and is lost */
	{
		static int dropped;
		if (!dropped) {
			dropped = 1;
			return;
		}
	}
#endif
	for (; c; c = next) {
		slzone_t *z = (slzone_t *)((uintptr_t)c & ~(uintptr_t)ZONE_MASK);
		uintptr_t link = (uintptr_t)c->c_Next;

		next = (slchunk_t *)(link & ~RLINK_TYPE_MASK);
		KASSERT(z->z_Magic == ZALLOC_SLAB_MAGIC && z->z_Cpu == mycpu->gd_cpuid,
			"remote kfree: zone magic/owner");
		/* charged here, where the chunk is really free again */
		stats_free(kmalloc_types[link & RLINK_TYPE_MASK], mycpu->gd_cpuid,
			   z->z_ChunkSize);
		slab_free_local(slgd, z, c);
	}
}

/* Send this cpu's batch for 'target' (critical section). */
static void slab_send_batch(struct slglobaldata *slgd, int target)
{
	slchunk_t *list = slgd->RBatch[target];

	if (list == NULL)
		return;
	slgd->RBatch[target] = NULL;
	slgd->RCount[target] = 0;
	slgd->RemoteBatches++;

	lwkt_send_ipiq_passive(globaldata_find(target), slab_free_remote, list, NULL);
}

/* Push out all pending remote-free batches of this cpu. */
void slab_flush_remote(void)
{
	struct slglobaldata *slgd = mycpu->gd_slab;
	int cpu;

	crit_enter();
	for (cpu = 0; cpu < ncpus; cpu++)
		slab_send_batch(slgd, cpu);
	crit_exit();
}

void kfree(void *ptr, struct malloc_type *type)
{
	struct globaldata *gd = mycpu;
	struct slglobaldata *slgd = gd->gd_slab;
	slzone_t *z;
	slchunk_t *c = ptr;
	size_t pi, npages;

	if (ptr == NULL)
		return;
	KASSERT((uintptr_t)ptr >= RAM_BASE && (uintptr_t)ptr < RAM_END, "kfree: bad pointer");
	pi = page_index(ptr);
	if (kmemusage[pi] > 0) {
		npages = (size_t)kmemusage[pi];
		kmemusage[pi] = 0;
		crit_enter();
		stats_free(type, gd->gd_cpuid, npages * PAGE_SIZE);
		crit_exit();
		kmem_free_pages(ptr, npages);
		return;
	}
	z = (slzone_t *)((uintptr_t)ptr & ~(uintptr_t)ZONE_MASK);
	if (kmemusage[pi] != -1 || z->z_Magic != ZALLOC_SLAB_MAGIC)
		panic("kfree: %p is not a kmalloc chunk (zone magic 0x%x)", ptr,
		      z->z_Magic);
#ifdef INVARIANTS
	/* poison everything after the link word */
	{
		uint32_t *w = (uint32_t *)ptr;
		size_t i;
		for (i = 2; i < z->z_ChunkSize / 4; i++)
			w[i] = ZALLOC_FREE_POISON;
	}
#endif
	crit_enter();
	if (z->z_Cpu == gd->gd_cpuid) {
		stats_free(type, gd->gd_cpuid, z->z_ChunkSize);
		slab_free_local(slgd, z, ptr);
	} else {
		/* another cpu's chunk: batch it; the owner frees it and is charged */
		c->c_Next = (slchunk_t *)((uintptr_t)slgd->RBatch[z->z_Cpu] |
					  type_index(type));
		slgd->RBatch[z->z_Cpu] = c;
		slgd->RemoteFrees++;
		if (++slgd->RCount[z->z_Cpu] >= slab_rbatch)
			slab_send_batch(slgd, z->z_Cpu);
	}
	crit_exit();
}

/* From the tick: do not let remote frees linger. */
void slab_tick(void)
{
	struct slglobaldata *slgd = mycpu->gd_slab;
	int cpu;

	if (slgd == NULL)
		return;
	for (cpu = 0; cpu < ncpus; cpu++)
		if (slgd->RCount[cpu])
			slab_send_batch(slgd, cpu);
}

int slab_cpu_zone_counts(int cpu, int *inuse, int *freecache)
{
	*inuse = slab_gd[cpu].NZones - slab_gd[cpu].NFreeZones;
	*freecache = slab_gd[cpu].NFreeZones;
	return slab_gd[cpu].NZones;
}

void slab_print_stats(void)
{
	size_t i;
	int cpu, zin, zfree;

	kprintf("%-8s %10s %8s %10s %8s\n", "TYPE", "MEMUSE", "INUSE", "CALLS", "LIMIT");
	for (i = 0; i < NTYPES; i++) {
		struct malloc_type *t = kmalloc_types[i];
		uint64_t calls = 0;
		for (cpu = 0; cpu < ncpus; cpu++)
			calls += t->ks_use[cpu].calls;
		kprintf("%-8s %10ld %8ld %10lu %8lu\n", t->ks_shortdesc,
			kmalloc_type_memuse(t), kmalloc_type_inuse(t), calls,
			t->ks_limit);
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		slab_cpu_zone_counts(cpu, &zin, &zfree);
		kprintf("cpu%d: zones=%d free_cached=%d remote_frees=%lu batches=%lu\n",
			cpu, zin, zfree, slab_gd[cpu].RemoteFrees,
			slab_gd[cpu].RemoteBatches);
	}
}
