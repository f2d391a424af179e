/*
 * Tests of the message port model (kern/lwkt_msgport.c): synchronous
 * completion, abort, forward, drop and priority, spin ports, token ports
 * and the null port, across cpus where there is more than one.
 */
#include "kernel.h"
#include "globaldata.h"
#include "ktest.h"
#include "msgport.h"
#include "token.h"

#define WAIT_TICKS 1000

/* ---- a test server on a thread port ---- */

#define CMD_ECHO	1	/* arg1 = 2 * arg0 + cpu; error 41 */
#define CMD_BLOCK	2	/* busy until released by the test; error 0 */
#define CMD_PARK	3	/* held (in progress) until RELEASE or an abort */
#define CMD_ABORT	4	/* abort request for the message in arg0 */
#define CMD_RELEASE	5	/* reply every parked message with 0 */
#define CMD_FORWARD	6	/* set cmd = arg1, forward to the port in arg2 */
#define CMD_DROP	7	/* drop the message in arg0 twice: arg1, arg2 = results */
#define CMD_QUIT	99

#define NPARK 8

struct mps {
	thread_t	td;
	volatile int	release;	/* ends one CMD_BLOCK */
	volatile int	nparked;
	lwkt_msg_t	parked[NPARK];
	volatile int	aborts_hit;	/* abort found its message in progress */
	volatile int	aborts_late;	/* abort found it already replied */
	volatile int	handled;
	volatile int	order[16];	/* commands in the order received */
	struct waitgroup wg;
};

static int mps_unpark(struct mps *s, lwkt_msg_t m)
{
	int i;

	for (i = 0; i < s->nparked; i++) {
		if (s->parked[i] == m) {
			s->parked[i] = s->parked[s->nparked - 1];
			s->nparked--;
			return 1;
		}
	}
	return 0;
}

static void mps_thread(void *p)
{
	struct mps *s = p;
	lwkt_msg_t msg, o;

	for (;;) {
		msg = lwkt_waitport(&curthread->td_msgport, 0);
		if (s->handled < 16)
			s->order[s->handled] = msg->ms_cmd;
		s->handled++;
		switch (msg->ms_cmd) {
		case CMD_ECHO:
			msg->ms_arg[1] = msg->ms_arg[0] * 2 + (uint64_t)mycpu->gd_cpuid;
			lwkt_replymsg(msg, 41);
			break;
		case CMD_BLOCK:
			while (!s->release)
				tsleep((void *)&s->release, 0, "block", 1);
			s->release = 0;
			lwkt_replymsg(msg, 0);
			break;
		case CMD_PARK:
			KASSERT(s->nparked < NPARK, "too many parked messages");
			s->parked[s->nparked] = msg;
			s->nparked = s->nparked + 1;
			break;
		case CMD_ABORT:
			/* requests are handled in order: the original is either replied or parked */
			o = (lwkt_msg_t)msg->ms_arg[0];
			if (mps_unpark(s, o)) {
				s->aborts_hit++;
				lwkt_replymsg(o, EINTR);
			} else {
				s->aborts_late++;
			}
			lwkt_replymsg(msg, 0);
			break;
		case CMD_RELEASE:
			while (s->nparked > 0) {
				o = s->parked[s->nparked - 1];
				s->nparked = s->nparked - 1;
				lwkt_replymsg(o, 0);
			}
			lwkt_replymsg(msg, 0);
			break;
		case CMD_FORWARD:
			msg->ms_cmd = (int)msg->ms_arg[1];
			lwkt_forwardmsg((lwkt_port_t)msg->ms_arg[2], msg);
			break;
		case CMD_DROP:
			o = (lwkt_msg_t)msg->ms_arg[0];
			msg->ms_arg[1] = (uint64_t)lwkt_dropmsg(o);
			msg->ms_arg[2] = (uint64_t)lwkt_dropmsg(o);
			lwkt_replymsg(msg, 0);
			break;
		case CMD_QUIT:
			lwkt_replymsg(msg, 0);
			wg_done(&s->wg);
			return;
		default:
			lwkt_replymsg(msg, EINVAL);
			break;
		}
	}
}

static void mps_start(struct mps *s, int cpu)
{
	memset(s, 0, sizeof(*s));
	wg_init(&s->wg, 1);
	lwkt_create(mps_thread, s, &s->td, cpu, TDPRI_KERN_USER, 0, "mp-test");
}

static lwkt_port_t mps_port(struct mps *s)
{
	return &s->td->td_msgport;
}

static int mps_stop(struct mps *s)
{
	struct lwkt_msg q;

	lwkt_initmsg(&q, &curthread->td_msgport, CMD_QUIT);
	lwkt_domsg(mps_port(s), &q, 0);
	return wg_wait(&s->wg, WAIT_TICKS);
}

/* Wait until n messages have been queued on the server's port (its cpu counts). */
static int wait_received(struct mps *s, uint64_t n)
{
	volatile uint64_t *rcv = &mps_port(s)->mp_received;
	int i;

	for (i = 0; i < WAIT_TICKS && *rcv < n; i++)
		tsleep((void *)rcv, 0, "rcvwait", 1);
	return *rcv >= n ? 0 : ETIMEDOUT;
}

static int far_cpu(void)
{
	return ncpus - 1;
}

static int send_cmd(struct mps *s, int cmd)
{
	struct lwkt_msg q;

	lwkt_initmsg(&q, &curthread->td_msgport, cmd);
	return lwkt_domsg(mps_port(s), &q, 0);
}

/* ---- msgport_sync: a target that completes in place ---- */

static volatile int inline_runs;
static thread_t inline_td;
static struct mps *defer_to;

/*
 * A put-only port in the style of DragonFly's netisr sync port: ECHO runs
 * at once in the caller's context and returns its result; other commands
 * go on to a server thread (EASYNC).
 */
static int inline_putport(lwkt_port_t port, lwkt_msg_t msg)
{
	msg->ms_target_port = port;
	if (msg->ms_cmd != CMD_ECHO)
		return lwkt_forwardmsg(mps_port(defer_to), msg);
	inline_runs++;
	inline_td = curthread;
	msg->ms_arg[1] = msg->ms_arg[0] + 1000;
	return 7;
}

static int test_msgport_sync(struct tctx *t)
{
	static struct mps s;
	struct lwkt_port ip;
	struct lwkt_msg m;
	lwkt_port_t me = &curthread->td_msgport;
	lwkt_msg_t r;
	uint64_t sw0;
	int err;

	mps_start(&s, far_cpu());
	defer_to = &s;
	inline_runs = 0;
	lwkt_initport_putonly(&ip, inline_putport);

	/* domsg: completed in place, no blocking, no queueing */
	lwkt_initmsg(&m, me, CMD_ECHO);
	m.ms_arg[0] = 5;
	sw0 = curthread->td_switches;
	err = lwkt_domsg(&ip, &m, 0);
	if (err != 7 || m.ms_arg[1] != 1005 || inline_runs != 1 || inline_td != curthread)
		return tfail(t, "domsg in place: error %d result %lu runs %d", err,
			     m.ms_arg[1], inline_runs);
	if ((m.ms_flags & (MSGF_DONE | MSGF_REPLY | MSGF_QUEUED)) != (MSGF_DONE | MSGF_REPLY))
		return tfail(t, "domsg in place: flags 0x%x", m.ms_flags);
	if (curthread->td_switches != sw0)
		return tfail(t, "domsg in place blocked (%lu switches)",
			     curthread->td_switches - sw0);
	if (lwkt_getport(me) != NULL)
		return tfail(t, "domsg in place queued a reply");

	/* sendmsg: completed in place, the reply is queued on the reply port */
	lwkt_initmsg(&m, me, CMD_ECHO);
	m.ms_arg[0] = 6;
	lwkt_sendmsg(&ip, &m);
	r = lwkt_getport(me);
	if (r != &m || m.ms_error != 7 || m.ms_arg[1] != 1006 ||
	    (m.ms_flags & (MSGF_DONE | MSGF_REPLY | MSGF_QUEUED)) != (MSGF_DONE | MSGF_REPLY))
		return tfail(t, "sendmsg in place: reply %p error %d flags 0x%x", r,
			     m.ms_error, m.ms_flags);

	/* the target chooses asynchronous handling: domsg waits for the reply */
	lwkt_initmsg(&m, me, CMD_BLOCK);	/* not ECHO: passed to the server */
	s.release = 1;
	err = lwkt_domsg(&ip, &m, 0);
	if (err != 0 || s.handled != 1 || !(m.ms_flags & MSGF_REPLY))
		return tfail(t, "deferred domsg: error %d handled %d", err, s.handled);
	if (mps_stop(&s))
		return tfail(t, "server did not quit");
	return 0;
}

/* ---- msgport_abort ---- */

static volatile int abortfn_calls;

/* DragonFly's pattern: a synchronous abort request to the current target. */
static void abort_sync(lwkt_msg_t msg)
{
	struct lwkt_msg a;

	abortfn_calls++;
	lwkt_initmsg(&a, &curthread->td_msgport, CMD_ABORT);
	a.ms_arg[0] = (uint64_t)msg;
	lwkt_domsg(msg->ms_target_port, &a, 0);
}

/* The same request sent asynchronously (reply to the caller's port). */
static struct lwkt_msg abort_req;
static void abort_async(lwkt_msg_t msg)
{
	abortfn_calls++;
	lwkt_initmsg(&abort_req, &curthread->td_msgport, CMD_ABORT);
	abort_req.ms_arg[0] = (uint64_t)msg;
	lwkt_sendmsg(msg->ms_target_port, &abort_req);
}

/* Collect n replies from our port, in any order, with a timeout. */
static int collect(lwkt_msg_t *got, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if ((got[i] = lwkt_waitport(&curthread->td_msgport, 300)) == NULL)
			return i;
	return n;
}

static int test_msgport_abort(struct tctx *t)
{
	static struct mps s;
	struct lwkt_msg b, p, q;
	lwkt_port_t me = &curthread->td_msgport;
	lwkt_msg_t got[3];
	uint64_t t0;
	int err, h0;

	mps_start(&s, far_cpu());
	abortfn_calls = 0;

	/* not abortable, and already done: the abort function is not called */
	lwkt_initmsg(&p, me, CMD_ECHO);
	lwkt_sendmsg(mps_port(&s), &p);
	lwkt_abortmsg(&p);
	if (collect(got, 1) != 1 || got[0] != &p || p.ms_error != 41)
		return tfail(t, "plain message: not replied normally");
	lwkt_initmsg_abortable(&p, me, CMD_ECHO, abort_sync);
	if (lwkt_domsg(mps_port(&s), &p, 0) != 41)
		return tfail(t, "abortable echo failed");
	lwkt_abortmsg(&p);
	if (abortfn_calls != 0)
		return tfail(t, "abort function called for a plain or finished message");

	/*
	 * Queued: the server is busy, the message waits on its port when
	 * the abort is requested.  The abort request queues behind it; the
	 * server takes the message (it parks it), then the abort, which
	 * finds it in progress and replies it with EINTR.
	 */
	h0 = s.handled;
	lwkt_initmsg(&b, me, CMD_BLOCK);
	lwkt_sendmsg(mps_port(&s), &b);
	lwkt_initmsg_abortable(&p, me, CMD_PARK, abort_async);
	lwkt_sendmsg(mps_port(&s), &p);
	if (wait_flag(&s.handled, h0 + 1, WAIT_TICKS))
		return tfail(t, "server did not take the blocking message");
	t0 = 0;
	while (!(p.ms_flags & MSGF_QUEUED) && t0++ < WAIT_TICKS)
		tsleep(&t0, 0, "queued", 1);
	if (!(p.ms_flags & MSGF_QUEUED))
		return tfail(t, "message never queued behind the busy server");
	lwkt_abortmsg(&p);
	if (abortfn_calls != 1 || !(p.ms_flags & MSGF_QUEUED))
		return tfail(t, "queued: abort function calls %d, flags 0x%x",
			     abortfn_calls, p.ms_flags);
	s.release = 1;
	if (collect(got, 3) != 3)
		return tfail(t, "queued: replies missing");
	if (got[0] != &b || got[1] != &p || got[2] != &abort_req)
		return tfail(t, "queued: replies out of order");
	if (p.ms_error != EINTR || s.aborts_hit != 1 || s.nparked != 0)
		return tfail(t, "queued: error %d, aborts hit %d", p.ms_error, s.aborts_hit);

	/* in progress: the server holds the message; a synchronous abort */
	lwkt_initmsg_abortable(&p, me, CMD_PARK, abort_sync);
	lwkt_sendmsg(mps_port(&s), &p);
	if (wait_flag(&s.nparked, 1, WAIT_TICKS))
		return tfail(t, "in progress: message not parked");
	lwkt_abortmsg(&p);
	if (abortfn_calls != 2 || s.aborts_hit != 2)
		return tfail(t, "in progress: abort calls %d hits %d", abortfn_calls,
			     s.aborts_hit);
	if (collect(got, 1) != 1 || got[0] != &p || p.ms_error != EINTR)
		return tfail(t, "in progress: not replied with EINTR");

	/* replied before the abort request arrives: the abort is a no-op */
	lwkt_initmsg(&b, me, CMD_BLOCK);
	lwkt_sendmsg(mps_port(&s), &b);
	lwkt_initmsg_abortable(&p, me, CMD_ECHO, abort_async);
	lwkt_sendmsg(mps_port(&s), &p);
	lwkt_abortmsg(&p);
	s.release = 1;
	if (collect(got, 3) != 3 || got[1] != &p)
		return tfail(t, "late abort: replies missing or out of order");
	if (p.ms_error != 41 || s.aborts_late != 1 || s.aborts_hit != 2)
		return tfail(t, "late abort: error %d, late %d, hit %d", p.ms_error,
			     s.aborts_late, s.aborts_hit);

	/* lwkt_domsg with a timeout aborts the message when it expires */
	lwkt_initmsg_abortable(&q, me, CMD_PARK, abort_sync);
	t0 = mtime_read();
	err = lwkt_domsg(mps_port(&s), &q, 3);
	if (err != EINTR || mtime_read() - t0 < 2 * TICK_MTIME || s.aborts_hit != 3)
		return tfail(t, "domsg timeout: error %d after %lu mtime, hits %d", err,
			     mtime_read() - t0, s.aborts_hit);
	if (send_cmd(&s, CMD_RELEASE) != 0 || s.nparked != 0)
		return tfail(t, "messages left parked");
	if (mps_stop(&s))
		return tfail(t, "server did not quit");
	return 0;
}

/* ---- msgport_forward ---- */

static int test_msgport_forward(struct tctx *t)
{
	static struct mps a, b;
	struct lwkt_port ip;
	struct lwkt_msg m;
	lwkt_port_t me = &curthread->td_msgport;
	lwkt_msg_t got[1];
	int cb = far_cpu(), ca = ncpus > 2 ? 1 : 0, err;

	mps_start(&a, ca);
	mps_start(&b, cb);
	defer_to = &b;
	lwkt_initport_putonly(&ip, inline_putport);

	/* A forwards to B; the reply comes from B, to our port */
	lwkt_initmsg(&m, me, CMD_FORWARD);
	m.ms_arg[0] = 21;
	m.ms_arg[1] = CMD_ECHO;
	m.ms_arg[2] = (uint64_t)mps_port(&b);
	err = lwkt_domsg(mps_port(&a), &m, 0);
	if (err != 41 || m.ms_arg[1] != (uint64_t)(42 + cb) || a.handled != 1 || b.handled != 1)
		return tfail(t, "domsg via forward: error %d result %lu handled %d/%d", err,
			     m.ms_arg[1], a.handled, b.handled);
	if (m.ms_target_port != mps_port(&b))
		return tfail(t, "target port not updated by the forward");

	/* asynchronously: the reply is queued on our port */
	lwkt_initmsg(&m, me, CMD_FORWARD);
	m.ms_arg[0] = 22;
	m.ms_arg[1] = CMD_ECHO;
	m.ms_arg[2] = (uint64_t)mps_port(&b);
	lwkt_sendmsg(mps_port(&a), &m);
	if (collect(got, 1) != 1 || got[0] != &m || m.ms_error != 41 ||
	    m.ms_arg[1] != (uint64_t)(44 + cb))
		return tfail(t, "sendmsg via forward: error %d result %lu", m.ms_error,
			     m.ms_arg[1]);

	/* forwarded to a port that completes in place: forwardmsg replies */
	inline_runs = 0;
	lwkt_initmsg(&m, me, CMD_FORWARD);
	m.ms_arg[0] = 23;
	m.ms_arg[1] = CMD_ECHO;
	m.ms_arg[2] = (uint64_t)&ip;
	err = lwkt_domsg(mps_port(&a), &m, 0);
	if (err != 7 || m.ms_arg[1] != 1023 || inline_runs != 1 || inline_td != a.td)
		return tfail(t, "forward to an in-place port: error %d result %lu", err,
			     m.ms_arg[1]);

	/* an abort follows the message to its current target */
	lwkt_initmsg_abortable(&m, me, CMD_FORWARD, abort_sync);
	m.ms_arg[1] = CMD_PARK;
	m.ms_arg[2] = (uint64_t)mps_port(&b);
	lwkt_sendmsg(mps_port(&a), &m);
	if (wait_flag(&b.nparked, 1, WAIT_TICKS))
		return tfail(t, "forwarded message not parked at B");
	cpu_acquire_fence();	/* B parked it: A's forward (target port) is visible */
	lwkt_abortmsg(&m);
	if (collect(got, 1) != 1 || m.ms_error != EINTR || b.aborts_hit != 1 || a.aborts_hit + a.aborts_late != 0)
		return tfail(t, "abort after forward: error %d, B hits %d", m.ms_error,
			     b.aborts_hit);
	if (mps_stop(&a) || mps_stop(&b))
		return tfail(t, "servers did not quit");
	return 0;
}

/* ---- msgport_drop: priority queue and lwkt_dropmsg ---- */

static int test_msgport_drop(struct tctx *t)
{
	static struct mps s;
	struct lwkt_msg b, d, x, e;
	lwkt_port_t me = &curthread->td_msgport;
	lwkt_msg_t got[3];
	uint64_t r0;
	int i;

	mps_start(&s, far_cpu());
	lwkt_initmsg(&b, me, CMD_BLOCK);
	lwkt_sendmsg(mps_port(&s), &b);
	if (wait_flag(&s.handled, 1, WAIT_TICKS))
		return tfail(t, "server did not take the blocking message");
	/* queued behind the busy server: D (dropable), E, then X (priority) */
	lwkt_initmsg(&d, me, CMD_ECHO);
	d.ms_flags |= MSGF_DROPABLE;
	lwkt_sendmsg(mps_port(&s), &d);
	lwkt_initmsg(&e, me, CMD_ECHO);
	lwkt_sendmsg(mps_port(&s), &e);
	lwkt_initmsg(&x, me, CMD_DROP);
	x.ms_flags |= MSGF_PRIORITY;
	x.ms_arg[0] = (uint64_t)&d;
	lwkt_sendmsg(mps_port(&s), &x);
	if (wait_received(&s, 4))
		return tfail(t, "messages never queued behind the busy server");
	r0 = me->mp_received;
	s.release = 1;
	/* let all three replies arrive, so the order we take them in is the port's */
	for (i = 0; i < WAIT_TICKS && me->mp_received < r0 + 3; i++)
		tsleep(&r0, 0, "replies", 1);
	if (collect(got, 3) != 3)
		return tfail(t, "replies missing");
	/* X's reply keeps its priority: first on our port too */
	if (got[0] != &x || got[1] != &b || got[2] != &e)
		return tfail(t, "replies out of order (priority not first, or D replied): %s %s %s",
			     got[0] == &b ? "B" : got[0] == &x ? "X" : got[0] == &e ? "E" : "?",
			     got[1] == &b ? "B" : got[1] == &x ? "X" : got[1] == &e ? "E" : "?",
			     got[2] == &b ? "B" : got[2] == &x ? "X" : got[2] == &e ? "E" : "?");
	if (s.order[1] != CMD_DROP || s.order[2] != CMD_ECHO || s.handled != 3)
		return tfail(t, "server order %d %d, handled %d", s.order[1], s.order[2],
			     s.handled);
	if (x.ms_arg[1] != 0 || x.ms_arg[2] != ENOENT)
		return tfail(t, "drop results %lu, %lu (want 0, ENOENT)", x.ms_arg[1],
			     x.ms_arg[2]);
	if ((d.ms_flags & (MSGF_DONE | MSGF_REPLY | MSGF_QUEUED)) != MSGF_DONE)
		return tfail(t, "dropped message flags 0x%x", d.ms_flags);
	if (lwkt_getport(me) != NULL)
		return tfail(t, "a dropped message was replied");
	if (mps_stop(&s))
		return tfail(t, "server did not quit");
	return 0;
}

/* ---- msgport_spin: a spin port shared by consumers on every cpu ---- */

#define SP_PER 24

struct sp_state {
	struct lwkt_port work;		/* spin: consumers on every cpu */
	struct lwkt_port done;		/* spin: async replies, drained by one collector */
	struct lwkt_msg async[MAXCPU][SP_PER];
	volatile int handled[MAXCPU * SP_PER];
	volatile int consumed[MAXCPU];
	volatile int collected;
	volatile int bad;
	struct waitgroup wg;
};

static void sp_consumer(void *p)
{
	struct sp_state *s = p;
	lwkt_msg_t msg;

	for (;;) {
		msg = lwkt_waitport(&s->work, 0);
		if (msg->ms_cmd == CMD_QUIT) {
			lwkt_replymsg(msg, 0);
			break;
		}
		atomic_fetchadd_int(&s->handled[msg->ms_arg[0]], 1);
		s->consumed[mycpu->gd_cpuid]++;
		msg->ms_arg[1] = msg->ms_arg[0] + 1;
		lwkt_replymsg(msg, 0);
	}
	wg_done(&s->wg);
}

static void sp_producer(void *p)
{
	struct sp_state *s = p;
	struct lwkt_port myreply;		/* spin port as a sync reply port */
	struct lwkt_msg m, *am;
	int me = mycpu->gd_cpuid, i;

	lwkt_initport_spin(&myreply, NULL);
	am = s->async[me];	/* live until the test ends: the collector reads them */
	for (i = 0; i < SP_PER; i++) {
		if (i & 1) {
			lwkt_initmsg(&m, &myreply, CMD_ECHO);
			m.ms_arg[0] = (uint64_t)(me * SP_PER + i);
			if (lwkt_domsg(&s->work, &m, 0) != 0 || m.ms_arg[1] != m.ms_arg[0] + 1)
				s->bad++;
		} else {
			lwkt_initmsg(&am[i], &s->done, CMD_ECHO);
			am[i].ms_arg[0] = (uint64_t)(me * SP_PER + i);
			lwkt_sendmsg(&s->work, &am[i]);
		}
	}
	wg_done(&s->wg);
}

static void sp_collector(void *p)
{
	struct sp_state *s = p;
	lwkt_msg_t msg;
	int want = ncpus * SP_PER / 2;

	while (s->collected < want) {
		if ((msg = lwkt_waitport(&s->done, 500)) == NULL)
			break;
		if (msg->ms_arg[1] != msg->ms_arg[0] + 1 || !(msg->ms_flags & MSGF_REPLY))
			s->bad++;
		s->collected++;
	}
	wg_done(&s->wg);
}

static int test_msgport_spin(struct tctx *t)
{
	static struct sp_state s;
	struct lwkt_msg q;
	int cpu, i, used = 0;

	memset(&s, 0, sizeof(s));
	lwkt_initport_spin(&s.work, NULL);
	lwkt_initport_spin(&s.done, NULL);
	wg_init(&s.wg, 2 * ncpus + 1);
	for (cpu = 0; cpu < ncpus; cpu++)
		test_spawn(sp_consumer, &s, cpu, TDPRI_KERN_USER, "sp-cons");
	test_spawn(sp_collector, &s, far_cpu(), TDPRI_KERN_USER, "sp-coll");
	for (cpu = 0; cpu < ncpus; cpu++)
		test_spawn(sp_producer, &s, cpu, TDPRI_KERN_USER, "sp-prod");
	/* wait for producers and the collector (consumers quit below) */
	for (i = 0; i < WAIT_TICKS && s.wg.count > ncpus; i++)
		tsleep(&s, 0, "spwait", 1);
	if (s.wg.count > ncpus)
		return tfail(t, "producers or collector stuck (%d left)", s.wg.count - ncpus);
	for (cpu = 0; cpu < ncpus; cpu++) {
		lwkt_initmsg(&q, &curthread->td_msgport, CMD_QUIT);
		lwkt_domsg(&s.work, &q, 0);
	}
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "consumers did not quit");
	for (i = 0; i < ncpus * SP_PER; i++)
		if (s.handled[i] != 1)
			return tfail(t, "message %d handled %d times", i, s.handled[i]);
	if (s.bad || s.collected != ncpus * SP_PER / 2)
		return tfail(t, "%d bad results, %d of %d async replies collected", s.bad,
			     s.collected, ncpus * SP_PER / 2);
	for (cpu = 0; cpu < ncpus; cpu++)
		used += s.consumed[cpu] > 0;
	kprintf("msgport_spin: consumers that took messages: %d of %d\n", used, ncpus);
	return 0;
}

/* ---- msgport_token: a port serialized by a token ---- */

#define TP_PER 20

struct tp_state {
	struct lwkt_token *tok;
	struct lwkt_port work;		/* token port */
	struct lwkt_port reply[MAXCPU];	/* token ports, one per producer */
	uint64_t sum;			/* protected by tok, non-atomic */
	uint64_t count;
	volatile int bad;
	struct waitgroup wg;
};

static void tp_consumer(void *p)
{
	struct tp_state *s = p;
	struct lwkt_tokref ref;
	lwkt_msg_t msg;
	uint64_t v;

	lwkt_gettoken(&ref, s->tok);
	for (;;) {
		msg = lwkt_waitport(&s->work, 0);
		if (msg->ms_cmd == CMD_QUIT) {
			lwkt_replymsg(msg, 0);
			break;
		}
		v = s->sum;		/* a lost update shows as a wrong sum */
		busy_wait_mtime(200);	/* not a blocking point: the token stays */
		if (!lwkt_token_is_local(s->tok))
			s->bad++;
		s->sum = v + msg->ms_arg[0];
		s->count++;
		lwkt_replymsg(msg, 0);
	}
	lwkt_reltoken(&ref);
	wg_done(&s->wg);
}

static void tp_producer(void *p)
{
	struct tp_state *s = p;
	struct lwkt_tokref ref;
	struct lwkt_msg m;
	int me = mycpu->gd_cpuid, i;

	for (i = 0; i < TP_PER; i++) {
		lwkt_gettoken(&ref, s->tok);
		lwkt_initmsg(&m, &s->reply[me], CMD_ECHO);
		m.ms_arg[0] = (uint64_t)(me * 100 + i);
		if (lwkt_domsg(&s->work, &m, 0) != 0)
			s->bad++;
		lwkt_reltoken(&ref);
	}
	wg_done(&s->wg);
}

static struct lwkt_token tp_tok;
static int tp_tok_inited;

static int test_msgport_token(struct tctx *t)
{
	static struct tp_state s;
	struct lwkt_tokref ref;
	struct lwkt_msg q;
	uint64_t want = 0;
	int cpu, i;

	if (!tp_tok_inited) {
		lwkt_token_init(&tp_tok, "msgport-test");
		tp_tok_inited = 1;
	}
	memset(&s, 0, sizeof(s));
	s.tok = &tp_tok;
	lwkt_initport_token(&s.work, s.tok);
	for (cpu = 0; cpu < ncpus; cpu++)
		lwkt_initport_token(&s.reply[cpu], s.tok);
	wg_init(&s.wg, 2 * ncpus);
	for (cpu = 0; cpu < ncpus; cpu++) {
		test_spawn(tp_consumer, &s, cpu, TDPRI_KERN_USER, "tp-cons");
		test_spawn(tp_producer, &s, cpu, TDPRI_KERN_USER, "tp-prod");
	}
	for (i = 0; i < WAIT_TICKS && s.wg.count > ncpus; i++)
		tsleep(&s, 0, "tpwait", 1);
	if (s.wg.count > ncpus)
		return tfail(t, "producers stuck (%d left)", s.wg.count - ncpus);
	for (cpu = 0; cpu < ncpus; cpu++) {
		lwkt_gettoken(&ref, s.tok);
		lwkt_initmsg(&q, &s.reply[0], CMD_QUIT);
		lwkt_domsg(&s.work, &q, 0);
		lwkt_reltoken(&ref);
	}
	if (wg_wait(&s.wg, WAIT_TICKS))
		return tfail(t, "consumers did not quit");
	for (cpu = 0; cpu < ncpus; cpu++)
		for (i = 0; i < TP_PER; i++)
			want += (uint64_t)(cpu * 100 + i);
	if (s.bad || s.count != (uint64_t)(ncpus * TP_PER) || s.sum != want)
		return tfail(t, "%d bad, %lu messages (want %d), sum %lu (want %lu)", s.bad,
			     s.count, ncpus * TP_PER, s.sum, want);
	return 0;
}

/* ---- msgport_null: the null reply port and a reply-only port ---- */

static volatile int ronly_calls;
static void ronly_reply(lwkt_port_t port, lwkt_msg_t msg)
{
	(void)port;
	ronly_calls++;
	cpu_release_fence();	/* the count before DONE: the sender reads it after seeing DONE */
	msg->ms_flags |= MSGF_DONE | MSGF_REPLY;
}

static int test_msgport_null(struct tctx *t)
{
	static struct mps s;
	struct lwkt_port np, rp;
	struct lwkt_msg m;
	int i;

	mps_start(&s, far_cpu());
	lwkt_initport_replyonly_null(&np);
	lwkt_initport_replyonly(&rp, ronly_reply);
	lwkt_initmsg(&m, &np, CMD_ECHO);
	m.ms_arg[0] = 50;
	lwkt_sendmsg(mps_port(&s), &m);
	for (i = 0; i < WAIT_TICKS && !lwkt_checkmsg(&m); i++)
		tsleep(&m, 0, "nullwait", 1);
	cpu_acquire_fence();	/* DONE before the results (the reply fenced) */
	if (!lwkt_checkmsg(&m) || m.ms_error != 41 ||
	    m.ms_arg[1] != (uint64_t)(100 + far_cpu()) || !(m.ms_flags & MSGF_REPLY))
		return tfail(t, "null port: flags 0x%x error %d result %lu", m.ms_flags,
			     m.ms_error, m.ms_arg[1]);
	ronly_calls = 0;
	lwkt_initmsg(&m, &rp, CMD_ECHO);
	lwkt_sendmsg(mps_port(&s), &m);
	for (i = 0; i < WAIT_TICKS && !lwkt_checkmsg(&m); i++)
		tsleep(&m, 0, "nullwait", 1);
	/*
	 * DONE before the count.  Without this fence (and the reply's), RVWMO
	 * lets the count be read stale after DONE was seen: explorer seed 5,
	 * pct:3:2000000 with --memory-model rvwmo, "reply-only port: 1 calls".
	 */
	cpu_acquire_fence();
	if (ronly_calls != 1 || !lwkt_checkmsg(&m))
		return tfail(t, "reply-only port: %d calls", ronly_calls);
	if (lwkt_getport(&curthread->td_msgport) != NULL)
		return tfail(t, "a reply reached the sender's own port");
	if (mps_stop(&s))
		return tfail(t, "server did not quit");
	return 0;
}

const struct ktest ktests_msgport[] = {
	{ "msgport_sync",    test_msgport_sync },
	{ "msgport_abort",   test_msgport_abort },
	{ "msgport_forward", test_msgport_forward },
	{ "msgport_drop",    test_msgport_drop },
	{ "msgport_spin",    test_msgport_spin },
	{ "msgport_token",   test_msgport_token },
	{ "msgport_null",    test_msgport_null },
	{ NULL, NULL },
};
