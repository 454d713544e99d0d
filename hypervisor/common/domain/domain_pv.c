/* Per-domain Xen PV state, set up and torn down in order: see
 * <proxenos/domain_pv.h>. The shared info page itself is shared_info.c's,
 * which the event channels and grant tables use: this file calls them,
 * they never call it. */
#include <proxenos/domain_pv.h>
#include <proxenos/alloc_count.h>
#include <proxenos/arch/evtchn.h>
#include <proxenos/console_io.h>
#include <proxenos/evtchn.h>
#include <proxenos/gnttab.h>
#include <proxenos/ioreq.h>
#include <proxenos/wallclock.h>

int domain_pv_init(struct domain *d)
{
    int rc = shared_info_init(d);

    if (rc != 0) {
        return rc;
    }
    if (d->evtchn_irq == 0U) {
        d->evtchn_irq = arch_evtchn_default_irq();
    }
    wallclock_domain_init(d);
    rc = evtchn_domain_init(d);
    if (rc == 0) {
        rc = gnttab_init(d);
    }
    if ((rc == 0) && alloc_static_mode()) {
        rc = gnttab_maptrack_prealloc(d);
    }
    if (rc == 0) {
        /* After arch_domain_create: a vpl011 keeps the console input. */
        rc = console_io_domain_init(d);
    }
    if (rc != 0) {
        domain_pv_destroy(d);
    }
    return rc;
}

void domain_pv_destroy(struct domain *d)
{
    console_io_domain_destroy(d);
    /* Its servers' ports are event channels: before those go. */
    ioreq_domain_destroy(d);
    /* What pins the guest's pages (FIFO control blocks and event arrays,
     * registered vcpu_info) goes before the grant frames, which the guest
     * may have put them on. */
    evtchn_domain_destroy(d);
    shared_info_destroy(d);
    gnttab_destroy(d);
}
