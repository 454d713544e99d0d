/* The vpl011's console-ring back end as plain functions: what a guest's
 * accesses to the data register and a notification from the back end
 * (xenconsoled in dom0) do to the ring page and to the UART's flag (FR)
 * and raw interrupt status (RIS) bits. No locking, no interrupts, no
 * event channels: vpl011.c does those around these calls.
 *
 * The ring page is the guest's own RAM, also mapped by dom0: both may
 * scribble on it. Every index is read once and masked before use, and
 * each call moves at most one byte, so no ring content can make the
 * hypervisor loop or reach outside the page. */
#ifndef ASM_VPL011_RING_H
#define ASM_VPL011_RING_H

#include <proxenos/types.h>
#include <public/io/console.h>

/* The SBSA UART's FIFO is 32 bytes; its interrupts fire at half way. */
#define VPL011_FIFO_SIZE  32U
#define VPL011_FIFO_LEVEL (VPL011_FIFO_SIZE / 2U)

/* UARTFR bits. */
#define VPL011_FR_BUSY (1U << 3)
#define VPL011_FR_RXFE (1U << 4)
#define VPL011_FR_TXFF (1U << 5)
#define VPL011_FR_RXFF (1U << 6)
#define VPL011_FR_TXFE (1U << 7)

/* UARTRIS/IMSC/MIS/ICR bits. */
#define VPL011_INT_RX (1U << 4)
#define VPL011_INT_TX (1U << 5)
#define VPL011_INT_RT (1U << 6)

struct vpl011_status {
    uint32_t fr;
    uint32_t ris;
};

/* Reset: both FIFOs empty, no interrupt raised. */
void vpl011_ring_reset(struct vpl011_status *s);
/* The guest wrote c to DR: into out[] unless it is full (then c is lost,
 * as on Xen: a driver writes only while FR.TXFF is clear). */
void vpl011_ring_tx(struct xencons_interface *r, struct vpl011_status *s, uint8_t c);
/* The guest read DR: the next byte of in[], or 0 when it is empty. */
uint8_t vpl011_ring_rx(struct xencons_interface *r, struct vpl011_status *s);
/* The back end notified: it may have added input or taken output. */
void vpl011_ring_notified(const struct xencons_interface *r, struct vpl011_status *s);

#endif
