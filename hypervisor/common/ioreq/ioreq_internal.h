/* What the IOREQ server files share: a domain's servers and, per vCPU,
 * the request it waits on. */
#ifndef IOREQ_INTERNAL_H
#define IOREQ_INTERNAL_H

#include <proxenos/domain.h>
#include <proxenos/ioreq.h>
#include <proxenos/rangeset.h>
#include <proxenos/spinlock.h>
#include <public/ioreq.h>
#include <public/dm_op.h>

/* Range types a server keeps: XEN_DMOP_IO_RANGE_PORT, _MEMORY, _PCI. On
 * Arm only memory ranges are ever matched; the others are kept so that
 * map and unmap answer as on Xen. */
#define IOREQ_NR_RANGE_TYPES 3U

struct ioreq_server {
    domid_t emulator;           /* the domain that created it */
    bool enabled;
    /* The request page, once the emulator acquired it; the domain keeps it
     * after the server goes (ioreq_domain.page), because the emulator may
     * still map it. */
    struct shared_iopage *page;
    evtchn_port_t *ports;       /* per target vCPU, in the target */
    struct rangeset range[IOREQ_NR_RANGE_TYPES];
};

/* The request a vCPU waits for. slot points into a page the domain keeps
 * until it dies, so it may be read without the lock. */
struct ioreq_wait {
    struct ioreq *slot;
    evtchn_port_t port;
    bool waiting;               /* set by forward, cleared by take_answer */
    bool cancelled;             /* the server went: reads answer all ones */
};

struct ioreq_domain {
    spinlock_t lock;
    struct ioreq_server *server[IOREQ_MAX_SERVERS];
    /* The request page of each server id, allocated when first acquired
     * and reused (cleared) by the next server of that id. */
    struct shared_iopage *page[IOREQ_MAX_SERVERS];
    struct ioreq_wait *wait;    /* max_vcpus entries */
};

/* d's state, made on first use: NULL only without memory. */
struct ioreq_domain *ioreq_domain_get(struct domain *d);

/* Slot state, read or written as the server does, with ordering. */
static inline uint32_t ioreq_slot_state(const struct ioreq *p)
{
    return (uint32_t)__atomic_load_n(&p->flags, __ATOMIC_ACQUIRE) & IOREQ_FLAGS_STATE_MASK;
}

/* Server ops for dm_op (ioreq_server.c). Each returns 0 or Xen's errno. */
int ioreq_server_create(struct domain *cur, struct domain *d, uint8_t bufioreq, ioservid_t *id);
int ioreq_server_destroy(struct domain *cur, struct domain *d, ioservid_t id);
int ioreq_server_info(struct domain *cur, struct domain *d, ioservid_t id);
int ioreq_server_set_state(struct domain *cur, struct domain *d, ioservid_t id, bool on);
int ioreq_server_map_range(struct domain *cur, struct domain *d, ioservid_t id, uint32_t type,
                           uint64_t start, uint64_t end, bool map);

/* When d is held for its reserved ranges (ioreq_reserve.h) and enabled
 * servers of their back ends now claim all of them, unpause it, once
 * (ioreq_reserve.c). Called without the ioreq lock. */
void ioreq_release_if_claimed(struct domain *d);

/* The consumer of every server port (ioreq_send.c). */
void ioreq_port_event(struct domain *d, evtchn_port_t port);

/* Give up v's wait on a server that goes: v answers all ones (ioreq_send.c),
 * called with the ioreq lock held. */
void ioreq_cancel_wait(struct ioreq_wait *w);

#endif
