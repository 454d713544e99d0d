/* Event channels: state and helpers shared by the files that implement
 * them, from the bottom up (each calls only files below it):
 * evtchn_port.c: storage, locking, notifications; evtchn_2l.c and
 * evtchn_fifo.c: the two ABIs; evtchn_abi.c: the choice between them and
 * port allocation; evtchn_xen.c: ports the hypervisor consumes;
 * evtchn_ops.c: the sub-operations; evtchn_static.c: ports bound at boot
 * from the device tree; evtchn.c: the hypercall;
 * evtchn_domain.c: a domain's event channels created and torn down. Not
 * for other users: they go through <proxenos/evtchn.h>.
 *
 * Locking: everything about a domain's ports, its ABI state and its
 * vCPUs' VIRQ tables is protected by that domain's evtchn lock (taken with
 * interrupts masked). An operation that touches two domains (interdomain
 * bind, close, send) holds both locks: the lower domain id blocks on the
 * higher; the other way round it only try-locks and backs off, so two
 * CPUs cannot wait on each other. Upcalls and poller wake-ups are
 * collected in a struct evtchn_notify while the locks are held and done
 * after they are dropped, so no vGIC or scheduler lock is ever taken under
 * an evtchn lock. */
#ifndef COMMON_EVTCHN_INTERNAL_H
#define COMMON_EVTCHN_INTERNAL_H

#include <proxenos/domain.h>
#include <proxenos/evtchn.h>
#include <proxenos/guest_access.h>
#include <proxenos/spinlock.h>
#include <public/event_channel.h>

/* Port storage: buckets of 64 ports (2 KiB), 32 buckets per group, groups
 * up to the FIFO ABI's 2^17 ports. Buckets appear as ports are used. */
#define EVTCHN_BUCKET_PORTS 64U
#define EVTCHN_GROUP_BUCKETS 32U
#define EVTCHN_GROUP_PORTS (EVTCHN_BUCKET_PORTS * EVTCHN_GROUP_BUCKETS)
#define EVTCHN_NR_GROUPS (EVTCHN_FIFO_NR_CHANNELS / EVTCHN_GROUP_PORTS)

/* Highest port a domU may use: Xen 4.17 creates dom0less domUs with
 * max_evtchn_port 1023; dom0 is limited by its ABI only. */
#define EVTCHN_DOMU_MAX_PORT 1023U
#define EVTCHN_DOM0_MAX_PORT 0x7fffffffU

/* FIFO event array: 1024 words per page, up to 128 pages. */
#define EVTCHN_FIFO_WORDS_PER_PAGE ((uint32_t)(PAGE_SIZE / sizeof(event_word_t)))
#define EVTCHN_FIFO_MAX_PAGES (EVTCHN_FIFO_NR_CHANNELS / EVTCHN_FIFO_WORDS_PER_PAGE)

/* Port states (Xen's ECS_* order, without the PIRQ state Arm never uses). */
#define ECS_FREE        0U
#define ECS_RESERVED    1U      /* port 0 */
#define ECS_UNBOUND     2U
#define ECS_INTERDOMAIN 3U
#define ECS_VIRQ        5U
#define ECS_IPI         6U

struct evtchn {
    struct domain *remote;      /* ECS_INTERDOMAIN: the peer (may be ourselves) */
    uint32_t port;
    uint32_t remote_port;       /* ECS_INTERDOMAIN */
    uint16_t remote_domid;      /* ECS_UNBOUND: the domain allowed to bind */
    uint16_t notify_vcpu;       /* vCPU the port raises */
    uint16_t last_vcpu;         /* FIFO: queue it was last linked on ... */
    uint8_t last_priority;      /* ... (vCPU, priority) */
    uint8_t state;              /* ECS_* */
    uint8_t virq;               /* ECS_VIRQ */
    uint8_t priority;           /* FIFO */
    bool fifo_pending;          /* FIFO: raised while its word had no page */
    uint8_t xen_consumer;       /* 0: the guest's; else 1 + its consumer's
                                 * index (evtchn_xen.c): the hypervisor's */
};

struct evtchn_fifo_queue {
    uint32_t *head;             /* in the guest's control block */
    uint32_t tail;              /* last port linked, 0: empty */
};

struct evtchn_vcpu {
    uint32_t virq_to_port[NR_VIRQS];    /* global VIRQs: in vCPU 0's table */
    struct guest_page cb_page;          /* FIFO control block page */
    struct evtchn_fifo_control_block *cb;
    struct evtchn_fifo_queue queue[EVTCHN_FIFO_MAX_QUEUES];
};

struct evtchn_fifo_domain {
    struct guest_page page[EVTCHN_FIFO_MAX_PAGES];
    uint32_t nr_words;          /* ports the event array covers */
};

struct evtchn_domain {
    spinlock_t lock;
    uint32_t max_port;          /* policy limit (inclusive) */
    uint32_t valid_ports;       /* ports 0 .. valid_ports-1 have storage */
    uint32_t active;            /* ports not free, port 0 excluded */
    uint32_t xen_ports;         /* of those, the hypervisor's own */
    uint32_t reset_next;        /* EVTCHNOP_reset in progress: next port */
    uint32_t inflight;          /* notifications being delivered (atomic) */
    bool dying;
    struct evtchn_fifo_domain *fifo;    /* NULL: 2-level ABI */
    /* Static mode: taken at build so that EVTCHNOP_init_control does not
     * allocate (alloc_count.h); also where a reset keeps the old one. */
    struct evtchn_fifo_domain *fifo_spare;
    struct evtchn **group[EVTCHN_NR_GROUPS];
};

/* Upcalls to raise and pollers to wake in one domain, once its lock is
 * released. While non-empty it holds off the domain's destruction. */
struct evtchn_notify {
    struct domain *d;
    uint64_t mark[(MAX_VCPUS_PER_DOMAIN + 63U) / 64U];
    evtchn_consumer_fn consumer;    /* a hypervisor port of d was sent to */
    evtchn_port_t consumer_port;
    bool poll;
    bool held;
};

/* ---- evtchn_port.c ----------------------------------------------------- */
unsigned long evtchn_lock(struct domain *d);
void evtchn_unlock(struct domain *d, unsigned long flags);
/* Lock d and, when port of d is connected to another domain, that domain
 * too; returns the peer (locked) or NULL. */
struct domain *evtchn_lock_with_peer(struct domain *d, evtchn_port_t port,
                                     unsigned long *flags);
void evtchn_unlock_with_peer(struct domain *d, struct domain *peer, unsigned long flags);

/* The port's state, or NULL when it has no storage (Xen's "invalid"). */
struct evtchn *evtchn_from_port(const struct domain *d, evtchn_port_t port);
/* vCPU vcpu_id of d, or NULL. */
struct vcpu *evtchn_domain_vcpu(const struct domain *d, uint32_t vcpu_id);
/* A guest-usable port (bound, not reserved). */
bool evtchn_usable(const struct evtchn *chn);
/* Ports the ABI can address. */
uint32_t evtchn_abi_max_ports(const struct domain *d);
/* One more bucket of ports at valid_ports: 0, -ENOSPC or -ENOMEM. */
int evtchn_grow_storage(struct evtchn_domain *ed);
/* Free every bucket and the per-vCPU state; d->evtchn becomes NULL. */
void evtchn_free_storage(struct domain *d);

void evtchn_notify_init(struct evtchn_notify *n, struct domain *d);
void evtchn_notify_upcall(struct evtchn_notify *n, const struct vcpu *v);
void evtchn_notify_poll(struct evtchn_notify *n);
/* The hypervisor consumes port of n->d: run its consumer at the flush. */
void evtchn_notify_consumer(struct evtchn_notify *n, const struct evtchn *chn);
/* fn's index + 1 in the table of consumers, entered on first use; 0 when
 * the table is full. */
uint8_t evtchn_consumer_index(evtchn_consumer_fn fn);
/* The function that consumes chn (evtchn_is_xen). */
evtchn_consumer_fn evtchn_consumer_of(const struct evtchn *chn);
/* After the locks are dropped. */
void evtchn_notify_flush(struct evtchn_notify *n);

bool evtchn_virq_is_global(uint32_t virq);

/* ---- evtchn_abi.c: through the domain's ABI, and port allocation ------- */
/* The caller holds d's lock and n is for d. */
void evtchn_set_pending(struct domain *d, uint32_t vcpu_id, struct evtchn *chn,
                        struct evtchn_notify *n);
void evtchn_clear_pending(struct domain *d, struct evtchn *chn);
bool evtchn_is_pending(const struct domain *d, const struct evtchn *chn);
bool evtchn_is_masked(const struct domain *d, const struct evtchn *chn);
void evtchn_unmask_port(struct domain *d, struct evtchn *chn, struct evtchn_notify *n);
/* 0 when port of d is free and has storage (made for it if needed),
 * -EBUSY when in use, -ENOSPC past the domain's or the ABI's limit,
 * -ENOMEM. The caller holds d's lock. */
int evtchn_allocate_port(struct domain *d, uint32_t port);
/* The lowest free port of d (>= 0) or -ENOSPC/-ENOMEM/-EINVAL (dying). */
int evtchn_get_free_port(struct domain *d);
/* Mark a free port as used in state (with the ABI's per-port reset). */
void evtchn_bind_port(struct domain *d, struct evtchn *chn, uint8_t state, uint16_t vcpu);
/* Back to free: pending cleared, notify vCPU 0. */
void evtchn_free_port(struct domain *d, struct evtchn *chn);

/* ---- evtchn_ops.c: the sub-operations, after the copy in --------------- */
int evtchn_op_alloc_unbound(struct domain *cur, struct evtchn_alloc_unbound *a);
int evtchn_op_bind_interdomain(struct domain *ld, struct evtchn_bind_interdomain *b);
int evtchn_op_bind_virq(struct domain *d, struct evtchn_bind_virq *b);
int evtchn_op_bind_ipi(struct domain *d, struct evtchn_bind_ipi *b);
int evtchn_op_bind_pirq(struct domain *d, const struct evtchn_bind_pirq *b);
/* Both domains' evtchn locks (one when a == b), lower domain id first. */
unsigned long evtchn_lock_pair(struct domain *a, struct domain *b);
void evtchn_unlock_pair(struct domain *a, struct domain *b, unsigned long flags);
/* Close port of d. guest: on the guest's behalf, which may not close
 * the hypervisor's ports (-EINVAL, as Xen); otherwise any port. */
int evtchn_close_port(struct domain *d, evtchn_port_t port, bool guest);
int evtchn_op_send(struct domain *ld, evtchn_port_t port);
int evtchn_op_status(struct domain *cur, struct evtchn_status *s);
int evtchn_op_bind_vcpu(struct domain *d, evtchn_port_t port, uint32_t vcpu_id);
int evtchn_op_unmask(struct domain *d, evtchn_port_t port);
int evtchn_op_set_priority(struct domain *d, evtchn_port_t port, uint32_t priority);
/* EVTCHNOP_reset of d by cur: 0, -ERESTART (call again resuming), ... */
int evtchn_op_reset(struct domain *cur, struct domain *d, bool resuming);
/* DOMID_SELF (the caller) or an existing domain with event channels,
 * held until domain_put_any(cur, d). */
struct domain *evtchn_domain_by_any_id(struct domain *cur, uint16_t id);

/* ---- evtchn_xen.c -------------------------------------------------------- */
/* Whether the hypervisor consumes chn (Xen's consumer_is_xen). Inline:
 * the lower layers ask it without calling a file above them. */
static inline bool evtchn_is_xen(const struct evtchn *chn)
{
    return chn->xen_consumer != 0U;
}

/* ---- evtchn_2l.c ---------------------------------------------------------- */
void evtchn_2l_set_pending(struct domain *d, struct vcpu *v, const struct evtchn *chn,
                           struct evtchn_notify *n);
void evtchn_2l_clear_pending(struct domain *d, const struct evtchn *chn);
void evtchn_2l_unmask(struct domain *d, const struct evtchn *chn, struct evtchn_notify *n);
bool evtchn_2l_is_pending(const struct domain *d, const struct evtchn *chn);
bool evtchn_2l_is_masked(const struct domain *d, const struct evtchn *chn);
/* Whether v's selector bit for chn's pending word is set (the 'e' key). */
bool evtchn_2l_selector_set(const struct vcpu *v, const struct evtchn *chn);

/* ---- evtchn_fifo.c -------------------------------------------------------- */
void evtchn_fifo_set_pending(struct domain *d, struct vcpu *v, struct evtchn *chn,
                             struct evtchn_notify *n);
void evtchn_fifo_clear_pending(struct domain *d, const struct evtchn *chn);
void evtchn_fifo_unmask(struct domain *d, struct evtchn *chn, struct evtchn_notify *n);
bool evtchn_fifo_is_pending(const struct domain *d, const struct evtchn *chn);
bool evtchn_fifo_is_masked(const struct domain *d, const struct evtchn *chn);
/* chn's event word as it is now, 0 without one (the 'e' key). */
event_word_t evtchn_fifo_word(const struct domain *d, const struct evtchn *chn);
bool evtchn_fifo_is_busy(const struct domain *d, const struct evtchn *chn);
int evtchn_fifo_init_control(struct domain *d, struct evtchn_init_control *ic);
int evtchn_fifo_expand_array(struct domain *d, const struct evtchn_expand_array *ea);
/* Back to the 2-level ABI: control blocks and event array released. */
void evtchn_fifo_destroy(struct domain *d);
/* Static mode: the FIFO state in advance (fifo_spare). 0 or -ENOMEM. */
int evtchn_fifo_prealloc(struct domain *d);

#endif
