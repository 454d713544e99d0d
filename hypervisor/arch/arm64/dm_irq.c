/* dm_op set_irq_level on Arm: a device model drives one SPI of the
 * guest's virtual GIC (Xen 4.17 arch/arm/dm.c). Lines the hypervisor
 * drives itself (the vpl011's) are refused, as Xen refuses its
 * allocated_irqs; so are SGIs and PPIs, and INTIDs past the domain's SPIs.
 *
 * Level 1 is an assertion each time, also when the line is already high:
 * Xen 4.17 injects the interrupt anew on every level-1 call, and back ends
 * rely on that for an edge-triggered line (libxl describes virtio-mmio
 * interrupts as rising edges) without lowering it in between. A level
 * line simply stays pending while high; level 0 lowers it (Xen ignores 0). */
#include <asm/domain.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <proxenos/arch/domain.h>
#include <proxenos/errno.h>

#define FIRST_SPI 32U

int arch_dm_set_irq_level(struct domain *d, uint32_t irq, bool level)
{
    int rc;

    if ((irq < FIRST_SPI) || ((irq - FIRST_SPI) >= vgic_nr_spis(d)) ||
        (irq == vpl011_intid(d))) {
        return -EINVAL;
    }
    rc = vgic_inject_irq(d, NULL, irq, false);
    if ((rc == 0) && level) {
        rc = vgic_inject_irq(d, NULL, irq, true);
    }
    return rc;
}
