/* HYPERVISOR_memory_op on Arm: the commands that change or report a
 * domain's physmap and reservation. The reservation commands themselves
 * (increase, decrease, populate) are in memory_reservation.c,
 * acquire_resource in memory_resource.c, the foreign entries both map in
 * foreign_map.c.
 *
 * cmd[5:0] is the command; cmd[63:6] is where a preempted command resumes
 * (Xen's MEMOP_EXTENT_SHIFT), and must be 0 for commands that never stop
 * part-way. */
#include "pv_mem.h"
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <public/memory.h>

/* Entries of an add_to_physmap_batch handled per invocation. */
#define BATCH_PER_CALL 64U

static long reservation_stat_of(struct domain *d, uint32_t op)
{
    if (!pv_may_target(d)) {
        return -EPERM;
    }
    if (op == XENMEM_current_reservation) {
        return (long)d->tot_pages;
    }
    if (op == XENMEM_maximum_reservation) {
        return (long)pv_max_pages(d);
    }
    return (long)MAX(d->gnttab->max_gfn, pv_ram_top(d));
}

static long reservation_stat(uint32_t op, uint64_t start, uint64_t arg)
{
    struct xen_memory_domain md;
    struct domain *d;
    long rc;

    if (start != 0U) {
        return -EINVAL;
    }
    if (copy_from_guest(&md, arg, sizeof(md)) != 0) {
        return -EFAULT;
    }
    d = pv_domain_any(md.domid);
    if (d == NULL) {
        return -ESRCH;
    }
    rc = reservation_stat_of(d, op);
    pv_domain_put(d);
    return rc;
}

/* Xen's xatp_permission_check: a device MMIO frame only by the hardware
 * domain for itself, anything else by the domain or a privileged one. */
static long physmap_permission(const struct domain *d, uint32_t space)
{
    const struct domain *cur = pv_current_domain();

    if ((space == XENMAPSPACE_dev_mmio) && (!d->is_privileged || (d != cur))) {
        return -EACCES;
    }
    return pv_may_target(d) ? 0 : -EPERM;
}

/* gmfn_foreign (batch only): map frame idx of domain fid at d's gfn g, as
 * Xen 4.17's xenmem_add_to_physmap_one and get_pg_owner decide: the
 * caller's own id names no foreign domain (-ESRCH; DOMID_SELF does, and
 * is d itself: -EINVAL); only a privileged d may map another domain's
 * page (-EPERM); the frame must be that domain's RAM (-EINVAL; DOMID_IO
 * and DOMID_XEN own none here). */
static int map_foreign(struct domain *d, domid_t fid, uint64_t idx, uint64_t g)
{
    const struct domain *cur = pv_current_domain();
    enum guest_frame_type t = GUEST_FRAME_NONE;
    struct domain *od;
    mfn_t m = INVALID_MFN;
    int rc;

    if (fid == cur->domain_id) {
        return -ESRCH;
    }
    if ((fid == DOMID_IO) || (fid == DOMID_XEN)) {
        return d->is_privileged ? -EINVAL : -EPERM;
    }
    od = pv_domain_any(fid);
    if (od == NULL) {
        return -ESRCH;
    }
    if (od == d) {
        rc = -EINVAL;
    } else if (!d->is_privileged) {
        rc = -EPERM;
    } else {
        rc = fm_pin_page(od, idx, &m, &t);
        if (rc == 0) {
            rc = pv_map_foreign(d, g, od, m, t, true);
        }
    }
    pv_domain_put(od);
    return rc;
}

/* xenmem_add_to_physmap_one on Arm. */
static int add_one(struct domain *d, uint32_t space, domid_t fid, uint64_t idx, uint64_t g)
{
    switch (space) {
    case XENMAPSPACE_grant_table:
        return gnttab_map_frame(d, idx, gfn(g));
    case XENMAPSPACE_shared_info:
        return (idx != 0U) ? -EINVAL : gnttab_map_shared_info(d, gfn(g));
    case XENMAPSPACE_gmfn_foreign:
        return map_foreign(d, fid, idx, g);
    case XENMAPSPACE_dev_mmio:
        /* Dom0's device MMIO is already mapped 1:1 and nothing else is
         * permitted, for which Xen answers 0 without mapping. */
        return 0;
    default:
        return -ENOSYS;
    }
}

/* add_to_physmap once d is held. */
static long add_to_physmap_on(struct domain *d, const struct xen_add_to_physmap *xatp,
                              uint64_t start)
{
    long rc = physmap_permission(d, xatp->space);

    if (rc != 0) {
        return rc;
    }
    if (!gfn_valid_raw(xatp->gpfn)) {
        return -EINVAL;
    }
    if (xatp->space != XENMAPSPACE_gmfn_range) {
        return add_one(d, xatp->space, DOMID_INVALID, xatp->idx, xatp->gpfn);
    }
    if (xatp->size < start) {
        return -EILSEQ;
    }
    if (((xatp->gpfn + xatp->size) < xatp->gpfn) || ((xatp->idx + xatp->size) < xatp->idx)) {
        return -EOVERFLOW;
    }
    /* Each frame is XENMAPSPACE_gmfn, which Arm does not offer. */
    return (xatp->size > start) ? -ENOSYS : 0;
}

static long add_to_physmap(uint64_t start, uint64_t arg)
{
    struct xen_add_to_physmap xatp;
    struct domain *d;
    long rc;

    if (start > UINT16_MAX) {
        return -EDOM;
    }
    if (copy_from_guest(&xatp, arg, sizeof(xatp)) != 0) {
        return -EFAULT;
    }
    if (xatp.space == XENMAPSPACE_gmfn_foreign) {
        return -ENOSYS;
    }
    d = pv_domain_any(xatp.domid);
    if (d == NULL) {
        return -ESRCH;
    }
    rc = add_to_physmap_on(d, &xatp, start);
    pv_domain_put(d);
    return rc;
}

/* add_to_physmap_batch once d is held. */
static long add_to_physmap_batch_on(struct hcall_args *args, struct domain *d,
                                    const struct xen_add_to_physmap_batch *b, uint64_t start)
{
    uint64_t i = start;
    long rc = physmap_permission(d, b->space);

    if (rc != 0) {
        return rc;
    }
    if (b->size < start) {
        return -EILSEQ;
    }
    if (b->size == start) {
        return (start != 0U) ? -EILSEQ : 0;
    }
    if ((b->space == XENMAPSPACE_dev_mmio) && (b->u.res0 != 0U)) {
        return -EOPNOTSUPP;
    }
    while (i < b->size) {
        uint64_t idx;
        uint64_t g;
        int32_t err;

        if ((copy_from_guest(&idx, b->idxs + (i * sizeof(idx)), sizeof(idx)) != 0) ||
            (copy_from_guest(&g, b->gpfns + (i * sizeof(g)), sizeof(g)) != 0)) {
            return -EFAULT;
        }
        if (!gfn_valid_raw(g)) {
            return -EINVAL;
        }
        err = add_one(d, b->space, b->u.foreign_domid, idx, g);
        if (copy_to_guest(b->errs + (i * sizeof(err)), &err, sizeof(err)) != 0) {
            return -EFAULT;
        }
        i++;
        if ((i < b->size) && ((i - start) >= BATCH_PER_CALL)) {
            args->a[0] = XENMEM_add_to_physmap_batch | (i << MEMOP_EXTENT_SHIFT);
            return -ERESTART;
        }
    }
    return 0;
}

static long add_to_physmap_batch(struct hcall_args *args, uint64_t start)
{
    struct xen_add_to_physmap_batch b;
    struct domain *d;
    long rc;

    if (start > UINT16_MAX) {
        return -EDOM;
    }
    if (copy_from_guest(&b, args->a[1], sizeof(b)) != 0) {
        return -EFAULT;
    }
    if (b.space == XENMAPSPACE_gmfn_range) {
        return -EOPNOTSUPP;
    }
    d = pv_domain_any(b.domid);
    if (d == NULL) {
        return -ESRCH;
    }
    rc = add_to_physmap_batch_on(args, d, &b, start);
    pv_domain_put(d);
    return rc;
}

static long remove_from_physmap(uint64_t start, uint64_t arg)
{
    struct xen_remove_from_physmap xrfp;
    struct domain *d;
    mfn_t m;
    enum guest_frame_type t = GUEST_FRAME_NONE;
    long rc;

    if (start != 0U) {
        return -EINVAL;
    }
    if (copy_from_guest(&xrfp, arg, sizeof(xrfp)) != 0) {
        return -EFAULT;
    }
    d = pv_domain_any(xrfp.domid);
    if (d == NULL) {
        return -ESRCH;
    }
    /* The domain's own RAM (its pages, the shared info page, grant
     * frames; the page itself stays the domain's, as in Xen) or a foreign
     * entry (which gives back its reference and pin); a grant mapping
     * goes with unmap_grant_ref. */
    if (!pv_may_target(d)) {
        rc = -EPERM;
    } else if ((xrfp.gpfn >= (UINT64_MAX >> PAGE_SHIFT)) ||
               (arch_guest_lookup_page(d, gfn(xrfp.gpfn), &m, &t) != 0) ||
               ((t != GUEST_FRAME_RAM) && (t != GUEST_FRAME_RAM_RO) && !pv_is_foreign(t)) ||
               (mfn_to_page(m) == NULL)) {
        rc = -ENOENT;
    } else {
        rc = pv_physmap_set(d, xrfp.gpfn, INVALID_MFN, GUEST_FRAME_NONE);
    }
    pv_domain_put(d);
    return rc;
}

long do_memory_op(struct hcall_args *args)
{
    uint64_t cmd = args->a[0];
    uint32_t op = (uint32_t)(cmd & MEMOP_CMD_MASK);
    uint64_t start = cmd >> MEMOP_EXTENT_SHIFT;

    if (pv_current_domain() == NULL) {
        return -ESRCH;
    }
    switch (op) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return xenmem_reservation(args, op, start);
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        return reservation_stat(op, start, args->a[1]);
    case XENMEM_add_to_physmap:
        return add_to_physmap(start, args->a[1]);
    case XENMEM_add_to_physmap_batch:
        return add_to_physmap_batch(args, start);
    case XENMEM_remove_from_physmap:
        return remove_from_physmap(start, args->a[1]);
    case XENMEM_acquire_resource:
        return xenmem_acquire_resource(args, start);
    case XENMEM_get_sharing_freed_pages:
    case XENMEM_get_sharing_shared_pages:
        /* No memory sharing (Xen 4.17 on Arm has none either): nothing
         * freed, nothing shared. libxl reads both into physinfo, and xl
         * create, seeing them fail, waited for memory it never needed. */
        return 0;
    default:
        return -ENOSYS;
    }
}
