/*
 * HYPERVISOR_dm_op and XENMEM_acquire_resource as a device model calls
 * them (libxendevicemodel and libxenforeignmemory do the same on Linux).
 */
#include "backend.h"

#include "hypercall.h"
#include "string.h"

long dm_op_bufs(uint16_t domid, uint32_t nr_bufs, struct xen_dm_op_buf *bufs)
{
    return xen_hypercall(__HYPERVISOR_dm_op, domid, nr_bufs, hc_ptr(bufs));
}

long dm_op_call(uint16_t domid, struct xen_dm_op *op)
{
    struct xen_dm_op_buf buf = { hc_ptr(op), sizeof(*op) };

    return dm_op_bufs(domid, 1U, &buf);
}

/* A zeroed op: Xen refuses any padding that is not zero. */
static void op_init(struct xen_dm_op *op, uint32_t nr)
{
    memset(op, 0, sizeof(*op));
    op->op = nr;
}

long dmop_nr_vcpus(uint16_t domid, uint32_t *vcpus)
{
    struct xen_dm_op op;
    long rc;

    op_init(&op, XEN_DMOP_nr_vcpus);
    rc = dm_op_call(domid, &op);
    *vcpus = op.u.nr_vcpus.vcpus;
    return rc;
}

long dmop_create_server(uint16_t domid, uint8_t handle_bufioreq, ioservid_t *id)
{
    struct xen_dm_op op;
    long rc;

    op_init(&op, XEN_DMOP_create_ioreq_server);
    op.u.create_ioreq_server.handle_bufioreq = handle_bufioreq;
    op.u.create_ioreq_server.id = 0xffffU;  /* shows whether Xen wrote it */
    rc = dm_op_call(domid, &op);
    *id = op.u.create_ioreq_server.id;
    return rc;
}

long dmop_io_range(uint16_t domid, ioservid_t id, bool map, uint32_t type, uint64_t start,
                   uint64_t end)
{
    struct xen_dm_op op;

    op_init(&op, map ? XEN_DMOP_map_io_range_to_ioreq_server
                     : XEN_DMOP_unmap_io_range_from_ioreq_server);
    op.u.map_io_range_to_ioreq_server.id = id;
    op.u.map_io_range_to_ioreq_server.type = type;
    op.u.map_io_range_to_ioreq_server.start = start;
    op.u.map_io_range_to_ioreq_server.end = end;
    return dm_op_call(domid, &op);
}

long dmop_set_state(uint16_t domid, ioservid_t id, bool enabled)
{
    struct xen_dm_op op;

    op_init(&op, XEN_DMOP_set_ioreq_server_state);
    op.u.set_ioreq_server_state.id = id;
    op.u.set_ioreq_server_state.enabled = enabled ? 1U : 0U;
    return dm_op_call(domid, &op);
}

long dmop_destroy_server(uint16_t domid, ioservid_t id)
{
    struct xen_dm_op op;

    op_init(&op, XEN_DMOP_destroy_ioreq_server);
    op.u.destroy_ioreq_server.id = id;
    return dm_op_call(domid, &op);
}

long dmop_set_irq_level(uint16_t domid, uint32_t irq, uint8_t level)
{
    struct xen_dm_op op;

    op_init(&op, XEN_DMOP_set_irq_level);
    op.u.set_irq_level.irq = irq;
    op.u.set_irq_level.level = level;
    return dm_op_call(domid, &op);
}

long acquire_ioreq_frame(uint16_t domid, ioservid_t id, uint64_t frame, uint64_t gfn)
{
    /* On Arm every caller is translated: frame_list holds where to map, not MFNs. */
    static uint64_t frame_list[1];
    struct xen_mem_acquire_resource ar;

    frame_list[0] = gfn;
    memset(&ar, 0, sizeof(ar));
    ar.domid = domid;
    ar.type = XENMEM_resource_ioreq_server;
    ar.id = id;
    ar.nr_frames = 1U;
    ar.frame = frame;
    ar.frame_list = hc_ptr(frame_list);
    return hyp_memory_op(XENMEM_acquire_resource, &ar);
}
