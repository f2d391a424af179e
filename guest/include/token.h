#ifndef _TOKEN_H_
#define _TOKEN_H_

#include "types.h"
#include "param.h"

struct globaldata;
struct thread;

/*
 * A serializing token (the 2004 design).  A token is owned by a cpu, not
 * by a thread.  Only the owning cpu writes t_cpu.
 */
struct lwkt_token {
	volatile uintptr_t t_cpu;	/* owning cpu's globaldata; | TOK_TRANSIT
					   until the new owner has fenced */
	const char	*t_desc;
	/*
	 * Per-token statistics of the slow paths (approximate: each updated
	 * by one cpu at a time).  Local hits are counted per cpu
	 * (gd_tok_local_hits): a hit never stores to the token's line.
	 */
	uint64_t	t_remote_reqs;
	uint64_t	t_handovers;
	uint64_t	t_deferred;
	uint64_t	t_kept;			/* grants delayed for an older waiter */
	uint32_t	t_rcvd[MAXCPU];		/* requests received, per cpu */
	struct lwkt_token *t_allnext;
#ifdef INVARIANTS
	struct thread * volatile t_holder;	/* running-holder shadow */
	volatile int	t_holdcount;
#endif
};
typedef struct lwkt_token *lwkt_token_t;

#define TOK_TRANSIT	1UL	/* low bit of t_cpu: handed over, not yet accepted */

/* tr_magic handshake states */
/* one load-immediate each on the hit path (12-bit), yet unlikely stale data */
#define LWKT_TOKREF_MAGIC1	0x6b1	/* idle: no request in flight */
#define LWKT_TOKREF_MAGIC2	0x6b2	/* request queued/being processed */

/* A reference to a token, normally on the caller's stack. */
struct lwkt_tokref {
	struct lwkt_token *tr_tok;
	struct lwkt_tokref *tr_next;		/* thread's list, newest first */
	volatile uint32_t tr_magic;
	struct globaldata *tr_reqgd;		/* cpu to hand the token to */
	struct globaldata *tr_reqowner;		/* cpu the request went to */
	struct lwkt_tokref *tr_gdreqnext;	/* owner's parked requests */
	struct thread	*tr_td;			/* owning thread (INVARIANTS) */
	uint64_t	tr_ts;			/* requester's wait age (older wins) */
};
typedef struct lwkt_tokref *lwkt_tokref_t;

void	lwkt_token_init(lwkt_token_t tok, const char *desc);
void	lwkt_token_init_cpu(lwkt_token_t tok, const char *desc, int cpu);
void	lwkt_token_pool_init(void);
void	lwkt_token_uninit(lwkt_token_t tok);
void	lwkt_token_shadow_out(struct thread *td);
void	lwkt_token_shadow_in(struct thread *td);
struct globaldata *lwkt_token_owner(lwkt_token_t tok);

/*
 * Baseline: DragonFly's later "spin token" (2009-2010 style).  Owned by a
 * thread through one CAS; a non-preemptive switch-out releases all of the
 * thread's spin tokens, switch-in retakes them all (or the thread is not
 * run).
 */
struct spintoken {
	struct thread * volatile st_ref;
	const char *st_desc;
	uint64_t st_collisions;
};
#define SPINTOK_MAX 4
void	spintoken_init(struct spintoken *st, const char *desc);
void	spintoken_get(struct spintoken *st);
void	spintoken_rel(struct spintoken *st);
void	spintoken_relall(struct thread *td);
int	spintoken_getall(struct thread *td);
void	lwkt_gettoken(lwkt_tokref_t ref, lwkt_token_t tok);
int	lwkt_trytoken(lwkt_tokref_t ref, lwkt_token_t tok);
void	lwkt_reltoken(lwkt_tokref_t ref);
int	lwkt_chktokens(struct thread *td);
void	lwkt_drain_token_requests(struct globaldata *gd);
lwkt_token_t lwkt_token_pool_get(const void *ptr);
void	lwkt_token_print_all(void);
int	lwkt_token_is_local(lwkt_token_t tok);
void	lwkt_token_dump_cpu(void *a1, void *a2);

#endif
