/*
 * Xen event channels from the guest side: the EVTCHNOP_* arguments, the
 * shared info page (2-level ABI), the FIFO ABI's control block and event
 * array, and an upcall handler on the /hypervisor PPI that counts every
 * event delivered per port, whichever ABI is active.
 */
#ifndef GUEST_EVTCHN_H
#define GUEST_EVTCHN_H

#include <stdbool.h>
#include <stdint.h>

#include "hypercall.h"
#include "platform.h"

#define EVTCHNOP_bind_interdomain   0
#define EVTCHNOP_bind_virq          1
#define EVTCHNOP_bind_pirq          2
#define EVTCHNOP_close              3
#define EVTCHNOP_send               4
#define EVTCHNOP_status             5
#define EVTCHNOP_alloc_unbound      6
#define EVTCHNOP_bind_ipi           7
#define EVTCHNOP_bind_vcpu          8
#define EVTCHNOP_unmask             9
#define EVTCHNOP_reset              10
#define EVTCHNOP_init_control       11
#define EVTCHNOP_expand_array       12
#define EVTCHNOP_set_priority       13

#define VIRQ_TIMER      0
#define VIRQ_DEBUG      1
#define VIRQ_CONSOLE    2
#define VIRQ_DOM_EXC    3
#define NR_VIRQS        24

#define EVTCHNSTAT_closed       0
#define EVTCHNSTAT_unbound      1
#define EVTCHNSTAT_interdomain  2
#define EVTCHNSTAT_pirq         3
#define EVTCHNSTAT_virq         4
#define EVTCHNSTAT_ipi          5

struct evtchn_alloc_unbound {
    uint16_t dom;
    uint16_t remote_dom;
    uint32_t port;              /* out */
};

struct evtchn_bind_interdomain {
    uint16_t remote_dom;
    uint32_t remote_port;
    uint32_t local_port;        /* out */
};

struct evtchn_bind_virq {
    uint32_t virq;
    uint32_t vcpu;
    uint32_t port;              /* out */
};

struct evtchn_bind_ipi {
    uint32_t vcpu;
    uint32_t port;              /* out */
};

struct evtchn_port_arg {        /* close, send, unmask: just the port */
    uint32_t port;
};

struct evtchn_status {
    uint16_t dom;
    uint32_t port;
    uint32_t status;            /* out: EVTCHNSTAT_* */
    uint32_t vcpu;              /* out */
    union {
        uint16_t unbound_dom;
        struct {
            uint16_t dom;
            uint32_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};

struct evtchn_bind_vcpu {
    uint32_t port;
    uint32_t vcpu;
};

struct evtchn_init_control {
    uint64_t control_gfn;
    uint32_t offset;
    uint32_t vcpu;
    uint8_t link_bits;          /* out */
    uint8_t pad[7];
};

struct evtchn_expand_array {
    uint64_t array_gfn;
};

struct evtchn_set_priority {
    uint32_t port;
    uint32_t priority;
};

/* FIFO ABI */
#define EVTCHN_FIFO_PRIORITY_MAX     0U
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7U
#define EVTCHN_FIFO_PRIORITY_MIN     15U
#define EVTCHN_FIFO_MAX_QUEUES       16U
#define EVTCHN_FIFO_LINK_BITS        17U
#define EVTCHN_FIFO_LINK_MASK        ((1U << EVTCHN_FIFO_LINK_BITS) - 1U)
#define EVTCHN_FIFO_PENDING          (1U << 31)
#define EVTCHN_FIFO_MASKED           (1U << 30)
#define EVTCHN_FIFO_LINKED           (1U << 29)
#define EVTCHN_FIFO_BUSY             (1U << 28)
#define EVTCHN_FIFO_WORDS_PER_PAGE   (XEN_PAGE_SIZE / 4U)

struct evtchn_fifo_control_block {
    uint32_t ready;
    uint32_t rsvd;
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};

/* Arm's vcpu_info and shared info page (XEN_LEGACY_MAX_VCPUS = 1). */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;
    uint8_t pad1[2];
};

struct vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    uint64_t evtchn_pending_sel;
    struct vcpu_time_info time;
};

#define EVTCHN_2L_WORDS 64U
struct shared_info {
    struct vcpu_info vcpu_info[1];
    uint64_t evtchn_pending[EVTCHN_2L_WORDS];
    uint64_t evtchn_mask[EVTCHN_2L_WORDS];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
};

/* Ports the upcall handler keeps a count for. */
#define EVTCHN_TRACKED_PORTS 256U

/* The shared info page, mapped at a page of .bss by evtchn_setup. */
extern struct shared_info *evtchn_shared;

/*
 * Maps shared info, registers the upcall handler on p->evtchn_intid and
 * enables that PPI on the calling vCPU. 0 or -errno (of the add_to_physmap).
 */
long evtchn_setup(const struct platform *p);

/* This vCPU's vcpu_info as the handler sees it (shared info slot until re-registered). */
void evtchn_set_vcpu_info(uint32_t vcpu, struct vcpu_info *vi);
struct vcpu_info *evtchn_vcpu_info(uint32_t vcpu);

/* Events the handler consumed for a port (0 for untracked ports); ports are reused, so
 * callers compare with a count taken before. evtchn_wait: until count >= want. */
uint32_t evtchn_count(uint32_t port);
uint32_t evtchn_upcalls(void);
bool evtchn_wait(uint32_t port, uint32_t want, uint64_t timeout_ms);

/* 2-level mask bit in the shared info page. */
void evtchn_2l_mask(uint32_t port, bool masked);
bool evtchn_2l_pending(uint32_t port);
bool evtchn_2l_masked(uint32_t port);

/*
 * Switch to the FIFO ABI for vCPU 0 with a control block at `cb` (a page
 * of ours) and the first event array page at `array0`. 0 or -errno.
 */
long evtchn_fifo_start(uint32_t vcpu, void *cb_page, uint32_t offset);
long evtchn_fifo_add_array(void *page);
bool evtchn_fifo_active(void);
volatile uint32_t *evtchn_fifo_word(uint32_t port);

/* Thin wrappers: the out-value through *port where there is one. */
long evtchn_alloc_unbound(uint16_t remote, uint32_t *port);
long evtchn_bind_ipi(uint32_t vcpu, uint32_t *port);
long evtchn_bind_virq(uint32_t virq, uint32_t vcpu, uint32_t *port);
long evtchn_bind_interdomain(uint16_t remote, uint32_t remote_port, uint32_t *port);
long evtchn_send(uint32_t port);
long evtchn_close(uint32_t port);
long evtchn_unmask(uint32_t port);
long evtchn_get_status(uint16_t dom, uint32_t port, struct evtchn_status *st);

/* Our domain id: the remote end Xen records for an unbound port to DOMID_SELF. */
long evtchn_own_domid(uint16_t *domid);

#endif
