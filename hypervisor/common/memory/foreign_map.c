/* Foreign entries: pages (and grant-table frames) of one domain that a
 * privileged domain maps into its own stage 2, as Linux's privcmd does for
 * libxenforeignmemory (add_to_physmap_batch with XENMAPSPACE_gmfn_foreign)
 * and for acquire_resource.
 *
 * Lifetime (docs/domains.md): each entry holds one reference on the
 * owning domain, so a domain destroyed while mapped stays in memory, dying,
 * with all its RAM, until the last entry goes; and an entry of the owner's
 * RAM pins its page, so that the owner ballooning it out cannot hand it to
 * anyone while it is mapped. The mapping domain keeps its entries in a
 * table by gfn, because the stage 2 only says "foreign" and a frame
 * number: whatever replaces or removes an entry (remove_from_physmap,
 * populate_physmap, another map, a grant map) or the mapper's teardown
 * finds there whose reference and pin to give back.
 *
 * The table is an open-addressing hash with linear probing, grown by
 * doubling while at least half full, shrunk when an eighth full, and
 * bounded: a domain may hold at most as many foreign entries as its own
 * memory limit has pages (the toolstack maps into holes of its own RAM or
 * into its extended regions), so a hostile or buggy caller cannot make the
 * hypervisor allocate without bound. */
#include "pv_mem.h"
#include <proxenos/errno.h>
#include <proxenos/xmalloc.h>

/* Smallest table (slots): 1 KiB, enough for a few batches of privcmd. */
#define FM_MIN_CAP 32U

/* Foreign entries over all domains, for the 'm' key. */
static uint64_t fm_total;

/* ---- Pins and references ------------------------------------------------------ */

int fm_pin_page(struct domain *od, uint64_t idx, mfn_t *mfn, enum guest_frame_type *t)
{
    enum guest_frame_type ot = GUEST_FRAME_NONE;
    struct page_info *pg = NULL;
    unsigned long flags;
    int rc = -EINVAL;

    /* Under od->lock: decrease_reservation looks at the pin count under
     * the same lock after it has unmapped the page, so either it sees
     * this pin or this lookup no longer finds the page. */
    flags = spin_lock_irqsave(&od->lock);
    if ((idx < (UINT64_MAX >> PAGE_SHIFT)) && (arch_guest_lookup_page(od, gfn(idx), mfn, &ot) == 0) &&
        ((ot == GUEST_FRAME_RAM) || (ot == GUEST_FRAME_RAM_RO))) {
        pg = mfn_to_page(*mfn);
    }
    if (pg != NULL) {
        (void)__atomic_add_fetch(&pg->u.guest.pins, 1U, __ATOMIC_ACQ_REL);
        *t = (ot == GUEST_FRAME_RAM) ? GUEST_FRAME_FOREIGN_RW : GUEST_FRAME_FOREIGN_RO;
        rc = 0;
    }
    spin_unlock_irqrestore(&od->lock, flags);
    return rc;
}

void fm_unpin(const struct pv_foreign *f)
{
    struct page_info *pg = f->pinned ? mfn_to_page(f->mfn) : NULL;

    if (pg != NULL) {
        (void)__atomic_sub_fetch(&pg->u.guest.pins, 1U, __ATOMIC_ACQ_REL);
    }
}

void fm_drop(const struct pv_foreign *f)
{
    if (f->owner == NULL) {
        return;
    }
    fm_unpin(f);
    /* May be the last reference of a destroyed domain: it is then freed
     * later, on CPU 0 (domain_put). */
    domain_put(f->owner);
}

/* ---- The table ------------------------------------------------------------------ */

static uint64_t home(const struct foreign_maps *fm, uint64_t g)
{
    /* Fibonacci hashing: consecutive gfns (what privcmd maps) spread. */
    return ((g * 0x9e3779b97f4a7c15ULL) >> 17) & (fm->cap - 1U);
}

static uint64_t find(const struct foreign_maps *fm, uint64_t g)
{
    uint64_t i = home(fm, g);

    while (fm->slot[i].gfn != INVALID_GFN_RAW) {
        if (fm->slot[i].gfn == g) {
            return i;
        }
        i = (i + 1U) & (fm->cap - 1U);
    }
    return UINT64_MAX;
}

static void place(struct foreign_maps *fm, uint64_t g, const struct pv_foreign *f)
{
    uint64_t i = home(fm, g);

    while (fm->slot[i].gfn != INVALID_GFN_RAW) {
        i = (i + 1U) & (fm->cap - 1U);
    }
    fm->slot[i].gfn = g;
    fm->slot[i].f = *f;
}

/* Move the entries to a table of cap slots. false: no memory (nothing
 * changed). */
static bool rehash(struct foreign_maps *fm, uint64_t cap)
{
    struct fm_slot *old = fm->slot;
    uint64_t old_cap = fm->cap;
    struct fm_slot *s = xmalloc_array(struct fm_slot, cap);

    if (s == NULL) {
        return false;
    }
    for (uint64_t i = 0U; i < cap; i++) {
        s[i].gfn = INVALID_GFN_RAW;
    }
    fm->slot = s;
    fm->cap = cap;
    for (uint64_t i = 0U; i < old_cap; i++) {
        if (old[i].gfn != INVALID_GFN_RAW) {
            place(fm, old[i].gfn, &old[i].f);
        }
    }
    xfree(old);
    return true;
}

int fm_reserve(struct foreign_maps *fm, uint64_t limit)
{
    uint64_t cap = MAX(fm->cap, (uint64_t)FM_MIN_CAP);

    if (fm->nr >= limit) {
        return -ENOMEM;
    }
    /* At most half full, so that probes stay short. */
    while (((fm->nr + 1U) * 2U) > cap) {
        cap *= 2U;
    }
    if ((cap != fm->cap) && !rehash(fm, cap)) {
        return -ENOMEM;
    }
    return 0;
}

void fm_insert(struct foreign_maps *fm, uint64_t g, const struct pv_foreign *f)
{
    place(fm, g, f);
    fm->nr++;
    (void)__atomic_add_fetch(&fm_total, 1U, __ATOMIC_RELAXED);
}

bool fm_take(struct foreign_maps *fm, uint64_t g, struct pv_foreign *out)
{
    uint64_t i = (fm->cap != 0U) ? find(fm, g) : UINT64_MAX;
    uint64_t mask = fm->cap - 1U;

    if (i == UINT64_MAX) {
        return false;
    }
    *out = fm->slot[i].f;
    /* Close the gap: pull back every later entry of the run that may
     * not stay behind the hole (its home is not in (i, j]). */
    for (uint64_t j = (i + 1U) & mask; fm->slot[j].gfn != INVALID_GFN_RAW; j = (j + 1U) & mask) {
        uint64_t h = home(fm, fm->slot[j].gfn);
        bool stays = (i < j) ? ((h > i) && (h <= j)) : ((h > i) || (h <= j));

        if (!stays) {
            fm->slot[i] = fm->slot[j];
            i = j;
        }
    }
    fm->slot[i].gfn = INVALID_GFN_RAW;
    fm->nr--;
    (void)__atomic_sub_fetch(&fm_total, 1U, __ATOMIC_RELAXED);
    if ((fm->cap > FM_MIN_CAP) && ((fm->nr * 8U) < fm->cap)) {
        /* Give memory back after a burst; failing to is harmless. */
        (void)rehash(fm, fm->cap / 2U);
    }
    return true;
}

void fm_release_all(struct domain *d)
{
    struct foreign_maps *fm = &d->gnttab->foreign;
    unsigned long flags = spin_lock_irqsave(&fm->lock);
    struct fm_slot *s = fm->slot;
    uint64_t cap = fm->cap;

    fm->slot = NULL;
    fm->cap = 0U;
    (void)__atomic_sub_fetch(&fm_total, fm->nr, __ATOMIC_RELAXED);
    fm->nr = 0U;
    spin_unlock_irqrestore(&fm->lock, flags);
    for (uint64_t i = 0U; i < cap; i++) {
        if (s[i].gfn != INVALID_GFN_RAW) {
            /* Out of d's stage 2 before the page can go back to the
             * allocator with the owner. */
            (void)arch_guest_unmap_page(d, gfn(s[i].gfn));
            fm_drop(&s[i].f);
        }
    }
    xfree(s);
}

/* ---- For the 'm' key and tests ---------------------------------------------- */

uint64_t xenmem_foreign_maps(const struct domain *d)
{
    return (d->gnttab != NULL) ? __atomic_load_n(&d->gnttab->foreign.nr, __ATOMIC_RELAXED) : 0U;
}

uint64_t xenmem_foreign_dying(struct domain *d)
{
    struct foreign_maps *fm;
    unsigned long flags;
    uint64_t n = 0U;

    if (d->gnttab == NULL) {
        return 0U;
    }
    fm = &d->gnttab->foreign;
    flags = spin_lock_irqsave(&fm->lock);
    for (uint64_t i = 0U; i < fm->cap; i++) {
        if ((fm->slot[i].gfn != INVALID_GFN_RAW) && fm->slot[i].f.owner->dying) {
            n++;
        }
    }
    spin_unlock_irqrestore(&fm->lock, flags);
    return n;
}

uint64_t xenmem_foreign_total(void)
{
    return __atomic_load_n(&fm_total, __ATOMIC_RELAXED);
}
