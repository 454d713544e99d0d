/* Event channels, what depends on the domain's ABI (2-level or FIFO):
 * marking, clearing and unmasking a port through it, and handing ports
 * out and taking them back (the FIFO ABI may still hold a freed port in
 * a queue). Above evtchn_2l.c and evtchn_fifo.c, which call only the
 * bottom layer (evtchn_port.c). See evtchn_internal.h. */
#include "evtchn_internal.h"
#include <proxenos/errno.h>
#include <proxenos/evtchn.h>

/* ---- Through the ABI ------------------------------------------------------- */

void evtchn_set_pending(struct domain *d, uint32_t vcpu_id, struct evtchn *chn,
                        struct evtchn_notify *n)
{
    struct vcpu *v = evtchn_domain_vcpu(d, vcpu_id);

    if ((v == NULL) || !evtchn_usable(chn)) {
        return;
    }
    if (d->evtchn->fifo != NULL) {
        evtchn_fifo_set_pending(d, v, chn, n);
    } else {
        evtchn_2l_set_pending(d, v, chn, n);
    }
}

void evtchn_clear_pending(struct domain *d, struct evtchn *chn)
{
    if (!evtchn_usable(chn)) {
        return;
    }
    if (d->evtchn->fifo != NULL) {
        evtchn_fifo_clear_pending(d, chn);
    } else {
        evtchn_2l_clear_pending(d, chn);
    }
}

bool evtchn_is_pending(const struct domain *d, const struct evtchn *chn)
{
    if (!evtchn_usable(chn)) {
        return false;
    }
    return (d->evtchn->fifo != NULL) ? evtchn_fifo_is_pending(d, chn)
                                     : evtchn_2l_is_pending(d, chn);
}

bool evtchn_is_masked(const struct domain *d, const struct evtchn *chn)
{
    if (!evtchn_usable(chn)) {
        return true;
    }
    return (d->evtchn->fifo != NULL) ? evtchn_fifo_is_masked(d, chn)
                                     : evtchn_2l_is_masked(d, chn);
}

void evtchn_unmask_port(struct domain *d, struct evtchn *chn, struct evtchn_notify *n)
{
    if (!evtchn_usable(chn)) {
        return;
    }
    if (d->evtchn->fifo != NULL) {
        evtchn_fifo_unmask(d, chn, n);
    } else {
        evtchn_2l_unmask(d, chn, n);
    }
}

bool evtchn_port_is_pending(struct domain *d, evtchn_port_t port)
{
    bool pending = false;
    unsigned long flags;
    const struct evtchn *chn;

    if (d->evtchn == NULL) {
        return false;
    }
    flags = evtchn_lock(d);
    chn = evtchn_from_port(d, port);
    if (chn != NULL) {
        pending = evtchn_is_pending(d, chn);
    }
    evtchn_unlock(d, flags);
    return pending;
}

/* ---- Handing ports out ------------------------------------------------------ */

static bool evtchn_is_busy(const struct domain *d, const struct evtchn *chn)
{
    return (d->evtchn->fifo != NULL) && evtchn_fifo_is_busy(d, chn);
}

int evtchn_allocate_port(struct domain *d, uint32_t port)
{
    struct evtchn_domain *ed = d->evtchn;
    int rc = 0;

    if ((port > ed->max_port) || (port >= evtchn_abi_max_ports(d))) {
        return -ENOSPC;
    }
    if (port < ed->valid_ports) {
        const struct evtchn *chn = evtchn_from_port(d, port);

        if ((chn->state != (uint8_t)ECS_FREE) || evtchn_is_busy(d, chn)) {
            rc = -EBUSY;
        }
    } else {
        while ((rc == 0) && (port >= ed->valid_ports)) {
            rc = evtchn_grow_storage(ed);
        }
    }
    return rc;
}

int evtchn_get_free_port(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;

    if (ed->dying) {
        return -EINVAL;
    }
    for (uint32_t port = 0U; port <= ed->max_port; port++) {
        int rc = evtchn_allocate_port(d, port);

        if (rc == 0) {
            return (int)port;
        }
        if (rc != -EBUSY) {
            return rc;
        }
    }
    return -ENOSPC;
}

void evtchn_bind_port(struct domain *d, struct evtchn *chn, uint8_t state, uint16_t vcpu)
{
    chn->state = state;
    chn->notify_vcpu = vcpu;
    chn->priority = (uint8_t)EVTCHN_FIFO_PRIORITY_DEFAULT;
    chn->fifo_pending = false;
    d->evtchn->active++;
}

void evtchn_free_port(struct domain *d, struct evtchn *chn)
{
    evtchn_clear_pending(d, chn);
    if (evtchn_is_xen(chn)) {
        d->evtchn->xen_ports--;
        chn->xen_consumer = 0U;
    }
    chn->state = (uint8_t)ECS_FREE;
    chn->notify_vcpu = 0U;
    chn->remote = NULL;
    chn->fifo_pending = false;
    d->evtchn->active--;
}
