/* XENMEM_increase_reservation, decrease_reservation and populate_physmap:
 * what the balloon driver uses to give memory back and take it again.
 *
 * Domain RAM is allocated in blocks of up to 2^18 pages (domain.c), each on
 * d->page_list by its first page; the buddy allocator only takes a block
 * back whole. So a page ballooned out (decrease_reservation) is removed
 * from the guest's stage 2 and from tot_pages, and then:
 *   - a block of one page is freed;
 *   - a page inside a bigger block stays the domain's, on a per-domain
 *     reuse list that populate_physmap takes order-0 extents from first
 *     (the list is threaded through the free pages' own first bytes: the
 *     guest can no longer reach them, and it needs no memory of its own);
 *   - a page something still pins (a vcpu_info, a grant mapped by another
 *     domain, ...) is never handed out again: it stays in its block until
 *     the domain dies.
 * domain_destroy frees every block whole, reuse list included.
 *
 * A static domain (xen,static-mem, d->static_mem) never gets a heap page,
 * whether or not the system is in static mode: every page it balloons out
 * goes on its reuse list, one-page blocks included (freeing one would
 * take it out of use until the next build), and populate_physmap and
 * increase_reservation take order-0 extents from that list only. When the
 * list is empty they stop there and return the extents done, as Xen 4.18
 * does with its resv_page_list. A reboot rebuilds the domain from its
 * banks (domain_assign_static_ram), so nothing is lost for good.
 *
 * A direct-mapped domain (dom0, whose RAM is 1:1 like Xen 4.17's on Arm)
 * keeps its ballooned pages allocated, and populate_physmap only maps back
 * its own frame at gfn == mfn, as Xen does, so DMA addresses stay right. */
#include <proxenos/guest_ram.h>
#include "pv_mem.h"
#include <proxenos/arch/mm.h>
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/string.h>
#include <public/memory.h>

/* Extents handled per invocation before a continuation. */
#define EXTENTS_PER_CALL 64U
/* Xen's memop-max-order defaults on Arm: domU 9, control domain 18. */
#define DOMU_MAX_ORDER   9U
#define CTLDOM_MAX_ORDER 18U

struct memop {
    struct domain *d;
    uint64_t list;          /* guest address of the xen_pfn_t array */
    uint64_t nr_extents;
    uint32_t order;
    uint64_t done;          /* extents finished */
    bool preempted;
};

bool pv_direct_mapped(const struct domain *d)
{
    return d->direct_map;
}

static uint32_t max_order(const struct domain *cur)
{
    return cur->is_privileged ? CTLDOM_MAX_ORDER : DOMU_MAX_ORDER;
}

/* d's memory limit. A domain builder that did not set one gets what the
 * domain had when it first used these commands (Xen's max_mem is the
 * domain's memory size). */
uint64_t pv_ram_top(struct domain *d)
{
    uint64_t top = 0U;
    uint64_t pages = pv_max_pages(d);

    if (pv_direct_mapped(d)) {
        unsigned long flags = spin_lock_irqsave(&d->lock);

        for (const struct page_info *pg = d->page_list.first; pg != NULL; pg = pg->next) {
            top = MAX(top, mfn_x(page_to_mfn(pg)) + (1ULL << pg->order) - 1U);
        }
        spin_unlock_irqrestore(&d->lock, flags);
    } else {
        /* The guest memory layout: the banks filled in order. */
        top = guest_ram_last_gfn(pages);
    }
    return top;
}

/* ---- The reuse list -------------------------------------------------------- */

static void reuse_push(struct domain *d, mfn_t m)
{
    uint64_t *link = arch_maddr_to_virt(mfn_to_paddr(m));
    unsigned long flags = spin_lock_irqsave(&d->lock);

    *link = mfn_x(d->gnttab->reuse_head);
    d->gnttab->reuse_head = m;
    d->gnttab->reuse_nr++;
    spin_unlock_irqrestore(&d->lock, flags);
}

/* A page from the reuse list, zeroed, or INVALID_MFN. */
static mfn_t reuse_pop(struct domain *d)
{
    unsigned long flags = spin_lock_irqsave(&d->lock);
    mfn_t m = d->gnttab->reuse_head;
    void *va;

    if (d->gnttab->reuse_nr == 0U) {
        spin_unlock_irqrestore(&d->lock, flags);
        return INVALID_MFN;
    }
    va = arch_maddr_to_virt(mfn_to_paddr(m));
    d->gnttab->reuse_head = mfn(*(const uint64_t *)va);
    d->gnttab->reuse_nr--;
    spin_unlock_irqrestore(&d->lock, flags);
    (void)memset(va, 0, PAGE_SIZE);
    return m;
}

/* ---- Allocation and accounting ------------------------------------------------ */

/* A new extent of 2^order pages for d, within its limit, already counted
 * in tot_pages: from the reuse list (order 0) or, unless d is static, the
 * allocator. *fresh:
 * a new block (else a reused page). INVALID_MFN if none. The limit is
 * checked and the pages counted under d->lock in one step, so that two
 * CPUs populating the same domain (the toolstack and the guest itself,
 * or two toolstack threads) cannot both pass it. */
static mfn_t extent_alloc(struct domain *d, uint32_t order, bool *fresh)
{
    uint64_t n = 1ULL << order;
    uint64_t limit = pv_max_pages(d);
    unsigned long flags = spin_lock_irqsave(&d->lock);
    bool room = (d->tot_pages + n) <= limit;
    mfn_t m = INVALID_MFN;

    if (room) {
        d->tot_pages += n;
    }
    spin_unlock_irqrestore(&d->lock, flags);
    if (!room) {
        return INVALID_MFN;
    }
    *fresh = false;
    if (order == 0U) {
        m = reuse_pop(d);
    }
    /* A static domain's memory is its banks: never the heap. */
    if (mfn_eq(m, INVALID_MFN) && !d->static_mem) {
        m = alloc_pages(order, ALLOC_ZERO);
        *fresh = true;
    }
    if (mfn_eq(m, INVALID_MFN)) {
        flags = spin_lock_irqsave(&d->lock);
        d->tot_pages -= n;
        spin_unlock_irqrestore(&d->lock, flags);
    }
    return m;
}

/* Give d the extent from extent_alloc (its RAM blocks list it). */
static void extent_assign(struct domain *d, mfn_t m, bool fresh)
{
    unsigned long flags;

    if (fresh) {
        flags = spin_lock_irqsave(&d->lock);
        page_list_push(&d->page_list, mfn_to_page(m));
        spin_unlock_irqrestore(&d->lock, flags);
    }
}

/* Undo extent_alloc for an extent never assigned. */
static void extent_unalloc(struct domain *d, mfn_t m, uint32_t order, bool fresh)
{
    unsigned long flags = spin_lock_irqsave(&d->lock);

    d->tot_pages -= 1ULL << order;
    spin_unlock_irqrestore(&d->lock, flags);
    if (fresh) {
        free_pages(m, order);
    } else {
        reuse_push(d, m);
    }
}

/* ---- increase_reservation ------------------------------------------------------ */

static void increase(struct memop *a)
{
    for (; a->done < a->nr_extents; a->done++) {
        bool fresh = false;
        mfn_t m;

        if (a->preempted) {
            return;
        }
        m = extent_alloc(a->d, a->order, &fresh);
        if (mfn_eq(m, INVALID_MFN)) {
            return;
        }
        /* On Arm the guest is told nothing about the pages (no frame
         * numbers for a translated guest), as in Xen. */
        extent_assign(a->d, m, fresh);
        a->preempted = ((a->done + 1U) % EXTENTS_PER_CALL) == 0U;
    }
}

/* ---- populate_physmap ----------------------------------------------------------- */

/* Whether m is inside one of d's RAM blocks. */
static bool owns_frame(struct domain *d, mfn_t m)
{
    unsigned long flags = spin_lock_irqsave(&d->lock);
    bool found = false;

    for (const struct page_info *pg = d->page_list.first; (pg != NULL) && !found; pg = pg->next) {
        uint64_t first = mfn_x(page_to_mfn(pg));

        found = (mfn_x(m) >= first) && ((mfn_x(m) - first) < (1ULL << pg->order));
    }
    spin_unlock_irqrestore(&d->lock, flags);
    return found;
}

/* Map 2^order frames from m at g; on failure unmap what was mapped. */
static int map_extent(struct domain *d, uint64_t g, mfn_t m, uint32_t order)
{
    uint64_t n = 1ULL << order;

    /* A new domain's RAM (libxl populates it in 2 MiB extents) goes in
     * whole, as block mappings: fewer stage-2 tables and TLB entries. */
    if ((order > 0U) && (pv_physmap_populate(d, g, m, n) == 0)) {
        return 0;
    }
    for (uint64_t j = 0U; j < n; j++) {
        int rc = pv_physmap_set(d, g + j, mfn(mfn_x(m) + j), GUEST_FRAME_RAM);

        if (rc != 0) {
            for (uint64_t k = 0U; k < j; k++) {
                (void)arch_guest_unmap_page(d, gfn(g + k));
            }
            return rc;
        }
    }
    return 0;
}

static bool populate_one(struct domain *d, uint64_t g, uint32_t order)
{
    uint64_t n = 1ULL << order;
    bool fresh = false;
    mfn_t m;

    if ((g > (UINT64_MAX >> PAGE_SHIFT)) || ((g + n) > (UINT64_MAX >> PAGE_SHIFT))) {
        return false;
    }
    if (pv_direct_mapped(d)) {
        for (uint64_t j = 0U; j < n; j++) {
            if ((mfn_to_page(mfn(g + j)) == NULL) || !owns_frame(d, mfn(g + j))) {
                return false;
            }
        }
        return map_extent(d, g, mfn(g), order) == 0;
    }
    m = extent_alloc(d, order, &fresh);
    if (mfn_eq(m, INVALID_MFN)) {
        return false;
    }
    if (map_extent(d, g, m, order) != 0) {
        extent_unalloc(d, m, order, fresh);
        return false;
    }
    extent_assign(d, m, fresh);
    return true;
}

static void populate(struct memop *a)
{
    for (; a->done < a->nr_extents; a->done++) {
        uint64_t g;

        if (a->preempted ||
            (copy_from_guest(&g, a->list + (a->done * sizeof(g)), sizeof(g)) != 0) ||
            !populate_one(a->d, g, a->order)) {
            return;
        }
        a->preempted = ((a->done + 1U) % EXTENTS_PER_CALL) == 0U;
    }
}

/* ---- decrease_reservation -------------------------------------------------------- */

/* Xen's guest_remove_page: 0, -EINVAL (nothing mapped), -ENXIO (not the
 * domain's RAM), or a stage-2 error. */
static int remove_page(struct domain *d, uint64_t g)
{
    enum guest_frame_type t = GUEST_FRAME_NONE;
    struct page_info *pg;
    mfn_t m;
    int rc;

    if ((g >= (UINT64_MAX >> PAGE_SHIFT)) || (arch_guest_lookup_page(d, gfn(g), &m, &t) != 0)) {
        return -EINVAL;
    }
    pg = mfn_to_page(m);
    if (((t != GUEST_FRAME_RAM) && (t != GUEST_FRAME_RAM_RO)) || (pg == NULL)) {
        return -ENXIO;
    }
    /* Only if g still maps m: a vCPU racing us on the same gfn must not
     * make us free a page it already freed (or one it put there). */
    rc = pv_physmap_remove_if(d, g, m);
    if (rc == -ENOENT) {
        return -EINVAL;
    }
    if ((rc != 0) || pv_is_xen_frame(d, m) || pv_direct_mapped(d)) {
        return rc;
    }
    {
        unsigned long flags = spin_lock_irqsave(&d->lock);
        /* A static page is never freed: it would leave its domain. */
        bool whole = !guest_page_pinned(pg) && page_is_allocated(pg) && (pg->order == 0U) &&
                     !d->static_mem;

        d->tot_pages--;
        if (whole) {
            page_list_remove(&d->page_list, pg);
        }
        spin_unlock_irqrestore(&d->lock, flags);
        if (whole) {
            free_pages(m, 0U);
        } else if (!guest_page_pinned(pg)) {
            reuse_push(d, m);
        } else {
            /* Pinned: kept in its block, never handed out again. */
        }
    }
    return 0;
}

static void decrease(struct memop *a)
{
    for (; a->done < a->nr_extents; a->done++) {
        uint64_t g;

        if (a->preempted ||
            (copy_from_guest(&g, a->list + (a->done * sizeof(g)), sizeof(g)) != 0)) {
            return;
        }
        for (uint64_t j = 0U; j < (1ULL << a->order); j++) {
            if (remove_page(a->d, g + j) != 0) {
                return;
            }
        }
        a->preempted = ((a->done + 1U) % EXTENTS_PER_CALL) == 0U;
    }
}

/* ---- The common part --------------------------------------------------------------- */

/* Xen's construct_memop_from_reservation and propagate_node, for a host
 * with one NUMA node and no vNUMA: false means "do nothing". */
static bool flags_ok(const struct xen_memory_reservation *r)
{
    uint32_t bits = XENMEMF_get_address_bits(r->mem_flags);
    uint32_t node = XENMEMF_get_node(r->mem_flags);

    if ((bits != 0U) && (bits <= PAGE_SHIFT)) {
        return false;
    }
    if (((r->mem_flags & XENMEMF_vnode) != 0U) || (node == 0xffU)) {
        return true;
    }
    if (pv_current_domain()->is_privileged) {
        return node < 1U;
    }
    return (r->mem_flags & XENMEMF_exact_node_request) == 0U;
}

/* xenmem_reservation once the target domain a->d is held. */
static long reservation_on(struct hcall_args *args, uint32_t op, uint64_t start,
                           const struct xen_memory_reservation *r, struct memop *a)
{
    const struct domain *cur = pv_current_domain();

    if ((a->d == NULL) || (a->d->gnttab == NULL) || !flags_ok(r) || !pv_may_target(a->d)) {
        return (long)start;
    }
    if ((op == XENMEM_populate_physmap) && ((r->mem_flags & XENMEMF_populate_on_demand) != 0U)) {
        /* Populate-on-demand: not on oneself, and Arm has none. */
        return (long)start;
    }
    if (r->extent_order > max_order(cur)) {
        return (long)start;
    }
    /* Fix the limit before the first page leaves. */
    (void)pv_max_pages(a->d);
    a->list = r->extent_start;
    a->nr_extents = r->nr_extents;
    a->order = r->extent_order;
    a->done = start;
    if (op == XENMEM_increase_reservation) {
        increase(a);
    } else if (op == XENMEM_decrease_reservation) {
        decrease(a);
    } else {
        populate(a);
    }
    if (a->preempted && (a->done < a->nr_extents)) {
        args->a[0] = (uint64_t)op | (a->done << MEMOP_EXTENT_SHIFT);
        return -ERESTART;
    }
    return (long)a->done;
}

long xenmem_reservation(struct hcall_args *args, uint32_t op, uint64_t start)
{
    struct xen_memory_reservation r;
    struct memop a = { 0 };
    long rc;

    if ((copy_from_guest(&r, args->a[1], sizeof(r)) != 0) ||
        (r.nr_extents > (UINT32_MAX >> MEMOP_EXTENT_SHIFT)) || (start >= r.nr_extents)) {
        return (long)start;
    }
    a.d = pv_domain_any(r.domid);
    rc = reservation_on(args, op, start, &r, &a);
    pv_domain_put(a.d);
    return rc;
}
