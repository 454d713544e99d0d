/* Grant tables, version 1 (Xen 4.17 on Arm's default): the table's
 * frames, its life cycle, and the small GNTTABOP_ commands. Maps and
 * unmaps are in gnttab_map.c, copies in gnttab_copy.c.
 *
 * A domain's table is made of hypervisor pages the guest maps into its own
 * space with XENMEM_add_to_physmap(XENMAPSPACE_grant_table) and fills with
 * struct grant_entry_v1. Those pages are guest-writable at any time: every
 * read of an entry is a single atomic access, and nothing read from one is
 * trusted beyond the check that follows it. */
#include "../memory/pv_mem.h"
#include <proxenos/arch/mm.h>
#include <proxenos/domain_pv.h>
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/nospec.h>
#include <proxenos/printk.h>
#include <proxenos/xmalloc.h>

uint32_t gnttab_max_maptrack_frames = GNTTAB_MAX_MAPTRACK_FRAMES;

/* Grow gt to nr frames (at most max_frames). Lock held. 0 or -ENOMEM (the
 * frames added so far stay). */
static int grow_table(struct grant_table *gt, uint32_t nr)
{
    while (gt->nr_frames < nr) {
        uint32_t i = gt->nr_frames;
        void *page = alloc_xenheap_pages(0U, ALLOC_ZERO);
        struct gnttab_active *act = xzalloc_array(struct gnttab_active, GNTTAB_ENTRIES_PER_FRAME);

        if ((page == NULL) || (act == NULL)) {
            free_xenheap_page(page);
            xfree(act);
            return -ENOMEM;
        }
        gt->shared[i] = page;
        gt->active[i] = act;
        gt->frame_gfn[i] = gfn(INVALID_GFN_RAW);
        gt->nr_frames = i + 1U;
    }
    return 0;
}

int gnttab_init(struct domain *d)
{
    struct grant_table *gt = xzalloc_obj(struct grant_table);
    int rc;

    if (gt == NULL) {
        return -ENOMEM;
    }
    spin_lock_init(&gt->lock);
    gt->d = d;
    gt->max_frames = GNTTAB_MAX_FRAMES;
    gt->max_maptrack_frames = MIN(gnttab_max_maptrack_frames, GNTTAB_MAX_MAPTRACK_FRAMES);
    gt->maptrack_free = GNTTAB_MAPTRACK_NONE;
    gt->shinfo_gfn = gfn(INVALID_GFN_RAW);
    gt->reuse_head = INVALID_MFN;
    spin_lock_init(&gt->foreign.lock);
    d->gnttab = gt;
    gt->maptrack = xzalloc_array(struct gnttab_maptrack *, MAX(gt->max_maptrack_frames, 1U));
    /* As Xen on Arm, a table starts with one frame. */
    rc = (gt->maptrack == NULL) ? -ENOMEM : grow_table(gt, 1U);
    if (rc != 0) {
        gnttab_destroy(d);
    }
    return rc;
}

void gnttab_destroy(struct domain *d)
{
    struct grant_table *gt = d->gnttab;

    if (gt == NULL) {
        return;
    }
    /* Only what d maps: a mapping of d's grants by another domain holds a
     * reference to d, so none is left when d is freed. */
    gnttab_release_mappings(d);
    fm_release_all(d);
    for (uint32_t i = 0U; i < gt->nr_frames; i++) {
        const struct page_info *pg = virt_to_page(gt->shared[i]);

        /* The guest may have put its vcpu_info or event array on a grant
         * frame; their pins go first (domain_pv_destroy). A frame still
         * pinned here is kept, not freed: a page lost is better than a
         * page its old user writes into after the heap handed it on. */
        if ((pg != NULL) && guest_page_pinned(pg)) {
            pr_err("d%u: grant frame %u still in use at destroy: kept\n", d->domain_id, i);
        } else {
            free_xenheap_page(gt->shared[i]);
        }
        xfree(gt->active[i]);
    }
    if (gt->maptrack != NULL) {
        for (uint32_t i = 0U; i < gt->maptrack_frames; i++) {
            xfree(gt->maptrack[i]);
        }
        xfree(gt->maptrack);
    }
    /* Ballooned-out pages stay in the domain's RAM blocks, which
     * domain_destroy frees whole: nothing to do for the reuse list. */
    d->gnttab = NULL;
    xfree(gt);
}

int gnttab_set_max_frames(struct domain *d, uint32_t max)
{
    struct grant_table *gt = d->gnttab;
    unsigned long flags;
    int rc = 0;

    /* Xen's gnttab_init bounds: at least the frame every table
     * starts with, at most gnttab_max_frames. */
    if ((gt == NULL) || (max < 1U) || (max > GNTTAB_MAX_FRAMES)) {
        return -EINVAL;
    }
    flags = spin_lock_irqsave(&gt->lock);
    if (gt->nr_frames > max) {
        rc = -EBUSY;
    } else {
        gt->max_frames = max;
    }
    spin_unlock_irqrestore(&gt->lock, flags);
    return rc;
}

uint32_t gnttab_nr_frames(const struct domain *d)
{
    return (d->gnttab != NULL) ? d->gnttab->nr_frames : 0U;
}

uint32_t gnttab_maptrack_in_use(const struct domain *d)
{
    return (d->gnttab != NULL) ? d->gnttab->maptrack_used : 0U;
}

uint64_t xenmem_reuse_pages(const struct domain *d)
{
    return (d->gnttab != NULL) ? d->gnttab->reuse_nr : 0U;
}

/* Map the hypervisor page m at g unless it is mapped already (*where). */
static int map_xen_frame(struct domain *d, gfn_t *where, mfn_t m, gfn_t g)
{
    struct grant_table *gt = d->gnttab;
    unsigned long flags = spin_lock_irqsave(&gt->lock);
    bool busy = gfn_valid_raw(gfn_x(*where));
    int rc;

    if (!busy) {
        /* Claim it now; the stage-2 update runs without our lock. */
        *where = g;
    }
    spin_unlock_irqrestore(&gt->lock, flags);
    if (busy) {
        return -EBUSY;
    }
    rc = pv_physmap_set(d, gfn_x(g), m, GUEST_FRAME_RAM);
    flags = spin_lock_irqsave(&gt->lock);
    if (rc != 0) {
        *where = gfn(INVALID_GFN_RAW);
    } else {
        /* pv_physmap_set forgot the old page at g, which may have been
         * this very page: record the new place again. */
        *where = g;
    }
    spin_unlock_irqrestore(&gt->lock, flags);
    return rc;
}

int gnttab_map_frame(struct domain *d, uint64_t idx, gfn_t g)
{
    struct grant_table *gt = d->gnttab;
    unsigned long flags;
    uint32_t i;
    mfn_t m;

    if (idx >= gt->max_frames) {
        return -EINVAL;
    }
    i = (uint32_t)array_index_nospec(idx, gt->max_frames);
    flags = spin_lock_irqsave(&gt->lock);
    /* A failed growth is reported as Xen does: the index is invalid. */
    (void)grow_table(gt, i + 1U);
    if (i >= gt->nr_frames) {
        spin_unlock_irqrestore(&gt->lock, flags);
        return -EINVAL;
    }
    m = paddr_to_mfn(arch_virt_to_maddr(gt->shared[i]));
    spin_unlock_irqrestore(&gt->lock, flags);
    return map_xen_frame(d, &gt->frame_gfn[i], m, g);
}

int gnttab_resource_frames(struct domain *d, uint32_t first, uint32_t nr, mfn_t *mfns)
{
    struct grant_table *gt = d->gnttab;
    uint64_t end = (uint64_t)first + nr;
    unsigned long flags;
    int rc = 0;

    if (nr == 0U) {
        return -EINVAL;
    }
    flags = spin_lock_irqsave(&gt->lock);
    /* Grown as far as asked when that is within the limit; a growth that
     * fails (no memory) is -EINVAL, as in Xen. */
    if (end <= gt->max_frames) {
        (void)grow_table(gt, (uint32_t)end);
    }
    if (end > gt->nr_frames) {
        rc = -EINVAL;
    } else {
        for (uint32_t i = 0U; i < nr; i++) {
            mfns[i] = paddr_to_mfn(arch_virt_to_maddr(gt->shared[first + i]));
        }
    }
    spin_unlock_irqrestore(&gt->lock, flags);
    return rc;
}

uint32_t gnttab_max_frames(const struct domain *d)
{
    return (d->gnttab != NULL) ? d->gnttab->max_frames : 0U;
}

int gnttab_map_shared_info(struct domain *d, gfn_t g)
{
    return map_xen_frame(d, &d->gnttab->shinfo_gfn, domain_shared_info_mfn(d), g);
}

/* ---- The small commands ----------------------------------------------------- */

/* The domain a one-entry command names, or the GNTST_* saying why not. On
 * GNTST_okay *out holds a reference the caller drops (pv_domain_put). */
static int16_t target_domain(domid_t dom, struct domain **out)
{
    struct domain *d = pv_domain_any(dom);

    *out = NULL;
    if (d == NULL) {
        return GNTST_bad_domain;
    }
    if (!pv_may_target(d)) {
        pv_domain_put(d);
        return GNTST_permission_denied;
    }
    *out = d;
    return GNTST_okay;
}

static long query_size(uint64_t uop, uint32_t count)
{
    struct gnttab_query_size op;
    struct domain *d;

    if (count != 1U) {
        return -EINVAL;
    }
    if (copy_from_guest(&op, uop, sizeof(op)) != 0) {
        return -EFAULT;
    }
    op.status = target_domain(op.dom, &d);
    if (d != NULL) {
        unsigned long flags = spin_lock_irqsave(&d->gnttab->lock);

        op.nr_frames = d->gnttab->nr_frames;
        op.max_nr_frames = d->gnttab->max_frames;
        spin_unlock_irqrestore(&d->gnttab->lock, flags);
        pv_domain_put(d);
    }
    return (copy_to_guest(uop, &op, sizeof(op)) != 0) ? -EFAULT : 0;
}

/* The gfns of d's first nr frames (all ones where not mapped), as Xen
 * gives an auto-translated guest; GNTST_* */
static int16_t setup_frames(struct domain *d, uint32_t nr, uint64_t list)
{
    struct grant_table *gt = d->gnttab;
    xen_pfn_t gfns[GNTTAB_MAX_FRAMES];
    int16_t st = GNTST_okay;
    unsigned long flags;

    if (nr > gt->max_frames) {
        return GNTST_general_error;
    }
    flags = spin_lock_irqsave(&gt->lock);
    if ((grow_table(gt, nr) != 0) || (gt->nr_frames < nr)) {
        spin_unlock_irqrestore(&gt->lock, flags);
        return GNTST_general_error;
    }
    for (uint32_t i = 0U; i < nr; i++) {
        gfns[i] = gfn_x(gt->frame_gfn[i]);
    }
    spin_unlock_irqrestore(&gt->lock, flags);
    for (uint32_t i = 0U; i < nr; i++) {
        if (copy_to_guest(list + ((uint64_t)i * sizeof(xen_pfn_t)), &gfns[i],
                          sizeof(xen_pfn_t)) != 0) {
            st = GNTST_bad_virt_addr;
        }
    }
    return st;
}

static long setup_table(uint64_t uop, uint32_t count)
{
    struct gnttab_setup_table op;
    struct domain *d;

    if (count != 1U) {
        return -EINVAL;
    }
    if (copy_from_guest(&op, uop, sizeof(op)) != 0) {
        return -EFAULT;
    }
    op.status = target_domain(op.dom, &d);
    if (d != NULL) {
        op.status = setup_frames(d, op.nr_frames, op.frame_list);
        pv_domain_put(d);
    }
    return (copy_to_guest(uop + offsetof(struct gnttab_setup_table, status), &op.status,
                          sizeof(op.status)) != 0) ? -EFAULT : 0;
}

static long set_version(uint64_t uop)
{
    struct gnttab_set_version op;
    long rc;

    if (copy_from_guest(&op, uop, sizeof(op)) != 0) {
        return -EFAULT;
    }
    if ((op.version != 1U) && (op.version != 2U)) {
        rc = -EINVAL;
    } else if (op.version == 2U) {
        /* gnttab=max-ver:1, Xen 4.17's default on Arm. */
        rc = -ENOSYS;
    } else {
        rc = 0;
    }
    op.version = 1U;
    return (copy_to_guest(uop, &op, sizeof(op)) != 0) ? -EFAULT : rc;
}

static long get_version(uint64_t uop)
{
    struct gnttab_get_version op;
    struct domain *d;
    bool may;

    if (copy_from_guest(&op, uop, sizeof(op)) != 0) {
        return -EFAULT;
    }
    d = pv_domain_any(op.dom);
    if (d == NULL) {
        return -ESRCH;
    }
    may = pv_may_target(d);
    pv_domain_put(d);
    if (!may) {
        return -EPERM;
    }
    op.version = 1U;
    return (copy_to_guest(uop + offsetof(struct gnttab_get_version, version), &op.version,
                          sizeof(op.version)) != 0) ? -EFAULT : 0;
}

/* After GNTTAB_OPS_PER_CALL of count operations of size bytes: continue with
 * the rest (-ERESTART), or 0 when there is no rest. */
static long next_batch(struct hcall_args *args, uint32_t count, size_t size)
{
    if (count <= GNTTAB_OPS_PER_CALL) {
        return 0;
    }
    args->a[1] += (uint64_t)GNTTAB_OPS_PER_CALL * size;
    args->a[2] = count - GNTTAB_OPS_PER_CALL;
    return -ERESTART;
}

/* Version 1 tables have no status frames: only an empty list is right. */
static long get_status_frames(uint64_t uop, uint32_t count)
{
    struct gnttab_get_status_frames op;
    struct domain *d;

    if (count != 1U) {
        return -EINVAL;
    }
    if (copy_from_guest(&op, uop, sizeof(op)) != 0) {
        return -EFAULT;
    }
    op.status = target_domain(op.dom, &d);
    if (d != NULL) {
        op.status = (op.nr_frames > 0U) ? GNTST_general_error : GNTST_okay;
        pv_domain_put(d);
    }
    return (copy_to_guest(uop + offsetof(struct gnttab_get_status_frames, status), &op.status,
                          sizeof(op.status)) != 0) ? -EFAULT : 0;
}

/* Exchange two of the caller's own entries, unless either is in use. */
static int16_t swap_one(struct grant_table *gt, uint32_t a, uint32_t b)
{
    unsigned long flags = spin_lock_irqsave(&gt->lock);
    int16_t st = GNTST_okay;

    if ((a >= gnttab_nr_entries(gt)) || (b >= gnttab_nr_entries(gt))) {
        st = GNTST_bad_gntref;
    } else if (a == b) {
        /* Nothing to do. */
    } else if ((gnttab_active_entry(gt, a)->pin != 0U) || (gnttab_active_entry(gt, b)->pin != 0U)) {
        st = GNTST_eagain;
    } else {
        uint64_t *ea = (uint64_t *)(void *)gnttab_entry(gt, a);
        uint64_t *eb = (uint64_t *)(void *)gnttab_entry(gt, b);
        uint64_t va = __atomic_load_n(ea, __ATOMIC_ACQUIRE);

        __atomic_store_n(ea, __atomic_load_n(eb, __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
        __atomic_store_n(eb, va, __ATOMIC_RELEASE);
    }
    spin_unlock_irqrestore(&gt->lock, flags);
    return st;
}

static long swap_grant_ref(struct hcall_args *args, uint32_t count)
{
    struct grant_table *gt = pv_current_domain()->gnttab;

    for (uint32_t i = 0U; i < MIN(count, GNTTAB_OPS_PER_CALL); i++) {
        uint64_t at = args->a[1] + ((uint64_t)i * sizeof(struct gnttab_swap_grant_ref));
        struct gnttab_swap_grant_ref op;

        if (copy_from_guest(&op, at, sizeof(op)) != 0) {
            return -EFAULT;
        }
        op.status = swap_one(gt, op.ref_a, op.ref_b);
        if (copy_to_guest(at + offsetof(struct gnttab_swap_grant_ref, status), &op.status,
                          sizeof(op.status)) != 0) {
            return -EFAULT;
        }
    }
    return next_batch(args, count, sizeof(struct gnttab_swap_grant_ref));
}

/* One cache maintenance request. Guest RAM is normal write-back memory,
 * coherent for every CPU, so there is nothing to clean or invalidate; the
 * request is checked as Xen checks it. 0 or an error for the whole call. */
static int cache_flush_one(const struct gnttab_cache_flush *op)
{
    if ((op->offset >= PAGE_SIZE) || (op->length > PAGE_SIZE) ||
        (((uint32_t)op->offset + op->length) > PAGE_SIZE) ||
        ((op->op & ~(GNTTAB_CACHE_INVAL | GNTTAB_CACHE_CLEAN)) != 0U)) {
        return -EINVAL;
    }
    if ((op->length == 0U) || (op->op == 0U)) {
        return 0;
    }
    if (mfn_to_page(paddr_to_mfn(op->a.dev_bus_addr)) == NULL) {
        return -EINVAL;
    }
    return 0;
}

static long cache_flush(struct hcall_args *args, uint32_t count)
{
    for (uint32_t i = 0U; i < MIN(count, GNTTAB_OPS_PER_CALL); i++) {
        struct gnttab_cache_flush op;
        int rc;

        if (copy_from_guest(&op, args->a[1] + ((uint64_t)i * sizeof(op)), sizeof(op)) != 0) {
            return -EFAULT;
        }
        rc = cache_flush_one(&op);
        if (rc != 0) {
            return rc;
        }
    }
    return next_batch(args, count, sizeof(struct gnttab_cache_flush));
}

long do_grant_table_op(struct hcall_args *args)
{
    /* Xen's handler takes cmd and count as unsigned int. */
    uint32_t cmd = (uint32_t)args->a[0];
    uint64_t uop = args->a[1];
    uint32_t count = (uint32_t)args->a[2];

    if (count > (uint32_t)INT32_MAX) {
        return -EINVAL;
    }
    if (((cmd & GNTTABOP_CMD_MASK) != GNTTABOP_cache_flush) && ((cmd & ~GNTTABOP_CMD_MASK) != 0U)) {
        return -EINVAL;
    }
    if (pv_current_domain() == NULL) {
        return -ESRCH;
    }
    switch (cmd & GNTTABOP_CMD_MASK) {
    case GNTTABOP_map_grant_ref:
        return gnttab_map_ops(args, count);
    case GNTTABOP_unmap_grant_ref:
        return gnttab_unmap_ops(args, count);
    case GNTTABOP_setup_table:
        return setup_table(uop, count);
    case GNTTABOP_copy:
        return gnttab_copy_ops(args, count);
    case GNTTABOP_query_size:
        return query_size(uop, count);
    case GNTTABOP_set_version:
        return set_version(uop);
    case GNTTABOP_get_version:
        return get_version(uop);
    case GNTTABOP_cache_flush:
        return cache_flush(args, count);
    case GNTTABOP_get_status_frames:
        return get_status_frames(uop, count);
    case GNTTABOP_swap_grant_ref:
        return swap_grant_ref(args, count);
    case GNTTABOP_transfer:
        /* Page transfer is a PV-only feature; Arm builds have none. */
        return -EOPNOTSUPP;
    default:
        return -ENOSYS;
    }
}
