#ifndef ASM_VPL011_H
#define ASM_VPL011_H

#include <proxenos/domain.h>

/* Give d an emulated SBSA UART at base with interrupt intid (GIC INTID);
 * its output goes to the hypervisor console as "(dN) " lines and it takes
 * console input when d has the input focus. */
int vpl011_create(struct domain *d, paddr_t base, unsigned int intid);
void vpl011_destroy(struct domain *d);
/* Print what the guest wrote without a final newline. */
void vpl011_flush(struct domain *d);

#endif
