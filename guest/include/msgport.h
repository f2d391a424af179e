#ifndef _MSGPORT_H_
#define _MSGPORT_H_

#include "kernel.h"

struct thread;
struct lwkt_port;
struct lwkt_token;

/*
 * ms_flags.  While a message is in flight only its current holder writes
 * ms_flags (the sender until the put, the target until it replies, then
 * the reply port's side); the holder changes through an IPI ring (whose
 * fences order the hand-over) or under the port's lock/token.  Other
 * parties only read them (lwkt_abortmsg, lwkt_checkmsg), so no atomic
 * read-modify-write is needed.  DragonFly's MSGF_WAITING (a waiter on a
 * spin port marking the message) is not used for that reason: a spin
 * port's synchronous reply always calls wakeup(msg).
 */
#define MSGF_DONE	0x0001	/* not in flight (initial state, or replied/dropped) */
#define MSGF_REPLY	0x0002	/* the target replied (set on the target's side) */
#define MSGF_QUEUED	0x0004	/* on a port queue */
#define MSGF_SYNC	0x0008	/* lwkt_domsg: the reply only sets DONE */
#define MSGF_INTRANSIT	0x0010	/* in an IPI between cpus (INVARIANTS) */
#define MSGF_DROPABLE	0x0040	/* the target may lwkt_dropmsg it (never waited on) */
#define MSGF_ABORTABLE	0x0080	/* ms_abortfn may abort it */
#define MSGF_PRIORITY	0x0100	/* queued on the port's priority queue */

/*
 * A message.  Subsystems embed it in larger structures; ms_cmd and
 * ms_arg are this kernel's small payload for tests and the object
 * service.
 */
typedef struct lwkt_msg {
	struct lwkt_msg	*ms_next;		/* port queue links */
	struct lwkt_msg	*ms_prev;
	struct lwkt_port *ms_target_port;	/* where it was put (abort, drop) */
	struct lwkt_port *ms_reply_port;
	void		(*ms_abortfn)(struct lwkt_msg *);
	volatile uint32_t ms_flags;
	int		ms_error;
	int		ms_cmd;			/* user command */
	uint64_t	ms_arg[3];		/* user arguments / results */
} *lwkt_msg_t;

struct lwkt_msgq {
	lwkt_msg_t	head;
	lwkt_msg_t	tail;
};

#define MSGPORTF_WAITING 0x0001		/* a thread sleeps on the port */

/*
 * A port: two queues (priority first) and DragonFly's vector of backend
 * operations.  The backend decides who may touch the queues:
 *   thread port    only the owner thread receives; puts and replies from
 *                  other cpus travel to the owner's cpu by IPI; a critical
 *                  section is the only interlock (no lock, no atomic);
 *   spin port      any thread on any cpu, under mpu_spin (taken inside a
 *                  critical section); waiters tsleep on the port/message;
 *   token port     (DragonFly's serializer port) callers hold mpu_token;
 *                  a waiter sleeps holding it (the token is lost across
 *                  the block and retaken before the thread runs again);
 *   null/reply-only/put-only/panic ports: degenerate sinks and sources.
 */
typedef struct lwkt_port {
	struct lwkt_msgq mp_msgq;
	struct lwkt_msgq mp_msgq_prio;
	int		mp_flags;		/* MSGPORTF_* */
	lwkt_msg_t	(*mp_getport)(struct lwkt_port *);
	int		(*mp_putport)(struct lwkt_port *, lwkt_msg_t);
	int		(*mp_waitmsg)(lwkt_msg_t, int timo);
	lwkt_msg_t	(*mp_waitport)(struct lwkt_port *, int timo);
	void		(*mp_replyport)(struct lwkt_port *, lwkt_msg_t);
	int		(*mp_dropmsg)(struct lwkt_port *, lwkt_msg_t);
	struct thread	*mpu_td;		/* thread port: owner; spin port: dropper */
	struct spinlock	mpu_spin;		/* spin port */
	struct lwkt_token *mpu_token;		/* token port */
	uint64_t	mp_received;		/* messages queued (stats) */
} *lwkt_port_t;

void	lwkt_initport_thread(lwkt_port_t port, struct thread *td);
void	lwkt_initport_spin(lwkt_port_t port, struct thread *td);
void	lwkt_initport_token(lwkt_port_t port, struct lwkt_token *tok);
void	lwkt_initport_replyonly_null(lwkt_port_t port);
void	lwkt_initport_replyonly(lwkt_port_t port,
				void (*rportfn)(lwkt_port_t, lwkt_msg_t));
void	lwkt_initport_putonly(lwkt_port_t port,
			      int (*pportfn)(lwkt_port_t, lwkt_msg_t));
void	lwkt_initport_panic(lwkt_port_t port);

void	lwkt_initmsg(lwkt_msg_t msg, lwkt_port_t replyport, int cmd);
void	lwkt_initmsg_abortable(lwkt_msg_t msg, lwkt_port_t replyport, int cmd,
			       void (*abortfn)(lwkt_msg_t));
void	lwkt_sendmsg(lwkt_port_t port, lwkt_msg_t msg);
int	lwkt_domsg(lwkt_port_t port, lwkt_msg_t msg, int timo);
int	lwkt_forwardmsg(lwkt_port_t port, lwkt_msg_t msg);
void	lwkt_abortmsg(lwkt_msg_t msg);

/*
 * Timeouts (timo, in ticks; 0 = none) replace DragonFly's PCATCH, as this
 * kernel has no signals: lwkt_waitport returns NULL when it expires;
 * lwkt_waitmsg (and so lwkt_domsg) aborts the message once when it
 * expires and then waits for it to come back, as DragonFly does on a
 * signal.
 */
static inline void lwkt_replymsg(lwkt_msg_t msg, int error)
{
	lwkt_port_t port = msg->ms_reply_port;

	msg->ms_error = error;
	port->mp_replyport(port, msg);
}

static inline lwkt_msg_t lwkt_getport(lwkt_port_t port)
{
	return port->mp_getport(port);
}

static inline lwkt_msg_t lwkt_waitport(lwkt_port_t port, int timo)
{
	return port->mp_waitport(port, timo);
}

static inline int lwkt_waitmsg(lwkt_msg_t msg, int timo)
{
	return msg->ms_reply_port->mp_waitmsg(msg, timo);
}

static inline int lwkt_checkmsg(lwkt_msg_t msg)
{
	return msg->ms_flags & MSGF_DONE;
}

/* Target port's owner only: take a queued DROPABLE message back (no reply). */
static inline int lwkt_dropmsg(lwkt_msg_t msg)
{
	lwkt_port_t port = msg->ms_target_port;

	KASSERT(msg->ms_flags & MSGF_DROPABLE, "lwkt_dropmsg: message not dropable");
	return port ? port->mp_dropmsg(port, msg) : ENOENT;
}

/* object service (kern_objsvc.c) */
#define OBJ_INSERT	1
#define OBJ_LOOKUP	2
#define OBJ_UPDATE	3
#define OBJ_DELETE	4
void	objsvc_init(void);
int	obj_request(int cmd, uint64_t key, uint64_t *val);
int	objsvc_owner_cpu(uint64_t key);
void	objs_print_stats(void);
uint64_t objsvc_count(int cpu);

#endif
