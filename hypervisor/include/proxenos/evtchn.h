/* Event channels: Xen's inter-domain and virtual-interrupt notifications,
 * with the 2-level and FIFO ABIs (common/event/evtchn.c and friends). */
#ifndef PROXENOS_EVENT_H
#define PROXENOS_EVENT_H

#include <proxenos/domain.h>

/* Domain life cycle (called by domain_pv_init/destroy). */
int evtchn_domain_init(struct domain *d);
/* Highest port d may use instead of the default (the toolstack's
 * max_evtchn_port at createdomain, kept to INT_MAX as Xen), before d
 * runs. */
void evtchn_set_max_port(struct domain *d, uint32_t max_port);
void evtchn_domain_destroy(struct domain *d);

/* EVTCHNOP_alloc_unbound done by the hypervisor itself (with every
 * right, as Xen's boot-time calls): a new unbound port of d that domain
 * remote_dom may bind with EVTCHNOP_bind_interdomain (remote_dom need not
 * exist yet; DOMID_SELF means d). 0 and *port, -ESRCH (d has no event
 * channels), -ENOSPC (no free port) or -ENOMEM. */
int evtchn_alloc_unbound(struct domain *d, domid_t remote_dom, evtchn_port_t *port);

/* Static event channels (the device tree's xen,evtchn-v1 pairs): bind
 * port1 of d1 and port2 of d2 to each other, both interdomain, before
 * either domain runs; port2 starts pending, as Xen 4.17's boot-time
 * bind_interdomain leaves it. 0, or an error and in *end the end at fault
 * (1 or 2): -EBUSY (the port is in use, port 0 included: it is reserved),
 * -ENOSPC (beyond evtchn_max_port() or the ABI's limit), -EINVAL (the
 * same port of one domain twice, or a dying domain), -ESRCH (no event
 * channels), -ENOMEM. */
int evtchn_bind_static(struct domain *d1, evtchn_port_t port1, struct domain *d2,
                       evtchn_port_t port2, unsigned int *end);
/* A static channel's end taken again by d, rebuilt after a reboot
 * (common/event/evtchn_static.c): port of d bound interdomain to
 * peer_port of peer when that port was left unbound waiting for d by d's
 * teardown; then port of d starts pending, as the binding end of
 * EVTCHNOP_bind_interdomain does. When peer is NULL or dying (not there,
 * or being rebuilt too), port of d is left unbound waiting for peer_id,
 * so that the peer's own rebuild reconnects it: EVTCHN_STATIC_WAITING.
 * Errors: -EBUSY or -ENOSPC (port of d, as for evtchn_bind_static),
 * -ENOENT (the peer's port no longer waits for d: its guest closed or
 * rebound it), -ESRCH (d has no event channels), -ENOMEM. Allocates
 * nothing beyond what d's first build did for the same port. */
#define EVTCHN_STATIC_WAITING 1
int evtchn_rebind_static(struct domain *d, evtchn_port_t port, domid_t peer_id,
                         struct domain *peer, evtchn_port_t peer_port);
/* The highest port d may use (its max_evtchn_port); 0 without event
 * channels. */
uint32_t evtchn_max_port(const struct domain *d);

/* ---- Ports the hypervisor consumes (Xen's "xen_consumer" channels) -----
 * A port of d that an emulated device (a vpl011's console ring) uses in
 * d's place: when its peer sends, the consumer function runs instead of
 * an upcall of d; d itself cannot send on it, close it, move it to
 * another vCPU (-EINVAL) or read its status (-EACCES), and EVTCHNOP_reset
 * leaves it alone. It is closed with d's other ports when d dies.
 * docs/event-channels.md. */

/* Runs on the sender's CPU after the event locks are released, while d
 * cannot finish dying; it may send (evtchn_send_xen) but not free ports.
 * Also runs when the peer closes its end (the port is then unbound:
 * evtchn_xen_port_bound). */
typedef void (*evtchn_consumer_fn)(struct domain *d, evtchn_port_t port);

/* A new unbound port of d, consumed by fn, that remote_dom may bind
 * (DOMID_SELF: d). 0 and *port, -ESRCH (d has no event channels),
 * -ENOSPC (no free port or no room for another consumer), -ENOMEM,
 * -EINVAL (d is dying). */
int evtchn_alloc_xen_unbound(struct domain *d, domid_t remote_dom, evtchn_consumer_fn fn,
                             evtchn_port_t *port);
/* Close such a port (its peer's end becomes unbound) and wait until no
 * consumer call that started before is running. A port that is not the
 * hypervisor's, or d without event channels (already destroyed): nothing
 * happens. Not from a consumer function. */
void evtchn_free_xen_port(struct domain *d, evtchn_port_t port);
/* Whether such a port of d has a peer bound to it. */
bool evtchn_xen_port_bound(struct domain *d, evtchn_port_t port);
/* Notify the peer of such a port (Xen's notify_via_xen_event_channel):
 * dropped while unbound. */
void evtchn_send_xen(struct domain *d, evtchn_port_t port);
/* The same, answering whether the port was bound (the event went out):
 * one lock where evtchn_xen_port_bound and evtchn_send_xen take two. */
bool evtchn_send_xen_bound(struct domain *d, evtchn_port_t port);

/* The senders and evtchn_port_is_pending take the domain's event lock
 * (interrupts masked) and raise upcalls or wake pollers only after
 * releasing it: callable from interrupt context, but not while holding a
 * vGIC or scheduler lock. See docs/event-channels.md. */

/* Raise a per-vCPU VIRQ (VIRQ_TIMER, VIRQ_DEBUG, ...) on v, if v bound it. */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
/* Raise a global VIRQ (VIRQ_CONSOLE, VIRQ_DOM_EXC, ...) of d, if bound. */
void send_guest_global_virq(struct domain *d, unsigned int virq);

/* Whether port of d exists (storage allocated for it, as Xen's
 * port_is_valid): SCHEDOP_poll refuses others. */
bool evtchn_port_is_valid(struct domain *d, evtchn_port_t port);
/* Whether port of d is pending (SCHEDOP_poll). false for a bad port. */
bool evtchn_port_is_pending(struct domain *d, evtchn_port_t port);

#endif
