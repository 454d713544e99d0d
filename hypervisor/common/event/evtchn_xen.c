/* Event channels the hypervisor consumes: a port of a domain that an
 * emulated device uses in the domain's place (see <proxenos/evtchn.h>).
 *
 * struct evtchn has no room for a function pointer (a bucket of 64 ports
 * is 2 KiB), so a port names its consumer by a small index into a table
 * (evtchn_port.c's, which delivers to it) that fills as consumers are
 * first used and never empties: there are as many entries as there are
 * kinds of device, not devices. */
#include "evtchn_internal.h"
#include <proxenos/arch/cpu.h>
#include <proxenos/errno.h>

int evtchn_alloc_xen_unbound(struct domain *d, domid_t remote_dom, evtchn_consumer_fn fn,
                             evtchn_port_t *port)
{
    domid_t remote = (remote_dom == (domid_t)DOMID_SELF) ? d->domain_id : remote_dom;
    unsigned long flags;
    uint8_t idx;
    int p;

    if (d->evtchn == NULL) {
        return -ESRCH;
    }
    idx = evtchn_consumer_index(fn);
    if (idx == 0U) {
        return -ENOSPC;
    }
    flags = evtchn_lock(d);
    p = evtchn_get_free_port(d);
    if (p >= 0) {
        struct evtchn *chn = evtchn_from_port(d, (uint32_t)p);

        /* Xen notifies vCPU 0 for these; nothing here raises it anyway. */
        evtchn_bind_port(d, chn, (uint8_t)ECS_UNBOUND, 0U);
        chn->remote_domid = remote;
        chn->xen_consumer = idx;
        d->evtchn->xen_ports++;
    }
    evtchn_unlock(d, flags);
    if (p < 0) {
        return p;
    }
    *port = (evtchn_port_t)p;
    return 0;
}

void evtchn_free_xen_port(struct domain *d, evtchn_port_t port)
{
    struct evtchn_domain *ed = d->evtchn;
    const struct evtchn *chn;
    unsigned long flags;
    bool ours;

    if (ed == NULL) {
        return;     /* destroyed: its ports went with it */
    }
    flags = evtchn_lock(d);
    chn = evtchn_from_port(d, port);
    ours = (chn != NULL) && evtchn_is_xen(chn);
    evtchn_unlock(d, flags);
    if (ours) {
        int rc = evtchn_close_port(d, port, false);

        (void)rc;   /* it is ours, so it closes */
        /* A send that found the port bound may still be running its
         * consumer: the caller frees what the consumer uses next. */
        while (__atomic_load_n(&ed->inflight, __ATOMIC_ACQUIRE) != 0U) {
            arch_cpu_relax();
        }
    }
}

bool evtchn_xen_port_bound(struct domain *d, evtchn_port_t port)
{
    unsigned long flags;
    const struct evtchn *chn;
    bool bound;

    if (d->evtchn == NULL) {
        return false;
    }
    flags = evtchn_lock(d);
    chn = evtchn_from_port(d, port);
    bound = (chn != NULL) && evtchn_is_xen(chn) && (chn->state == (uint8_t)ECS_INTERDOMAIN);
    evtchn_unlock(d, flags);
    return bound;
}

bool evtchn_send_xen_bound(struct domain *d, evtchn_port_t port)
{
    struct evtchn_notify n;
    unsigned long flags;
    struct domain *peer;
    const struct evtchn *chn;
    bool bound;

    if (d->evtchn == NULL) {
        return false;
    }
    peer = evtchn_lock_with_peer(d, port, &flags);
    chn = evtchn_from_port(d, port);
    evtchn_notify_init(&n, d);
    bound = (chn != NULL) && evtchn_is_xen(chn) && (chn->state == (uint8_t)ECS_INTERDOMAIN);
    if (bound) {
        struct domain *rd = (peer != NULL) ? peer : d;
        struct evtchn *rchn = evtchn_from_port(rd, chn->remote_port);

        n.d = rd;
        if (rchn != NULL) {
            evtchn_set_pending(rd, rchn->notify_vcpu, rchn, &n);
        }
    }
    evtchn_unlock_with_peer(d, peer, flags);
    evtchn_notify_flush(&n);
    return bound;
}

void evtchn_send_xen(struct domain *d, evtchn_port_t port)
{
    (void)evtchn_send_xen_bound(d, port);
}
