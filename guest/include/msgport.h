#ifndef _MSGPORT_H_
#define _MSGPORT_H_

#include "types.h"

struct thread;
struct lwkt_port;

/* ms_flags */
#define MSGF_DONE	0x0001	/* not in flight (initial state, or replied) */
#define MSGF_REPLY	0x0002	/* has been replied */
#define MSGF_QUEUED	0x0004	/* on a port queue */
#define MSGF_SYNC	0x0008	/* sender waits in lwkt_domsg */

/*
 * A message.  Only its current owner touches it: the sender until it is
 * sent, the target port's thread until it replies, then the sender.
 */
typedef struct lwkt_msg {
	struct lwkt_msg	*ms_next;		/* port queue link */
	struct lwkt_port *ms_target_port;
	struct lwkt_port *ms_reply_port;
	volatile uint32_t ms_flags;
	int		ms_error;
	int		ms_cmd;			/* user command */
	uint64_t	ms_arg[3];		/* user arguments / results */
} *lwkt_msg_t;

/*
 * A thread port: only its owner thread receives from it.  Messages from
 * the owner's cpu are queued in a critical section; from other cpus they
 * are forwarded to that cpu by IPI.  No lock.
 */
typedef struct lwkt_port {
	struct lwkt_msg	*mp_head;
	struct lwkt_msg	*mp_tail;
	struct thread	*mp_td;			/* owner */
	int		mp_waiting;		/* owner sleeps in lwkt_waitport */
	uint64_t	mp_received;
} *lwkt_port_t;

void	lwkt_initport_thread(lwkt_port_t port, struct thread *td);
void	lwkt_initmsg(lwkt_msg_t msg, lwkt_port_t replyport, int cmd);
int	lwkt_sendmsg(lwkt_port_t port, lwkt_msg_t msg);
int	lwkt_domsg(lwkt_port_t port, lwkt_msg_t msg);
void	lwkt_replymsg(lwkt_msg_t msg, int error);
lwkt_msg_t lwkt_getport(lwkt_port_t port);
lwkt_msg_t lwkt_waitport(lwkt_port_t port, int timo);
int	lwkt_waitmsg(lwkt_msg_t msg);

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
