/*
 * Entry of every hart: a0 = mhartid, a1 = flattened device tree.
 *
 * Each hart takes its own boot stack (which becomes its idle thread's
 * stack).  Hart 0 clears .bss and initialises the kernel; the others
 * only record that they checked in (an AMO on a word in .data, which the
 * loader initialised) and wait, with interrupts off, for a software
 * interrupt (msip).  They depend on nothing else, so harts may start at
 * any time, before or after hart 0.
 */
#include "param.h"

	.section .text.entry
	.globl	_start
_start:
	csrw	mie, zero
	csrci	mstatus, 8
	la	t0, trap_entry
	csrw	mtvec, t0
	mv	s0, a0			/* s0 = hartid */
	mv	s1, a1			/* s1 = fdt */
	beqz	s1, nofdt		/* no boot handoff: see boot_nofdt */
	li	t1, MAXCPU
	bgeu	s0, t1, park

	/* check in: boot_checkin_mask |= 1 << hartid */
	li	t2, 1
	sll	t2, t2, s0
	la	t3, boot_checkin_mask
	amoor.d	zero, t2, (t3)

	/* sp = boot_stacks + (hartid + 1) * BOOT_STACK_SIZE */
	la	sp, boot_stacks
	li	t1, BOOT_STACK_SIZE
	addi	t2, s0, 1
	mul	t1, t1, t2
	add	sp, sp, t1

	bnez	s0, secondary

	/* hart 0: clear .bss (8-byte aligned by the linker script) */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	fence	rw, rw
	mv	a0, s0
	mv	a1, s1
	call	boot_main
	j	park

secondary:
	/* wait for msip; WFI wakes on a pending enabled interrupt even with MIE=0 */
	li	t0, 8			/* MIE.MSIE */
	csrw	mie, t0
3:	csrr	t0, mip
	andi	t0, t0, 8
	bnez	t0, 4f
	wfi
	j	3b
4:	/* clear our msip, then order against hart 0's initialisation */
	li	t1, CLINT_BASE
	slli	t2, s0, 2
	add	t1, t1, t2
	sw	zero, 0(t1)
	fence	rw, rw
	csrw	mie, zero
	mv	a0, s0
	call	secondary_main
nofdt:
	/* the first hart here reports it on boot stack 0; the rest park */
	li	t2, 1
	la	t3, boot_nofdt_claim
	amoswap.w	t2, t2, (t3)
	bnez	t2, park
	la	sp, boot_stacks
	li	t1, BOOT_STACK_SIZE
	add	sp, sp, t1
	call	boot_nofdt
park:
	csrw	mie, zero
5:	wfi
	j	5b

	.section .data
	.align	3
	.globl	boot_checkin_mask
boot_checkin_mask:
	.dword	0
	/* set by the first hart entered without a device tree (a .data word: .bss is not cleared yet) */
boot_nofdt_claim:
	.word	0

	.section .bss
	.align	12
	.globl	boot_stacks
boot_stacks:
	.space	BOOT_STACK_SIZE * MAXCPU
