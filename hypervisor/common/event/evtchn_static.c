/* Static event channels: two given ports of two domains bound to each
 * other by the hypervisor before either domain runs, for the device
 * tree's xen,evtchn-v1 pairs (common/boot/dom0less_evtchn.c). The result
 * is what Xen 4.17 leaves after its boot-time EVTCHNOP_alloc_unbound on
 * the first port and EVTCHNOP_bind_interdomain on the second: both ports
 * interdomain, and the second one raised once (bind_interdomain's
 * "the peer may have sent already"). Above evtchn_ops.c, which lends it
 * the two-domain lock. A domain rebuilt after a reboot takes its ends
 * again: each peer's end was left unbound waiting for it by its teardown
 * (evtchn_close_port), and is reconnected as it is, so the peer never
 * rebinds. See evtchn_internal.h. */
#include "evtchn_internal.h"
#include <proxenos/errno.h>
#include <proxenos/evtchn.h>

static void bind_end(struct domain *d, struct evtchn *chn, struct domain *peer,
                     evtchn_port_t peer_port)
{
    evtchn_bind_port(d, chn, (uint8_t)ECS_INTERDOMAIN, 0U);
    chn->remote = peer;
    chn->remote_port = peer_port;
}

int evtchn_bind_static(struct domain *d1, evtchn_port_t port1, struct domain *d2,
                       evtchn_port_t port2, unsigned int *end)
{
    struct evtchn_notify n;
    unsigned long flags;
    int rc;

    *end = 0U;
    if ((d1->evtchn == NULL) || (d2->evtchn == NULL)) {
        *end = (d1->evtchn == NULL) ? 1U : 2U;
        return -ESRCH;
    }
    if ((d1 == d2) && (port1 == port2)) {
        *end = 2U;
        return -EINVAL;
    }
    evtchn_notify_init(&n, d2);
    flags = evtchn_lock_pair(d1, d2);
    if (d1->evtchn->dying || d2->evtchn->dying) {
        *end = d1->evtchn->dying ? 1U : 2U;
        rc = -EINVAL;
    } else {
        /* Port 0 is reserved from creation on: -EBUSY like any used one. */
        rc = evtchn_allocate_port(d1, port1);
        *end = 1U;
        if (rc == 0) {
            rc = evtchn_allocate_port(d2, port2);
            *end = 2U;
        }
    }
    if (rc == 0) {
        /* Storage is only ever added: both lookups hold after the two
         * allocations above. */
        struct evtchn *c1 = evtchn_from_port(d1, port1);
        struct evtchn *c2 = evtchn_from_port(d2, port2);

        bind_end(d1, c1, d2, port2);
        bind_end(d2, c2, d1, port1);
        evtchn_set_pending(d2, c2->notify_vcpu, c2, &n);
        *end = 0U;
    }
    evtchn_unlock_pair(d1, d2, flags);
    evtchn_notify_flush(&n);
    return rc;
}

/* d's end waits for peer_id to come back, as any interdomain end whose
 * peer closed it: the peer's rebuild then finds it and reconnects. */
static void wait_for_peer(struct domain *d, struct evtchn *chn, domid_t peer_id)
{
    evtchn_bind_port(d, chn, (uint8_t)ECS_UNBOUND, 0U);
    chn->remote = NULL;
    chn->remote_domid = peer_id;
}

int evtchn_rebind_static(struct domain *d, evtchn_port_t port, domid_t peer_id,
                         struct domain *peer, evtchn_port_t peer_port)
{
    struct domain *other = ((peer != NULL) && (peer->evtchn != NULL)) ? peer : d;
    struct evtchn_notify n;
    unsigned long flags;
    int rc;

    if (d->evtchn == NULL) {
        return -ESRCH;
    }
    evtchn_notify_init(&n, d);
    flags = evtchn_lock_pair(d, other);
    rc = d->evtchn->dying ? -EINVAL : evtchn_allocate_port(d, port);
    if (rc == 0) {
        struct evtchn *chn = evtchn_from_port(d, port);
        struct evtchn *rchn = (other != d) ? evtchn_from_port(other, peer_port) : NULL;

        if ((other == d) || other->evtchn->dying) {
            wait_for_peer(d, chn, peer_id);
            rc = EVTCHN_STATIC_WAITING;
        } else if ((rchn == NULL) || (rchn->state != (uint8_t)ECS_UNBOUND) ||
                   (rchn->remote_domid != d->domain_id)) {
            rc = -ENOENT;
        } else {
            bind_end(d, chn, other, peer_port);
            rchn->state = (uint8_t)ECS_INTERDOMAIN;
            rchn->remote = d;
            rchn->remote_port = port;
            /* The peer may have sent while d was away (dropped, as on any
             * unbound port): d's end starts raised once, as the binding
             * end of bind_interdomain does. */
            evtchn_set_pending(d, chn->notify_vcpu, chn, &n);
        }
    }
    evtchn_unlock_pair(d, other, flags);
    evtchn_notify_flush(&n);
    return rc;
}

uint32_t evtchn_max_port(const struct domain *d)
{
    return (d->evtchn != NULL) ? d->evtchn->max_port : 0U;
}
