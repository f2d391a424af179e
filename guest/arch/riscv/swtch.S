/*
 * cpu_switch(old pcb, new pcb): save the callee-saved registers, sp, ra
 * and mstatus of the running thread and load those of the next one.
 * mstatus carries MIE: a thread switched out from trap context (MIE=0)
 * resumes with MIE=0, one switched out from thread context with MIE=1.
 * The caller (lwkt_switch/lwkt_preempt) holds a critical section, so an
 * interrupt taken right after mstatus is restored is only recorded.
 */
	.section .text
	.globl	cpu_switch
cpu_switch:
	sd	ra, 0(a0)
	sd	sp, 8(a0)
	sd	s0, 16(a0)
	sd	s1, 24(a0)
	sd	s2, 32(a0)
	sd	s3, 40(a0)
	sd	s4, 48(a0)
	sd	s5, 56(a0)
	sd	s6, 64(a0)
	sd	s7, 72(a0)
	sd	s8, 80(a0)
	sd	s9, 88(a0)
	sd	s10, 96(a0)
	sd	s11, 104(a0)
	csrr	t0, mstatus
	sd	t0, 112(a0)

	ld	ra, 0(a1)
	ld	sp, 8(a1)
	ld	s0, 16(a1)
	ld	s1, 24(a1)
	ld	s2, 32(a1)
	ld	s3, 40(a1)
	ld	s4, 48(a1)
	ld	s5, 56(a1)
	ld	s6, 64(a1)
	ld	s7, 72(a1)
	ld	s8, 80(a1)
	ld	s9, 88(a1)
	ld	s10, 96(a1)
	ld	s11, 104(a1)
	ld	t0, 112(a1)
	csrw	mstatus, t0
	ret

/* First code of a new thread: s0 = func, s1 = arg (set by lwkt_create). */
	.globl	cpu_thread_trampoline
cpu_thread_trampoline:
	mv	a0, s0
	mv	a1, s1
	call	lwkt_thread_start
1:	j	1b
