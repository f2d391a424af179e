/*
 * LWKT message ports (thread ports only).
 *
 * lwkt_sendmsg queues a message on the target port (EASYNC); the target
 * thread takes it with lwkt_waitport/lwkt_getport and answers with
 * lwkt_replymsg.  A reply to a synchronous message (lwkt_domsg) only marks
 * it DONE and wakes the sender; an asynchronous reply is queued on the
 * reply port.  A port is touched only on its owner's cpu: operations from
 * another cpu travel there by IPI (the *_remote helpers).
 */
#include "kernel.h"
#include "globaldata.h"
#include "msgport.h"

void lwkt_initport_thread(lwkt_port_t port, thread_t td)
{
	memset(port, 0, sizeof(*port));
	port->mp_td = td;
}

void lwkt_initmsg(lwkt_msg_t msg, lwkt_port_t replyport, int cmd)
{
	memset(msg, 0, sizeof(*msg));
	msg->ms_reply_port = replyport;
	msg->ms_cmd = cmd;
	msg->ms_flags = MSGF_DONE;
}

/* Owner cpu, critical section: queue msg and wake the owner. */
static void port_enqueue(lwkt_port_t port, lwkt_msg_t msg)
{
	KASSERT(port->mp_td->td_gd == mycpu, "port touched off its cpu");
	msg->ms_next = NULL;
	if (port->mp_tail)
		port->mp_tail->ms_next = msg;
	else
		port->mp_head = msg;
	port->mp_tail = msg;
	msg->ms_flags |= MSGF_QUEUED;
	port->mp_received++;
	if (port->mp_waiting) {
		port->mp_waiting = 0;
		lwkt_schedule(port->mp_td);
	}
}

static void putport_remote(void *a1, void *a2)
{
	port_enqueue(a1, a2);
}

/* Deliver msg to port, on the port owner's cpu. */
static void lwkt_putport(lwkt_port_t port, lwkt_msg_t msg)
{
	struct globaldata *tgd = port->mp_td->td_gd;

	if (tgd == mycpu) {
		crit_enter();
		port_enqueue(port, msg);
		crit_exit();
	} else {
		/* the ring's fences publish the message contents */
		lwkt_send_ipiq(tgd, putport_remote, port, msg);
	}
}

int lwkt_sendmsg(lwkt_port_t port, lwkt_msg_t msg)
{
	KASSERT(msg->ms_flags & MSGF_DONE, "lwkt_sendmsg: message in flight");
	msg->ms_flags &= ~(MSGF_DONE | MSGF_REPLY | MSGF_SYNC | MSGF_QUEUED);
	msg->ms_target_port = port;
	lwkt_putport(port, msg);
	return EASYNC;
}

/* Synchronous: send, then wait for the reply; returns ms_error. */
int lwkt_domsg(lwkt_port_t port, lwkt_msg_t msg)
{
	KASSERT(msg->ms_flags & MSGF_DONE, "lwkt_domsg: message in flight");
	msg->ms_flags &= ~(MSGF_DONE | MSGF_REPLY | MSGF_QUEUED);
	msg->ms_flags |= MSGF_SYNC;
	msg->ms_target_port = port;
	lwkt_putport(port, msg);
	return lwkt_waitmsg(msg);
}

/* On the reply port's cpu: complete the reply. */
static void replyport_local(lwkt_msg_t msg)
{
	lwkt_port_t port = msg->ms_reply_port;

	crit_enter();
	if (msg->ms_flags & MSGF_SYNC) {
		cpu_release_fence();		/* results before DONE */
		msg->ms_flags |= MSGF_DONE | MSGF_REPLY;
		wakeup(msg);
	} else {
		msg->ms_flags |= MSGF_DONE | MSGF_REPLY;
		port_enqueue(port, msg);
	}
	crit_exit();
}

static void replyport_remote(void *a1, void *a2)
{
	(void)a2;
	replyport_local(a1);
}

void lwkt_replymsg(lwkt_msg_t msg, int error)
{
	lwkt_port_t port = msg->ms_reply_port;

	msg->ms_error = error;
	if (port->mp_td->td_gd == mycpu)
		replyport_local(msg);
	else
		lwkt_send_ipiq(port->mp_td->td_gd, replyport_remote, msg, NULL);
}

/* Wait for a synchronous message to be replied. */
int lwkt_waitmsg(lwkt_msg_t msg)
{
	crit_enter();
	while (!(msg->ms_flags & MSGF_DONE)) {
		tsleep_interlock(msg);
		if (msg->ms_flags & MSGF_DONE)
			break;
		tsleep(msg, PINTERLOCKED, "waitmsg", 0);
	}
	tsleep_remove(curthread);
	crit_exit();
	cpu_acquire_fence();
	return msg->ms_error;
}

/* Owner only: take the next message, or NULL. */
lwkt_msg_t lwkt_getport(lwkt_port_t port)
{
	lwkt_msg_t msg;

	KASSERT(port->mp_td == curthread, "lwkt_getport: not the port owner");
	crit_enter();
	msg = port->mp_head;
	if (msg) {
		port->mp_head = msg->ms_next;
		if (port->mp_head == NULL)
			port->mp_tail = NULL;
		msg->ms_flags &= ~MSGF_QUEUED;
	}
	crit_exit();
	return msg;
}

static void waitport_timeout(void *arg)
{
	lwkt_schedule(arg);
}

/* Owner only: wait for the next message (timo ticks, 0 = forever). */
lwkt_msg_t lwkt_waitport(lwkt_port_t port, int timo)
{
	thread_t td = curthread;
	lwkt_msg_t msg;

	KASSERT(port->mp_td == td, "lwkt_waitport: not the port owner");
	crit_enter();
	while ((msg = lwkt_getport(port)) == NULL) {
		port->mp_waiting = 1;
		td->td_wmesg = "waitport";
		lwkt_deschedule_self(td);
		if (timo > 0)
			systimer_add(&td->td_sleeptimer,
				     mtime_read() + (uint64_t)timo * TICK_MTIME,
				     waitport_timeout, td);
		lwkt_switch();
		td->td_wmesg = NULL;
		if (timo > 0) {
			systimer_del(&td->td_sleeptimer);
			port->mp_waiting = 0;
			msg = lwkt_getport(port);
			break;
		}
	}
	crit_exit();
	return msg;
}
