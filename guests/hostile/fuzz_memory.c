/*
 * memory_op on our own domain: reservations whose extent lists hold frames
 * we can spare (or none; an extent of more than one page never starts in
 * our RAM), orders and counts around their limits, an
 * exchange whose halves disagree, add_to_physmap in every space with
 * indexes around the end of each, removal of frames that are not RAM.
 */
#include "hostile.h"

/* Xen 4.17's struct xen_memory_exchange (not in the hypervisor's headers). */
struct memory_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    uint64_t nr_exchanged;
};

#define MAX_EXTENTS 8U

/* Whether gfn lies in our RAM: an extent of more than one page starting
 * there would run from the victim pages into our code, data and stacks. */
static bool in_ram(uint64_t gfn)
{
    return (gfn >= (henv.ram_base >> XEN_PAGE_SHIFT)) && (gfn < (henv.ram_end >> XEN_PAGE_SHIFT));
}

/* An extent list of frames we can spare, in our build pages. */
static uint64_t extent_list(struct hctx *c, uint32_t *n, uint32_t order)
{
    void *b;
    uint64_t a;
    uint64_t *gfns;
    uint32_t i;

    *n = 1U + rnd_below(c, MAX_EXTENTS);
    a = arg_addr(c, &b, *n * 8U);
    gfns = b;
    for (i = 0U; i < *n; i++) {
        gfns[i] = wild_gfn(c);
        if ((order != 0U) && in_ram(gfns[i])) {
            gfns[i] = (henv.ext_base >> XEN_PAGE_SHIFT) + rnd_below(c, 1U << 12);
        }
    }
    return a;
}

static void reservation(struct hctx *c, struct xen_memory_reservation *r)
{
    uint32_t n = 0U;
    uint32_t order = rnd_chance(c, 4U) ? (uint32_t)rnd_near(c, 9U) : rnd_below(c, 2U);

    r->extent_start = extent_list(c, &n, order);
    /* past the list lie older lists' victim frames: only single pages there */
    r->nr_extents = ((order == 0U) && rnd_chance(c, 4U)) ? rnd_near(c, n) : n;
    r->extent_order = order;
    r->mem_flags = rnd_chance(c, 4U) ? (uint32_t)rnd(c) : 0U;
    r->domid = any_domid(c);
}

static void physmap(struct hctx *c, struct xen_add_to_physmap *x)
{
    uint64_t victim = (uint64_t)(uintptr_t)henv.victim >> XEN_PAGE_SHIFT;

    x->domid = any_domid(c);
    x->space = (uint32_t)rnd_near(c, XENMAPSPACE_dev_mmio);
    x->gpfn = wild_gfn(c);
    switch (x->space) {
    case XENMAPSPACE_gmfn:
    case XENMAPSPACE_gmfn_range:
        /* only our victim pages may move, and only onto victim pages or
         * frames that are not our RAM: neither range may leave them */
        x->idx = victim + rnd_below(c, HOSTILE_VICTIM_PAGES);
        x->size = (uint16_t)(1U + rnd_below(c, (uint32_t)(victim + HOSTILE_VICTIM_PAGES - x->idx)));
        if (in_ram(x->gpfn) && (x->gpfn + x->size > victim + HOSTILE_VICTIM_PAGES)) {
            x->gpfn = victim + HOSTILE_VICTIM_PAGES - x->size;
        }
        break;
    default:
        x->idx = rnd_chance(c, 2U) ? rnd_near(c, 32U) : (XENMAPIDX_grant_table_status | rnd_below(c, 4U));
        x->size = (uint16_t)rnd(c);
        /* grant frame 0 stays where setup put it: we wrote our grants there */
        if ((x->space == XENMAPSPACE_grant_table) && (x->idx == 0U)) {
            x->gpfn = henv.gnttab_base >> XEN_PAGE_SHIFT;
        }
        break;
    }
}

long fuzz_memory(struct hctx *c)
{
    uint32_t cmd = rnd_below(c, 30U);
    uint64_t a;
    void *b;

    switch (cmd) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        a = arg_addr(c, &b, sizeof(struct xen_memory_reservation));
        reservation(c, b);
        break;
    case XENMEM_exchange: {
        struct memory_exchange *e;

        a = arg_addr(c, &b, sizeof(*e));
        e = b;
        reservation(c, &e->in);
        reservation(c, &e->out);
        e->nr_exchanged = rnd_chance(c, 4U) ? rnd_near(c, 4U) : 0U;
        break;
    }
    case XENMEM_add_to_physmap:
        a = arg_addr(c, &b, sizeof(struct xen_add_to_physmap));
        physmap(c, b);
        break;
    case XENMEM_remove_from_physmap: {
        struct xen_remove_from_physmap *r;

        a = arg_addr(c, &b, sizeof(*r));
        r = b;
        r->domid = any_domid(c);
        r->gpfn = wild_gfn(c);
        break;
    }
    case XENMEM_acquire_resource: {
        struct xen_mem_acquire_resource *r;

        a = arg_addr(c, &b, sizeof(*r));
        r = b;
        r->domid = any_domid(c);
        r->type = (uint16_t)rnd_near(c, 2U);
        r->id = rnd_below(c, 3U);
        r->nr_frames = (uint32_t)rnd_near(c, 4U);
        r->pad = 0U;
        r->frame = rnd_near(c, 32U);
        r->frame_list = wild_addr(c, 64U);
        break;
    }
    default:    /* the reservation queries, the memory maps, claims, unknown numbers */
        a = arg_addr(c, &b, 64U);
        *(uint16_t *)b = any_domid(c);
        break;
    }
    /* bits above MEMOP_EXTENT_SHIFT say where a preempted call resumes */
    if (rnd_chance(c, 8U)) {
        cmd |= (uint32_t)(rnd_near(c, 8U) << MEMOP_EXTENT_SHIFT);
    }
    return hyp_memory_op(cmd, (void *)(uintptr_t)a);
}
