/*
 * What Xen 4.17 refuses, and with which errno: xen/common/dm.c (do_dm_op),
 * xen/arch/arm/dm.c (dm_op), xen/common/ioreq.c (ioreq_server_*) and
 * xen/common/memory.c (acquire_resource). Every call here must leave the
 * server as it was.
 */
#include "backend.h"

#include "hypercall.h"
#include "string.h"
#include "test.h"

#define NO_SUCH_DOMAIN  0x7fe0U
#define DOMID_SELF_ALIAS 0x7ff0U    /* DOMID_SELF: dm_op looks ids up as they are */
#define LAST_DMOP       XEN_DMOP_nr_vcpus
#define X86_ONLY_DMOP   7U          /* XEN_DMOP_track_dirty_vram */

/* One nr_vcpus op in a zeroed buffer: the simplest valid request to vary. */
static long nr_vcpus_with(uint16_t domid, uint32_t op_nr, uint32_t pad)
{
    struct xen_dm_op op;

    memset(&op, 0, sizeof(op));
    op.op = op_nr;
    op.pad = pad;
    return dm_op_call(domid, &op);
}

static void bad_domains(uint16_t target)
{
    (void)target;
    xen_expect("dmop_no_such_domain", nr_vcpus_with(NO_SUCH_DOMAIN, XEN_DMOP_nr_vcpus, 0U),
               -XEN_ESRCH);
    /* rcu_lock_remote_domain_by_id: DOMID_SELF is no alias here, and we may not target ourselves */
    xen_expect("dmop_domid_self", nr_vcpus_with(DOMID_SELF_ALIAS, XEN_DMOP_nr_vcpus, 0U),
               -XEN_ESRCH);
    xen_expect("dmop_own_domain", nr_vcpus_with(0U, XEN_DMOP_nr_vcpus, 0U), -XEN_EPERM);
}

static void bad_ops(uint16_t target)
{
    xen_expect("dmop_unknown_op", nr_vcpus_with(target, LAST_DMOP + 1U, 0U), -XEN_EOPNOTSUPP);
    xen_expect("dmop_huge_op", nr_vcpus_with(target, UINT32_MAX, 0U), -XEN_EOPNOTSUPP);
    xen_expect("dmop_op_zero", nr_vcpus_with(target, 0U, 0U), -XEN_EOPNOTSUPP);
    xen_expect("dmop_x86_only_op", nr_vcpus_with(target, X86_ONLY_DMOP, 0U), -XEN_EOPNOTSUPP);
    xen_expect("dmop_nonzero_pad", nr_vcpus_with(target, XEN_DMOP_nr_vcpus, 1U), -XEN_EINVAL);
}

static void bad_buffers(uint16_t target)
{
    static struct xen_dm_op op;
    struct xen_dm_op_buf bufs[3];

    memset(&op, 0, sizeof(op));
    op.op = XEN_DMOP_nr_vcpus;
    bufs[0].h = hc_ptr(&op);
    bufs[0].size = sizeof(op);
    bufs[1] = bufs[0];
    bufs[2] = bufs[0];
    /* since 4.17.1 ("xen/dmop: check number of input buffers") */
    xen_expect("dmop_no_buffers", dm_op_bufs(target, 0U, bufs), -XEN_ENODATA);
    xen_expect("dmop_three_buffers", dm_op_bufs(target, 3U, bufs), -XEN_E2BIG);
    bufs[0].size = 4U;          /* not even the op's header */
    xen_expect("dmop_short_buffer", dm_op_bufs(target, 1U, bufs), -XEN_EFAULT);
    bufs[0].size = 8U;          /* the header, not the op's arguments */
    xen_expect("dmop_short_arguments", dm_op_bufs(target, 1U, bufs), -XEN_EFAULT);
}

static void bad_creates(uint16_t target)
{
    struct xen_dm_op op;
    ioservid_t id = 0U;

    /* Arm has no buffered ioreqs: any handle_bufioreq but OFF is refused */
    xen_expect("create_bufioreq_legacy",
               dmop_create_server(target, HVM_IOREQSRV_BUFIOREQ_LEGACY, &id), -XEN_EINVAL);
    xen_expect("create_bufioreq_atomic",
               dmop_create_server(target, HVM_IOREQSRV_BUFIOREQ_ATOMIC, &id), -XEN_EINVAL);
    memset(&op, 0, sizeof(op));
    op.op = XEN_DMOP_create_ioreq_server;
    op.u.create_ioreq_server.pad[1] = 1U;
    xen_expect("create_nonzero_pad", dm_op_call(target, &op), -XEN_EINVAL);
}

void hostile_without_server(uint16_t target)
{
    bad_domains(target);
    bad_ops(target);
    bad_buffers(target);
    bad_creates(target);
}

static void bad_frames(const struct backend *b, uint64_t spare_gfn)
{
    /* frame 0 is the buffered page, which a BUFIOREQ_OFF server has not */
    xen_expect("acquire_bufioreq_frame", acquire_ioreq_frame(b->target, b->id, 0U, spare_gfn),
               -XEN_ENOENT);
    /* ioreq_server_get_frame knows one synchronous page, whatever the vCPU count */
    xen_expect("acquire_frame_2", acquire_ioreq_frame(b->target, b->id, 2U, spare_gfn),
               -XEN_EINVAL);
    xen_expect("acquire_no_such_server",
               acquire_ioreq_frame(b->target, (ioservid_t)(b->id + 1U), 1U, spare_gfn),
               -XEN_ENOENT);
}

static void bad_ranges(const struct backend *b)
{
    const uint64_t lo = IOREQ_DEV_BASE;
    const uint64_t hi = IOREQ_DEV_BASE + IOREQ_DEV_SIZE - 1U;

    xen_expect("map_start_after_end",
               dmop_io_range(b->target, b->id, true, XEN_DMOP_IO_RANGE_MEMORY, hi + 0x100U, hi),
               -XEN_EINVAL);
    xen_expect("map_bad_type", dmop_io_range(b->target, b->id, true, 3U, lo, hi), -XEN_EINVAL);
    xen_expect("map_no_such_server",
               dmop_io_range(b->target, (ioservid_t)(b->id + 1U), true, XEN_DMOP_IO_RANGE_MEMORY,
                             hi + 1U, hi + 0x100U), -XEN_ENOENT);
    xen_expect("map_overlapping",
               dmop_io_range(b->target, b->id, true, XEN_DMOP_IO_RANGE_MEMORY, hi, hi + 0x10U),
               -XEN_EEXIST);
    xen_expect("unmap_not_mapped",
               dmop_io_range(b->target, b->id, false, XEN_DMOP_IO_RANGE_MEMORY, hi + 1U,
                             hi + 0x100U), -XEN_ENOENT);
}

static void bad_irqs(const struct backend *b)
{
    xen_expect("irq_level_ppi", dmop_set_irq_level(b->target, 31U, 1U), -XEN_EINVAL);
    xen_expect("irq_level_sgi", dmop_set_irq_level(b->target, 0U, 1U), -XEN_EINVAL);
    xen_expect("irq_level_2", dmop_set_irq_level(b->target, IOREQ_DEV_INTID, 2U), -XEN_EINVAL);
    xen_expect("irq_level_past_spis", dmop_set_irq_level(b->target, 1020U, 1U), -XEN_EINVAL);
    /* SPI 32 is the domain's vpl011 interrupt: Xen's own, not the device model's */
    xen_expect("irq_level_vpl011_spi", dmop_set_irq_level(b->target, 32U, 1U), -XEN_EINVAL);
    /*
     * Not tried: a nonzero pad. Xen 4.17's pad loop (xen/arch/arm/dm.c)
     * breaks out of the loop only, so the call succeeds and the line is set.
     */
}

void hostile_with_server(const struct backend *b, uint64_t spare_gfn)
{
    bad_frames(b, spare_gfn);
    bad_ranges(b);
    bad_irqs(b);
}

void hostile_after_destroy(const struct backend *b)
{
    xen_expect("destroy_twice", dmop_destroy_server(b->target, b->id), -XEN_ENOENT);
    xen_expect("state_after_destroy", dmop_set_state(b->target, b->id, true), -XEN_ENOENT);
    xen_expect("map_after_destroy",
               dmop_io_range(b->target, b->id, true, XEN_DMOP_IO_RANGE_MEMORY, IOREQ_DEV_BASE,
                             IOREQ_DEV_BASE + IOREQ_DEV_SIZE - 1U), -XEN_ENOENT);
}
