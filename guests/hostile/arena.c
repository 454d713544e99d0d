/*
 * Where the hostile guest's pointers and frame numbers point. Structures
 * are built in per-vCPU build pages and placed at page boundaries. Any
 * address the hypervisor may write through, unmap or move lies outside our
 * code, data and stacks: in the victim pages (with a guard page after them
 * so that a write running over the last one still hits nothing of ours),
 * the grant window, free GPAs, MMIO, holes or beyond RAM.
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

void *build_slot(struct hctx *c, uint32_t size)
{
    const uint32_t span = HOSTILE_BUILD_PAGES * PAGE;
    uint32_t off;

    if (size > span) {
        size = span;
    }
    switch (rnd_below(c, 3U)) {
    case 0U:
        off = 0U;
        break;
    case 1U:    /* across the boundary: the first bytes in page 0, the rest in page 1 */
        off = PAGE - 1U - rnd_below(c, (size > 1U) ? size - 1U : 1U);
        if (off + size > span) {
            off = span - size;
        }
        break;
    default:    /* flush with the end */
        off = span - size;
        break;
    }
    return &c->build[off];
}

uint64_t wild_addr(struct hctx *c, uint32_t size)
{
    uint64_t victim = (uint64_t)(uintptr_t)henv.victim;
    uint64_t page = rnd_below(c, HOSTILE_VICTIM_PAGES);

    switch (rnd_below(c, 10U)) {
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
    void *p = build_slot(c, size);
    uint8_t *b = p;
    uint32_t i;

    /* random bytes first: the caller then sets the fields it means */
    for (i = 0U; i < size; i++) {
        b[i] = (uint8_t)rnd(c);
    }
    *buf = p;
    return rnd_chance(c, 8U) ? wild_addr(c, size) : hc_ptr(p);
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
