/*
 * LWKT message ports, after DragonFly's lwkt_msgport.c.
 *
 * A port is a vector of backend operations (mp_getport, mp_putport,
 * mp_waitmsg, mp_waitport, mp_replyport, mp_dropmsg) over two queues
 * (priority first).  The target decides how a message is handled:
 * mp_putport either queues it and returns EASYNC, or runs it in place
 * and returns its result.  lwkt_sendmsg then queues that result on the
 * reply port itself, so an asynchronous sender always finds its reply
 * there; lwkt_domsg returns it at once, without blocking.
 *
 * Backends: thread ports (owner thread only, IPIs to the owner's cpu, a
 * critical section as the only interlock), spin ports (any thread, a
 * spinlock), token ports (callers hold an LWKT token: DragonFly's
 * serializer ports), and the null / reply-only / put-only / panic ports.
 *
 * Abort (DragonFly's model): lwkt_abortmsg calls the message's
 * ms_abortfn if it is ABORTABLE and neither done nor replied.  The
 * function typically sends an abort request to ms_target_port; the
 * target handles requests in order, so when the abort request arrives
 * the original has either been replied (the abort is a no-op) or is still
 * held by the target, which then replies it with EINTR.  Nothing is ever
 * pulled from under the target.
 */
#include "kernel.h"
#include "globaldata.h"
#include "msgport.h"
#include "token.h"

/* ---- queues (caller holds the port's interlock) ---- */

static struct lwkt_msgq *msg_queue(lwkt_port_t port, lwkt_msg_t msg)
{
	return (msg->ms_flags & MSGF_PRIORITY) ? &port->mp_msgq_prio : &port->mp_msgq;
}

static void _lwkt_pushmsg(lwkt_port_t port, lwkt_msg_t msg)
{
	struct lwkt_msgq *q = msg_queue(port, msg);

	msg->ms_flags |= MSGF_QUEUED;
	msg->ms_next = NULL;
	msg->ms_prev = q->tail;
	if (q->tail)
		q->tail->ms_next = msg;
	else
		q->head = msg;
	q->tail = msg;
	port->mp_received++;
}

static void _lwkt_pullmsg(lwkt_port_t port, lwkt_msg_t msg)
{
	struct lwkt_msgq *q = msg_queue(port, msg);

	KASSERT(msg->ms_flags & MSGF_QUEUED, "pulling a message not queued");
	if (msg->ms_prev)
		msg->ms_prev->ms_next = msg->ms_next;
	else
		q->head = msg->ms_next;
	if (msg->ms_next)
		msg->ms_next->ms_prev = msg->ms_prev;
	else
		q->tail = msg->ms_prev;
	msg->ms_next = msg->ms_prev = NULL;
	msg->ms_flags &= ~MSGF_QUEUED;
}

/* The priority queue is drained first. */
static lwkt_msg_t _lwkt_pollmsg(lwkt_port_t port)
{
	if (port->mp_msgq_prio.head)
		return port->mp_msgq_prio.head;
	return port->mp_msgq.head;
}

/* An asynchronous reply: queued on the reply port, then DONE. */
static void _lwkt_enqueue_reply(lwkt_port_t port, lwkt_msg_t msg)
{
	_lwkt_pushmsg(port, msg);
	msg->ms_flags |= MSGF_REPLY | MSGF_DONE;
}

/* ---- messages ---- */

void lwkt_initmsg(lwkt_msg_t msg, lwkt_port_t replyport, int cmd)
{
	memset(msg, 0, sizeof(*msg));
	msg->ms_reply_port = replyport;
	msg->ms_cmd = cmd;
	msg->ms_flags = MSGF_DONE;	/* DONE = not sent */
}

void lwkt_initmsg_abortable(lwkt_msg_t msg, lwkt_port_t replyport, int cmd,
			    void (*abortfn)(lwkt_msg_t))
{
	lwkt_initmsg(msg, replyport, cmd);
	msg->ms_flags |= MSGF_ABORTABLE;
	msg->ms_abortfn = abortfn;
}

/*
 * Asynchronous send.  If the target completes the message in place
 * (mp_putport returns other than EASYNC) the reply is queued on the reply
 * port here, so the caller always collects it the same way.
 */
void lwkt_sendmsg(lwkt_port_t port, lwkt_msg_t msg)
{
	int error;

	KASSERT(msg->ms_reply_port != NULL &&
		(msg->ms_flags & (MSGF_DONE | MSGF_QUEUED)) == MSGF_DONE,
		"lwkt_sendmsg: message in flight");
	msg->ms_flags &= ~(MSGF_REPLY | MSGF_SYNC | MSGF_DONE);
	if ((error = port->mp_putport(port, msg)) != EASYNC)
		lwkt_replymsg(msg, error);
}

/*
 * Synchronous send.  A target that completes the message in place
 * returns its result, and so does this, without blocking; otherwise wait
 * for the reply (timo: see msgport.h).
 */
int lwkt_domsg(lwkt_port_t port, lwkt_msg_t msg, int timo)
{
	int error;

	KASSERT(msg->ms_reply_port != NULL &&
		(msg->ms_flags & (MSGF_DONE | MSGF_QUEUED)) == MSGF_DONE,
		"lwkt_domsg: message in flight");
	msg->ms_flags &= ~(MSGF_REPLY | MSGF_DONE);
	msg->ms_flags |= MSGF_SYNC;
	if ((error = port->mp_putport(port, msg)) == EASYNC)
		error = lwkt_waitmsg(msg, timo);
	else
		msg->ms_flags |= MSGF_DONE | MSGF_REPLY;
	return error;
}

/* The target of a message passes it on to another port (still unreplied). */
int lwkt_forwardmsg(lwkt_port_t port, lwkt_msg_t msg)
{
	int error;

	KASSERT((msg->ms_flags & (MSGF_QUEUED | MSGF_DONE | MSGF_REPLY)) == 0,
		"lwkt_forwardmsg: message not held by its target");
	if ((error = port->mp_putport(port, msg)) != EASYNC)
		lwkt_replymsg(msg, error);
	return error;
}

/*
 * Ask for a message to be aborted (see the top of the file).  The caller
 * keeps the message alive until it is back.  The abort function may block.
 */
void lwkt_abortmsg(lwkt_msg_t msg)
{
	crit_enter();		/* no reply IPI on this cpu in between */
	if ((msg->ms_flags & MSGF_ABORTABLE) &&
	    (msg->ms_flags & (MSGF_DONE | MSGF_REPLY)) == 0)
		msg->ms_abortfn(msg);
	crit_exit();
}

/* ---- port initialisation ---- */

static lwkt_msg_t lwkt_thread_getport(lwkt_port_t port);
static int lwkt_thread_putport(lwkt_port_t port, lwkt_msg_t msg);
static int lwkt_thread_waitmsg(lwkt_msg_t msg, int timo);
static lwkt_msg_t lwkt_thread_waitport(lwkt_port_t port, int timo);
static void lwkt_thread_replyport(lwkt_port_t port, lwkt_msg_t msg);
static int lwkt_thread_dropmsg(lwkt_port_t port, lwkt_msg_t msg);

static lwkt_msg_t lwkt_spin_getport(lwkt_port_t port);
static int lwkt_spin_putport(lwkt_port_t port, lwkt_msg_t msg);
static int lwkt_spin_waitmsg(lwkt_msg_t msg, int timo);
static lwkt_msg_t lwkt_spin_waitport(lwkt_port_t port, int timo);
static void lwkt_spin_replyport(lwkt_port_t port, lwkt_msg_t msg);
static int lwkt_spin_dropmsg(lwkt_port_t port, lwkt_msg_t msg);

static lwkt_msg_t lwkt_token_getport(lwkt_port_t port);
static int lwkt_token_putport(lwkt_port_t port, lwkt_msg_t msg);
static int lwkt_token_waitmsg(lwkt_msg_t msg, int timo);
static lwkt_msg_t lwkt_token_waitport(lwkt_port_t port, int timo);
static void lwkt_token_replyport(lwkt_port_t port, lwkt_msg_t msg);

static void lwkt_null_replyport(lwkt_port_t port, lwkt_msg_t msg);
static lwkt_msg_t lwkt_panic_getport(lwkt_port_t port);
static int lwkt_panic_putport(lwkt_port_t port, lwkt_msg_t msg);
static int lwkt_panic_waitmsg(lwkt_msg_t msg, int timo);
static lwkt_msg_t lwkt_panic_waitport(lwkt_port_t port, int timo);
static void lwkt_panic_replyport(lwkt_port_t port, lwkt_msg_t msg);
static int lwkt_panic_dropmsg(lwkt_port_t port, lwkt_msg_t msg);

static void _lwkt_initport(lwkt_port_t port,
			   lwkt_msg_t (*gportfn)(lwkt_port_t),
			   int (*pportfn)(lwkt_port_t, lwkt_msg_t),
			   int (*wmsgfn)(lwkt_msg_t, int),
			   lwkt_msg_t (*wportfn)(lwkt_port_t, int),
			   void (*rportfn)(lwkt_port_t, lwkt_msg_t),
			   int (*dmsgfn)(lwkt_port_t, lwkt_msg_t))
{
	memset(port, 0, sizeof(*port));
	port->mp_getport = gportfn;
	port->mp_putport = pportfn;
	port->mp_waitmsg = wmsgfn;
	port->mp_waitport = wportfn;
	port->mp_replyport = rportfn;
	port->mp_dropmsg = dmsgfn;
}

/* Only td may receive from the port. */
void lwkt_initport_thread(lwkt_port_t port, thread_t td)
{
	_lwkt_initport(port, lwkt_thread_getport, lwkt_thread_putport,
		       lwkt_thread_waitmsg, lwkt_thread_waitport,
		       lwkt_thread_replyport, lwkt_thread_dropmsg);
	port->mpu_td = td;
}

/* Any thread may receive; td (may be NULL) is the one allowed to drop. */
void lwkt_initport_spin(lwkt_port_t port, thread_t td)
{
	_lwkt_initport(port, lwkt_spin_getport, lwkt_spin_putport,
		       lwkt_spin_waitmsg, lwkt_spin_waitport,
		       lwkt_spin_replyport,
		       td ? lwkt_spin_dropmsg : lwkt_panic_dropmsg);
	port->mpu_td = td;
}

/* Every operation on the port is made holding tok. */
void lwkt_initport_token(lwkt_port_t port, lwkt_token_t tok)
{
	_lwkt_initport(port, lwkt_token_getport, lwkt_token_putport,
		       lwkt_token_waitmsg, lwkt_token_waitport,
		       lwkt_token_replyport, lwkt_panic_dropmsg);
	port->mpu_token = tok;
}

/* A reply only marks the message done (for messages polled or embedded). */
void lwkt_initport_replyonly_null(lwkt_port_t port)
{
	_lwkt_initport(port, lwkt_panic_getport, lwkt_panic_putport,
		       lwkt_panic_waitmsg, lwkt_panic_waitport,
		       lwkt_null_replyport, lwkt_panic_dropmsg);
}

void lwkt_initport_replyonly(lwkt_port_t port,
			     void (*rportfn)(lwkt_port_t, lwkt_msg_t))
{
	_lwkt_initport(port, lwkt_panic_getport, lwkt_panic_putport,
		       lwkt_panic_waitmsg, lwkt_panic_waitport,
		       rportfn, lwkt_panic_dropmsg);
}

/* pportfn may run the message in place and return its result. */
void lwkt_initport_putonly(lwkt_port_t port,
			   int (*pportfn)(lwkt_port_t, lwkt_msg_t))
{
	_lwkt_initport(port, lwkt_panic_getport, pportfn,
		       lwkt_panic_waitmsg, lwkt_panic_waitport,
		       lwkt_panic_replyport, lwkt_panic_dropmsg);
}

void lwkt_initport_panic(lwkt_port_t port)
{
	_lwkt_initport(port, lwkt_panic_getport, lwkt_panic_putport,
		       lwkt_panic_waitmsg, lwkt_panic_waitport,
		       lwkt_panic_replyport, lwkt_panic_dropmsg);
}

/* ---- thread ports ---- */

static void port_sleep_timeout(void *arg)
{
	thread_t td = arg;

	td->td_flags |= TDF_TIMEOUT;
	lwkt_schedule(td);
}

/*
 * Owner thread, critical section, MSGPORTF_WAITING set: block until a put
 * or reply on this cpu schedules us (or timo ticks pass: EWOULDBLOCK).
 * Nothing can slip in between the caller's test and the deschedule: puts
 * and replies run on this cpu, in a critical section or an IPI, both of
 * which wait for ours.
 */
static int lwkt_port_sleep(const char *wmesg, int timo)
{
	thread_t td = curthread;
	int error = 0;

	td->td_wmesg = wmesg;
	td->td_flags &= ~TDF_TIMEOUT;
	lwkt_deschedule_self(td);
	if (timo > 0)
		systimer_add(&td->td_sleeptimer,
			     mtime_read() + (uint64_t)timo * TICK_MTIME,
			     port_sleep_timeout, td);
	lwkt_switch();
	if (timo > 0) {
		systimer_del(&td->td_sleeptimer);
		if (td->td_flags & TDF_TIMEOUT)
			error = EWOULDBLOCK;
	}
	td->td_flags &= ~TDF_TIMEOUT;
	td->td_wmesg = NULL;
	return error;
}

/* The reply port's cpu: finish a reply sent from another cpu. */
static void lwkt_thread_replyport_remote(void *a1, void *a2)
{
	lwkt_msg_t msg = a1;
	lwkt_port_t port = msg->ms_reply_port;

	(void)a2;
	INVKASSERT(msg->ms_flags & MSGF_INTRANSIT, "reply IPI lost its INTRANSIT mark");
	msg->ms_flags &= ~MSGF_INTRANSIT;
	if (msg->ms_flags & MSGF_SYNC)
		msg->ms_flags |= MSGF_REPLY | MSGF_DONE;
	else
		_lwkt_enqueue_reply(port, msg);
	if (port->mp_flags & MSGPORTF_WAITING)
		lwkt_schedule(port->mpu_td);
}

/*
 * Called on the target's side.  A synchronous reply only marks the
 * message DONE (the sender waits on the message, not the port); an
 * asynchronous one is queued on the reply port.  Either way it completes
 * on the reply port owner's cpu.  REPLY is set here first so that an
 * abort request reaching the target later sees the message answered.
 */
static void lwkt_thread_replyport(lwkt_port_t port, lwkt_msg_t msg)
{
	thread_t td = port->mpu_td;

	KASSERT((msg->ms_flags & (MSGF_DONE | MSGF_QUEUED | MSGF_INTRANSIT)) == 0,
		"lwkt_replymsg: message not held by its target");
	if (td->td_gd == mycpu) {
		crit_enter();
		if (msg->ms_flags & MSGF_SYNC)
			msg->ms_flags |= MSGF_DONE | MSGF_REPLY;
		else
			_lwkt_enqueue_reply(port, msg);
		if (port->mp_flags & MSGPORTF_WAITING)
			lwkt_schedule(td);
		crit_exit();
	} else {
#ifdef INVARIANTS
		msg->ms_flags |= MSGF_INTRANSIT;
#endif
		msg->ms_flags |= MSGF_REPLY;
		/* the ring's fences publish the results with the message */
		lwkt_send_ipiq(td->td_gd, lwkt_thread_replyport_remote, msg, NULL);
	}
}

/* Only the port's owner may drop a message queued on it. */
static int lwkt_thread_dropmsg(lwkt_port_t port, lwkt_msg_t msg)
{
	int error;

	KASSERT(port->mpu_td == curthread, "lwkt_dropmsg: not the port owner");
	crit_enter();
	if ((msg->ms_flags & (MSGF_REPLY | MSGF_QUEUED)) == MSGF_QUEUED) {
		_lwkt_pullmsg(port, msg);
		msg->ms_flags |= MSGF_DONE;
		error = 0;
	} else {
		error = ENOENT;
	}
	crit_exit();
	return error;
}

static void lwkt_thread_putport_remote(void *a1, void *a2)
{
	lwkt_msg_t msg = a1;
	lwkt_port_t port = msg->ms_target_port;

	(void)a2;
	INVKASSERT(msg->ms_flags & MSGF_INTRANSIT, "put IPI lost its INTRANSIT mark");
	msg->ms_flags &= ~MSGF_INTRANSIT;
	_lwkt_pushmsg(port, msg);
	if (port->mp_flags & MSGPORTF_WAITING)
		lwkt_schedule(port->mpu_td);
}

/* Always asynchronous: queued on the owner's cpu (by IPI from elsewhere). */
static int lwkt_thread_putport(lwkt_port_t port, lwkt_msg_t msg)
{
	thread_t td = port->mpu_td;

	KASSERT((msg->ms_flags & (MSGF_DONE | MSGF_REPLY)) == 0,
		"putport: message done or replied");
	msg->ms_target_port = port;
	if (td->td_gd == mycpu) {
		crit_enter();
		_lwkt_pushmsg(port, msg);
		if (port->mp_flags & MSGPORTF_WAITING)
			lwkt_schedule(td);
		crit_exit();
	} else {
#ifdef INVARIANTS
		msg->ms_flags |= MSGF_INTRANSIT;
#endif
		/* the ring's fences publish the message contents */
		lwkt_send_ipiq(td->td_gd, lwkt_thread_putport_remote, msg, NULL);
	}
	return EASYNC;
}

static lwkt_msg_t lwkt_thread_getport(lwkt_port_t port)
{
	lwkt_msg_t msg;

	KASSERT(port->mpu_td == curthread, "lwkt_getport: not the port owner");
	crit_enter();
	if ((msg = _lwkt_pollmsg(port)) != NULL)
		_lwkt_pullmsg(port, msg);
	crit_exit();
	return msg;
}

/*
 * Wait for msg (sent with this thread's port as reply port) to come back.
 * On a timeout the message is aborted once and then waited for without one.
 */
static int lwkt_thread_waitmsg(lwkt_msg_t msg, int timo)
{
	lwkt_port_t port = msg->ms_reply_port;
	int sentabort = 0;

	KASSERT(!(msg->ms_flags & MSGF_DROPABLE), "waiting for a dropable message");
	KASSERT(port->mpu_td == curthread, "lwkt_waitmsg: not the reply port owner");
	crit_enter();
	while (!(msg->ms_flags & MSGF_DONE)) {
		port->mp_flags |= MSGPORTF_WAITING;
		if (!sentabort) {
			if ((sentabort = lwkt_port_sleep("waitmsg", timo)) != 0 &&
			    !(msg->ms_flags & MSGF_DONE)) {
				port->mp_flags &= ~MSGPORTF_WAITING;
				lwkt_abortmsg(msg);
			}
		} else {
			lwkt_port_sleep("waitabt", 0);
		}
		port->mp_flags &= ~MSGPORTF_WAITING;
	}
	if (msg->ms_flags & MSGF_QUEUED)	/* an async reply we wait for */
		_lwkt_pullmsg(port, msg);
	crit_exit();
	return msg->ms_error;
}

static lwkt_msg_t lwkt_thread_waitport(lwkt_port_t port, int timo)
{
	lwkt_msg_t msg;
	int error;

	KASSERT(port->mpu_td == curthread, "lwkt_waitport: not the port owner");
	crit_enter();
	while ((msg = _lwkt_pollmsg(port)) == NULL) {
		port->mp_flags |= MSGPORTF_WAITING;
		error = lwkt_port_sleep("waitport", timo);
		port->mp_flags &= ~MSGPORTF_WAITING;
		if (error && (msg = _lwkt_pollmsg(port)) == NULL)
			break;
	}
	if (msg)
		_lwkt_pullmsg(port, msg);
	crit_exit();
	return msg;
}

/* ---- spin ports ---- */

/*
 * The port's spinlock holds a critical section, so nothing on this cpu can
 * spin on it while we hold it.  Sleeping: tsleep_interlock queues us under
 * the lock, so a wakeup after the unlock is not lost.  MSGPORTF_WAITING is
 * cleared by the waker (several threads may wait).
 */
static void spin_port_lock(lwkt_port_t port)
{
	spin_lock(&port->mpu_spin);
}

static void spin_port_unlock(lwkt_port_t port)
{
	spin_unlock(&port->mpu_spin);
}

static lwkt_msg_t lwkt_spin_getport(lwkt_port_t port)
{
	lwkt_msg_t msg;

	spin_port_lock(port);
	if ((msg = _lwkt_pollmsg(port)) != NULL)
		_lwkt_pullmsg(port, msg);
	spin_port_unlock(port);
	return msg;
}

static int lwkt_spin_putport(lwkt_port_t port, lwkt_msg_t msg)
{
	int dowakeup = 0;

	KASSERT((msg->ms_flags & (MSGF_DONE | MSGF_REPLY)) == 0,
		"putport: message done or replied");
	msg->ms_target_port = port;
	spin_port_lock(port);
	_lwkt_pushmsg(port, msg);
	if (port->mp_flags & MSGPORTF_WAITING) {
		port->mp_flags &= ~MSGPORTF_WAITING;
		dowakeup = 1;
	}
	spin_port_unlock(port);
	if (dowakeup)
		wakeup(port);
	return EASYNC;
}

/* Synchronous messages are slept on by address, asynchronous ones on the port. */
static int lwkt_spin_waitmsg(lwkt_msg_t msg, int timo)
{
	lwkt_port_t port = msg->ms_reply_port;
	const void *won;
	int sentabort = 0;

	KASSERT(!(msg->ms_flags & MSGF_DROPABLE), "waiting for a dropable message");
	spin_port_lock(port);
	while (!(msg->ms_flags & MSGF_DONE)) {
		if (msg->ms_flags & MSGF_SYNC) {
			won = msg;
		} else {
			won = port;
			port->mp_flags |= MSGPORTF_WAITING;
		}
		tsleep_interlock(won);
		spin_unlock(&port->mpu_spin);
		if (!sentabort) {
			if (tsleep(won, PINTERLOCKED, "waitmsg", timo) == EWOULDBLOCK) {
				sentabort = EWOULDBLOCK;
				lwkt_abortmsg(msg);
			}
		} else {
			tsleep(won, PINTERLOCKED, "waitabt", 0);
		}
		spin_lock(&port->mpu_spin);
	}
	if (msg->ms_flags & MSGF_QUEUED)
		_lwkt_pullmsg(port, msg);
	spin_port_unlock(port);
	return msg->ms_error;
}

static lwkt_msg_t lwkt_spin_waitport(lwkt_port_t port, int timo)
{
	lwkt_msg_t msg;
	int error;

	spin_port_lock(port);
	while ((msg = _lwkt_pollmsg(port)) == NULL) {
		port->mp_flags |= MSGPORTF_WAITING;
		tsleep_interlock(port);
		spin_unlock(&port->mpu_spin);
		error = tsleep(port, PINTERLOCKED, "waitport", timo);
		spin_lock(&port->mpu_spin);
		if (error && (msg = _lwkt_pollmsg(port)) == NULL)
			break;
	}
	if (msg)
		_lwkt_pullmsg(port, msg);
	spin_port_unlock(port);
	return msg;
}

static void lwkt_spin_replyport(lwkt_port_t port, lwkt_msg_t msg)
{
	int dowakeup = 0;
	const void *won = port;

	KASSERT((msg->ms_flags & (MSGF_DONE | MSGF_QUEUED)) == 0,
		"lwkt_replymsg: message not held by its target");
	spin_port_lock(port);
	if (msg->ms_flags & MSGF_SYNC) {
		/* the unlock's release orders the results before DONE */
		msg->ms_flags |= MSGF_DONE | MSGF_REPLY;
		won = msg;
		dowakeup = 1;
	} else {
		_lwkt_enqueue_reply(port, msg);
		if (port->mp_flags & MSGPORTF_WAITING) {
			port->mp_flags &= ~MSGPORTF_WAITING;
			dowakeup = 1;
		}
	}
	spin_port_unlock(port);
	if (dowakeup)
		wakeup(won);
}

static int lwkt_spin_dropmsg(lwkt_port_t port, lwkt_msg_t msg)
{
	int error;

	KASSERT(port->mpu_td == curthread, "lwkt_dropmsg: not the port's dropper");
	spin_port_lock(port);
	if ((msg->ms_flags & (MSGF_REPLY | MSGF_QUEUED)) == MSGF_QUEUED) {
		_lwkt_pullmsg(port, msg);
		msg->ms_flags |= MSGF_DONE;
		error = 0;
	} else {
		error = ENOENT;
	}
	spin_port_unlock(port);
	return error;
}

/* ---- token ports ---- */

/* The caller runs holding the port's token (so it is exclusive here). */
static void assert_token_held(lwkt_port_t port)
{
	struct lwkt_tokref *ref;

	for (ref = curthread->td_toks; ref; ref = ref->tr_next)
		if (ref->tr_tok == port->mpu_token)
			break;
	KASSERT(ref != NULL && lwkt_token_is_local(port->mpu_token),
		"token port used without its token");
}

static lwkt_msg_t lwkt_token_getport(lwkt_port_t port)
{
	lwkt_msg_t msg;

	assert_token_held(port);
	if ((msg = _lwkt_pollmsg(port)) != NULL)
		_lwkt_pullmsg(port, msg);
	return msg;
}

static int lwkt_token_putport(lwkt_port_t port, lwkt_msg_t msg)
{
	KASSERT((msg->ms_flags & (MSGF_DONE | MSGF_REPLY)) == 0,
		"putport: message done or replied");
	assert_token_held(port);
	msg->ms_target_port = port;
	_lwkt_pushmsg(port, msg);
	if (port->mp_flags & MSGPORTF_WAITING) {
		port->mp_flags &= ~MSGPORTF_WAITING;
		wakeup(port);
	}
	return EASYNC;
}

/*
 * Sleeping with the token: it stays on our list, may be taken while we
 * sleep and is ours again before we run, so the queue is re-examined
 * after every sleep.  A putter on another cpu needs the token, which it
 * gets only once we have switched away, i.e. after tsleep_interlock.
 */
static int lwkt_token_waitmsg(lwkt_msg_t msg, int timo)
{
	lwkt_port_t port = msg->ms_reply_port;
	const void *won;
	int sentabort = 0;

	KASSERT(!(msg->ms_flags & MSGF_DROPABLE), "waiting for a dropable message");
	assert_token_held(port);
	while (!(msg->ms_flags & MSGF_DONE)) {
		if (msg->ms_flags & MSGF_SYNC) {
			won = msg;
		} else {
			won = port;
			port->mp_flags |= MSGPORTF_WAITING;
		}
		tsleep_interlock(won);
		if (!sentabort) {
			if (tsleep(won, PINTERLOCKED, "waitmsg", timo) == EWOULDBLOCK) {
				sentabort = EWOULDBLOCK;
				lwkt_abortmsg(msg);
			}
		} else {
			tsleep(won, PINTERLOCKED, "waitabt", 0);
		}
	}
	if (msg->ms_flags & MSGF_QUEUED)
		_lwkt_pullmsg(port, msg);
	return msg->ms_error;
}

static lwkt_msg_t lwkt_token_waitport(lwkt_port_t port, int timo)
{
	lwkt_msg_t msg;

	assert_token_held(port);
	while ((msg = _lwkt_pollmsg(port)) == NULL) {
		port->mp_flags |= MSGPORTF_WAITING;
		tsleep_interlock(port);
		if (tsleep(port, PINTERLOCKED, "waitport", timo) &&
		    (msg = _lwkt_pollmsg(port)) == NULL)
			return NULL;
	}
	_lwkt_pullmsg(port, msg);
	return msg;
}

static void lwkt_token_replyport(lwkt_port_t port, lwkt_msg_t msg)
{
	KASSERT((msg->ms_flags & (MSGF_DONE | MSGF_QUEUED)) == 0,
		"lwkt_replymsg: message not held by its target");
	assert_token_held(port);
	if (msg->ms_flags & MSGF_SYNC) {
		msg->ms_flags |= MSGF_DONE | MSGF_REPLY;
		wakeup(msg);
	} else {
		_lwkt_enqueue_reply(port, msg);
		if (port->mp_flags & MSGPORTF_WAITING) {
			port->mp_flags &= ~MSGPORTF_WAITING;
			wakeup(port);
		}
	}
}

/* ---- null and panic ports ---- */

/* Results before DONE: a poller on another cpu fences after seeing DONE. */
static void lwkt_null_replyport(lwkt_port_t port, lwkt_msg_t msg)
{
	(void)port;
	cpu_release_fence();
	msg->ms_flags |= MSGF_DONE | MSGF_REPLY;
}

static lwkt_msg_t lwkt_panic_getport(lwkt_port_t port)
{
	panic("lwkt_getport() illegal on port %p", port);
}

static int lwkt_panic_putport(lwkt_port_t port, lwkt_msg_t msg)
{
	panic("lwkt_sendmsg/domsg() illegal on port %p msg %p", port, msg);
}

static int lwkt_panic_waitmsg(lwkt_msg_t msg, int timo)
{
	(void)timo;
	panic("port %p msg %p cannot be waited on", msg->ms_reply_port, msg);
}

static lwkt_msg_t lwkt_panic_waitport(lwkt_port_t port, int timo)
{
	(void)timo;
	panic("port %p cannot be waited on", port);
}

static void lwkt_panic_replyport(lwkt_port_t port, lwkt_msg_t msg)
{
	panic("lwkt_replymsg() illegal on port %p msg %p", port, msg);
}

static int lwkt_panic_dropmsg(lwkt_port_t port, lwkt_msg_t msg)
{
	panic("lwkt_dropmsg() illegal on port %p msg %p", port, msg);
}
