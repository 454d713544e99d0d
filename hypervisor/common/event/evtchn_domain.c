/* Event channels of a domain, created with it and torn down with it:
 * above every other event-channel file (closing the ports on the way out
 * is a sub-operation of evtchn_ops.c), and called by none of them. See
 * evtchn_internal.h. */
#include "evtchn_internal.h"
#include <proxenos/arch/cpu.h>
#include <proxenos/errno.h>
#include <proxenos/evtchn.h>
#include <proxenos/xmalloc.h>
#include <proxenos/alloc_count.h>

/* Static mode refuses allocations once the domains run, so a static domain
 * gets now what it may ask for later: storage for every port up to its
 * max_evtchn_port (Xen 4.17 lets a dom0less domU bind ports 1-1023; 32 KiB)
 * and the FIFO state EVTCHNOP_init_control switches to. */
static int static_prealloc(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;
    uint32_t ports = MIN(ed->max_port, EVTCHN_DOMU_MAX_PORT) + 1U;
    int rc = 0;

    while ((rc == 0) && (ed->valid_ports < ports)) {
        rc = evtchn_grow_storage(ed);
    }
    return (rc == 0) ? evtchn_fifo_prealloc(d) : rc;
}

int evtchn_domain_init(struct domain *d)
{
    struct evtchn_domain *ed = xzalloc_obj(struct evtchn_domain);
    int port;

    if (ed == NULL) {
        return -ENOMEM;
    }
    spin_lock_init(&ed->lock);
    ed->max_port = d->is_privileged ? EVTCHN_DOM0_MAX_PORT : EVTCHN_DOMU_MAX_PORT;
    d->evtchn = ed;
    for (uint32_t i = 0U; i < d->max_vcpus; i++) {
        d->vcpu[i]->evtchn = xzalloc_obj(struct evtchn_vcpu);
        if (d->vcpu[i]->evtchn == NULL) {
            evtchn_free_storage(d);
            return -ENOMEM;
        }
    }
    port = evtchn_get_free_port(d);
    if (port != 0) {
        evtchn_free_storage(d);
        return (port < 0) ? port : -EINVAL;
    }
    /* Port 0 is never handed out. */
    evtchn_from_port(d, 0U)->state = (uint8_t)ECS_RESERVED;
    if (alloc_static_mode() && (static_prealloc(d) != 0)) {
        evtchn_free_storage(d);
        return -ENOMEM;
    }
    return 0;
}

void evtchn_set_max_port(struct domain *d, uint32_t max_port)
{
    if (d->evtchn != NULL) {
        d->evtchn->max_port = MIN(max_port, EVTCHN_DOM0_MAX_PORT);
    }
}

void evtchn_domain_destroy(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;
    unsigned long flags;

    if (ed == NULL) {
        return;
    }
    flags = evtchn_lock(d);
    ed->dying = true;
    evtchn_unlock(d, flags);

    /* Peers of interdomain ports see them unbound from now on; the
     * hypervisor's own ports go too. */
    for (uint32_t port = ed->valid_ports; port > 1U; port--) {
        int rc = evtchn_close_port(d, port - 1U, false);

        (void)rc;   /* -EINVAL: the port was not in use */
    }
    /* Deliveries that started before their port closed finish first. */
    while (__atomic_load_n(&ed->inflight, __ATOMIC_ACQUIRE) != 0U) {
        arch_cpu_relax();
    }
    flags = evtchn_lock(d);
    evtchn_fifo_destroy(d);
    evtchn_unlock(d, flags);
    evtchn_free_storage(d);
}
