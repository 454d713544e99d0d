/* Static event channels after a dom0less reboot: the rebuilt domain takes
 * its ends again, to the same peer ports. Xen 4.17 has no dom0less
 * reboot; what the peer sees is ours (docs/static-config.md): its end
 * stays allocated to the channel while the domain is away (unbound,
 * waiting for that domain, as the teardown left it) and is reconnected
 * as it is, so the peer never rebinds. A peer being rebuilt in the same
 * pass is not there yet: the first of the two waits for the second,
 * which reconnects both. Nothing here allocates beyond what the first
 * build did for the same ports (static mode, alloc_count.h). */
#include <proxenos/dom0less_evtchn.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>

/* End `mine` of link l is d's: bind it again. */
static bool rebind_end(const struct dom0less_evtchn_link *l, unsigned int mine, struct domain *d)
{
    unsigned int other = 1U - mine;
    domid_t peer_id = l->dom[other];
    struct domain *peer = NULL;
    unsigned int at = 0U;
    int rc;

    if (peer_id == d->domain_id) {
        /* Both ends in d, both free in the new domain: as at boot. */
        rc = evtchn_bind_static(d, l->port[mine], d, l->port[other], &at);
    } else {
        peer = domain_get_by_id(peer_id);
        rc = evtchn_rebind_static(d, l->port[mine], peer_id, peer, l->port[other]);
        if (peer != NULL) {
            domain_put(peer);
        }
    }
    if (rc == 0) {
        pr_info("dom0less: %s: static event channel port %u bound again to domain %u port %u\n",
                d->name, l->port[mine], peer_id, l->port[other]);
    } else if (rc == EVTCHN_STATIC_WAITING) {
        pr_info("dom0less: %s: static event channel port %u waits for domain %u port %u\n",
                d->name, l->port[mine], peer_id, l->port[other]);
    } else {
        pr_err("dom0less: %s: static event channel port %u to domain %u port %u not bound "
               "again: %s (%d)\n", d->name, l->port[mine], peer_id, l->port[other],
               (rc == -ENOENT) ? "the peer's port no longer waits for it" : "port refused",
               rc);
    }
    return rc >= 0;
}

unsigned int dom0less_evtchn_rebind(const struct dom0less_evtchn_links *links, struct domain *d)
{
    unsigned int done = 0U;

    for (unsigned int i = 0U; i < links->n; i++) {
        const struct dom0less_evtchn_link *l = &links->link[i];

        /* A channel within d is bound once, from its first end. */
        if ((l->dom[0] == d->domain_id) && rebind_end(l, 0U, d)) {
            done++;
        } else if ((l->dom[0] != d->domain_id) && (l->dom[1] == d->domain_id) &&
                   rebind_end(l, 1U, d)) {
            done++;
        } else {
            /* another domain's channel, or reported */
        }
    }
    return done;
}
