#ifndef _KERNEL_H_
#define _KERNEL_H_

#include "types.h"
#include "param.h"
#include "riscv.h"

/* console */
void	kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	kvprintf(const char *fmt, va_list ap);
int	ksnprintf(char *buf, size_t size, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	cons_flush(void);
void	cons_putc_raw(int c);
void	cons_set_sink(uint32_t *counts);	/* tests: count bytes, NULL = UART */
void	cons_init(void);
void	cons_early_panic(const char *msg) __attribute__((noreturn));
void	cons_enable_rx(void);
void	cons_rx_intr(void);
int	cons_getc(void);	/* blocking, shell thread only */
void	panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void	panic_begin(void);
void	machine_poweroff(void) __attribute__((noreturn));
void	machine_fail(int code) __attribute__((noreturn));

/* libkern */
void	*memset(void *d, int c, size_t n);
void	*memcpy(void *d, const void *s, size_t n);
void	*memmove(void *d, const void *s, size_t n);
int	memcmp(const void *a, const void *b, size_t n);
size_t	strlen(const char *s);
int	strcmp(const char *a, const char *b);
int	strncmp(const char *a, const char *b, size_t n);
char	*strncpy(char *d, const char *s, size_t n);
void	strlcpy(char *d, const char *s, size_t n);
long	strtol_simple(const char *s, int *ok);
uint32_t krandom(uint32_t *state);

/* pages */
void	vm_page_init(uintptr_t start, uintptr_t end);
void	*kmem_alloc_pages(size_t npages, size_t align_pages);
void	kmem_free_pages(void *p, size_t npages);
size_t	kmem_free_count(void);

/* fdt */
int	fdt_count_cpus(const void *fdt);
uintptr_t fdt_find_unit(const void *fdt, const char *prefix);

#define KASSERT(cond, msg) do { \
	if (!(cond)) \
		panic("assertion \"%s\" failed: %s at %s:%d", #cond, msg, \
		      __FILE__, __LINE__); \
} while (0)

#ifdef INVARIANTS
#define INVKASSERT(cond, msg) KASSERT(cond, msg)
#else
#define INVKASSERT(cond, msg) do { } while (0)
#endif

/*
 * A test-and-test-and-set spinlock (amoswap.w.aq / fence rw,w + sw).
 * Used only where the design allows a lock: the page allocator, the token
 * registry, spin message ports, pushing a complete console line to the
 * UART, and as the measured baseline.
 *
 * The kernel's spin_lock/spin_trylock/spin_unlock (globaldata.h) hold a
 * critical section with the lock, as DragonFly's do: a holder is never
 * preempted on its cpu, so no thread of the same cpu can spin on a lock
 * whose holder cannot run.  The _raw versions are the bare lock: the
 * baselines measured against tokens, and the console, which always takes
 * it inside a critical section of its own.
 */
struct spinlock {
	volatile uint32_t lock;
	uint32_t pad;
};
static inline void spin_lock_raw(struct spinlock *l)
{
	for (;;) {
		while (l->lock)
			;
		if (__atomic_exchange_n(&l->lock, 1, __ATOMIC_ACQUIRE) == 0)
			return;
	}
}
static inline int spin_trylock_raw(struct spinlock *l)
{
	return __atomic_exchange_n(&l->lock, 1, __ATOMIC_ACQUIRE) == 0;
}
static inline void spin_unlock_raw(struct spinlock *l)
{
	__atomic_store_n(&l->lock, 0, __ATOMIC_RELEASE);
}

static inline int atomic_fetchadd_int(volatile int *p, int v)
{
	return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}
static inline void atomic_add_long(volatile uint64_t *p, uint64_t v)
{
	__atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}
static inline void atomic_set_mask64(volatile uint64_t *p, uint64_t m)
{
	__atomic_fetch_or(p, m, __ATOMIC_SEQ_CST);
}
static inline void atomic_clear_mask64(volatile uint64_t *p, uint64_t m)
{
	__atomic_fetch_and(p, ~m, __ATOMIC_SEQ_CST);
}

#endif
