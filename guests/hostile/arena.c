/*
 * Where the hostile guest's pointers and frame numbers point. Structures
 * are built in per-vCPU build pages and placed at page boundaries. Any
 * address the hypervisor may write through, unmap or move lies outside our
 * code, data and stacks: in the victim pages, the grant window, free GPAs,
 * MMIO, holes or beyond RAM.
 *
 * Counts are sometimes larger than the list they count, and Xen (like
 * Proxenos) walks a grant or reservation batch until it faults. So what
 * follows a list must never look like a frame of ours: the build pages
 * are zeroed before each call, a guard page after the build pages and
 * after the victim pages is given back to the hypervisor at start (a walk
 * off their end faults there), and a structure the hypervisor reads is
 * never placed in the victim pages, whose contents the hypervisor writes
 * (run-state times, copies) and which may hold any number.
 */
#include "hostile.h"

#define PAGE XEN_PAGE_SIZE
#define HOLE_IPA        UINT64_C(0x01000000)         /* below the virtio window */
#define BEYOND_VA       UINT64_C(0x8000000000)       /* past the 39-bit VA space */
#define KERNEL_VA       UINT64_C(0xffff000000000000)
#define EXT_PAGES       64U

/* One guard page after each vCPU's build pages: an output array the
 * hypervisor writes past a structure flush with their end lands there. */
static uint8_t build_pages[HOSTILE_MAX_VCPUS][(HOSTILE_BUILD_PAGES + 1U) * PAGE]
    __attribute__((aligned(PAGE)));
static uint8_t victim_pages[(HOSTILE_VICTIM_PAGES + 1U) * PAGE] __attribute__((aligned(PAGE)));

struct hostile_env henv;

void arena_init(struct hctx *c)
{
    c->build = build_pages[c->vcpu % HOSTILE_MAX_VCPUS];
    henv.victim = victim_pages;
}

void arena_clear(struct hctx *c)
{
    uint64_t *w = (uint64_t *)(void *)c->build;
    uint32_t i;

    for (i = 0U; i < (HOSTILE_BUILD_PAGES * PAGE) / 8U; i++) {
        w[i] = 0U;
    }
    c->nr_slots = 0U;
}

static bool slot_free(const struct hctx *c, uint32_t off, uint32_t size)
{
    uint32_t i;

    for (i = 0U; i < c->nr_slots; i++) {
        if ((off < c->slot_end[i]) && (c->slot_start[i] < off + size)) {
            return false;
        }
    }
    return true;
}

/* Where a slot may go: at the start, across the page boundary (its first
 * bytes in page 0, the rest in page 1) or flush with the end. */
static uint32_t slot_place(struct hctx *c, uint32_t size, uint32_t kind)
{
    const uint32_t span = HOSTILE_BUILD_PAGES * PAGE;
    uint32_t off;

    switch (kind) {
    case 0U:
        off = 0U;
        break;
    case 1U:
        off = PAGE - 1U - rnd_below(c, (size > 1U) ? size - 1U : 1U);
        if (off + size > span) {
            off = span - size;
        }
        break;
    default:
        off = span - size;
        break;
    }
    return off;
}

void *build_slot(struct hctx *c, uint32_t size)
{
    const uint32_t span = HOSTILE_BUILD_PAGES * PAGE;
    uint32_t first = rnd_below(c, 3U);
    uint32_t off = 0U;
    uint32_t k;
    bool found = false;

    if (size > span) {
        size = span;
    }
    /* Never over a structure this call has already built: a list written
     * over a reservation's domid once made it name our own code. */
    for (k = 0U; (k < 3U) && !found; k++) {
        off = slot_place(c, size, (first + k) % 3U);
        found = slot_free(c, off, size);
    }
    for (k = 0U; (k < c->nr_slots) && !found; k++) {
        off = (c->slot_end[k] + 7U) & ~7U;
        found = (off + size <= span) && slot_free(c, off, size);
    }
    if (found && (c->nr_slots < HOSTILE_MAX_SLOTS)) {
        c->slot_start[c->nr_slots] = off;
        c->slot_end[c->nr_slots] = off + size;
        c->nr_slots++;
    }
    return &c->build[off];
}

/* A wild address; first_case 2 leaves out the victim pages. */
static uint64_t wild_addr_from(struct hctx *c, uint32_t size, uint32_t first_case)
{
    uint64_t victim = (uint64_t)(uintptr_t)henv.victim;
    uint64_t page = rnd_below(c, HOSTILE_VICTIM_PAGES);

    switch (first_case + rnd_below(c, 10U - first_case)) {
    case 0U: return victim + page * PAGE + (rnd(c) & (PAGE - 8U));
    case 1U: return victim + (page + 1U) * PAGE - rnd_below(c, size + 1U);
    case 2U: return henv.gnttab_base + (rnd(c) % (henv.gnttab_size + PAGE));
    case 3U: return henv.ext_base + rnd_below(c, EXT_PAGES) * PAGE + rnd_below(c, PAGE);
    case 4U: return henv.gicd_base + rnd_below(c, 0x10000U);
    case 5U: return HOLE_IPA + rnd_below(c, PAGE);
    case 6U: return henv.ram_end - rnd_below(c, size + 1U);
    case 7U: return henv.ram_end + rnd_below(c, 4U * PAGE);
    case 8U: return BEYOND_VA - rnd_below(c, 16U);
    default: return rnd_chance(c, 2U) ? KERNEL_VA : rnd(c);
    }
}

uint64_t wild_addr(struct hctx *c, uint32_t size)
{
    return wild_addr_from(c, size, 0U);
}

int arena_give_back_guards(struct hctx *c)
{
    struct xen_memory_reservation *r;
    uint64_t *gfns;
    uint32_t i;

    r = build_slot(c, sizeof(*r) + ((HOSTILE_MAX_VCPUS + 1U) * 8U));
    gfns = (uint64_t *)(void *)&r[1];
    for (i = 0U; i < HOSTILE_MAX_VCPUS; i++) {
        gfns[i] = (uint64_t)(uintptr_t)&build_pages[i][HOSTILE_BUILD_PAGES * PAGE] >> XEN_PAGE_SHIFT;
    }
    gfns[HOSTILE_MAX_VCPUS] = (uint64_t)(uintptr_t)&victim_pages[HOSTILE_VICTIM_PAGES * PAGE] >> XEN_PAGE_SHIFT;
    r->extent_start = hc_ptr(gfns);
    r->nr_extents = HOSTILE_MAX_VCPUS + 1U;
    r->extent_order = 0U;
    r->mem_flags = 0U;
    r->domid = XEN_DOMID_SELF;
    return (hyp_memory_op(XENMEM_decrease_reservation, r) == (long)(HOSTILE_MAX_VCPUS + 1U)) ? 0 : -1;
}

uint64_t wild_gfn(struct hctx *c)
{
    uint64_t victim = (uint64_t)(uintptr_t)henv.victim >> XEN_PAGE_SHIFT;

    switch (rnd_below(c, 8U)) {
    case 0U:
    case 1U:
    case 2U: return victim + rnd_below(c, HOSTILE_VICTIM_PAGES);
    case 3U: return (henv.gnttab_base >> XEN_PAGE_SHIFT) + rnd_below(c, 40U);
    case 4U: return (henv.ext_base >> XEN_PAGE_SHIFT) + rnd_below(c, EXT_PAGES);
    case 5U: return (henv.ram_end >> XEN_PAGE_SHIFT) + rnd_below(c, 4U);
    case 6U: return henv.gicd_base >> XEN_PAGE_SHIFT;
    default: return rnd_near(c, UINT64_C(1) << 36);
    }
}

uint64_t arg_addr(struct hctx *c, void **buf, uint32_t size)
{
    void *p;
    uint8_t *b;
    uint32_t i;

    if (size > (HOSTILE_BUILD_PAGES * PAGE)) {
        size = HOSTILE_BUILD_PAGES * PAGE;
    }
    p = build_slot(c, size);
    b = p;

    /* random bytes first: the caller then sets the fields it means */
    for (i = 0U; i < size; i++) {
        b[i] = (uint8_t)rnd(c);
    }
    *buf = p;
    return rnd_chance(c, 8U) ? wild_addr_from(c, size, 2U) : hc_ptr(p);
}

uint16_t any_domid(struct hctx *c)
{
    switch (rnd_below(c, 8U)) {
    case 0U:
    case 1U:
    case 2U: return XEN_DOMID_SELF;
    case 3U: return henv.self;
    case 4U: return (uint16_t)(0x7ff0U + rnd_below(c, 16U));     /* the reserved ids */
    case 5U: return 0U;
    case 6U: return 0x7fefU;
    default: {
        uint16_t d = (uint16_t)rnd(c);

        /* the sibling is fuzz_cross's, where each success is counted */
        return (d == henv.sibling) ? XEN_DOMID_SELF : d;
    }
    }
}
