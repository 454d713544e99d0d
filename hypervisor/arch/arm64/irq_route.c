/* Physical SPIs handed to a guest: the host GIC's line goes to the
 * domain's vGIC as the same INTID (vgic_hw.c), and goes back to nobody,
 * disabled, when the domain is destroyed.
 *
 * A line has one owner: the host GIC's table of handlers is the record
 * (gic_guest_spi_claim refuses a line the hypervisor or another domain
 * has), so a guest can neither take the hypervisor's UART or timer nor a
 * line another guest has.
 *
 * The handler runs on the CPU the line is routed to, perhaps while
 * another CPU destroys the domain. The destroyer clears the handler, then
 * waits until no CPU is inside a routed line's handler (one count for all
 * lines: a wait for others' is short, and the count costs the boot no
 * zeroing of a table); a handler first says it is inside, then checks
 * that the line is still the domain's. With both
 * steps sequentially consistent, either the handler sees the line gone or
 * the destroyer sees the handler and waits: the domain is never used
 * after it is freed. */
#include <asm/arm64.h>
#include <asm/irq_route.h>
#include <asm/vgic.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>

#define ROUTE_MAX_INTID 1020U

static unsigned int inside;

static void routed_irq(unsigned int irq, void *data)
{
    __atomic_add_fetch(&inside, 1U, __ATOMIC_SEQ_CST);
    if (gic_guest_spi_owner(irq) == data) {
        (void)vgic_hw_fire((struct domain *)data, irq);
    }
    __atomic_sub_fetch(&inside, 1U, __ATOMIC_SEQ_CST);
}

int irq_route_to_guest(struct domain *d, unsigned int intid, bool edge)
{
    int rc;

    if ((intid < 32U) || (intid >= ROUTE_MAX_INTID)) {
        return -EINVAL;
    }
    /* The vGIC first: a line listed twice for d fails here, before the
     * host GIC, which would see it as taken. The physical line is still
     * disabled, so the vGIC's mark alone changes nothing. */
    rc = vgic_hw_route(d, intid, edge);
    if (rc != 0) {
        return rc;
    }
    rc = gic_guest_spi_claim(intid, edge, routed_irq, d);
    if (rc != 0) {
        vgic_hw_unroute(d, intid);
    }
    return rc;
}

void irq_route_release_domain(struct domain *d)
{
    unsigned int intid = vgic_hw_next(d, 0U);

    while ((intid != 0U) && (intid < ROUTE_MAX_INTID)) {
        gic_guest_spi_release(intid);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        while (__atomic_load_n(&inside, __ATOMIC_SEQ_CST) != 0U) {
            arch_cpu_relax();
        }
        vgic_hw_unroute(d, intid);
        intid = vgic_hw_next(d, intid + 1U);
    }
}
