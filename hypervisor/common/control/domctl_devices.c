/* Devices of a domain the toolstack sets up: which machine frames and
 * interrupts it may be given (iomem_permission, irq_permission: Xen's
 * I/O capabilities, which a caller can only hand on from its own), and
 * the emulated PL011 whose back end is a console ring (vuart_op).
 *
 * dom0 holds the MMIO frames of the devices it was given at boot. It holds
 * no interrupt yet (Proxenos does not route device interrupts to dom0), so
 * irq_permission ends in -EPERM after Xen's other checks. */
#include "control.h"
#include <proxenos/arch/domain.h>
#include <proxenos/errno.h>
#include <proxenos/rangeset.h>

/* Interrupts a domain may name on Xen 4.17 for Arm (its nr_pirqs: NR_IRQS). */
#define NR_PIRQS 1024U

long domctl_iomem_permission(struct xen_domctl *op, struct domain *d,
                             const struct control_caller *c)
{
    const struct xen_domctl_iomem_permission *p = &op->u.iomem_permission;
    uint64_t first = p->first_mfn;
    uint64_t last = first + p->nr_mfns - 1U;    /* Xen's arithmetic, wrap and all */
    long rc;

    if (last < first) {
        return -EINVAL;
    }
    rc = control_permitted(c->d);
    if (rc != 0) {
        return rc;
    }
    /* Only what the caller may map itself. */
    if (!rangeset_contains(&c->d->iomem_caps, first, last)) {
        return -EPERM;
    }
    return (p->allow_access != 0U) ? rangeset_add(&d->iomem_caps, first, last) :
                                     rangeset_remove(&d->iomem_caps, first, last);
}

long domctl_irq_permission(struct xen_domctl *op, struct domain *d,
                           const struct control_caller *c)
{
    const struct xen_domctl_irq_permission *p = &op->u.irq_permission;
    uint32_t irq = p->pirq;     /* on Arm a pirq is the interrupt's number */
    long rc;

    /* Xen checks the number before the privilege, and refuses 0 outright. */
    if (irq >= NR_PIRQS) {
        return -EINVAL;
    }
    if (irq == 0U) {
        return -EPERM;
    }
    rc = control_permitted(c->d);
    if (rc != 0) {
        return rc;
    }
    if (!rangeset_contains(&c->d->irq_caps, irq, irq)) {
        return -EPERM;
    }
    return (p->allow_access != 0U) ? rangeset_add(&d->irq_caps, irq, irq) :
                                     rangeset_remove(&d->irq_caps, irq, irq);
}

/* libxl asks for it (vuart = "sbsa_uart") while it builds the domain,
 * with the ring page it put in the domain's magic area and dom0 as the
 * back end; xenconsoled then maps that page and binds the port answered
 * in evtchn (copied back on success). Xen 4.17's checks, in its order. */
long domctl_vuart_op(struct xen_domctl *op, struct domain *d, const struct control_caller *c)
{
    struct xen_domctl_vuart_op *vu = &op->u.vuart_op;
    evtchn_port_t port = 0U;
    int rc;

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
    /* The type is the architecture's to accept (-EOPNOTSUPP, checked
     * first); a second INIT, a page that is not the domain's RAM: -EINVAL. */
    rc = arch_vuart_init(d, vu->type, gfn(vu->gfn), vu->console_domid, &port);
    if (rc == 0) {
        vu->evtchn = port;
    }
    return rc;
}
