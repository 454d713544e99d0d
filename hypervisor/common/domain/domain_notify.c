/* VIRQ_DOM_EXC to the control domain. In a file of its own, below both
 * domain.c (a domain freed) and the reaper (domain_shutdown.c, a domain
 * stopped), because the reaper also rebuilds domains through the dom0less
 * builder, which creates them with domain.c: were it here, those three
 * files would call each other round. */
#include "domain_internal.h"
#include <proxenos/evtchn.h>

void domain_notify_exception(void)
{
    struct domain *d = domain_get_next(NULL);

    /* Xen raises it in the hardware domain, which binds it for xenstored. */
    for (; d != NULL; d = domain_get_next(d)) {
        if (d->is_privileged) {
            send_guest_global_virq(d, VIRQ_DOM_EXC);
            domain_put(d);
            return;
        }
    }
}
