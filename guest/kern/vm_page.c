/*
 * Physical page allocator: a bitmap over the RAM after the kernel image.
 * It serves thread stacks, slab zones and large kmalloc blocks, all slow
 * paths, so one AMO spinlock protects it.
 */
#include "kernel.h"
#include "globaldata.h"

#define MAXPAGES	(RAM_SIZE / PAGE_SIZE)

static uint64_t page_bitmap[MAXPAGES / 64];	/* 1 = allocated */
static uintptr_t page_base;
static size_t page_count;
static size_t page_hint;			/* no free page below this */
static size_t page_free;
static struct spinlock page_lock;

static int page_test(size_t i)
{
	return (page_bitmap[i / 64] >> (i % 64)) & 1;
}

static void page_mark(size_t i, int used)
{
	if (used)
		page_bitmap[i / 64] |= 1UL << (i % 64);
	else
		page_bitmap[i / 64] &= ~(1UL << (i % 64));
}

void vm_page_init(uintptr_t start, uintptr_t end)
{
	page_base = (start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	page_count = (end - page_base) / PAGE_SIZE;
	page_free = page_count;
	page_hint = 0;
}

/* True if pages [i, i+n) are all free. */
static int range_free(size_t i, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (page_test(i + j))
			return 0;
	return 1;
}

/*
 * Allocate npages contiguous pages whose address is a multiple of
 * align_pages pages.  Returns NULL when memory is exhausted.
 */
void *kmem_alloc_pages(size_t npages, size_t align_pages)
{
	size_t i, j, a;
	uintptr_t addr;
	void *p = NULL;

	if (align_pages == 0)
		align_pages = 1;
	a = align_pages * PAGE_SIZE;
	spin_lock(&page_lock);
	addr = page_base + page_hint * PAGE_SIZE;
	addr = (addr + a - 1) & ~(a - 1);
	for (i = (addr - page_base) / PAGE_SIZE; i + npages <= page_count;
	     i += align_pages) {
		if (!range_free(i, npages))
			continue;
		for (j = 0; j < npages; j++)
			page_mark(i + j, 1);
		page_free -= npages;
		if (i == page_hint)
			page_hint = i + npages;
		p = (void *)(page_base + i * PAGE_SIZE);
		break;
	}
	spin_unlock(&page_lock);
	return p;
}

void kmem_free_pages(void *p, size_t npages)
{
	size_t i = ((uintptr_t)p - page_base) / PAGE_SIZE, j;

	spin_lock(&page_lock);
	for (j = 0; j < npages; j++) {
		KASSERT(page_test(i + j), "freeing a free page");
		page_mark(i + j, 0);
	}
	page_free += npages;
	if (i < page_hint)
		page_hint = i;
	spin_unlock(&page_lock);
}

size_t kmem_free_count(void)
{
	return page_free;
}
