/* XENMEM_acquire_resource: a privileged domain maps frames that belong to
 * another domain's hypervisor state. libxl and init-dom0less use it to
 * seed a new domain's grant table (the console and xenstore entries);
 * VirtIO back ends map their IOREQ server's request page with it.
 *
 * Every caller on Arm is translated: frame_list holds the caller's gfns,
 * and each frame is mapped there as a foreign entry (foreign_map.c), which
 * holds a reference on the target until it is removed, exactly like a
 * page mapped with add_to_physmap_batch(gmfn_foreign).
 *
 * Checks, values and order are Xen 4.17's (common/memory.c
 * acquire_resource, gnttab.c gnttab_acquire_resource). */
#include "pv_mem.h"
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/ioreq.h>
#include <public/memory.h>

/* Frames handled per invocation before a continuation (Xen's stride). */
#define RESOURCE_CHUNK 32U

_Static_assert(sizeof(struct xen_mem_acquire_resource) == 32U, "acquire_resource is 32 bytes");
_Static_assert(offsetof(struct xen_mem_acquire_resource, nr_frames) == 8U, "layout");
_Static_assert(offsetof(struct xen_mem_acquire_resource, frame) == 16U, "layout");
_Static_assert(offsetof(struct xen_mem_acquire_resource, frame_list) == 24U, "layout");

/* The size of d's resource in frames: 0 for none (-EINVAL for the
 * caller), or a negative errno for a type not offered. */
static long resource_size(const struct domain *d, uint16_t type, uint32_t id)
{
    switch (type) {
    case XENMEM_resource_grant_table:
        /* Status frames exist only in version 2 tables, which Xen 4.17
         * on Arm does not offer (GNTTAB_MAX_VERSION 1): size 0. */
        return (id == XENMEM_resource_grant_table_id_shared) ? (long)gnttab_max_frames(d) : 0;
    case XENMEM_resource_ioreq_server:
        return (long)ioreq_resource_size(d);
    case XENMEM_resource_vmtrace_buf:
        /* No domain has processor trace buffers. */
        return 0;
    default:
        /* An unknown type (Xen 4.17 would report a nonsense size for the
         * size query of one). */
        return -EOPNOTSUPP;
    }
}

/* The frames [frame, frame + todo) of d's resource of type/id. */
static int resource_frames(struct domain *cur, struct domain *d, const struct xen_mem_acquire_resource *x,
                           uint64_t frame, uint32_t todo, mfn_t *mfns)
{
    int rc = 0;

    if (x->type == XENMEM_resource_grant_table) {
        return gnttab_resource_frames(d, (uint32_t)frame, todo, mfns);
    }
    for (uint32_t i = 0U; (i < todo) && (rc == 0); i++) {
        rc = ioreq_resource_frame(cur, d, x->id, frame + i, &mfns[i]);
    }
    return rc;
}

/* Map frames [frame, frame + todo) of d's resource at the caller's gfns
 * read from list. As Xen, an error after the first frame of the chunk
 * is -EIO: some frames are mapped, and the caller must unmap them. */
static long map_chunk(struct domain *cur, struct domain *d, const struct xen_mem_acquire_resource *x,
                      uint64_t frame, uint32_t todo, uint64_t list)
{
    mfn_t mfns[RESOURCE_CHUNK];
    xen_pfn_t gfns[RESOURCE_CHUNK];
    int rc = resource_frames(cur, d, x, frame, todo, mfns);

    if (rc != 0) {
        return rc;
    }
    if (copy_from_guest(gfns, list, (size_t)todo * sizeof(xen_pfn_t)) != 0) {
        return -EFAULT;
    }
    for (uint32_t i = 0U; i < todo; i++) {
        rc = pv_map_foreign(cur, gfns[i], d, mfns[i], GUEST_FRAME_FOREIGN_RW, false);
        if (rc != 0) {
            return (i != 0U) ? -EIO : rc;
        }
    }
    return 0;
}

/* acquire_resource once the target d is held and the caller may use it. */
static long acquire_on(struct hcall_args *args, struct domain *cur, struct domain *d,
                       struct xen_mem_acquire_resource *x, uint64_t start)
{
    long size = resource_size(d, x->type, x->id);
    uint64_t done = start;
    uint32_t todo;
    long rc;

    if (size < 0) {
        return size;
    }
    if (size == 0) {
        return -EINVAL;
    }
    if (x->frame_list == 0U) {
        /* The size query. */
        if ((x->nr_frames != 0U) || (start != 0U)) {
            return -EINVAL;
        }
        x->nr_frames = (uint32_t)size;
        return (copy_to_guest(args->a[1] + offsetof(struct xen_mem_acquire_resource, nr_frames),
                              &x->nr_frames, sizeof(x->nr_frames)) != 0) ? -EFAULT : 0;
    }
    /* The resume point lives in cmd[63:6]: Xen's bound on nr_frames. */
    if ((start >= x->nr_frames) || (x->nr_frames > (UINT32_MAX >> MEMOP_EXTENT_SHIFT))) {
        return -EINVAL;
    }
    todo = (uint32_t)MIN((uint64_t)RESOURCE_CHUNK, x->nr_frames - done);
    rc = map_chunk(cur, d, x, x->frame + done, todo, x->frame_list + (done * sizeof(xen_pfn_t)));
    if (rc != 0) {
        return rc;
    }
    done += todo;
    if (done < x->nr_frames) {
        args->a[0] = XENMEM_acquire_resource | (done << MEMOP_EXTENT_SHIFT);
        return -ERESTART;
    }
    return 0;
}

long xenmem_acquire_resource(struct hcall_args *args, uint64_t start)
{
    struct domain *cur = pv_current_domain();
    struct xen_mem_acquire_resource x;
    struct domain *d;
    long rc;

    if (copy_from_guest(&x, args->a[1], sizeof(x)) != 0) {
        return -EFAULT;
    }
    if (x.pad != 0U) {
        return -EINVAL;
    }
    /* nr_frames is 32 bits, frame 64: Xen refuses a frame or an end that
     * does not fit 32 bits, so nothing below overflows. */
    if (((x.frame >> 32) != 0U) || (((x.frame + x.nr_frames) >> 32) != 0U)) {
        return -EINVAL;
    }
    /* Xen's rcu_lock_remote_domain_by_id: by id only (DOMID_SELF names
     * nobody), and never the caller itself. */
    d = (x.domid < DOMID_FIRST_RESERVED) ? domain_get_by_id(x.domid) : NULL;
    if (d == NULL) {
        return -ESRCH;
    }
    if ((d == cur) || !cur->is_privileged) {
        /* The caller itself; then Xen's XSM_DM_PRIV: the control domain
         * (no domain here is another's device model). */
        rc = -EPERM;
    } else {
        rc = acquire_on(args, cur, d, &x, start);
    }
    domain_put(d);
    return rc;
}
