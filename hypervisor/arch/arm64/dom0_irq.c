/* Which physical interrupts dom0 gets, as Xen 4.17 gives them: every SPI
 * in the interrupts of a device node dom0's tree keeps (dom0_fdt.c leaves
 * out the hypervisor's UART, the GIC, the PMU, xen,passthrough nodes...),
 * edge- or level-triggered as its flags say, as the same INTID in dom0's
 * vGIC. The host GIC refuses a line the hypervisor has registered
 * (irq_route.c), which covers a device node that shares a line with
 * one of the hypervisor's. */
#include <asm/arm64.h>
#include <asm/dom0_fdt.h>
#include <asm/dom0_irq.h>
#include <asm/irq_route.h>
#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <proxenos/printk.h>

/* The trigger bits of a GIC specifier's flags cell: 1 rising edge, 2
 * falling edge, 4 high level, 8 low level. The GIC itself only knows
 * rising edges and high levels; an inverter outside it (or the device)
 * takes care of the rest, so only edge versus level matters here. */
#define DT_IRQ_EDGE_BOTH 3U

enum dom0_irq_verdict dom0_irq_decide(uint32_t intid, uint32_t dt_flags, unsigned int nr_lines,
                                      bool *edge)
{
    *edge = (dt_flags & DT_IRQ_EDGE_BOTH) != 0U;
    if (intid < 32U) {
        /* A PPI is per CPU, not a line to hand over (Xen routes none). */
        return DOM0_IRQ_PRIVATE;
    }
    if (intid >= nr_lines) {
        return DOM0_IRQ_NO_LINE;
    }
    return DOM0_IRQ_ROUTE;
}

struct route_ctx {
    struct domain *d;
    const struct fdt *fdt;
    unsigned int lines;
    unsigned int routed;
    unsigned int refused;
};

static void route_one(void *p, int node, uint32_t intid, uint32_t flags)
{
    struct route_ctx *c = p;
    const char *name = fdt_node_name(c->fdt, node);
    bool edge;
    int rc;

    switch (dom0_irq_decide(intid, flags, c->lines, &edge)) {
    case DOM0_IRQ_ROUTE:
        rc = irq_route_to_guest(c->d, intid, edge);
        if (rc == 0) {
            c->routed++;
        } else if (rc != -EEXIST) {
            /* -EEXIST: a line two of dom0's nodes share, routed once. */
            c->refused++;
            pr_warn("dom0: %s: interrupt %u not routed (%s)\n", (name != NULL) ? name : "?",
                    intid, (rc == -EBUSY) ? "the hypervisor's" : "no such SPI");
        } else {
            /* routed with the other node */
        }
        break;
    case DOM0_IRQ_NO_LINE:
        c->refused++;
        pr_warn("dom0: %s: interrupt %u beyond the GIC's lines\n", (name != NULL) ? name : "?",
                intid);
        break;
    case DOM0_IRQ_PRIVATE:
    default:
        break;
    }
}

unsigned int dom0_route_irqs(struct domain *d, const struct dom0_fdt_info *in)
{
    struct route_ctx c = { d, in->bi->fdt, gic_nr_lines(), 0U, 0U };

    dom0_for_each_irq(in, route_one, &c);
    pr_info("dom0: %u device interrupts routed%s\n", c.routed,
            (c.refused != 0U) ? ", some refused" : "");
    return c.routed;
}
