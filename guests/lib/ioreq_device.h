/*
 * The toy MMIO device that guests/ioreq_backend (dom0, an IOREQ server)
 * emulates for guests/ioreq_front (a domU): both sides' one description
 * of it.
 *
 * A register file of IOREQ_DEV_SIZE bytes at IOREQ_DEV_BASE in the
 * domU's physical address space, inside the area Xen 4.17 keeps free for
 * virtio-mmio devices (GUEST_VIRTIO_MMIO_BASE). Accesses of 1, 2, 4 or 8
 * bytes, naturally aligned, little-endian: a read returns the bytes last
 * written there (zero before), except for the read-only ID register.
 */
#ifndef GUEST_IOREQ_DEVICE_H
#define GUEST_IOREQ_DEVICE_H

#define IOREQ_DEV_BASE      0x02000000UL
#define IOREQ_DEV_SIZE      0x200UL

/* Read-only, reads IOREQ_DEV_MAGIC ("virt"); writes are ignored. */
#define IOREQ_REG_MAGIC     0x000UL
#define IOREQ_DEV_MAGIC     0x74726976U
#define IOREQ_REG_ID_BYTES  8UL         /* bytes 0-7 are the ID register */

/* A write here asserts the device's interrupt line... */
#define IOREQ_REG_DOORBELL  0x100UL
/* ...and a write here (the interrupt handler's acknowledgement) deasserts it. */
#define IOREQ_REG_ACK       0x108UL
/* The frontend's last access: the backend then tears its server down,
 * and asserts the line once more when it has (and leaves it asserted). */
#define IOREQ_REG_DONE      0x1f8UL

/* The line, a GIC INTID (SPI 1), as libxl numbers virtio-mmio interrupts
 * from GUEST_VIRTIO_MMIO_SPI_FIRST = 33 and passes to XEN_DMOP_set_irq_level. */
#define IOREQ_DEV_INTID     33U

/* Where no server and no device is, in Xen 4.17's guest memory map. */
#define IOREQ_UNCLAIMED_ADDR 0x02100000UL

#endif
