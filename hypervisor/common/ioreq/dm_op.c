/* The dm_op hypercall: what a device model asks of the hypervisor about
 * the domain it serves. Xen 4.17's checks, in its order (common/dm.c
 * do_dm_op, arch/arm/dm.c dm_op; 4.17.1 added the first check):
 *  - at least one buffer (-ENODATA), at most XEN_DMOP_MAX_BUFS (-E2BIG),
 *    the array readable (-EFAULT);
 *  - the target exists (-ESRCH) and is not the caller (-EPERM), and the
 *    caller has device-model rights over it: the control domain (XSM's
 *    dummy policy: -EPERM otherwise);
 *  - buffer 0 holds op and pad (-EFAULT), a known op (-EOPNOTSUPP), then
 *    that op's arguments (-EFAULT), and pad is 0 (-EINVAL);
 *  - the results of ops that return some are copied back into buffer 0.
 * The IOREQ server ops are ioreq_server.c's; set_irq_level drives an SPI
 * of the target's virtual GIC (the architecture's). */
#include "ioreq_internal.h"
#include <proxenos/arch/domain.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/nospec.h>
#include <proxenos/string.h>

#define DMOP_HEAD_SIZE offsetof(struct xen_dm_op, u)

_Static_assert(sizeof(struct xen_dm_op) == 32U, "xen_dm_op is 32 bytes");
_Static_assert(sizeof(struct xen_dm_op_buf) == 16U, "xen_dm_op_buf is 16 bytes");
_Static_assert(sizeof(struct xen_dm_op_get_ioreq_server_info) == 24U, "layout");
_Static_assert(sizeof(struct xen_dm_op_ioreq_server_range) == 24U, "layout");

/* Argument bytes of each op Arm answers; 0: unknown here. */
static const uint8_t op_size[XEN_DMOP_nr_vcpus + 1U] = {
    [XEN_DMOP_create_ioreq_server] = sizeof(struct xen_dm_op_create_ioreq_server),
    [XEN_DMOP_get_ioreq_server_info] = sizeof(struct xen_dm_op_get_ioreq_server_info),
    [XEN_DMOP_map_io_range_to_ioreq_server] = sizeof(struct xen_dm_op_ioreq_server_range),
    [XEN_DMOP_unmap_io_range_from_ioreq_server] = sizeof(struct xen_dm_op_ioreq_server_range),
    [XEN_DMOP_set_ioreq_server_state] = sizeof(struct xen_dm_op_set_ioreq_server_state),
    [XEN_DMOP_destroy_ioreq_server] = sizeof(struct xen_dm_op_destroy_ioreq_server),
    [XEN_DMOP_set_irq_level] = sizeof(struct xen_dm_op_set_irq_level),
    [XEN_DMOP_nr_vcpus] = sizeof(struct xen_dm_op_nr_vcpus),
};

/* Xen 4.17 means to refuse a set pad byte but lets it through (its loop's
 * break leaves only the loop); no library sets one, and the check is the
 * ABI's intent: -EINVAL here. */
static long irq_level(struct domain *d, const struct xen_dm_op_set_irq_level *a)
{
    if ((a->level > 1U) || (a->pad[0] != 0U) || (a->pad[1] != 0U) || (a->pad[2] != 0U)) {
        return -EINVAL;
    }
    return arch_dm_set_irq_level(d, a->irq, a->level != 0U);
}

/* Run op on d for cur; *out: op.u is to be copied back. */
static long run_op(struct domain *cur, struct domain *d, struct xen_dm_op *op, bool *out)
{
    const struct xen_dm_op_ioreq_server_range *r;
    long rc;

    switch (op->op) {
    case XEN_DMOP_create_ioreq_server:
        *out = true;
        if ((op->u.create_ioreq_server.pad[0] | op->u.create_ioreq_server.pad[1] |
             op->u.create_ioreq_server.pad[2]) != 0U) {
            return -EINVAL;
        }
        return ioreq_server_create(cur, d, op->u.create_ioreq_server.handle_bufioreq,
                                   &op->u.create_ioreq_server.id);
    case XEN_DMOP_get_ioreq_server_info:
        *out = true;
        /* Arm maps no legacy gfns: without XEN_DMOP_no_gfns Xen answers
         * -EOPNOTSUPP after finding the server. */
        if ((op->u.get_ioreq_server_info.flags & (uint16_t)~XEN_DMOP_no_gfns) != 0U) {
            return -EINVAL;
        }
        rc = ioreq_server_info(cur, d, op->u.get_ioreq_server_info.id);
        if ((rc == 0) && ((op->u.get_ioreq_server_info.flags & XEN_DMOP_no_gfns) == 0U)) {
            rc = -EOPNOTSUPP;
        }
        return rc;
    case XEN_DMOP_map_io_range_to_ioreq_server:
    case XEN_DMOP_unmap_io_range_from_ioreq_server:
        r = &op->u.map_io_range_to_ioreq_server;
        if (r->pad != 0U) {
            return -EINVAL;
        }
        return ioreq_server_map_range(cur, d, r->id, r->type, r->start, r->end,
                                      op->op == XEN_DMOP_map_io_range_to_ioreq_server);
    case XEN_DMOP_set_ioreq_server_state:
        if (op->u.set_ioreq_server_state.pad != 0U) {
            return -EINVAL;
        }
        return ioreq_server_set_state(cur, d, op->u.set_ioreq_server_state.id,
                                      op->u.set_ioreq_server_state.enabled != 0U);
    case XEN_DMOP_destroy_ioreq_server:
        if (op->u.destroy_ioreq_server.pad != 0U) {
            return -EINVAL;
        }
        return ioreq_server_destroy(cur, d, op->u.destroy_ioreq_server.id);
    case XEN_DMOP_set_irq_level:
        return irq_level(d, &op->u.set_irq_level);
    default:
        /* XEN_DMOP_nr_vcpus: the only other op with a size. */
        *out = true;
        op->u.nr_vcpus.vcpus = d->max_vcpus;
        return 0;
    }
}

/* Read op and its arguments from buffer b: 0 or Xen's errno. */
static long read_op(const struct xen_dm_op_buf *b, struct xen_dm_op *op)
{
    if ((b->size < DMOP_HEAD_SIZE) || (copy_from_guest(op, b->h, DMOP_HEAD_SIZE) != 0)) {
        return -EFAULT;
    }
    if ((op->op >= (uint32_t)ARRAY_SIZE(op_size)) || (op_size[op->op] == 0U)) {
        return -EOPNOTSUPP;
    }
    op->op = (uint32_t)array_index_nospec(op->op, ARRAY_SIZE(op_size));
    if ((b->size < (DMOP_HEAD_SIZE + op_size[op->op])) ||
        (copy_from_guest(&op->u, b->h + DMOP_HEAD_SIZE, op_size[op->op]) != 0)) {
        return -EFAULT;
    }
    return (op->pad != 0U) ? -EINVAL : 0;
}

long do_dm_op(struct hcall_args *args)
{
    struct vcpu *v = current_vcpu();
    struct domain *cur = (v != NULL) ? v->domain : NULL;
    uint64_t nr_bufs = args->a[1] & 0xffffffffU;
    struct xen_dm_op_buf bufs[XEN_DMOP_MAX_BUFS];
    struct xen_dm_op op;
    struct domain *d;
    bool out = false;
    long rc;

    if (cur == NULL) {
        return -ESRCH;
    }
    if (nr_bufs == 0U) {
        return -ENODATA;
    }
    if (nr_bufs > XEN_DMOP_MAX_BUFS) {
        return -E2BIG;
    }
    if (copy_from_guest(bufs, args->a[2], (size_t)nr_bufs * sizeof(bufs[0])) != 0) {
        return -EFAULT;
    }
    d = ((args->a[0] & 0xffffU) < DOMID_FIRST_RESERVED) ? domain_get_by_id((domid_t)args->a[0])
                                                       : NULL;
    if (d == NULL) {
        return -ESRCH;
    }
    if ((d == cur) || !cur->is_privileged) {
        rc = -EPERM;
    } else {
        (void)memset(&op, 0, sizeof(op));
        rc = read_op(&bufs[0], &op);
        if (rc == 0) {
            rc = run_op(cur, d, &op, &out);
        }
        if ((rc == 0) && out &&
            (copy_to_guest(bufs[0].h + DMOP_HEAD_SIZE, &op.u, op_size[op.op]) != 0)) {
            rc = -EFAULT;
        }
    }
    domain_put(d);
    return rc;
}
