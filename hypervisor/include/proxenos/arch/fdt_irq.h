/* What an entry of a device tree "interrupts" property means is the
 * interrupt controller's binding, so the architecture's (arm64: the GIC's
 * <type number flags>). Common code (fdt_irq() in common/fdt/fdt_addr.c) finds
 * the property, the interrupt parent and its #interrupt-cells, and asks
 * the architecture to decode one entry. */
#ifndef PROXENOS_ARCH_FDT_IRQ_H
#define PROXENOS_ARCH_FDT_IRQ_H

#include <proxenos/types.h>

/* Decode entry 'index' of an "interrupts" property of len bytes at prop,
 * whose controller has #interrupt-cells = cells, into the interrupt number
 * the architecture's controller uses (arm64: the GIC INTID) and the
 * trigger flags. -EOPNOTSUPP for a cell count no controller of this
 * architecture uses, -EINVAL for a property that is not whole entries or
 * an entry that names no interrupt, -ENOENT when there is no such entry
 * (checked in that order). */
int arch_fdt_irq_decode(const uint8_t *prop, uint32_t len, uint32_t cells, uint32_t index,
                        uint32_t *irq, uint32_t *flags);

#endif
