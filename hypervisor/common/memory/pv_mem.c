/* What the grant-table and memory_op files share (pv_mem.h): who is
 * calling, the grant entries, a domain's memory limit, and every change
 * of a guest's physmap (stage 2 plus the records of hypervisor pages and
 * foreign entries mapped there). One file below all of them: they call it,
 * and it calls only the foreign-entry table (foreign_map.c), the shared
 * info page and the arch hooks, so the grant and memory files no longer
 * call one another round. */
#include "pv_mem.h"
#include <proxenos/arch/mm.h>
#include <proxenos/domain_pv.h>
#include <proxenos/errno.h>
#include <proxenos/nospec.h>

struct domain *pv_current_domain(void)
{
    struct vcpu *v = current_vcpu();

    return (v != NULL) ? v->domain : NULL;
}

struct domain *pv_domain_any(domid_t id)
{
    return domain_get_any(pv_current_domain(), id);
}

bool pv_may_target(const struct domain *d)
{
    const struct domain *cur = pv_current_domain();

    return (cur != NULL) && ((cur == d) || cur->is_privileged);
}

struct grant_entry_v1 *gnttab_entry(struct grant_table *gt, uint32_t ref)
{
    uint32_t r = (uint32_t)array_index_nospec(ref, gnttab_nr_entries(gt));

    return &gt->shared[r / GNTTAB_ENTRIES_PER_FRAME][r % GNTTAB_ENTRIES_PER_FRAME];
}

struct gnttab_active *gnttab_active_entry(struct grant_table *gt, uint32_t ref)
{
    uint32_t r = (uint32_t)array_index_nospec(ref, gnttab_nr_entries(gt));

    return &gt->active[r / GNTTAB_ENTRIES_PER_FRAME][r % GNTTAB_ENTRIES_PER_FRAME];
}

uint64_t pv_max_pages(struct domain *d)
{
    unsigned long flags = spin_lock_irqsave(&d->lock);

    if (d->max_pages == 0U) {
        d->max_pages = d->tot_pages;
    }
    spin_unlock_irqrestore(&d->lock, flags);
    return d->max_pages;
}

/* ---- Hypervisor pages in a guest's physmap --------------------------------
 * Each may be mapped at one gfn at a time; as Xen 4.17, mapping it again
 * before removing it is refused with -EBUSY. */

bool pv_is_xen_frame(struct domain *d, mfn_t m)
{
    struct grant_table *gt = d->gnttab;
    bool found = mfn_eq(m, domain_shared_info_mfn(d));
    unsigned long flags = spin_lock_irqsave(&gt->lock);

    for (uint32_t i = 0U; (i < gt->nr_frames) && !found; i++) {
        found = mfn_eq(m, paddr_to_mfn(arch_virt_to_maddr(gt->shared[i])));
    }
    spin_unlock_irqrestore(&gt->lock, flags);
    return found;
}

/* gfn of d no longer maps mfn: forget it if it was a hypervisor page. */
static void forget_xen_frame(struct grant_table *gt, uint64_t g, mfn_t m)
{
    unsigned long flags = spin_lock_irqsave(&gt->lock);

    if ((gfn_x(gt->shinfo_gfn) == g) && mfn_eq(m, domain_shared_info_mfn(gt->d))) {
        gt->shinfo_gfn = gfn(INVALID_GFN_RAW);
    }
    for (uint32_t i = 0U; i < gt->nr_frames; i++) {
        if ((gfn_x(gt->frame_gfn[i]) == g) &&
            mfn_eq(m, paddr_to_mfn(arch_virt_to_maddr(gt->shared[i])))) {
            gt->frame_gfn[i] = gfn(INVALID_GFN_RAW);
        }
    }
    spin_unlock_irqrestore(&gt->lock, flags);
}

/* pv_physmap_change, and when expect is not NULL only if g still maps
 * *expect when the lock is held (-ENOENT otherwise). */
static int change(struct domain *d, uint64_t g, mfn_t m, enum guest_frame_type t,
                  const struct pv_foreign *f, const mfn_t *expect)
{
    struct foreign_maps *fm = &d->gnttab->foreign;
    struct pv_foreign gone = { .owner = NULL };
    mfn_t old = INVALID_MFN;
    enum guest_frame_type ot = GUEST_FRAME_NONE;
    uint64_t limit = (f != NULL) ? pv_max_pages(d) : 0U;
    unsigned long flags;
    int rc = 0;

    if (pv_is_foreign(t) != (f != NULL)) {
        return -EINVAL;
    }
    flags = spin_lock_irqsave(&fm->lock);
    (void)arch_guest_lookup_page(d, gfn(g), &old, &ot);
    if ((expect != NULL) && ((ot == GUEST_FRAME_NONE) || !mfn_eq(old, *expect))) {
        rc = -ENOENT;
    } else if ((ot == GUEST_FRAME_GRANT_RW) || (ot == GUEST_FRAME_GRANT_RO)) {
        rc = -EBUSY;
    } else if ((f != NULL) && !pv_is_foreign(ot)) {
        /* Room first, so that nothing changes when there is none. */
        rc = fm_reserve(fm, limit);
    } else {
        /* Replacing a foreign entry by another reuses its room. */
    }
    if (rc == 0) {
        rc = (t == GUEST_FRAME_NONE) ? arch_guest_unmap_page(d, gfn(g))
                                     : arch_guest_map_page(d, gfn(g), m, t);
    }
    if (rc == 0) {
        if (pv_is_foreign(ot)) {
            (void)fm_take(fm, g, &gone);
        }
        if (f != NULL) {
            fm_insert(fm, g, f);
        }
    }
    spin_unlock_irqrestore(&fm->lock, flags);
    if (rc != 0) {
        return rc;
    }
    fm_drop(&gone);
    if (ot == GUEST_FRAME_RAM) {
        forget_xen_frame(d->gnttab, g, old);
    }
    if ((t != GUEST_FRAME_NONE) && (d->gnttab->max_gfn < g)) {
        d->gnttab->max_gfn = g;
    }
    return 0;
}

int pv_physmap_change(struct domain *d, uint64_t g, mfn_t m, enum guest_frame_type t,
                      const struct pv_foreign *f)
{
    return change(d, g, m, t, f, NULL);
}

int pv_physmap_set(struct domain *d, uint64_t g, mfn_t m, enum guest_frame_type t)
{
    return change(d, g, m, t, NULL, NULL);
}

int pv_physmap_remove_if(struct domain *d, uint64_t g, mfn_t expect)
{
    return change(d, g, INVALID_MFN, GUEST_FRAME_NONE, NULL, &expect);
}

int pv_physmap_populate(struct domain *d, uint64_t g, mfn_t m, uint64_t n)
{
    struct foreign_maps *fm = &d->gnttab->foreign;
    unsigned long flags = spin_lock_irqsave(&fm->lock);
    int rc;

    /* Under the lock every stage-2 change of d takes: nothing can appear
     * in the range between the look and the map. */
    rc = arch_guest_range_unmapped(d, gfn(g), n) ? arch_map_guest_ram(d, gfn(g), m, n) : -EEXIST;
    spin_unlock_irqrestore(&fm->lock, flags);
    if ((rc == 0) && (d->gnttab->max_gfn < (g + n - 1U))) {
        d->gnttab->max_gfn = g + n - 1U;
    }
    return rc;
}

int pv_map_foreign(struct domain *d, uint64_t g, struct domain *owner, mfn_t mfn,
                   enum guest_frame_type t, bool pinned)
{
    /* The entry's own reference, taken by id so that a domain already
     * dying is refused rather than kept alive by a new mapping. */
    struct domain *ref = domain_get_by_id(owner->domain_id);
    struct pv_foreign f = { .owner = owner, .mfn = mfn, .pinned = pinned };
    int rc = -ESRCH;

    if (ref == owner) {
        rc = pv_physmap_change(d, g, mfn, t, &f);
        if (rc == 0) {
            return 0;
        }
    }
    if (ref != NULL) {
        domain_put(ref);
    }
    fm_unpin(&f);
    return rc;
}
