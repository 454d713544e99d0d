/* Physical SPIs a guest owns (irq_route.c). */
#ifndef ASM_IRQ_ROUTE_H
#define ASM_IRQ_ROUTE_H

#include <proxenos/domain.h>
#include <proxenos/types.h>

/* Give d the physical SPI intid as its own SPI intid, edge- or
 * level-triggered; it stays disabled until d enables it in its vGIC.
 * -EINVAL: not an SPI of the host or of d; -EEXIST: d has it already;
 * -EBUSY: the hypervisor or another domain has it. */
int irq_route_to_guest(struct domain *d, unsigned int intid, bool edge);
/* Disable every line d owns and give it back to nobody; no handler of
 * one runs for d once this returns. */
void irq_route_release_domain(struct domain *d);

#endif
