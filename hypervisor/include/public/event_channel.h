/* Event channels as a guest sees them: the EVTCHNOP_* sub-operations of
 * HYPERVISOR_event_channel_op, their argument structures and the FIFO
 * ABI's shared structures.
 *
 * Numbers and layouts checked against Xen 4.17.0 (RELEASE-4.17.0):
 * xen/include/public/event_channel.h. Xen's public header calls the domain
 * id type domid_t; here it is xen_domid_t (same 16 bits) so that this
 * header can sit next to the hypervisor's own domid_t. Self-contained:
 * includes nothing but <public/xen.h>.
 */
#ifndef PUBLIC_EVENT_CHANNEL_H
#define PUBLIC_EVENT_CHANNEL_H

#include <public/xen.h>

/* ---- Sub-operations (x0 of the hypercall; x1 points at the struct) ------- */
#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq        1
#define EVTCHNOP_bind_pirq        2
#define EVTCHNOP_close            3
#define EVTCHNOP_send             4
#define EVTCHNOP_status           5
#define EVTCHNOP_alloc_unbound    6
#define EVTCHNOP_bind_ipi         7
#define EVTCHNOP_bind_vcpu        8
#define EVTCHNOP_unmask           9
#define EVTCHNOP_reset            10
#define EVTCHNOP_init_control     11
#define EVTCHNOP_expand_array     12
#define EVTCHNOP_set_priority     13
/* Xen's continuation of EVTCHNOP_reset; Xen 4.17 also accepts it from a
 * guest (resuming a reset that is not in progress fails with -EBUSY). */
#define EVTCHNOP_reset_cont       14

/* A port in dom that remote_dom may bind to; dom may be DOMID_SELF, and
 * remote_dom DOMID_SELF means the caller. 8 bytes. */
struct evtchn_alloc_unbound {
    xen_domid_t dom;
    xen_domid_t remote_dom;
    evtchn_port_t port;             /* OUT */
};

/* Connect a new local port to remote_port of remote_dom (which must be
 * unbound and offered to the caller). 12 bytes. */
struct evtchn_bind_interdomain {
    xen_domid_t remote_dom;
    evtchn_port_t remote_port;
    evtchn_port_t local_port;       /* OUT */
};

/* A port raised by VIRQ virq on vcpu (global VIRQs: vcpu 0). 12 bytes. */
struct evtchn_bind_virq {
    uint32_t virq;
    uint32_t vcpu;
    evtchn_port_t port;             /* OUT */
};

#define BIND_PIRQ__WILL_SHARE 1
struct evtchn_bind_pirq {
    uint32_t pirq;
    uint32_t flags;
    evtchn_port_t port;             /* OUT */
};

/* A port the domain sends to itself, delivered on vcpu. 8 bytes. */
struct evtchn_bind_ipi {
    uint32_t vcpu;
    evtchn_port_t port;             /* OUT */
};

struct evtchn_close {
    evtchn_port_t port;
};

struct evtchn_send {
    evtchn_port_t port;
};

#define EVTCHNSTAT_closed      0
#define EVTCHNSTAT_unbound     1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq        3
#define EVTCHNSTAT_virq        4
#define EVTCHNSTAT_ipi         5

/* 24 bytes; u is written only for the states that use it. */
struct evtchn_status {
    xen_domid_t dom;
    evtchn_port_t port;
    uint32_t status;                /* OUT: EVTCHNSTAT_* */
    uint32_t vcpu;                  /* OUT: the vCPU notified */
    union {
        struct {
            xen_domid_t dom;
        } unbound;
        struct {
            xen_domid_t dom;
            evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;                            /* OUT */
};

struct evtchn_bind_vcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};

struct evtchn_unmask {
    evtchn_port_t port;
};

struct evtchn_reset {
    xen_domid_t dom;
};

/* FIFO ABI: the control block of vcpu lives at offset in control_gfn.
 * 24 bytes. */
struct evtchn_init_control {
    uint64_t control_gfn;
    uint32_t offset;
    uint32_t vcpu;
    uint8_t link_bits;              /* OUT: EVTCHN_FIFO_LINK_BITS */
    uint8_t _pad[7];
};

/* FIFO ABI: one more page of event words. */
struct evtchn_expand_array {
    uint64_t array_gfn;
};

struct evtchn_set_priority {
    evtchn_port_t port;
    uint32_t priority;
};

/* ---- 2-level ABI ------------------------------------------------------------ */
#define EVTCHN_2L_NR_CHANNELS 4096U

/* ---- FIFO ABI --------------------------------------------------------------- */
#define EVTCHN_FIFO_PRIORITY_MAX     0U
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7U
#define EVTCHN_FIFO_PRIORITY_MIN     15U
#define EVTCHN_FIFO_MAX_QUEUES       16U

/* One 32-bit word per port in the event array. */
typedef uint32_t event_word_t;

#define EVTCHN_FIFO_PENDING   31U
#define EVTCHN_FIFO_MASKED    30U
#define EVTCHN_FIFO_LINKED    29U
#define EVTCHN_FIFO_BUSY      28U
#define EVTCHN_FIFO_LINK_BITS 17U
#define EVTCHN_FIFO_LINK_MASK ((1U << EVTCHN_FIFO_LINK_BITS) - 1U)
#define EVTCHN_FIFO_NR_CHANNELS (1U << EVTCHN_FIFO_LINK_BITS)

/* Per vCPU, in a guest page: READY bit per priority, head of each queue.
 * 72 bytes. */
struct evtchn_fifo_control_block {
    uint32_t ready;
    uint32_t _rsvd;
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};

#endif
