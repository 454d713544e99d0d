/* GNTTABOP_map_grant_ref and GNTTABOP_unmap_grant_ref on Arm, and the pins
 * that maps and copies take on a grant.
 *
 * A map puts the granted frame into the mapping domain's stage 2 at the
 * guest-physical address it names (host_addr), as a grant mapping (never
 * executable; read-only with GNTMAP_readonly), and records it in the
 * mapper's maptrack under a handle. While any map or copy uses a grant, the
 * granting domain's entry has GTF_reading (and GTF_writing for writable
 * uses) set and the frame is pinned (guest_page_pinned), so ballooning it
 * out cannot hand it to anyone else.
 *
 * Locking: one table lock at a time, never two; stage-2 changes run
 * without any. A map reserves its handle first (mapper's lock), pins the
 * grant (granter's lock), changes the stage 2, then publishes the handle;
 * an unmap claims the handle first so that two unmaps of one handle cannot
 * both succeed. */
#include "../memory/pv_mem.h"
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/nospec.h>
#include <proxenos/xmalloc.h>

/* ---- Pins -------------------------------------------------------------------- */

int gnttab_guest_frame(struct domain *d, uint64_t g, bool readonly, mfn_t *mfn)
{
    enum guest_frame_type t = GUEST_FRAME_NONE;

    if ((arch_guest_lookup_page(d, gfn(g), mfn, &t) != 0) ||
        !((t == GUEST_FRAME_RAM) || (readonly && (t == GUEST_FRAME_RAM_RO))) ||
        (mfn_to_page(*mfn) == NULL)) {
        return GNTST_bad_page;
    }
    return GNTST_okay;
}

/* Set GTF_reading (and GTF_writing) in the guest's entry, checking it
 * grants access to ld first unless the grant is already in use. The guest
 * may change the entry at any time: compare-and-swap, a few tries. */
static int set_status(struct grant_entry_v1 *e, bool pinned, domid_t ld, bool readonly,
                      bool sub_page)
{
    uint32_t *word = (uint32_t *)(void *)e;   /* flags and domid together */
    uint32_t cur = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    uint32_t mask = GTF_type_mask | (sub_page ? GTF_sub_page : 0U);

    for (unsigned int tries = 0U; tries < 5U; tries++) {
        uint32_t flags = cur & 0xffffU;
        uint32_t want = cur | GTF_reading;

        if (!pinned && (((flags & mask) != GTF_permit_access) || ((cur >> 16) != ld))) {
            return GNTST_general_error;
        }
        if (!readonly) {
            if ((flags & GTF_readonly) != 0U) {
                return GNTST_general_error;
            }
            want |= GTF_writing;
        }
        if (__atomic_compare_exchange_n(word, &cur, want, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
            return GNTST_okay;
        }
    }
    return GNTST_general_error;
}

/* The pins are gone (readers) or the writers are: say so in the entry. */
static void clear_status(struct grant_entry_v1 *e, uint32_t pin, bool readonly)
{
    uint16_t clear = 0U;

    if (!readonly && ((pin & GNTTAB_PIN_W_MASK) == 0U)) {
        clear |= (uint16_t)GTF_writing;
    }
    if (pin == 0U) {
        clear |= (uint16_t)GTF_reading;
    }
    if (clear != 0U) {
        (void)__atomic_fetch_and(&e->flags, (uint16_t)~clear, __ATOMIC_ACQ_REL);
    }
}

static void page_pin(mfn_t m, int delta)
{
    struct page_info *pg = mfn_to_page(m);

    if (pg != NULL) {
        if (delta > 0) {
            (void)__atomic_add_fetch(&pg->u.guest.pins, 1U, __ATOMIC_ACQ_REL);
        } else {
            (void)__atomic_sub_fetch(&pg->u.guest.pins, 1U, __ATOMIC_ACQ_REL);
        }
    }
}

int gnttab_pin_grant(struct domain *rd, uint32_t ref, domid_t ld, bool readonly, bool sub_page,
                 mfn_t *mfn)
{
    struct grant_table *gt = rd->gnttab;
    uint32_t inc = readonly ? GNTTAB_PIN_R_INC : GNTTAB_PIN_W_INC;
    uint32_t cnt_mask = readonly ? GNTTAB_PIN_R_MASK : GNTTAB_PIN_W_MASK;
    unsigned long flags = spin_lock_irqsave(&gt->lock);
    struct grant_entry_v1 *e;
    struct gnttab_active *act;
    int rc = GNTST_okay;

    if (ref >= gnttab_nr_entries(gt)) {
        spin_unlock_irqrestore(&gt->lock, flags);
        return GNTST_bad_gntref;
    }
    e = gnttab_entry(gt, ref);
    act = gnttab_active_entry(gt, ref);
    if ((act->pin != 0U) &&
        ((act->domid != ld) || ((act->pin & cnt_mask) >= (inc * GNTTAB_PIN_LIMIT)))) {
        rc = GNTST_general_error;
    } else if ((act->pin == 0U) || (!readonly && ((act->pin & GNTTAB_PIN_W_MASK) == 0U))) {
        rc = set_status(e, act->pin != 0U, ld, readonly, sub_page);
        if ((rc == GNTST_okay) && (act->pin == 0U)) {
            uint32_t frame = __atomic_load_n(&e->frame, __ATOMIC_ACQUIRE);

            rc = gnttab_guest_frame(rd, frame, readonly, &act->mfn);
            if (rc != GNTST_okay) {
                clear_status(e, 0U, readonly);
            } else {
                act->domid = ld;
                page_pin(act->mfn, 1);
            }
        } else if (rc != GNTST_okay) {
            /* Nothing was set. */
        } else {
            /* A first writer of a grant pinned for reading. */
        }
    } else {
        /* Already pinned the way this use needs. */
    }
    if (rc == GNTST_okay) {
        act->pin += inc;
        *mfn = act->mfn;
    }
    spin_unlock_irqrestore(&gt->lock, flags);
    return rc;
}

void gnttab_unpin_grant(struct domain *rd, uint32_t ref, bool readonly)
{
    struct grant_table *gt = rd->gnttab;
    uint32_t inc = readonly ? GNTTAB_PIN_R_INC : GNTTAB_PIN_W_INC;
    unsigned long flags = spin_lock_irqsave(&gt->lock);
    struct gnttab_active *act;

    if (ref < gnttab_nr_entries(gt)) {
        act = gnttab_active_entry(gt, ref);
        if (act->pin >= inc) {
            act->pin -= inc;
            clear_status(gnttab_entry(gt, ref), act->pin, readonly);
            if (act->pin == 0U) {
                page_pin(act->mfn, -1);
                act->mfn = INVALID_MFN;
            }
        }
    }
    spin_unlock_irqrestore(&gt->lock, flags);
}

/* ---- Maptrack ------------------------------------------------------------------ */

static struct gnttab_maptrack *mt_entry(struct grant_table *gt, uint32_t h)
{
    return &gt->maptrack[h / GNTTAB_MAPTRACK_PER_FRAME][h % GNTTAB_MAPTRACK_PER_FRAME];
}

/* A free handle (its entry still has flags 0), or GNTTAB_MAPTRACK_NONE when
 * the domain has used every maptrack frame it may have. */
static uint32_t mt_get(struct grant_table *gt)
{
    unsigned long flags = spin_lock_irqsave(&gt->lock);
    uint32_t h = gt->maptrack_free;

    if ((h == GNTTAB_MAPTRACK_NONE) && (gt->maptrack_frames < gt->max_maptrack_frames)) {
        struct gnttab_maptrack *f = xzalloc_array(struct gnttab_maptrack, GNTTAB_MAPTRACK_PER_FRAME);

        if (f != NULL) {
            uint32_t base = gt->maptrack_frames * GNTTAB_MAPTRACK_PER_FRAME;

            for (uint32_t i = 0U; i < GNTTAB_MAPTRACK_PER_FRAME; i++) {
                f[i].ref = ((i + 1U) < GNTTAB_MAPTRACK_PER_FRAME) ? (base + i + 1U) : GNTTAB_MAPTRACK_NONE;
            }
            gt->maptrack[gt->maptrack_frames] = f;
            gt->maptrack_frames++;
            h = base;
        }
    }
    if (h != GNTTAB_MAPTRACK_NONE) {
        gt->maptrack_free = mt_entry(gt, h)->ref;
        gt->maptrack_used++;
    }
    spin_unlock_irqrestore(&gt->lock, flags);
    return h;
}

static void mt_put_locked(struct grant_table *gt, uint32_t h)
{
    struct gnttab_maptrack *mt = mt_entry(gt, h);

    mt->flags = 0U;
    mt->ref = gt->maptrack_free;
    gt->maptrack_free = h;
    gt->maptrack_used--;
}

static void mt_put(struct grant_table *gt, uint32_t h)
{
    unsigned long flags = spin_lock_irqsave(&gt->lock);

    mt_put_locked(gt, h);
    spin_unlock_irqrestore(&gt->lock, flags);
}

int gnttab_maptrack_prealloc(struct domain *d)
{
    uint32_t h = mt_get(d->gnttab);

    if (h == GNTTAB_MAPTRACK_NONE) {
        return -ENOMEM;
    }
    mt_put(d->gnttab, h);
    return 0;
}

/* ---- map_grant_ref ---------------------------------------------------------------- */

static int16_t map_one(struct domain *ld, struct gnttab_map_grant_ref *op)
{
    bool ro = (op->flags & GNTMAP_readonly) != 0U;
    struct domain *rd;
    uint32_t h;
    mfn_t m = INVALID_MFN;
    int rc;

    if ((op->flags & (GNTMAP_host_map | GNTMAP_device_map)) == 0U) {
        return GNTST_bad_gntref;
    }
    /* Arm guests are translated: no device, application or PTE maps. */
    if ((op->flags & (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte)) != 0U) {
        return GNTST_general_error;
    }
    rd = (op->dom == DOMID_SELF) ? NULL : domain_get_any(ld, op->dom);
    if ((rd == NULL) || (rd->gnttab == NULL)) {
        domain_put_any(ld, rd);
        return GNTST_bad_domain;
    }
    h = mt_get(ld->gnttab);
    if (h == GNTTAB_MAPTRACK_NONE) {
        domain_put_any(ld, rd);
        return GNTST_no_space;
    }
    rc = gnttab_pin_grant(rd, op->ref, ld->domain_id, ro, true, &m);
    if (rc == GNTST_okay) {
        uint64_t g = op->host_addr >> PAGE_SHIFT;

        if (pv_physmap_set(ld, g, m, ro ? GUEST_FRAME_GRANT_RO : GUEST_FRAME_GRANT_RW) != 0) {
            gnttab_unpin_grant(rd, op->ref, ro);
            rc = GNTST_general_error;
        } else {
            struct grant_table *lgt = ld->gnttab;
            unsigned long flags = spin_lock_irqsave(&lgt->lock);
            struct gnttab_maptrack *mt = mt_entry(lgt, h);

            mt->gfn = g;
            mt->ref = op->ref;
            mt->domid = op->dom;
            mt->flags = (uint16_t)(GNTMAP_host_map | (ro ? GNTMAP_readonly : 0U));
            /* The lookup's reference stays with the mapping. */
            mt->owner = (rd != ld) ? rd : NULL;
            spin_unlock_irqrestore(&lgt->lock, flags);
            op->handle = h;
            op->dev_bus_addr = mfn_to_paddr(m);
            return GNTST_okay;
        }
    }
    mt_put(ld->gnttab, h);
    domain_put_any(ld, rd);
    return (int16_t)rc;
}

long gnttab_map_ops(struct hcall_args *args, uint32_t count)
{
    struct domain *ld = pv_current_domain();
    uint32_t n = MIN(count, GNTTAB_OPS_PER_CALL);

    for (uint32_t i = 0U; i < n; i++) {
        uint64_t at = args->a[1] + ((uint64_t)i * sizeof(struct gnttab_map_grant_ref));
        struct gnttab_map_grant_ref op;

        if (copy_from_guest(&op, at, sizeof(op)) != 0) {
            return -EFAULT;
        }
        op.status = map_one(ld, &op);
        if (copy_to_guest(at, &op, sizeof(op)) != 0) {
            return -EFAULT;
        }
    }
    if (count > n) {
        args->a[1] += (uint64_t)n * sizeof(struct gnttab_map_grant_ref);
        args->a[2] = count - n;
        return -ERESTART;
    }
    return 0;
}

/* ---- unmap_grant_ref --------------------------------------------------------------- */

static int16_t unmap_one(struct domain *ld, const struct gnttab_unmap_grant_ref *op)
{
    struct grant_table *lgt = ld->gnttab;
    unsigned long flags = spin_lock_irqsave(&lgt->lock);
    struct gnttab_maptrack mt;
    struct domain *rd;
    uint32_t h = op->handle;

    if (h >= (lgt->maptrack_frames * GNTTAB_MAPTRACK_PER_FRAME)) {
        spin_unlock_irqrestore(&lgt->lock, flags);
        return GNTST_bad_handle;
    }
    h = (uint32_t)array_index_nospec(h, (uint64_t)lgt->maptrack_frames * GNTTAB_MAPTRACK_PER_FRAME);
    mt = *mt_entry(lgt, h);
    if (mt.flags == 0U) {
        spin_unlock_irqrestore(&lgt->lock, flags);
        return GNTST_bad_handle;
    }
    if (op->host_addr == 0U) {
        /* Xen leaves the host mapping (and the handle) alone. */
        spin_unlock_irqrestore(&lgt->lock, flags);
        return GNTST_okay;
    }
    if ((op->host_addr >> PAGE_SHIFT) != mt.gfn) {
        spin_unlock_irqrestore(&lgt->lock, flags);
        return GNTST_general_error;
    }
    /* Claim the handle: a second unmap now sees a free one. */
    mt_entry(lgt, h)->flags = 0U;
    spin_unlock_irqrestore(&lgt->lock, flags);

    (void)arch_guest_unmap_page(ld, gfn(mt.gfn));
    /* The granter may be dying: the mapping's reference still holds it. */
    rd = (mt.owner != NULL) ? mt.owner : ld;
    if (rd->gnttab != NULL) {
        gnttab_unpin_grant(rd, mt.ref, (mt.flags & GNTMAP_readonly) != 0U);
    }
    if (mt.owner != NULL) {
        domain_put(mt.owner);
    }
    flags = spin_lock_irqsave(&lgt->lock);
    mt_put_locked(lgt, h);
    spin_unlock_irqrestore(&lgt->lock, flags);
    return GNTST_okay;
}

long gnttab_unmap_ops(struct hcall_args *args, uint32_t count)
{
    struct domain *ld = pv_current_domain();
    uint32_t n = MIN(count, GNTTAB_OPS_PER_CALL);

    for (uint32_t i = 0U; i < n; i++) {
        uint64_t at = args->a[1] + ((uint64_t)i * sizeof(struct gnttab_unmap_grant_ref));
        struct gnttab_unmap_grant_ref op;

        if (copy_from_guest(&op, at, sizeof(op)) != 0) {
            return -EFAULT;
        }
        op.status = unmap_one(ld, &op);
        if (copy_to_guest(at + offsetof(struct gnttab_unmap_grant_ref, status), &op.status,
                          sizeof(op.status)) != 0) {
            return -EFAULT;
        }
    }
    if (count > n) {
        args->a[1] += (uint64_t)n * sizeof(struct gnttab_unmap_grant_ref);
        args->a[2] = count - n;
        return -ERESTART;
    }
    return 0;
}

/* ---- Teardown ------------------------------------------------------------------------ */

/* Remove every mapping lgt's domain holds, giving the pins and the
 * granters' references back. */
static void drop_own_maps(struct grant_table *lgt)
{
    for (uint32_t h = 0U; h < (lgt->maptrack_frames * GNTTAB_MAPTRACK_PER_FRAME); h++) {
        unsigned long flags = spin_lock_irqsave(&lgt->lock);
        struct gnttab_maptrack mt = *mt_entry(lgt, h);
        struct domain *owner;

        if (mt.flags == 0U) {
            spin_unlock_irqrestore(&lgt->lock, flags);
            continue;
        }
        mt_entry(lgt, h)->flags = 0U;
        spin_unlock_irqrestore(&lgt->lock, flags);

        (void)arch_guest_unmap_page(lgt->d, gfn(mt.gfn));
        owner = (mt.owner != NULL) ? mt.owner : lgt->d;
        if (owner->gnttab != NULL) {
            gnttab_unpin_grant(owner, mt.ref, (mt.flags & GNTMAP_readonly) != 0U);
        }
        if (mt.owner != NULL) {
            domain_put(mt.owner);
        }
        mt_put(lgt, h);
    }
}

void gnttab_release_mappings(struct domain *d)
{
    /* Xen's domain_kill does this at once: two dying domains that map
     * each other's grants would otherwise keep each other forever. d's
     * vCPUs are stopped for good, so nothing of d uses these mappings. */
    if (d->gnttab != NULL) {
        drop_own_maps(d->gnttab);
    }
}
