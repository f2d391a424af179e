#ifndef _RISCV_H_
#define _RISCV_H_

#include "types.h"

#define MSTATUS_MIE     (1UL << 3)
#define MSTATUS_MPIE    (1UL << 7)
#define MSTATUS_MPP_M   (3UL << 11)

#define MIE_MSIE        (1UL << 3)
#define MIE_MTIE        (1UL << 7)
#define MIE_MEIE        (1UL << 11)
#define MIP_MSIP        (1UL << 3)
#define MIP_MTIP        (1UL << 7)
#define MIP_MEIP        (1UL << 11)

#define MCAUSE_INTR     (1UL << 63)
#define IRQ_M_SOFT      3
#define IRQ_M_TIMER     7
#define IRQ_M_EXT       11
#define EXC_ILLEGAL     2

#define csr_read(csr) ({ unsigned long __v; \
	__asm__ __volatile__("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, v) \
	__asm__ __volatile__("csrw " #csr ", %0" :: "rK"((unsigned long)(v)) : "memory")
#define csr_set(csr, v) \
	__asm__ __volatile__("csrs " #csr ", %0" :: "rK"((unsigned long)(v)) : "memory")
#define csr_clear(csr, v) \
	__asm__ __volatile__("csrc " #csr ", %0" :: "rK"((unsigned long)(v)) : "memory")

/* Compiler barrier: orders the compiler, emits no instruction. */
static inline void cpu_ccfence(void) { __asm__ __volatile__("" ::: "memory"); }
/* Store fence: earlier stores are visible before later stores. */
static inline void cpu_sfence(void) { __asm__ __volatile__("fence w,w" ::: "memory"); }
/* Load fence: earlier loads are performed before later loads. */
static inline void cpu_lfence(void) { __asm__ __volatile__("fence r,r" ::: "memory"); }
/* Full fence. */
static inline void cpu_mfence(void) { __asm__ __volatile__("fence rw,rw" ::: "memory"); }
/* Release: earlier loads and stores before a later store. */
static inline void cpu_release_fence(void) { __asm__ __volatile__("fence rw,w" ::: "memory"); }
/* Acquire: an earlier load before later loads and stores. */
static inline void cpu_acquire_fence(void) { __asm__ __volatile__("fence r,rw" ::: "memory"); }
static inline void cpu_wfi(void) { __asm__ __volatile__("wfi" ::: "memory"); }
static inline void cpu_pause(void) { __asm__ __volatile__("nop; nop; nop; nop" ::: "memory"); }

static inline uint64_t rd_minstret(void) { return csr_read(minstret); }

/* Disable machine interrupts, return the previous mstatus.MIE bit. */
static inline unsigned long intr_disable(void)
{
	unsigned long s;
	__asm__ __volatile__("csrrci %0, mstatus, 8" : "=r"(s) :: "memory");
	return s & MSTATUS_MIE;
}
static inline void intr_restore(unsigned long s)
{
	if (s)
		csr_set(mstatus, MSTATUS_MIE);
}

static inline uint32_t mmio_read32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint8_t mmio_read8(uintptr_t a) { return *(volatile uint8_t *)a; }
static inline void mmio_write8(uintptr_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline uint64_t mmio_read64(uintptr_t a) { return *(volatile uint64_t *)a; }
static inline void mmio_write64(uintptr_t a, uint64_t v) { *(volatile uint64_t *)a = v; }

#endif
