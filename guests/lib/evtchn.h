/*
 * Xen event channels from the guest side (the ABI is <public/event_channel.h>
 * and, for the shared info page, <public/xen.h>): the 2-level and FIFO
 * bookkeeping, thin EVTCHNOP_* wrappers and an upcall handler on the
 * /hypervisor PPI that counts every event delivered per port, whichever ABI
 * is active.
 */
#ifndef GUEST_EVTCHN_H
#define GUEST_EVTCHN_H

#include <stdbool.h>
#include <stdint.h>

#include <public/event_channel.h>
#include <public/xen.h>

#include "hypercall.h"
#include "platform.h"

/* Event words in one page of the FIFO ABI's event array. */
#define EVTCHN_FIFO_WORDS_PER_PAGE (XEN_PAGE_SIZE / (uint32_t)sizeof(event_word_t))

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
