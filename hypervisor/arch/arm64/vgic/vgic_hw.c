/* The physical side of an SPI routed to a guest (VGIC_IRQ_HW): the device's
 * line on the host GIC signals the same INTID of the guest's vGIC.
 *
 * A level line is masked on the host GIC when it fires and unmasked once
 * the guest has deactivated its virtual interrupt: the hypervisor's EOI
 * deactivates the physical interrupt at once (ICC_CTLR_EL1.EOImode = 0,
 * kept for the sake of the hypervisor's own interrupts, which then need
 * no ICC_DIR write), so without the mask a line still high would fire
 * again and again before the guest's driver has quietened the device.
 * The vGIC's line stays high meanwhile, so the guest sees one level
 * interrupt; its deactivation (ICH_LR.EOI: a maintenance interrupt) lowers
 * it and unmasks, and a device still asserting fires again.
 *
 * An edge line is never masked: each edge latches the virtual pending
 * state, as a second edge would on hardware.
 *
 * Physically the line is enabled exactly when the guest has it enabled and
 * no level assertion is waiting for the guest: vgic_hw_sync_enable. */
#include <asm/arm64.h>
#include <asm/domain.h>
#include <asm/vgic.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include "vgic_internal.h"

void vgic_hw_sync_enable(unsigned int intid, const struct vgic_irq *irq)
{
    bool waiting = !vgic_irq_edge(irq) && ((irq->flags & VGIC_IRQ_LINE) != 0U);

    if ((irq->flags & VGIC_IRQ_HW) == 0U) {
        return;
    }
    gic_spi_set_enabled(intid, ((irq->flags & VGIC_IRQ_ENABLED) != 0U) && !waiting);
}

void vgic_hw_deactivated(unsigned int intid, struct vgic_irq *irq)
{
    if (((irq->flags & VGIC_IRQ_HW) == 0U) || vgic_irq_edge(irq)) {
        return;
    }
    /* The guest has served it: what the device says now is for the
     * physical line to tell again. */
    irq->flags &= (uint16_t)~VGIC_IRQ_LINE;
    vgic_hw_sync_enable(intid, irq);
}

int vgic_hw_route(struct domain *d, unsigned int intid, bool edge)
{
    struct vgic_irq *irq;
    unsigned long flags;
    int rc = 0;

    if ((d == NULL) || !d->arch->vgic.ready || (intid < VGIC_NR_PRIVATE)) {
        return -EINVAL;
    }
    flags = vgic_lock(d);
    irq = vgic_get_irq(d, NULL, intid);
    if (irq == NULL) {
        rc = -EINVAL;
    } else if ((irq->flags & VGIC_IRQ_HW) != 0U) {
        rc = -EEXIST;
    } else {
        irq->flags = (uint16_t)((irq->flags | VGIC_IRQ_HW) &
                                ~(VGIC_IRQ_LINE | VGIC_IRQ_LATCH | VGIC_IRQ_PULSED));
        if (edge) {
            irq->flags |= VGIC_IRQ_EDGE;
        } else {
            irq->flags &= (uint16_t)~VGIC_IRQ_EDGE;
        }
    }
    vgic_unlock(d, flags);
    return rc;
}

void vgic_hw_unroute(struct domain *d, unsigned int intid)
{
    struct vgic_irq *irq;
    unsigned long flags;

    if ((d == NULL) || !d->arch->vgic.ready) {
        return;
    }
    flags = vgic_lock(d);
    irq = vgic_get_irq(d, NULL, intid);
    if ((irq != NULL) && (intid >= VGIC_NR_PRIVATE)) {
        irq->flags &= (uint16_t)~(VGIC_IRQ_HW | VGIC_IRQ_LINE);
    }
    vgic_unlock(d, flags);
}

unsigned int vgic_hw_next(struct domain *d, unsigned int from)
{
    const struct vgic_dist *dist = &d->arch->vgic;
    unsigned int found = 0U;
    unsigned long flags;

    if (!dist->ready) {
        return 0U;
    }
    flags = vgic_lock(d);
    for (unsigned int i = (from < VGIC_NR_PRIVATE) ? VGIC_NR_PRIVATE : from;
         (i - VGIC_NR_PRIVATE) < dist->nr_spis; i++) {
        if ((dist->spis[i - VGIC_NR_PRIVATE].flags & VGIC_IRQ_HW) != 0U) {
            found = i;
            break;
        }
    }
    vgic_unlock(d, flags);
    return found;
}

int vgic_hw_fire(struct domain *d, unsigned int intid)
{
    struct vgic_kick k = { { 0 } };
    struct vgic_irq *irq;
    unsigned long flags;
    int rc = 0;

    if ((d == NULL) || !d->arch->vgic.ready) {
        return -EINVAL;
    }
    flags = vgic_lock(d);
    irq = vgic_get_irq(d, NULL, intid);
    if ((irq == NULL) || (intid < VGIC_NR_PRIVATE) || ((irq->flags & VGIC_IRQ_HW) == 0U)) {
        rc = -EINVAL;
    } else if (vgic_irq_edge(irq)) {
        irq->flags |= VGIC_IRQ_LATCH;
        if ((irq->flags & VGIC_IRQ_IN_LR) != 0U) {
            irq->flags |= VGIC_IRQ_REPEND;
        }
        vgic_irq_changed(d, NULL, intid, irq, &k);
    } else {
        irq->flags |= VGIC_IRQ_LINE;
        /* Under the lock, so that a guest's ISENABLER write cannot unmask
         * it between this mask and the line going high. */
        vgic_hw_sync_enable(intid, irq);
        vgic_irq_changed(d, NULL, intid, irq, &k);
    }
    vgic_unlock(d, flags);
    vgic_kick_send(d, &k);
    return rc;
}
