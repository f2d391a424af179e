/*
 * Object service: thread-owned data, no locks.
 *
 * One service thread per cpu owns one partition of a hash table of
 * objects (key -> value); key k belongs to cpu (hash(k) % ncpus).  Clients
 * on any cpu insert, look up, update and delete objects by sending a
 * message to the owning thread's port (lwkt_domsg).  Only the owning
 * thread ever touches its partition and its objects, which is asserted on
 * every access; objects are allocated and freed by the owner, so all
 * their kmalloc/kfree calls are local.
 */
#include "kernel.h"
#include "globaldata.h"
#include "msgport.h"
#include "slaballoc.h"

#define OBJ_HASH	64

struct obj {
	struct obj	*o_next;
	uint64_t	o_key;
	uint64_t	o_val;
	int		o_cpu;		/* owning cpu (assertion) */
};

struct objsvc {
	thread_t	td;
	struct obj	*hash[OBJ_HASH];
	uint64_t	nobjs;
	uint64_t	ops;
	uint64_t	pad[4];
};

static struct objsvc objsvc[MAXCPU];
static volatile int objsvc_ready;

static uint64_t key_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdUL;
	k ^= k >> 33;
	return k;
}

int objsvc_owner_cpu(uint64_t key)
{
	return (int)(key_hash(key) % (uint64_t)ncpus);
}

/* Only the owner thread may touch the partition. */
static struct objsvc *svc_self(uint64_t key)
{
	struct objsvc *svc = &objsvc[mycpu->gd_cpuid];

	KASSERT(objsvc_owner_cpu(key) == mycpu->gd_cpuid, "object key on wrong cpu");
	KASSERT(curthread == svc->td, "object partition touched by a non-owner");
	return svc;
}

static struct obj **obj_find(struct objsvc *svc, uint64_t key)
{
	struct obj **pp = &svc->hash[(key_hash(key) >> 8) % OBJ_HASH];

	for (; *pp; pp = &(*pp)->o_next) {
		KASSERT((*pp)->o_cpu == mycpu->gd_cpuid, "object owned by another cpu");
		if ((*pp)->o_key == key)
			break;
	}
	return pp;
}

static int obj_handle(lwkt_msg_t msg)
{
	uint64_t key = msg->ms_arg[0];
	struct objsvc *svc = svc_self(key);
	struct obj **pp = obj_find(svc, key), *o = *pp;

	svc->ops++;
	switch (msg->ms_cmd) {
	case OBJ_INSERT:
		if (o)
			return EEXIST;
		o = kmalloc(sizeof(*o), M_OBJ, M_WAITOK | M_ZERO);
		o->o_key = key;
		o->o_val = msg->ms_arg[1];
		o->o_cpu = mycpu->gd_cpuid;
		*pp = o;
		svc->nobjs++;
		return 0;
	case OBJ_LOOKUP:
		if (!o)
			return ENOENT;
		msg->ms_arg[1] = o->o_val;
		return 0;
	case OBJ_UPDATE:
		if (!o)
			return ENOENT;
		o->o_val = msg->ms_arg[1];
		return 0;
	case OBJ_DELETE:
		if (!o)
			return ENOENT;
		*pp = o->o_next;
		kfree(o, M_OBJ);
		svc->nobjs--;
		return 0;
	}
	return EINVAL;
}

static void objsvc_thread(void *arg)
{
	lwkt_port_t port = &curthread->td_msgport;
	lwkt_msg_t msg;

	(void)arg;
	for (;;) {
		msg = lwkt_waitport(port, 0);
		lwkt_replymsg(msg, obj_handle(msg));
	}
}

void objsvc_init(void)
{
	int cpu;

	for (cpu = 0; cpu < ncpus; cpu++)
		lwkt_create(objsvc_thread, NULL, &objsvc[cpu].td, cpu,
			    TDPRI_KERN_DAEMON, 0, "objsvc");
	cpu_mfence();
	objsvc_ready = 1;
}

/* Client side, any cpu (thread context): one synchronous request. */
int obj_request(int cmd, uint64_t key, uint64_t *val)
{
	struct lwkt_msg msg;
	int error;

	KASSERT(objsvc_ready, "object service not started");
	lwkt_initmsg(&msg, &curthread->td_msgport, cmd);
	msg.ms_arg[0] = key;
	msg.ms_arg[1] = val ? *val : 0;
	error = lwkt_domsg(&objsvc[objsvc_owner_cpu(key)].td->td_msgport, &msg, 0);
	if (val && error == 0)
		*val = msg.ms_arg[1];
	return error;
}

uint64_t objsvc_count(int cpu)
{
	return objsvc[cpu].nobjs;
}

void objs_print_stats(void)
{
	int cpu;
	uint64_t total = 0;

	for (cpu = 0; cpu < ncpus; cpu++) {
		kprintf("cpu%d: objects=%lu requests=%lu port_msgs=%lu\n", cpu,
			objsvc[cpu].nobjs, objsvc[cpu].ops,
			objsvc[cpu].td->td_msgport.mp_received);
		total += objsvc[cpu].nobjs;
	}
	kprintf("total objects=%lu (memuse %ld bytes)\n", total,
		kmalloc_type_memuse(M_OBJ));
}
