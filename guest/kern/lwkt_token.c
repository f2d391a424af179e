/*
 * Serializing tokens, the 2004 design of the seed (lkwt-in-dragonfly.txt).
 *
 * A token is owned by a cpu (t_cpu), not by a thread.  A thread
 * references tokens through tokrefs linked on td_toks.  Any number of
 * threads of the owning cpu may reference a token; the cpu runs one
 * thread at a time, so the running one has it to itself.
 *
 *  - Same-cpu acquire and release: a list push/unlink and one compare.
 *    No atomic instruction, no fence, no IPI.
 *  - Foreign acquire: the thread stays runnable but the scheduler only
 *    runs it once all its tokens are local (lwkt_chktokens, called from
 *    lwkt_pick, sends the requests).  Waiting is a switch: a blocking
 *    point, during which this thread's other tokens may be taken.
 *  - The owner honours a request (IPI) at once when neither its running
 *    thread nor that thread's preempted chain references the token;
 *    otherwise it parks it and grants it at its next lwkt_switch or at the
 *    release of the last local reference.
 *  - Hand-over (RVWMO): the owner executes fence rw,w and then stores
 *    t_cpu = new | TOK_TRANSIT.  The new owner, when it sees its own
 *    address with TOK_TRANSIT, executes fence r,rw and stores t_cpu = own
 *    address.  t_cpu is only ever written by the cpu it names, with plain
 *    stores: no AMO anywhere.  Plain same-cpu hits never fence because
 *    the one fence per arrival was already paid by the first observer.
 */
#include "kernel.h"
#include "trace.h"
#include "globaldata.h"
#include "token.h"

#define TOKEN_POOL_SIZE	256

static struct lwkt_token token_pool[TOKEN_POOL_SIZE];
static struct lwkt_token *token_all;	/* registered tokens for 'tokens' */
static struct spinlock token_all_lock;

static void lwkt_reqtoken_remote(void *a1, void *a2);
static void lwkt_cancel_reqtoken_remote(void *a1, void *a2);

/*
 * Regression checks of the release's wait (tokref_wait_ack); 0 in every
 * normal build.  `make EXTRA_CFLAGS=-DTOKEN_TEST_RELEASE_WAIT=N`:
 *  1: a withdrawn request stays parked (the owner answers it itself);
 *  2: that, and the wait drains and re-collects as before the withdrawal
 *     existed (the release is a blocking point again).
 * Only this value differs (the variable sits in .data either way, the
 * code is the same), so such a build runs a seed exactly as the normal
 * one up to the first withdrawal of a parked request (1) or the first
 * release that waits (2).
 */
#ifndef TOKEN_TEST_RELEASE_WAIT
#define TOKEN_TEST_RELEASE_WAIT 0
#endif
int token_test_release_wait __attribute__((section(".data"))) =
    TOKEN_TEST_RELEASE_WAIT;

struct globaldata *lwkt_token_owner(lwkt_token_t tok)
{
	return (struct globaldata *)(tok->t_cpu & ~TOK_TRANSIT);
}

void lwkt_token_init_cpu(lwkt_token_t tok, const char *desc, int cpu)
{
	memset(tok, 0, sizeof(*tok));
	tok->t_cpu = (uintptr_t)globaldata_find(cpu);
	tok->t_desc = desc;
	cpu_sfence();
	spin_lock(&token_all_lock);
	tok->t_allnext = token_all;
	token_all = tok;
	spin_unlock(&token_all_lock);
}

/* A new token starts owned by the calling cpu. */
void lwkt_token_init(lwkt_token_t tok, const char *desc)
{
	lwkt_token_init_cpu(tok, desc, mycpu->gd_cpuid);
}

/* Remove a token from the registry (tests that use stack tokens). */
void lwkt_token_uninit(lwkt_token_t tok)
{
	lwkt_token_t *pp;

	spin_lock(&token_all_lock);
	for (pp = &token_all; *pp; pp = &(*pp)->t_allnext) {
		if (*pp == tok) {
			*pp = tok->t_allnext;
			break;
		}
	}
	spin_unlock(&token_all_lock);
}

void lwkt_token_pool_init(void)
{
	int i;

	for (i = 0; i < TOKEN_POOL_SIZE; i++) {
		token_pool[i].t_cpu = (uintptr_t)globaldata_find(0);
		token_pool[i].t_desc = "pool";
	}
}

/* Pool tokens protect objects that may be freed: hash the address. */
lwkt_token_t lwkt_token_pool_get(const void *ptr)
{
	uintptr_t v = (uintptr_t)ptr;

	v = (v >> 4) ^ (v >> 12) ^ (v >> 20);
	return &token_pool[v & (TOKEN_POOL_SIZE - 1)];
}

/*
 * Is tok owned by this cpu?  Accepts a token that was just handed to us
 * (the one acquire fence of its arrival).  Caller is on gd.
 */
static int token_is_local(lwkt_token_t tok, struct globaldata *gd)
{
	uintptr_t v = tok->t_cpu;

	if (v == (uintptr_t)gd)
		return 1;
	if (v == ((uintptr_t)gd | TOK_TRANSIT)) {
		cpu_acquire_fence();
		tok->t_cpu = (uintptr_t)gd;
		return 1;
	}
	return 0;
}

int lwkt_token_is_local(lwkt_token_t tok)
{
	return token_is_local(tok, mycpu);
}

/* ---- INVARIANTS: running-holder shadow and tokref frame checks ---- */

#ifdef INVARIANTS
/* The current thread runs holding tok: nobody else may. */
static void shadow_set(lwkt_token_t tok, thread_t td)
{
	thread_t h = tok->t_holder;

	if (h != NULL && h != td)
		panic("token %s: running holders %s and %s", tok->t_desc,
		      h->td_name, td->td_name);
	tok->t_holder = td;
}

static void shadow_clear(lwkt_token_t tok, thread_t td)
{
	if (tok->t_holder == td)
		tok->t_holder = NULL;
}

/* td stops running (switch-out, not preemption). */
void lwkt_token_shadow_out(thread_t td)
{
	lwkt_tokref_t ref;

	for (ref = td->td_toks; ref; ref = ref->tr_next)
		shadow_clear(ref->tr_tok, td);
}

/* td runs again: all its tokens are local, it is their running holder. */
void lwkt_token_shadow_in(thread_t td)
{
	lwkt_tokref_t ref;

	for (ref = td->td_toks; ref; ref = ref->tr_next) {
		KASSERT(lwkt_token_owner(ref->tr_tok) == td->td_gd,
			"thread resumed without its token");
		shadow_set(ref->tr_tok, td);
	}
}

/* No tokref on the list may lie in a stack frame that was popped. */
static void tokref_frames_check(thread_t td)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	uintptr_t lo = (uintptr_t)td->td_kstack;
	uintptr_t hi = lo + ((td->td_flags & TDF_IDLE) ? BOOT_STACK_SIZE : KSTACK_SIZE);
	lwkt_tokref_t ref;

	if (td != curthread)
		return;
	for (ref = td->td_toks; ref; ref = ref->tr_next) {
		uintptr_t r = (uintptr_t)ref;
		if (r >= lo && r < hi && r < sp)
			panic("tokref %p for %s outlives its stack frame",
			      (void *)ref, ref->tr_tok->t_desc);
		uint32_t m = ref->tr_magic;	/* read once: the owner may ack now */

		if (m != LWKT_TOKREF_MAGIC1 && m != LWKT_TOKREF_MAGIC2)
			panic("tokref %p (%s) bad magic 0x%x", (void *)ref,
			      ref->tr_tok->t_desc, m);
	}
}
#else
void lwkt_token_shadow_out(thread_t td) { (void)td; }
void lwkt_token_shadow_in(thread_t td) { (void)td; }
#endif

/* ---- requests (requester side) ---- */

/*
 * Are all of td's tokens local?  For each one that is not and has no
 * request in flight, send one (MAGIC1 -> MAGIC2: only the requester does
 * this).  Runs on td's cpu in a critical section (lwkt_pick).
 */
int lwkt_chktokens(thread_t td)
{
	struct globaldata *gd = td->td_gd;
	lwkt_tokref_t ref;
	lwkt_token_t tok;
	struct globaldata *owner;
	uintptr_t v;
	int ok = 1;

	for (ref = td->td_toks; ref; ref = ref->tr_next) {
		tok = ref->tr_tok;
		/*
		 * One read of t_cpu decides both "local?" and where the request
		 * goes: a hand-over to us may land at any moment, and a second
		 * read could then name this very cpu as the owner.  A request to
		 * ourselves would run synchronously and park our own ref.
		 */
		v = tok->t_cpu;
		owner = (struct globaldata *)(v & ~TOK_TRANSIT);
		if (owner == gd) {
			if (v & TOK_TRANSIT) {
				cpu_acquire_fence();
				tok->t_cpu = (uintptr_t)gd;
				trace_token_received(tok);
			}
			continue;
		}
		ok = 0;
		if (td->td_tokwait_ts == 0)
			td->td_tokwait_ts = (mtime_read() << 12) |
			    ((uint64_t)gd->gd_cpuid << 8) | (gd->gd_tokwait_seq++ & 0xff);
		if (ref->tr_magic != LWKT_TOKREF_MAGIC1)
			continue;	/* a request is in flight */
		ref->tr_magic = LWKT_TOKREF_MAGIC2;
		ref->tr_reqgd = gd;
		ref->tr_reqowner = owner;	/* where a release withdraws it */
		ref->tr_ts = td->td_tokwait_ts;
		tok->t_remote_reqs++;
		trace_token_request(tok, owner->gd_cpuid);
		if (lwkt_send_ipiq_nowait(owner, lwkt_reqtoken_remote, ref, NULL)) {
			ref->tr_magic = LWKT_TOKREF_MAGIC1;	/* ring full: retry */
			break;
		}
	}
	return ok;
}

/* ---- hand-over (owner side) ---- */

/*
 * The requester's cpu may be halted in WFI waiting for this answer: ring
 * its msip.  A bare doorbell (an MMIO store, no message, no AMO); its
 * idle loop then re-runs the scheduler, which finds the token local.
 */
static void token_wake(struct globaldata *reqgd)
{
	cpu_send_ipi(reqgd->gd_cpuid);
}

/* Give tok (owned by gd) to the requester of ref and acknowledge. */
/*
 * Acknowledge ref (MAGIC2 -> MAGIC1).  Once the requester sees MAGIC1 it
 * may pop the stack frame holding ref, so everything we need from ref is
 * read first, and fence rw,w orders those reads (and our earlier stores)
 * before the acknowledgement; after it we touch only reqgd.
 */
static void token_ack_ref(lwkt_tokref_t ref, struct globaldata *reqgd)
{
	cpu_release_fence();
	ref->tr_magic = LWKT_TOKREF_MAGIC1;
	token_wake(reqgd);
}

/* Give tok (owned by gd) to the requester of ref and acknowledge. */
static void token_handover(struct globaldata *gd, lwkt_token_t tok,
			   lwkt_tokref_t ref)
{
	struct globaldata *reqgd = ref->tr_reqgd;

	KASSERT(tok->t_cpu == (uintptr_t)gd, "handover of a token we do not own");
	tok->t_handovers++;
	cpu_release_fence();	/* our protected stores before the new owner's loads */
	tok->t_cpu = (uintptr_t)reqgd | TOK_TRANSIT;
	trace_token_handover(tok, reqgd->gd_cpuid);
	token_ack_ref(ref, reqgd);	/* its fence orders t_cpu before the ack */
}

/* Acknowledge a request for a token that has moved on. */
static void token_ack(lwkt_tokref_t ref)
{
	token_ack_ref(ref, ref->tr_reqgd);
}

/* Does td or a thread it preempted reference tok? */
static int token_referenced(thread_t td, lwkt_token_t tok)
{
	lwkt_tokref_t ref;

	for (; td; td = td->td_preempted)
		for (ref = td->td_toks; ref; ref = ref->tr_next)
			if (ref->tr_tok == tok)
				return 1;
	return 0;
}

/*
 * Livelock avoidance (not in the 2004 code, which acknowledged mutual
 * stealing as unsolved): a runnable thread of this cpu that is waiting
 * for tokens keeps the ones it has already collected against requesters
 * that started waiting later.  The oldest waiter in the system therefore
 * always collects all of its tokens and runs.  Running holders are not
 * affected: their tokens still leave only at switch or release.
 */
static int token_kept_for_waiter(struct globaldata *gd, lwkt_token_t tok,
				 uint64_t ts)
{
	thread_t td;
	lwkt_tokref_t ref;
	int pri;

	for (pri = 0; pri < NQS; pri++) {
		if (!(gd->gd_runqmask & (1U << pri)))
			continue;
		for (td = gd->gd_tdrunq[pri].head; td; td = td->td_rqnext) {
			if (td->td_tokwait_ts == 0 || td->td_tokwait_ts >= ts)
				continue;
			for (ref = td->td_toks; ref; ref = ref->tr_next)
				if (ref->tr_tok == tok)
					return 1;
		}
	}
	return 0;
}

/*
 * Parked requests wait in arrival order (the list is short: one entry per
 * requesting cpu and token), so the oldest request for a token is granted
 * first; the ones after it find the token gone and are acknowledged.
 */
static void token_park(struct globaldata *gd, lwkt_tokref_t ref)
{
	lwkt_tokref_t *pp = &gd->gd_tokreqbase;

	ref->tr_gdreqnext = NULL;
	while (*pp != NULL)
		pp = &(*pp)->tr_gdreqnext;
	*pp = ref;
}

/* IPI on the (believed) owner: grant now, or park until switch/release. */
static void lwkt_reqtoken_remote(void *a1, void *a2)
{
	struct globaldata *gd = mycpu;
	lwkt_tokref_t ref = a1;
	lwkt_token_t tok = ref->tr_tok;

	(void)a2;
	KASSERT(ref->tr_magic == LWKT_TOKREF_MAGIC2, "token request not pending");
	KASSERT(ref->tr_reqgd != gd, "token request sent to our own cpu");
	tok->t_rcvd[gd->gd_cpuid]++;
	if (!token_is_local(tok, gd)) {
		token_ack(ref);			/* moved on: requester retries */
		return;
	}
	if (token_referenced(gd->gd_curthread, tok)) {
		tok->t_deferred++;
		token_park(gd, ref);
		return;
	}
	if (token_kept_for_waiter(gd, tok, ref->tr_ts)) {
		tok->t_kept++;
		token_park(gd, ref);
		return;
	}
	token_handover(gd, tok, ref);
}

/*
 * IPI on the cpu a request went to: its ref was released, so the
 * requester wants only the acknowledgement, never the token.  The
 * request was sent earlier on the same ring (one ring per cpu pair, run
 * in order), so it has been answered or parked by now.  Parked, it is
 * unlinked and acknowledged without a hand-over, whatever it was parked
 * behind (a running holder, a token kept for an older waiter).  Not
 * parked, it was acknowledged already and the requester may have reused
 * ref's memory: it is only compared, never read.  Parked requests sit on
 * gd_tokreqbase at all times but inside lwkt_drain_token_requests and
 * token_release_parked, which run in a critical section, so no IPI sees
 * one in between.
 */
static void lwkt_cancel_reqtoken_remote(void *a1, void *a2)
{
	struct globaldata *gd = mycpu;
	lwkt_tokref_t ref = a1, *pp;

	(void)a2;
	for (pp = &gd->gd_tokreqbase; *pp != NULL; pp = &(*pp)->tr_gdreqnext) {
		if (*pp == ref) {
			gd->gd_tok_withdrawn++;
			if (token_test_release_wait)
				return;
			*pp = ref->tr_gdreqnext;
			token_ack(ref);
			return;
		}
	}
}

/*
 * At a switch (critical section): the thread that ran is going away, so
 * every parked request is granted, even for tokens it holds.
 */
void lwkt_drain_token_requests(struct globaldata *gd)
{
	lwkt_tokref_t ref, keep = NULL, *kp = &keep;

	while ((ref = gd->gd_tokreqbase) != NULL) {
		gd->gd_tokreqbase = ref->tr_gdreqnext;
		if (!token_is_local(ref->tr_tok, gd)) {
			token_ack(ref);
		} else if (token_kept_for_waiter(gd, ref->tr_tok, ref->tr_ts)) {
			ref->tr_gdreqnext = NULL;	/* an older local waiter first */
			*kp = ref;			/* (arrival order kept) */
			kp = &ref->tr_gdreqnext;
		} else {
			token_handover(gd, ref->tr_tok, ref);
		}
	}
	gd->gd_tokreqbase = keep;
}

/* At the last local release of tok: grant parked requests for it. */
static void token_release_parked(struct globaldata *gd, lwkt_token_t tok)
{
	lwkt_tokref_t *pp = &gd->gd_tokreqbase, ref;

	while ((ref = *pp) != NULL) {
		if (ref->tr_tok != tok) {
			pp = &ref->tr_gdreqnext;
			continue;
		}
		if (token_is_local(tok, gd) &&
		    token_kept_for_waiter(gd, tok, ref->tr_ts)) {
			pp = &ref->tr_gdreqnext;
			continue;
		}
		*pp = ref->tr_gdreqnext;
		if (token_is_local(tok, gd))
			token_handover(gd, tok, ref);
		else
			token_ack(ref);
	}
}

/* ---- acquire / release ---- */

/*
 * A released tokref still has a request in flight: a remote cpu points
 * at this (stack) memory, so wait for its acknowledgement.  The request
 * is withdrawn first (lwkt_cancel_reqtoken_remote), so the wait ends as
 * soon as the cpu it went to runs its IPI ring, which every cpu does in
 * each of its wait loops and whenever it leaves a critical section.
 *
 * Invariant: this wait depends on no token decision, so it is in no
 * cycle.  It used to wait for the owner's own answer, and an owner parks
 * a request behind its running thread or behind a token it keeps for an
 * older waiting thread (token_kept_for_waiter), which may wait for this
 * cpu in turn: for a token our thread holds (so the old wait drained our
 * parked requests and then collected our tokens again), or, through a
 * token kept here, for an older waiter of ours that only our scheduler
 * sends requests for and runs, which the wait kept from running
 * (explorer seed 119, token_deadlock).  Now the thread stays the running
 * holder of its other tokens: like the release it is part of, the wait
 * is not a blocking point.
 */
struct ack_wait {
	struct globaldata *gd;
	lwkt_tokref_t ref;
};

static int tokref_acked(void *arg)
{
	struct ack_wait *w = arg;

	if (token_test_release_wait == 2)
		lwkt_drain_token_requests(w->gd);
	return w->ref->tr_magic != LWKT_TOKREF_MAGIC2;
}

static void tokref_wait_ack(struct globaldata *gd, thread_t td,
			    lwkt_tokref_t ref)
{
	struct ack_wait w = { gd, ref };

	crit_enter();
	gd->gd_tok_ackwaits++;
	KASSERT(ref->tr_reqowner != gd, "token request to our own cpu");
	lwkt_send_ipiq(ref->tr_reqowner, lwkt_cancel_reqtoken_remote, ref, NULL);
	if (token_test_release_wait == 2) {
#ifdef INVARIANTS
		lwkt_token_shadow_out(td);
#endif
		lwkt_wait_until(tokref_acked, &w);
		while (!lwkt_chktokens(td))
			lwkt_switch();
#ifdef INVARIANTS
		lwkt_token_shadow_in(td);
#endif
	} else {
		lwkt_wait_until(tokref_acked, &w);	/* the ack rings our msip */
	}
	crit_exit();
}

/* Push ref on the thread's list; an IPI on this cpu is the only other reader. */
static inline void tokref_push(thread_t td, lwkt_tokref_t ref, lwkt_token_t tok)
{
	INVKASSERT(ref->tr_magic != LWKT_TOKREF_MAGIC2,
		   "tokref reused while a request is in flight");
	ref->tr_tok = tok;
	ref->tr_magic = LWKT_TOKREF_MAGIC1;
#ifdef INVARIANTS
	ref->tr_td = td;
#endif
	ref->tr_next = td->td_toks;
	cpu_ccfence();		/* ref is complete before it is visible */
	td->td_toks = ref;
}

static void tokref_unlink(thread_t td, lwkt_tokref_t ref)
{
	lwkt_tokref_t *pp;

	for (pp = &td->td_toks; *pp; pp = &(*pp)->tr_next) {
		if (*pp == ref) {
			*pp = ref->tr_next;
			cpu_ccfence();
			return;
		}
	}
	panic("lwkt_reltoken: tokref not held by %s", td->td_name);
}

/*
 * Everything but the plain hit: an interrupt thread that preempted a
 * holder, or a token that is not local (a miss).
 */
static __attribute__((noipa)) void
lwkt_gettoken_slow(lwkt_tokref_t ref, lwkt_token_t tok, struct globaldata *gd,
		   thread_t td)
{
	(void)ref;
	/*
	 * An interrupt thread that preempted a holder must not run with the
	 * token: yield back to the preempted thread.  It is scheduled later
	 * as a normal thread, when the scheduler can collect its tokens.
	 */
	if (td->td_preempted &&
	    (token_referenced(td->td_preempted, tok) || !token_is_local(tok, gd)))
		lwkt_yield();
	if (token_is_local(tok, gd)) {
		gd->gd_tok_local_hits++;
	} else {
		/* miss: a blocking point; lwkt_pick resumes us with all tokens local */
		crit_enter();
		while (!lwkt_chktokens(td))
			lwkt_switch();
		td->td_tokwait_ts = 0;
		crit_exit();
	}
}

/*
 * The hit (the token is this cpu's, no preemption in progress) is a list
 * push, two loads and a per-cpu count: no atomic, no fence, no store to
 * the token.  A token that arrived by hand-over carries TOK_TRANSIT until
 * its first local observer fences, so it takes the slow path once.
 */
__attribute__((optimize("omit-frame-pointer")))	/* no frame on the hit path */
void lwkt_gettoken(lwkt_tokref_t ref, lwkt_token_t tok)
{
	struct globaldata *gd = mycpu;
	thread_t td = gd->gd_curthread;

	INVKASSERT(gd->gd_intr_nesting_level == 0, "token taken in interrupt/IPI context");
	INVKASSERT(!(td->td_flags & TDF_IDLE), "idle thread takes a token");
	tokref_push(td, ref, tok);
	if (__builtin_expect(td->td_preempted == NULL && tok->t_cpu == (uintptr_t)gd, 1))
		gd->gd_tok_local_hits++;	/* per cpu: the token's line stays clean */
	else
		lwkt_gettoken_slow(ref, tok, gd, td);
#ifdef INVARIANTS
	shadow_set(tok, td);
	tokref_frames_check(td);
#endif
}

/* Take tok only if it is local now; never blocks, never sends a request. */
int lwkt_trytoken(lwkt_tokref_t ref, lwkt_token_t tok)
{
	struct globaldata *gd = mycpu;
	thread_t td = gd->gd_curthread;

	KASSERT(gd->gd_intr_nesting_level == 0, "token taken in interrupt/IPI context");
	tokref_push(td, ref, tok);
	if (token_is_local(tok, gd) &&
	    !(td->td_preempted && token_referenced(td->td_preempted, tok))) {
		gd->gd_tok_local_hits++;
#ifdef INVARIANTS
		shadow_set(tok, td);
#endif
		return 1;
	}
	tokref_unlink(td, ref);
	ref->tr_magic = 0;
	return 0;
}

/*
 * After the unlink: grant the requests parked for tok if this was the
 * thread's last reference (and no thread it preempted holds one), then
 * wait for the acknowledgement of a request still in flight.
 */
static __attribute__((noinline)) void
lwkt_reltoken_tail(struct globaldata *gd, thread_t td, lwkt_tokref_t ref)
{
	lwkt_token_t tok = ref->tr_tok;
	lwkt_tokref_t r;

	if (gd->gd_tokreqbase) {
		for (r = td->td_toks; r; r = r->tr_next)
			if (r->tr_tok == tok)
				break;
		if (r == NULL && !token_referenced(td->td_preempted, tok)) {
			crit_enter();
			token_release_parked(gd, tok);
			crit_exit();
		}
	}
	if (ref->tr_magic == LWKT_TOKREF_MAGIC2)
		tokref_wait_ack(gd, td, ref);
	ref->tr_magic = 0;
}

/*
 * Release in any order.  The token leaves the cpu only when the last
 * local reference of the running thread goes and a request is parked.
 * The unlink comes first: an IPI that runs after it sees the token
 * unreferenced and grants its request itself; one that ran before it
 * parked its request, which the check of gd_tokreqbase then finds.
 */
void lwkt_reltoken(lwkt_tokref_t ref)
{
	struct globaldata *gd = mycpu;
	thread_t td = gd->gd_curthread;

	INVKASSERT(ref->tr_td == td, "lwkt_reltoken: not our tokref");
#ifdef INVARIANTS
	tokref_frames_check(td);
	{
		lwkt_tokref_t r;

		for (r = td->td_toks; r; r = r->tr_next)
			if (r != ref && r->tr_tok == ref->tr_tok)
				break;
		if (r == NULL)
			shadow_clear(ref->tr_tok, td);	/* before an IPI can see it unreferenced */
	}
#endif
	if (__builtin_expect(td->td_toks == ref, 1)) {
		td->td_toks = ref->tr_next;	/* newest first: the common case */
		cpu_ccfence();
	} else {
		tokref_unlink(td, ref);
	}
	if (__builtin_expect(gd->gd_tokreqbase == NULL &&
			     ref->tr_magic == LWKT_TOKREF_MAGIC1, 1)) {
#ifdef INVARIANTS
		ref->tr_magic = 0;	/* released (checked on reuse) */
#endif
		return;
	}
	lwkt_reltoken_tail(gd, td, ref);
}

/* ---- statistics ---- */

static void token_print(lwkt_token_t tok)
{
	int cpu;
	uint64_t rcvd = 0;

	for (cpu = 0; cpu < ncpus; cpu++)
		rcvd += tok->t_rcvd[cpu];
	kprintf("%-12s owner=cpu%d remote_req=%lu handover=%lu "
		"deferred=%lu kept=%lu rcvd=%lu\n", tok->t_desc,
		lwkt_token_owner(tok)->gd_cpuid,
		tok->t_remote_reqs, tok->t_handovers, tok->t_deferred,
		tok->t_kept, rcvd);
}

void lwkt_token_print_all(void)
{
	lwkt_token_t tok;
	struct lwkt_token sum;
	int i, used = 0;

	spin_lock(&token_all_lock);
	for (tok = token_all; tok; tok = tok->t_allnext)
		token_print(tok);
	spin_unlock(&token_all_lock);
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < TOKEN_POOL_SIZE; i++) {
		tok = &token_pool[i];
		if (tok->t_remote_reqs + tok->t_handovers)
			used++;
		sum.t_remote_reqs += tok->t_remote_reqs;
		sum.t_handovers += tok->t_handovers;
		sum.t_deferred += tok->t_deferred;
	}
	kprintf("pool(%d asked for of %d) remote_req=%lu handover=%lu deferred=%lu\n",
		used, TOKEN_POOL_SIZE, sum.t_remote_reqs,
		sum.t_handovers, sum.t_deferred);
	kprintf("local hits per cpu:");
	for (i = 0; i < ncpus; i++)
		kprintf(" %lu", cpu_globaldata[i].gd_tok_local_hits);
	kprintf("\n");
}

/* ---- baseline: spin tokens (thread-owned, one CAS) ---- */

void spintoken_init(struct spintoken *st, const char *desc)
{
	st->st_ref = NULL;
	st->st_desc = desc;
	st->st_collisions = 0;
}

static int spintoken_cas(struct spintoken *st, thread_t td)
{
	thread_t expect = NULL;

	if (st->st_ref == td)
		return 1;
	return __atomic_compare_exchange_n(&st->st_ref, &expect, td, 0,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* Retake all of td's spin tokens at switch-in; back out on failure. */
int spintoken_getall(thread_t td)
{
	int i, j;

	for (i = 0; i < td->td_nspintoks; i++) {
		if (!spintoken_cas(td->td_spintoks[i], td)) {
			for (j = 0; j < i; j++)
				__atomic_store_n(&td->td_spintoks[j]->st_ref, NULL,
						 __ATOMIC_RELEASE);
			return 0;
		}
	}
	return 1;
}

/* Release all of td's spin tokens at switch-out (they stay on its list). */
void spintoken_relall(thread_t td)
{
	int i;

	for (i = 0; i < td->td_nspintoks; i++)
		if (td->td_spintoks[i]->st_ref == td)
			__atomic_store_n(&td->td_spintoks[i]->st_ref, NULL,
					 __ATOMIC_RELEASE);
}

void spintoken_get(struct spintoken *st)
{
	thread_t td = curthread;

	KASSERT(td->td_nspintoks < SPINTOK_MAX, "too many spin tokens");
	td->td_spintoks[td->td_nspintoks++] = st;
	while (!spintoken_cas(st, td)) {
		st->st_collisions++;
		lwkt_switch();	/* switch-in retakes it (lwkt_pick) */
	}
}

void spintoken_rel(struct spintoken *st)
{
	thread_t td = curthread;

	KASSERT(td->td_nspintoks > 0 &&
		td->td_spintoks[td->td_nspintoks - 1] == st, "spintoken LIFO");
	td->td_nspintoks--;
	__atomic_store_n(&st->st_ref, NULL, __ATOMIC_RELEASE);
}

/*
 * This cpu's threads that hold tokrefs, and its parked requests.  With
 * a1 != NULL (debugging a stuck test): every thread, with its state.
 */
void lwkt_token_dump_cpu(void *a1, void *a2)
{
	struct globaldata *gd = mycpu;
	thread_t td;
	lwkt_tokref_t ref;
	int verbose = a1 != NULL;

	(void)a2;
	kprintf("cpu%d: cur=%s runqmask=0x%x reqflags=0x%x contention=%lu/%lu npoll=%u\n",
		gd->gd_cpuid, gd->gd_curthread->td_name, gd->gd_runqmask,
		gd->gd_reqflags, gd->gd_tok_contention, gd->gd_spintok_contention,
		gd->gd_npoll);
	for (td = gd->gd_tdall; td; td = td->td_allnext) {
		if ((td->td_flags & TDF_IDLE) || (!verbose && td->td_toks == NULL))
			continue;
		kprintf("  %s flags=0x%x crit=%d wmesg=%s ra=%lx sw=%lu:", td->td_name,
			td->td_flags, td->td_critcount,
			td->td_wmesg ? td->td_wmesg : "-", td->td_pcb.pcb_ra,
			td->td_switches);
		for (ref = td->td_toks; ref; ref = ref->tr_next)
			kprintf(" %p@cpu%d/%c", (void *)ref->tr_tok,
				lwkt_token_owner(ref->tr_tok)->gd_cpuid,
				ref->tr_magic == LWKT_TOKREF_MAGIC2 ? 'R' : '-');
		kprintf("\n");
	}
	for (ref = gd->gd_tokreqbase; ref; ref = ref->tr_gdreqnext)
		kprintf("  parked: %p for cpu%d\n", (void *)ref->tr_tok,
			ref->tr_reqgd->gd_cpuid);
}
