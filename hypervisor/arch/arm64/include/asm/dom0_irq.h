/* The physical interrupts of dom0's devices (dom0_irq.c). */
#ifndef ASM_DOM0_IRQ_H
#define ASM_DOM0_IRQ_H

#include <asm/dom0_fdt.h>
#include <proxenos/domain.h>
#include <proxenos/types.h>

enum dom0_irq_verdict {
    DOM0_IRQ_ROUTE,         /* an SPI of the host: dom0 gets it */
    DOM0_IRQ_PRIVATE,       /* SGI or PPI: not a line to hand over */
    DOM0_IRQ_NO_LINE,       /* beyond the host GIC's lines */
};

/* What becomes of interrupt intid with flags cell dt_flags of one of
 * dom0's devices on a GIC of nr_lines INTIDs; *edge: its trigger. */
enum dom0_irq_verdict dom0_irq_decide(uint32_t intid, uint32_t dt_flags, unsigned int nr_lines,
                                      bool *edge);
/* Route to d every SPI of the devices in's tree keeps; returns how many.
 * Lines the hypervisor has are refused and logged. */
unsigned int dom0_route_irqs(struct domain *d, const struct dom0_fdt_info *in);

#endif
