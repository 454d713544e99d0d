/* The synchronous I/O request page an IOREQ server shares with the
 * hypervisor: one struct ioreq per vCPU of the target domain, indexed by
 * vCPU id (Xen 4.17's xen/include/public/hvm/ioreq.h). The page is frame
 * XENMEM_resource_ioreq_server_frame_ioreq(0) of the server's resource.
 * Self-contained: includes nothing but <stdint.h>. */
#ifndef PUBLIC_IOREQ_H
#define PUBLIC_IOREQ_H

#include <stdint.h>

#define IOREQ_READ  1U
#define IOREQ_WRITE 0U

/* state: who owns the slot. The hypervisor fills it and sets READY; the
 * server may set INPROCESS, then answers with IORESP_READY; the hypervisor
 * takes the answer and sets NONE. */
#define STATE_IOREQ_NONE       0U
#define STATE_IOREQ_READY      1U
#define STATE_IOREQ_INPROCESS  2U
#define STATE_IORESP_READY     3U

#define IOREQ_TYPE_PIO         0U   /* port I/O (x86 only) */
#define IOREQ_TYPE_COPY        1U   /* MMIO */
#define IOREQ_TYPE_PCI_CONFIG  2U

/* Byte 30 packs state (bits 0-3), data_is_ptr (4), dir (5) and df (6):
 * Xen declares them as bit fields, which the helpers below spell out so
 * the layout does not depend on a compiler's bit-field order. */
#define IOREQ_FLAGS_STATE_MASK   0x0fU
#define IOREQ_FLAGS_DATA_IS_PTR  (1U << 4)
#define IOREQ_FLAGS_DIR_READ     (1U << 5)
#define IOREQ_FLAGS_DF           (1U << 6)

struct ioreq {
    uint64_t addr;          /* guest-physical address */
    uint64_t data;          /* value written, or the answer of a read */
    uint32_t count;         /* 1 on Arm */
    uint32_t size;          /* bytes: 1, 2, 4 or 8 */
    uint32_t vp_eport;      /* the vCPU's port in the target domain */
    uint16_t pad0;
    uint8_t flags;          /* state, data_is_ptr, dir, df: above */
    uint8_t type;           /* IOREQ_TYPE_* */
};

struct shared_iopage {
    struct ioreq vcpu_ioreq[1];     /* as many as fit the page */
};

#endif
