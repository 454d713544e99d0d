/* Domain life cycle commands: destroying (createdomain has its own file),
 * pausing and unpausing by the toolstack, the domain's handle and its
 * wall-clock offset. */
#include "control.h"
#include <proxenos/errno.h>
#include <proxenos/string.h>

long domctl_destroydomain(struct xen_domctl *op, struct domain *d,
                          const struct control_caller *c)
{
    (void)op;
    /* As Xen's domain_kill: a domain does not destroy itself this way. */
    if (d == c->d) {
        return -EINVAL;
    }
    /* The domain stays visible (dying) until its last reference goes;
     * the dispatcher found it even if an earlier call made it dying, and
     * that call is answered 0 as on Xen. */
    return domain_kill(d);
}

long domctl_pausedomain(struct xen_domctl *op, struct domain *d, const struct control_caller *c)
{
    (void)op;
    /* Pausing waits for the domain's vCPUs to stop: never our own. */
    if (d == c->d) {
        return -EINVAL;
    }
    return domain_pause_by_controller(d);
}

long domctl_unpausedomain(struct xen_domctl *op, struct domain *d, const struct control_caller *c)
{
    (void)op;
    (void)c;
    return domain_unpause_by_controller(d);
}

long domctl_setdomainhandle(struct xen_domctl *op, struct domain *d,
                            const struct control_caller *c)
{
    (void)c;
    (void)memcpy(d->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
    /* The toolstack takes the domain over (init-dom0less does this for a
     * domain of the boot configuration): when it stops, it waits for the
     * toolstack as on Xen, instead of being reaped by the hypervisor. */
    d->toolstack_built = true;
    return 0;
}

long domctl_settimeoffset(struct xen_domctl *op, struct domain *d, const struct control_caller *c)
{
    (void)c;
    /* Kept only: Xen 4.17 on Arm records the offset and does not apply it
     * to the wall clock a guest reads either. */
    d->time_offset_seconds = op->u.settimeoffset.time_offset_seconds;
    return 0;
}
