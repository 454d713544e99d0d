/* The device-model hypercall (dm_op, __HYPERVISOR_dm_op 41) as Xen 4.17
 * on Arm answers it: the IOREQ server operations, set_irq_level and
 * nr_vcpus. Other operations of the x86 device model (dirty VRAM, PCI
 * INTx, MSI, memory types, ...) are -EOPNOTSUPP on Arm.
 *
 * Numbers and layouts checked against Xen 4.17.0 (RELEASE-4.17.0):
 * xen/include/public/hvm/dm_op.h. Guest handles are 64-bit guest virtual
 * addresses. Self-contained: includes nothing but <public/xen.h>. */
#ifndef PUBLIC_DM_OP_H
#define PUBLIC_DM_OP_H

#include <public/xen.h>

typedef uint16_t ioservid_t;

#define XEN_DMOP_create_ioreq_server            1U
#define XEN_DMOP_get_ioreq_server_info          2U
#define XEN_DMOP_map_io_range_to_ioreq_server   3U
#define XEN_DMOP_unmap_io_range_from_ioreq_server 4U
#define XEN_DMOP_set_ioreq_server_state         5U
#define XEN_DMOP_destroy_ioreq_server           6U
#define XEN_DMOP_set_irq_level                  19U
#define XEN_DMOP_nr_vcpus                       20U

/* handle_bufioreq of create: Arm offers no buffered requests. */
#define HVM_IOREQSRV_BUFIOREQ_OFF    0U
#define HVM_IOREQSRV_BUFIOREQ_LEGACY 1U
#define HVM_IOREQSRV_BUFIOREQ_ATOMIC 2U

struct xen_dm_op_create_ioreq_server {
    uint8_t handle_bufioreq;    /* IN */
    uint8_t pad[3];
    ioservid_t id;              /* OUT */
};

/* get_ioreq_server_info flags: the caller does not want the legacy gfns. */
#define XEN_DMOP_no_gfns (1U << 0)

struct xen_dm_op_get_ioreq_server_info {
    ioservid_t id;              /* IN */
    uint16_t flags;             /* IN */
    evtchn_port_t bufioreq_port; /* OUT */
    uint64_t ioreq_gfn;         /* OUT */
    uint64_t bufioreq_gfn;      /* OUT */
};

/* Range types of map/unmap_io_range; start and end are inclusive. */
#define XEN_DMOP_IO_RANGE_PORT   0U
#define XEN_DMOP_IO_RANGE_MEMORY 1U
#define XEN_DMOP_IO_RANGE_PCI    2U

struct xen_dm_op_ioreq_server_range {
    ioservid_t id;
    uint16_t pad;
    uint32_t type;
    uint64_t start;
    uint64_t end;
};

struct xen_dm_op_set_ioreq_server_state {
    ioservid_t id;
    uint8_t enabled;
    uint8_t pad;
};

struct xen_dm_op_destroy_ioreq_server {
    ioservid_t id;
    uint16_t pad;
};

/* An SPI of the target's virtual GIC, by INTID (32 and up). */
struct xen_dm_op_set_irq_level {
    uint32_t irq;
    uint8_t level;              /* 0 or 1 */
    uint8_t pad[3];
};

struct xen_dm_op_nr_vcpus {
    uint32_t vcpus;             /* OUT */
};

/* The operation travels in the first buffer: op, pad, then the union,
 * whose largest members (in Xen's full list) are 24 bytes. */
struct xen_dm_op {
    uint32_t op;
    uint32_t pad;
    union {
        struct xen_dm_op_create_ioreq_server create_ioreq_server;
        struct xen_dm_op_get_ioreq_server_info get_ioreq_server_info;
        struct xen_dm_op_ioreq_server_range map_io_range_to_ioreq_server;
        struct xen_dm_op_ioreq_server_range unmap_io_range_from_ioreq_server;
        struct xen_dm_op_set_ioreq_server_state set_ioreq_server_state;
        struct xen_dm_op_destroy_ioreq_server destroy_ioreq_server;
        struct xen_dm_op_set_irq_level set_irq_level;
        struct xen_dm_op_nr_vcpus nr_vcpus;
        uint8_t max_size[24];
    } u;
};

/* dm_op(domid, nr_bufs, bufs): bufs is an array of these. */
struct xen_dm_op_buf {
    uint64_t h;                 /* guest handle: a guest virtual address */
    xen_ulong_t size;
};

/* At most this many buffers per call (Xen's struct dmop_args). */
#define XEN_DMOP_MAX_BUFS 2U

#endif
