/* Test helper: the environment of the test_p2m* tests. Fake RAM under the
 * real page allocator, the TLB of fake_p2m_hw.c watched at each flush, two
 * domains' p2ms, and the checks of what a gfn maps to. The MMU is modelled
 * by hw_walk(), which knows nothing of p2m.c: it starts from VTTBR and VTCR
 * and reads the tables from (fake) RAM. The includer has included
 * <cmocka.h>. */
#ifndef TEST_P2M_ENV_H
#define TEST_P2M_ENV_H

#include <asm/p2m.h>
#include <proxenos/arch/mm.h>
#include <proxenos/bootmem.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/page_alloc.h>
#include <fake_arch.h>
#include "fake_p2m_hw.h"

#define RAM0        0x40000000ULL
#define RAM_SIZE    MiB(64)

#define PAGES_2M    512ULL
#define PAGES_1G    262144ULL
#define GFN_RAM0    0x40000ULL      /* GUEST_RAM0_BASE, 1 GiB aligned */

/* ---- The TLB (fake_p2m_hw.c) ------------------------------------------------ */

/* When set, every flush of watch_p2m records whether the MMU would find
 * watch_gfn mapped at that moment (break-before-make: it must not). */
static struct p2m_domain *watch_p2m;
static uint64_t watch_gfn;
static unsigned int watch_unmapped_at_flush;
static unsigned int watch_mapped_at_flush;

static inline uint64_t hw_walk(const struct p2m_domain *p2m, uint64_t gfn, unsigned int *level_out);

/* fake_p2m_hw.c counts the flushes and calls this at each. */
static inline void watch_flush(struct p2m_domain *p2m)
{
    if ((watch_p2m != NULL) && (p2m == watch_p2m)) {
        if (hw_walk(p2m, watch_gfn, NULL) == 0U) {
            watch_unmapped_at_flush++;
        } else {
            watch_mapped_at_flush++;
        }
    }
}

/* ---- The MMU's view -------------------------------------------------------- */

/* The leaf descriptor that translates gfn (0 on a translation fault) and
 * its level, from VTTBR_EL2 and VTCR_EL2 alone (4 KiB granule). */
static inline uint64_t hw_walk(const struct p2m_domain *p2m, uint64_t gfn, unsigned int *level_out)
{
    uint64_t vtcr = p2m_vtcr(false);
    unsigned int ipa_bits = 64U - (unsigned int)(vtcr & 0x3fU);
    unsigned int start = 2U - (unsigned int)((vtcr >> 6) & 3U);
    unsigned int level = start;
    uint64_t ipa = gfn << 12;
    paddr_t table = p2m_vttbr(p2m) & 0x0000fffffffffffeULL;

    assert_true(ipa < (1ULL << ipa_bits));
    for (;;) {
        unsigned int shift = 39U - (9U * level);
        uint64_t idx = (level == start) ? (ipa >> shift) : ((ipa >> shift) & 511U);
        const uint64_t *t = arch_maddr_to_virt(table);
        uint64_t d = t[idx];

        if ((d & 1U) == 0U) {
            return 0U;
        }
        if ((level < 3U) && ((d & 3U) == 3U)) {
            table = d & 0x0000fffffffff000ULL;
            level++;
            continue;
        }
        if ((level == 3U) && ((d & 3U) != 3U)) {
            return 0U;      /* reserved encoding: a fault */
        }
        if (level_out != NULL) {
            *level_out = level;
        }
        return d;
    }
}

/* The host address the MMU would produce for gfn (or ~0 on a fault). */
static inline uint64_t hw_translate(const struct p2m_domain *p2m, uint64_t gfn)
{
    unsigned int level = 0U;
    uint64_t d = hw_walk(p2m, gfn, &level);
    uint64_t span;

    if (d == 0U) {
        return ~0ULL;
    }
    span = 1ULL << (9U * (3U - level));
    return (d & 0x0000fffffffff000ULL) + ((gfn & (span - 1U)) << 12);
}

/* ---- Helpers --------------------------------------------------------------- */

/* The domains' p2ms live here rather than on a test's stack, so that the
 * teardown can destroy what a failed test left behind (the geometry cannot
 * change while any p2m exists). */
static struct p2m_domain doms[2];

static inline int setup(void **state)
{
    (void)state;
    fake_reset();
    bootmem_reset();
    (void)fake_ram_alloc(RAM0, (size_t)RAM_SIZE);
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + RAM_SIZE), 0);
    assert_int_equal(page_alloc_init(), 0);
    vmid_init(8U);
    assert_int_equal(p2m_configure(PARANGE_44), 0);
    fake_p2m_hw_reset();
    fake_set_flush_hook(watch_flush);
    watch_p2m = NULL;
    watch_unmapped_at_flush = 0U;
    watch_mapped_at_flush = 0U;
    return 0;
}

static inline int teardown(void **state)
{
    unsigned int i;

    (void)state;
    for (i = 0U; i < ARRAY_SIZE(doms); i++) {
        p2m_destroy(&doms[i]);
        doms[i].ready = false;
    }
    return 0;
}

static inline uint64_t heap_free(void)
{
    struct page_alloc_stats st;

    page_alloc_stats(&st);
    return st.free_pages;
}

static inline struct p2m_stats stats_of(struct p2m_domain *p2m)
{
    struct p2m_stats st;

    p2m_get_stats(p2m, &st);
    return st;
}

static inline uint64_t pool_free(struct p2m_domain *p2m)
{
    return paging_pool_free(&p2m->pool);
}

/* gfn maps to mfn_nr with type t through a leaf of order. */
static inline void assert_maps(struct p2m_domain *p2m, uint64_t g, uint64_t m, enum p2m_type t,
                               unsigned int order)
{
    mfn_t got = INVALID_MFN;
    enum p2m_type gt = P2M_INVALID;
    unsigned int go = 99U;

    assert_int_equal(p2m_lookup(p2m, gfn(g), &got, &gt, &go), 0);
    assert_int_equal(mfn_x(got), m);
    assert_int_equal(gt, t);
    assert_int_equal(go, order);
    /* The MMU agrees. */
    assert_int_equal(hw_translate(p2m, g), m << PAGE_SHIFT);
}

static inline void assert_unmapped(struct p2m_domain *p2m, uint64_t g)
{
    assert_int_equal(p2m_lookup(p2m, gfn(g), NULL, NULL, NULL), -ENOENT);
    assert_int_equal(hw_walk(p2m, g, NULL), 0U);
}

#endif
