/* Devices of a domain the toolstack sets up: the emulated PL011 whose back
 * end is a console ring (vuart_op). */
#include "control.h"
#include <proxenos/errno.h>

long domctl_vuart_op(struct xen_domctl *op, struct domain *d, const struct control_caller *c)
{
    const struct xen_domctl_vuart_op *vu = &op->u.vuart_op;

    (void)c;
    if ((vu->pad[0] != 0U) || (vu->pad[1] != 0U)) {
        return -EINVAL;
    }
    if (vu->cmd != XEN_DOMCTL_VUART_OP_INIT) {
        return -EINVAL;
    }
    /* Only while the domain is being built, as on Xen. */
    if (d->state != DOMAIN_BUILDING) {
        return -EPERM;
    }
    /* Xen's only type; Proxenos's vpl011 has no ring back end yet, so a
     * domain being built cannot be given one either. */
    return -EOPNOTSUPP;
}
