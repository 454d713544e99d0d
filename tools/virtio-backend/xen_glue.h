/* The back end's side of Xen's IOREQ server interface (docs/virtio.md,
 * "How a back end sets up"): a server for one guest claiming one MMIO
 * window, its request page, one event channel per guest vCPU, the
 * device's interrupt line. libxendevicemodel, libxenforeignmemory and
 * libxenevtchn, as Debian ships them. */
#ifndef VBE_XEN_GLUE_H
#define VBE_XEN_GLUE_H

#include <stdbool.h>
#include <stdint.h>

struct xen_ioreq;

/* An access to the window: offset from its base, size, direction; a read
 * returns its value. */
typedef uint64_t (*xen_mmio_fn)(void *ctx, uint64_t off, unsigned size, bool write,
                                uint64_t val);

/* Create the server, map its page, bind the ports, claim [base, base +
 * size). NULL on failure, with everything undone and a log line saying
 * which step failed. */
struct xen_ioreq *xen_ioreq_open(uint16_t domid, uint64_t base, uint64_t size, unsigned irq);
unsigned xen_ioreq_vcpus(const struct xen_ioreq *x);
/* The descriptor to poll for guest accesses. */
int xen_ioreq_fd(const struct xen_ioreq *x);
/* Answer the access whose port fired (call when the descriptor is
 * readable); -1 when the event channel is gone. */
int xen_ioreq_handle(struct xen_ioreq *x, xen_mmio_fn fn, void *ctx);
/* Set the device's SPI: callable from any thread. */
void xen_ioreq_irq(void *x, int level);
/* Whether the guest still exists (its vCPU count can still be read). */
bool xen_ioreq_guest_alive(struct xen_ioreq *x);
/* Release the window, disable and destroy the server, unbind, unmap. */
void xen_ioreq_close(struct xen_ioreq *x);

#endif
