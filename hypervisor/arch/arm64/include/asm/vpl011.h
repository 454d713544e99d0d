#ifndef ASM_VPL011_H
#define ASM_VPL011_H

#include <proxenos/domain.h>

/* Give d an emulated SBSA UART at base with interrupt intid (GIC INTID);
 * its output goes to the hypervisor console as "(dN) " lines and it takes
 * console input when d has the input focus. */
int vpl011_create(struct domain *d, paddr_t base, unsigned int intid);
/* Give d (being built) an emulated SBSA UART at base with interrupt intid
 * whose back end is the console ring on d's RAM page ring, served by
 * domain backend: 0 and *port, the port of d that backend binds (the
 * hypervisor consumes d's end). -EINVAL (d has a vpl011 already, ring is
 * not d's RAM, intid is not one of d's SPIs), -ENOMEM, -ENOSPC, or what
 * registering the MMIO range answers. Undone by vpl011_destroy. */
int vpl011_create_ring(struct domain *d, paddr_t base, unsigned int intid, gfn_t ring,
                       domid_t backend, evtchn_port_t *port);
void vpl011_destroy(struct domain *d);
/* The INTID of d's UART, 0 without one: a line no device model may drive. */
unsigned int vpl011_intid(const struct domain *d);
/* Print what the guest wrote without a final newline. */
void vpl011_flush(struct domain *d);

#endif
