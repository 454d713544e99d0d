/* Stage-2 tables: geometry and VTCR, map/lookup with automatic 4 KiB /
 * 2 MiB / 1 GiB leaves, unmap with table reclaim, block splits with
 * break-before-make, pool exhaustion (-ENOMEM with nothing changed), range
 * checks, descriptor bits as the MMU reads them, and teardown returning
 * every page.
 *
 * The MMU is modelled by hw_walk(), which knows nothing of p2m.c: it starts
 * from VTTBR and VTCR and reads the tables from (fake) RAM. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

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

static uint64_t hw_walk(const struct p2m_domain *p2m, uint64_t gfn, unsigned int *level_out);

/* fake_p2m_hw.c counts the flushes and calls this at each. */
static void watch_flush(struct p2m_domain *p2m)
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
static uint64_t hw_walk(const struct p2m_domain *p2m, uint64_t gfn, unsigned int *level_out)
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
static uint64_t hw_translate(const struct p2m_domain *p2m, uint64_t gfn)
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

static int setup(void **state)
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

static int teardown(void **state)
{
    unsigned int i;

    (void)state;
    for (i = 0U; i < ARRAY_SIZE(doms); i++) {
        p2m_destroy(&doms[i]);
        doms[i].ready = false;
    }
    return 0;
}

static uint64_t heap_free(void)
{
    struct page_alloc_stats st;

    page_alloc_stats(&st);
    return st.free_pages;
}

static struct p2m_stats stats_of(struct p2m_domain *p2m)
{
    struct p2m_stats st;

    p2m_get_stats(p2m, &st);
    return st;
}

static uint64_t pool_free(struct p2m_domain *p2m)
{
    return paging_pool_free(&p2m->pool);
}

/* gfn maps to mfn_nr with type t through a leaf of order. */
static void assert_maps(struct p2m_domain *p2m, uint64_t g, uint64_t m, enum p2m_type t,
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

static void assert_unmapped(struct p2m_domain *p2m, uint64_t g)
{
    assert_int_equal(p2m_lookup(p2m, gfn(g), NULL, NULL, NULL), -ENOENT);
    assert_int_equal(hw_walk(p2m, g, NULL), 0U);
}

/* ---- Geometry -------------------------------------------------------------- */

static void test_geometry_for_qemu_cortex_a57(void **state)
{
    const struct p2m_geometry *g = p2m_geometry();

    (void)state;
    /* 44-bit PA: 40-bit IPA from level 1 with two concatenated root tables. */
    assert_int_equal(g->ipa_bits, 40);
    assert_int_equal(g->pa_bits, 44);
    assert_int_equal(g->root_level, 1);
    assert_int_equal(g->root_order, 1);
    assert_int_equal(g->t0sz, 24);
    assert_int_equal(g->sl0, 1);
    assert_int_equal(p2m_ipa_bits(), 40);
    /* RES1 | PS=0b100 | SH0 IS | ORGN0/IRGN0 WBWA | SL0=1 | T0SZ=24 */
    assert_int_equal(p2m_vtcr(false), 0x80043558ULL);
    assert_int_equal(p2m_vtcr(true), 0x800c3558ULL);
}

static void test_geometry_other_pa_sizes(void **state)
{
    const struct p2m_geometry *g = p2m_geometry();
    struct p2m_domain *p2m = &doms[0];

    (void)state;
    assert_int_equal(p2m_configure(PARANGE_32), 0);
    assert_int_equal(g->ipa_bits, 32);
    assert_int_equal(g->root_order, 0);
    assert_int_equal(p2m_vtcr(false) & 0x7003fULL, 32U);            /* PS 0, T0SZ 32 */
    assert_int_equal(p2m_configure(PARANGE_36), 0);
    assert_int_equal(g->ipa_bits, 36);
    assert_int_equal(g->root_order, 0);
    assert_int_equal(g->t0sz, 28);
    assert_int_equal(p2m_configure(PARANGE_42), 0);
    assert_int_equal(g->ipa_bits, 40);
    assert_int_equal(g->pa_bits, 42);
    assert_int_equal((p2m_vtcr(false) >> 16) & 7U, 3U);
    assert_int_equal(p2m_configure(PARANGE_52), 0);
    assert_int_equal(g->ipa_bits, 40);
    assert_int_equal(g->pa_bits, 48);                               /* no LPA2 */
    assert_int_equal((p2m_vtcr(false) >> 16) & 7U, 5U);
    assert_int_equal(p2m_configure(7U), -EINVAL);
    /* Fixed while any domain has tables. */
    assert_int_equal(p2m_init(p2m, 0U), 0);
    assert_int_equal(p2m_configure(PARANGE_44), -EBUSY);
    p2m_destroy(p2m);
    assert_int_equal(p2m_configure(PARANGE_44), 0);
}

static void test_36bit_ipa_single_root_page(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    uint64_t before;
    uint64_t last = (1ULL << 24) - 1U;

    (void)state;
    assert_int_equal(p2m_configure(PARANGE_36), 0);
    before = heap_free();
    assert_int_equal(p2m_init(p2m, 4U), 0);
    assert_int_equal(heap_free(), before - 4U - 1U);
    assert_int_equal(p2m_map(p2m, gfn(last), mfn(0x1234U), 1U, P2M_RAM_RW), 0);
    assert_maps(p2m, last, 0x1234U, P2M_RAM_RW, 0U);
    assert_int_equal(p2m_map(p2m, gfn(last + 1U), mfn(0x1234U), 1U, P2M_RAM_RW), -EINVAL);
    p2m_destroy(p2m);
    assert_int_equal(heap_free(), before);
}

/* ---- Life cycle -------------------------------------------------------------- */

static void test_init_and_destroy_return_everything(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    uint64_t before;
    uint64_t vttbr;

    (void)state;
    before = heap_free();
    assert_int_equal(p2m_init(p2m, 16U), 0);
    /* Pool pages plus the two concatenated root pages. */
    assert_int_equal(heap_free(), before - 16U - 2U);
    assert_int_equal(paging_pool_total(&p2m->pool), 16);
    assert_int_equal(vmid_in_use(), 1);
    vttbr = p2m_vttbr(p2m);
    assert_true(p2m->vmid != 0U);
    assert_int_equal(vttbr >> 48, p2m->vmid);
    assert_int_equal(vttbr & 0x1fffULL, 0U);            /* 8 KiB aligned, CnP 0 */
    assert_int_equal(vttbr & 0x0000fffffffffffeULL, mfn_to_paddr(p2m->root));
    /* The new VMID's TLB entries were flushed. */
    assert_int_equal(fake_tlb_flushes(), 1);
    assert_int_equal(fake_last_flush_vmid(), p2m->vmid);
    assert_unmapped(p2m, GFN_RAM0);

    p2m_destroy(p2m);
    assert_int_equal(heap_free(), before);
    assert_int_equal(vmid_in_use(), 0);
    assert_int_equal(fake_tlb_flushes(), 2);
    /* Destroying twice, or something never initialised, does nothing. */
    p2m_destroy(p2m);
    assert_int_equal(heap_free(), before);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0), mfn(1U), 1U, P2M_RAM_RW), -EINVAL);
}

static void test_destroy_after_mappings(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    uint64_t before;

    (void)state;
    before = heap_free();
    assert_int_equal(p2m_init(p2m, 64U), 0);
    /* Pages, blocks, a split block and a split 1 GiB block. */
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + 3U), mfn(0x90003U), 700U, P2M_RAM_RW), 0);
    assert_int_equal(p2m_map(p2m, gfn(0x80000U), mfn(0x100000U), PAGES_1G, P2M_RAM_RW), 0);
    assert_int_equal(p2m_unmap(p2m, gfn(0x80000U + 0x1234U), 1U), 0);
    assert_int_equal(p2m_map(p2m, gfn(0x22000U), mfn(0x22000U), 1U, P2M_MMIO_DEVICE), 0);
    assert_true(stats_of(p2m).tables > 0U);
    p2m_destroy(p2m);
    assert_int_equal(heap_free(), before);
    assert_int_equal(vmid_in_use(), 0);
}

static void test_init_failures_leave_nothing_behind(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    uint16_t v;
    uint64_t before;
    unsigned int i;

    (void)state;
    before = heap_free();
    /* A pool larger than the free memory. */
    assert_int_equal(p2m_init(p2m, before + 1U), -ENOMEM);
    assert_int_equal(heap_free(), before);
    assert_int_equal(vmid_in_use(), 0);
    /* No VMID left. */
    for (i = 0U; i < 255U; i++) {
        assert_int_equal(vmid_alloc(&v), 0);
    }
    assert_int_equal(p2m_init(p2m, 4U), -ENOSPC);
    assert_int_equal(heap_free(), before);
}

static void test_two_domains_are_separate(void **state)
{
    struct p2m_domain *a = &doms[0];
    struct p2m_domain *b = &doms[1];

    (void)state;
    assert_int_equal(p2m_init(a, 2U), 0);
    assert_int_equal(p2m_init(b, 2U), 0);
    assert_true(a->vmid != b->vmid);
    assert_true(p2m_vttbr(a) != p2m_vttbr(b));
    assert_int_equal(p2m_map(a, gfn(GFN_RAM0 + 1U), mfn(0x500U), 1U, P2M_RAM_RW), 0);
    assert_unmapped(b, GFN_RAM0 + 1U);
    /* a's pool is empty now; b's is untouched and still serves b. */
    assert_int_equal(pool_free(a), 0);
    assert_int_equal(p2m_map(a, gfn(0x80001U), mfn(0x600U), 1U, P2M_RAM_RW), -ENOMEM);
    assert_int_equal(p2m_map(b, gfn(0x80001U), mfn(0x600U), 1U, P2M_RAM_RW), 0);
    assert_maps(b, 0x80001U, 0x600U, P2M_RAM_RW, 0U);
    p2m_destroy(a);
    p2m_destroy(b);
}

/* ---- Map and lookup ------------------------------------------------------------ */

static void test_map_4k_pages(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    struct p2m_stats st;
    unsigned int i;

    (void)state;
    assert_int_equal(p2m_init(p2m, 8U), 0);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + 1U), mfn(0x80001U), 3U, P2M_RAM_RW), 0);
    for (i = 1U; i <= 3U; i++) {
        assert_maps(p2m, GFN_RAM0 + i, 0x80000U + i, P2M_RAM_RW, 0U);
    }
    assert_unmapped(p2m, GFN_RAM0);
    assert_unmapped(p2m, GFN_RAM0 + 4U);
    st = stats_of(p2m);
    assert_int_equal(st.leaves[3], 3);
    assert_int_equal(st.leaves[2], 0);
    assert_int_equal(st.tables, 2);         /* level 2 and level 3 */
    assert_int_equal(pool_free(p2m), 6);
    p2m_destroy(p2m);
}

static void test_map_picks_2m_blocks_by_alignment(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    struct p2m_stats st;
    unsigned int level = 0U;

    (void)state;
    assert_int_equal(p2m_init(p2m, 8U), 0);
    /* Both addresses 2 MiB aligned, 4 MiB long: two blocks. */
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0), mfn(0x90000U), 2U * PAGES_2M, P2M_RAM_RW), 0);
    assert_maps(p2m, GFN_RAM0, 0x90000U, P2M_RAM_RW, 9U);
    assert_maps(p2m, GFN_RAM0 + 700U, 0x90000U + 700U, P2M_RAM_RW, 9U);
    assert_maps(p2m, GFN_RAM0 + 1023U, 0x90000U + 1023U, P2M_RAM_RW, 9U);
    assert_unmapped(p2m, GFN_RAM0 + 1024U);
    (void)hw_walk(p2m, GFN_RAM0 + 5U, &level);
    assert_int_equal(level, 2);
    st = stats_of(p2m);
    assert_int_equal(st.leaves[2], 2);
    assert_int_equal(st.leaves[3], 0);
    assert_int_equal(st.tables, 1);

    /* The same IPA alignment but a host address one page off: no block
     * fits, so 1024 pages in two level-3 tables. */
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + 0x1000U), mfn(0xa0001U), 2U * PAGES_2M,
                             P2M_RAM_RW), 0);
    assert_maps(p2m, GFN_RAM0 + 0x1000U, 0xa0001U, P2M_RAM_RW, 0U);
    st = stats_of(p2m);
    assert_int_equal(st.leaves[3], 1024);
    assert_int_equal(st.tables, 3);
    p2m_destroy(p2m);
}

static void test_map_mixed_range_uses_largest_leaves(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    struct p2m_stats st;
    /* 1 page, one 2 MiB block, then a 1 GiB block, a 2 MiB block and 3
     * pages; host addresses 4 GiB above the guest's. */
    uint64_t g0 = GFN_RAM0 - PAGES_2M - 1U;
    uint64_t delta = 0x100000U;
    uint64_t nr = 1U + PAGES_2M + PAGES_1G + PAGES_2M + 3U;

    (void)state;
    assert_int_equal(p2m_init(p2m, 8U), 0);
    assert_int_equal(p2m_map(p2m, gfn(g0), mfn(g0 + delta), nr, P2M_RAM_RW), 0);
    st = stats_of(p2m);
    assert_int_equal(st.leaves[1], 1);
    assert_int_equal(st.leaves[2], 2);
    assert_int_equal(st.leaves[3], 4);
    /* Level-2 tables for the first and third GiB, level-3 for two 2 MiB. */
    assert_int_equal(st.tables, 4);
    assert_maps(p2m, g0, g0 + delta, P2M_RAM_RW, 0U);
    assert_maps(p2m, g0 + 1U, g0 + 1U + delta, P2M_RAM_RW, 9U);
    assert_maps(p2m, GFN_RAM0, GFN_RAM0 + delta, P2M_RAM_RW, 18U);
    assert_maps(p2m, GFN_RAM0 + 0x12345U, GFN_RAM0 + 0x12345U + delta, P2M_RAM_RW, 18U);
    assert_maps(p2m, GFN_RAM0 + PAGES_1G, GFN_RAM0 + PAGES_1G + delta, P2M_RAM_RW, 9U);
    assert_maps(p2m, g0 + nr - 1U, g0 + nr - 1U + delta, P2M_RAM_RW, 0U);
    assert_unmapped(p2m, g0 - 1U);
    assert_unmapped(p2m, g0 + nr);
    p2m_destroy(p2m);
}

static void test_same_mapping_twice_changes_nothing(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    unsigned int flushes;

    (void)state;
    assert_int_equal(p2m_init(p2m, 4U), 0);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0), mfn(0x90000U), PAGES_2M + 1U, P2M_RAM_RW), 0);
    flushes = fake_tlb_flushes();
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0), mfn(0x90000U), PAGES_2M + 1U, P2M_RAM_RW), 0);
    assert_int_equal(fake_tlb_flushes(), flushes);
    assert_int_equal(stats_of(p2m).leaves[2], 1);
    assert_int_equal(stats_of(p2m).leaves[3], 1);
    /* A page inside the block, mapped as the block maps it: no split,
     * even with an empty pool. */
    assert_int_equal(p2m_pool_resize(p2m, 2U), 0);
    assert_int_equal(pool_free(p2m), 0);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + 9U), mfn(0x90009U), 3U, P2M_RAM_RW), 0);
    assert_int_equal(stats_of(p2m).splits, 0);
    assert_int_equal(fake_tlb_flushes(), flushes);
    assert_maps(p2m, GFN_RAM0 + 9U, 0x90009U, P2M_RAM_RW, 9U);
    /* With another type it must split, and the pool is empty. */
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + 9U), mfn(0x90009U), 1U, P2M_RAM_RO), -ENOMEM);
    p2m_destroy(p2m);
}

/* ---- Replacing and splitting ---------------------------------------------------- */

static void test_remap_part_of_2m_block_splits_it(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    struct p2m_stats st;
    uint64_t g = GFN_RAM0 + PAGES_2M;
    uint64_t m = 0x90200U;
    uint64_t free_before;
    unsigned int i;

    (void)state;
    assert_int_equal(p2m_init(p2m, 8U), 0);
    assert_int_equal(p2m_map(p2m, gfn(g - PAGES_2M), mfn(m - PAGES_2M), 2U * PAGES_2M,
                             P2M_RAM_RW), 0);
    free_before = pool_free(p2m);
    watch_p2m = p2m;
    watch_gfn = g + 5U;
    assert_int_equal(p2m_map(p2m, gfn(g + 5U), mfn(0x12345U), 1U, P2M_RAM_RO), 0);
    /* Break-before-make: at every flush the block was gone. */
    assert_true(watch_unmapped_at_flush >= 1U);
    assert_int_equal(watch_mapped_at_flush, 0);
    watch_p2m = NULL;

    assert_maps(p2m, g + 5U, 0x12345U, P2M_RAM_RO, 0U);
    /* The rest of the block maps what it did, now with pages. */
    for (i = 0U; i < PAGES_2M; i++) {
        if (i != 5U) {
            assert_maps(p2m, g + i, m + i, P2M_RAM_RW, 0U);
        }
    }
    /* The neighbouring block is untouched. */
    assert_maps(p2m, g - 1U, m - 1U, P2M_RAM_RW, 9U);
    st = stats_of(p2m);
    assert_int_equal(st.splits, 1);
    assert_int_equal(st.leaves[2], 1);
    assert_int_equal(st.leaves[3], PAGES_2M);
    assert_int_equal(pool_free(p2m), free_before - 1U);

    /* Replacing a valid page is break-before-make too. */
    watch_p2m = p2m;
    watch_unmapped_at_flush = 0U;
    assert_int_equal(p2m_map(p2m, gfn(g + 5U), mfn(0x777U), 1U, P2M_MMIO_DEVICE), 0);
    assert_int_equal(watch_unmapped_at_flush, 1);
    assert_int_equal(watch_mapped_at_flush, 0);
    watch_p2m = NULL;
    assert_maps(p2m, g + 5U, 0x777U, P2M_MMIO_DEVICE, 0U);
    p2m_destroy(p2m);
}

static void test_block_replacing_tables_frees_them(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    struct p2m_stats st;
    uint64_t full;

    (void)state;
    assert_int_equal(p2m_init(p2m, 8U), 0);
    full = pool_free(p2m);
    /* 4 KiB pages (host address misaligned) over two 2 MiB regions. */
    assert_int_equal(p2m_map(p2m, gfn(0x80000U), mfn(0x90001U), 2U * PAGES_2M, P2M_RAM_RW), 0);
    assert_int_equal(stats_of(p2m).tables, 3);
    /* A 2 MiB block over the first region: its level-3 table goes. */
    assert_int_equal(p2m_map(p2m, gfn(0x80000U), mfn(0x90000U), PAGES_2M, P2M_RAM_RW), 0);
    st = stats_of(p2m);
    assert_int_equal(st.tables, 2);
    assert_int_equal(st.leaves[2], 1);
    assert_int_equal(st.leaves[3], PAGES_2M);
    assert_int_equal(pool_free(p2m), full - 2U);
    assert_maps(p2m, 0x80000U + 9U, 0x90009U, P2M_RAM_RW, 9U);
    /* A 1 GiB block over the whole GiB: every table below it goes. */
    assert_int_equal(p2m_map(p2m, gfn(0x80000U), mfn(0x80000U), PAGES_1G, P2M_RAM_RW), 0);
    st = stats_of(p2m);
    assert_int_equal(st.tables, 0);
    assert_int_equal(st.leaves[1], 1);
    assert_int_equal(st.leaves[2], 0);
    assert_int_equal(st.leaves[3], 0);
    assert_int_equal(pool_free(p2m), full);
    assert_maps(p2m, 0x80000U + PAGES_2M + 3U, 0x80000U + PAGES_2M + 3U, P2M_RAM_RW, 18U);
    p2m_destroy(p2m);
}

/* ---- Unmap ---------------------------------------------------------------------- */

static void test_unmap_reclaims_tables(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    struct p2m_stats st;
    uint64_t full;
    unsigned int flushes;

    (void)state;
    assert_int_equal(p2m_init(p2m, 8U), 0);
    full = pool_free(p2m);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + 1U), mfn(0x80001U), 3U, P2M_RAM_RW), 0);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + PAGES_2M), mfn(0x90000U), PAGES_2M,
                             P2M_RAM_RW), 0);
    assert_int_equal(pool_free(p2m), full - 2U);
    flushes = fake_tlb_flushes();

    /* Part of the pages: the level-3 table stays. */
    assert_int_equal(p2m_unmap(p2m, gfn(GFN_RAM0 + 1U), 1U), 0);
    assert_unmapped(p2m, GFN_RAM0 + 1U);
    assert_maps(p2m, GFN_RAM0 + 2U, 0x80002U, P2M_RAM_RW, 0U);
    assert_int_equal(pool_free(p2m), full - 2U);
    assert_true(fake_tlb_flushes() > flushes);

    /* Everything (with unmapped holes in the range): all tables back. */
    assert_int_equal(p2m_unmap(p2m, gfn(GFN_RAM0), 2U * PAGES_2M + 7U), 0);
    assert_unmapped(p2m, GFN_RAM0 + 2U);
    assert_unmapped(p2m, GFN_RAM0 + PAGES_2M);
    st = stats_of(p2m);
    assert_int_equal(st.leaves[2], 0);
    assert_int_equal(st.leaves[3], 0);
    assert_int_equal(st.tables, 0);
    assert_int_equal(pool_free(p2m), full);
    /* Unmapping nothing is fine. */
    assert_int_equal(p2m_unmap(p2m, gfn(0x123456U), 1000U), 0);
    assert_int_equal(p2m_unmap(p2m, gfn(0x123456U), 0U), 0);
    p2m_destroy(p2m);
}

/* Single pages unmapped one at a time (privcmd, the balloon): the table
 * goes when its last entry does, whether the others left were beside
 * the one cleared or far from it. */
static void test_unmap_page_by_page_reclaims_last(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    uint64_t full;

    (void)state;
    assert_int_equal(p2m_init(p2m, 8U), 0);
    full = pool_free(p2m);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + 1U), mfn(0x80001U), 2U, P2M_RAM_RW), 0);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + 300U), mfn(0x80300U), 1U, P2M_RAM_RW), 0);
    assert_int_equal(pool_free(p2m), full - 2U);
    /* A neighbour still maps. */
    assert_int_equal(p2m_unmap(p2m, gfn(GFN_RAM0 + 1U), 1U), 0);
    assert_int_equal(pool_free(p2m), full - 2U);
    /* No neighbour maps, but entry 300 does. */
    assert_int_equal(p2m_unmap(p2m, gfn(GFN_RAM0 + 2U), 1U), 0);
    assert_int_equal(pool_free(p2m), full - 2U);
    assert_maps(p2m, GFN_RAM0 + 300U, 0x80300U, P2M_RAM_RW, 0U);
    /* The last one: both tables back. */
    assert_int_equal(p2m_unmap(p2m, gfn(GFN_RAM0 + 300U), 1U), 0);
    assert_int_equal(pool_free(p2m), full);
    assert_int_equal(stats_of(p2m).tables, 0);
    /* The last entry of a table (no right neighbour) and the first. */
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + 511U), mfn(0x80511U), 2U, P2M_RAM_RW), 0);
    assert_int_equal(p2m_unmap(p2m, gfn(GFN_RAM0 + 511U), 1U), 0);
    assert_int_equal(pool_free(p2m), full - 2U);
    assert_int_equal(p2m_unmap(p2m, gfn(GFN_RAM0 + 512U), 1U), 0);
    assert_int_equal(pool_free(p2m), full);
    p2m_destroy(p2m);
}

/* Whether a range maps nothing, read a whole entry at a time. */
static void test_range_unmapped(void **state)
{
    struct p2m_domain *p2m = &doms[0];

    (void)state;
    assert_int_equal(p2m_init(p2m, 8U), 0);
    assert_true(p2m_range_unmapped(p2m, gfn(0U), 1ULL << 28));
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + PAGES_2M), mfn(0x90000U), PAGES_2M,
                             P2M_RAM_RW), 0);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + 7U), mfn(0x80007U), 1U, P2M_RAM_RW), 0);
    /* Up to the page before each mapping: empty; one more: not. */
    assert_true(p2m_range_unmapped(p2m, gfn(0U), GFN_RAM0 + 7U));
    assert_false(p2m_range_unmapped(p2m, gfn(0U), GFN_RAM0 + 8U));
    assert_true(p2m_range_unmapped(p2m, gfn(GFN_RAM0 + 8U), PAGES_2M - 8U));
    assert_false(p2m_range_unmapped(p2m, gfn(GFN_RAM0 + 8U), PAGES_2M - 7U));
    /* Inside the block, and just after it. */
    assert_false(p2m_range_unmapped(p2m, gfn(GFN_RAM0 + PAGES_2M + 100U), 1U));
    assert_true(p2m_range_unmapped(p2m, gfn(GFN_RAM0 + 2U * PAGES_2M), PAGES_1G));
    /* Nothing is nothing; outside the IPA space is not "empty". */
    assert_true(p2m_range_unmapped(p2m, gfn(GFN_RAM0 + 7U), 0U));
    assert_false(p2m_range_unmapped(p2m, gfn(1ULL << 40), 1U));
    p2m_destroy(p2m);
}

static void test_unmap_part_of_1g_block(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    struct p2m_stats st;
    uint64_t g = 0x80000U;
    uint64_t m = 0x100000U;
    uint64_t hole = g + PAGES_2M + 4U;
    uint64_t full;

    (void)state;
    assert_int_equal(p2m_init(p2m, 8U), 0);
    full = pool_free(p2m);
    assert_int_equal(p2m_map(p2m, gfn(g), mfn(m), PAGES_1G, P2M_RAM_RW), 0);
    assert_maps(p2m, g + 77U, m + 77U, P2M_RAM_RW, 18U);
    assert_int_equal(pool_free(p2m), full);

    /* Splitting is break-before-make: a neighbour that stays mapped was
     * unmapped at the flush between the old block and the new table. */
    watch_p2m = p2m;
    watch_gfn = hole + 1U;
    assert_int_equal(p2m_unmap(p2m, gfn(hole), 1U), 0);
    assert_true(watch_unmapped_at_flush >= 1U);
    watch_p2m = NULL;
    assert_unmapped(p2m, hole);
    assert_maps(p2m, hole - 1U, m + PAGES_2M + 3U, P2M_RAM_RW, 0U);
    assert_maps(p2m, hole + 1U, m + PAGES_2M + 5U, P2M_RAM_RW, 0U);
    assert_maps(p2m, g + PAGES_2M - 1U, m + PAGES_2M - 1U, P2M_RAM_RW, 9U);
    assert_maps(p2m, g + 0x1000U, m + 0x1000U, P2M_RAM_RW, 9U);
    assert_maps(p2m, g + PAGES_1G - 1U, m + PAGES_1G - 1U, P2M_RAM_RW, 9U);
    st = stats_of(p2m);
    assert_int_equal(st.leaves[1], 0);
    assert_int_equal(st.leaves[2], 511);
    assert_int_equal(st.leaves[3], 511);
    assert_int_equal(st.splits, 2);
    assert_int_equal(st.tables, 2);

    /* The rest of the GiB: back to nothing, tables back in the pool. */
    assert_int_equal(p2m_unmap(p2m, gfn(g), PAGES_1G), 0);
    assert_unmapped(p2m, g);
    assert_unmapped(p2m, hole + 1U);
    st = stats_of(p2m);
    assert_int_equal(st.leaves[2] + st.leaves[3] + st.tables, 0);
    assert_int_equal(pool_free(p2m), full);
    p2m_destroy(p2m);
}

static void test_unmap_range_cutting_two_blocks(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    struct p2m_stats st;
    uint64_t g = GFN_RAM0;

    (void)state;
    assert_int_equal(p2m_init(p2m, 8U), 0);
    assert_int_equal(p2m_map(p2m, gfn(g), mfn(0x90000U), 3U * PAGES_2M, P2M_RAM_RW), 0);
    /* From the middle of the first block to the middle of the third. */
    assert_int_equal(p2m_unmap(p2m, gfn(g + 256U), 2U * PAGES_2M), 0);
    assert_maps(p2m, g + 255U, 0x90000U + 255U, P2M_RAM_RW, 0U);
    assert_unmapped(p2m, g + 256U);
    assert_unmapped(p2m, g + PAGES_2M + 100U);
    assert_unmapped(p2m, g + (2U * PAGES_2M) + 255U);
    assert_maps(p2m, g + (2U * PAGES_2M) + 256U, 0x90000U + (2U * PAGES_2M) + 256U,
                P2M_RAM_RW, 0U);
    st = stats_of(p2m);
    assert_int_equal(st.leaves[2], 0);
    assert_int_equal(st.leaves[3], 512);
    assert_int_equal(st.tables, 3);
    p2m_destroy(p2m);
}

/* ---- Pool exhaustion ----------------------------------------------------------- */

static void test_pool_exhaustion_changes_nothing(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    struct p2m_stats before;
    struct p2m_stats after;
    uint64_t heap;

    (void)state;
    assert_int_equal(p2m_init(p2m, 1U), 0);
    heap = heap_free();
    /* A 1 GiB block needs no table below the root. */
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0), mfn(0x100000U), PAGES_1G, P2M_RAM_RW), 0);
    before = stats_of(p2m);
    /* A page in an empty GiB needs two tables; the pool has one. */
    assert_int_equal(p2m_map(p2m, gfn(0x80001U), mfn(0x5U), 1U, P2M_RAM_RW), -ENOMEM);
    assert_unmapped(p2m, 0x80001U);
    assert_int_equal(pool_free(p2m), 1);
    assert_int_equal(paging_pool_total(&p2m->pool), 1);
    after = stats_of(p2m);
    assert_int_equal(after.nr_enomem, before.nr_enomem + 1U);
    assert_int_equal(after.tables, before.tables);
    assert_int_equal(after.leaves[1], before.leaves[1]);
    assert_maps(p2m, GFN_RAM0 + 5U, 0x100005U, P2M_RAM_RW, 18U);

    /* One table is enough for a 2 MiB block there. */
    assert_int_equal(p2m_map(p2m, gfn(0x80200U), mfn(0x200U), PAGES_2M, P2M_RAM_RW), 0);
    assert_int_equal(pool_free(p2m), 0);
    /* Splitting needs pages too: unmapping a page of the 1 GiB block, or
     * remapping one in the 2 MiB block, is refused and nothing moves. */
    assert_int_equal(p2m_unmap(p2m, gfn(GFN_RAM0 + 7U), 1U), -ENOMEM);
    assert_maps(p2m, GFN_RAM0 + 7U, 0x100007U, P2M_RAM_RW, 18U);
    assert_int_equal(p2m_map(p2m, gfn(0x80201U), mfn(0x9U), 1U, P2M_RAM_RO), -ENOMEM);
    assert_maps(p2m, 0x80201U, 0x201U, P2M_RAM_RW, 9U);
    /* Unmapping a whole leaf needs nothing. */
    assert_int_equal(p2m_unmap(p2m, gfn(0x80200U), PAGES_2M), 0);
    assert_int_equal(pool_free(p2m), 1);
    /* The page allocator was never asked. */
    assert_int_equal(heap_free(), heap);
    assert_int_equal(stats_of(p2m).nr_enomem, before.nr_enomem + 3U);
    p2m_destroy(p2m);
}

static void test_large_map_is_all_or_nothing(void **state)
{
    struct p2m_domain *p2m = &doms[0];

    (void)state;
    assert_int_equal(p2m_init(p2m, 3U), 0);
    /* Pages 1 .. 0x400, host address not 2 MiB co-aligned (no blocks): a
     * level-2 table and level-3 tables for three 2 MiB regions = 4 > 3. */
    assert_int_equal(p2m_map(p2m, gfn(1U), mfn(0x90002U), 0x400U, P2M_RAM_RW), -ENOMEM);
    assert_unmapped(p2m, 1U);
    assert_unmapped(p2m, 0x3ffU);
    assert_int_equal(pool_free(p2m), 3);
    assert_int_equal(stats_of(p2m).leaves[3], 0);
    /* One page less fits exactly. */
    assert_int_equal(p2m_map(p2m, gfn(1U), mfn(0x90002U), 0x3ffU, P2M_RAM_RW), 0);
    assert_int_equal(pool_free(p2m), 0);
    assert_maps(p2m, 0x3ffU, 0x90400U, P2M_RAM_RW, 0U);
    p2m_destroy(p2m);
}

static void test_pool_resize_and_seal(void **state)
{
    struct p2m_domain *p2m = &doms[0];

    (void)state;
    assert_int_equal(p2m_init(p2m, 1U), 0);
    assert_int_equal(p2m_map(p2m, gfn(1U), mfn(0x90001U), 1U, P2M_RAM_RW), -ENOMEM);
    assert_int_equal(p2m_pool_resize(p2m, 2U), 0);
    assert_int_equal(p2m_map(p2m, gfn(1U), mfn(0x90001U), 1U, P2M_RAM_RW), 0);
    assert_int_equal(p2m_pool_resize(p2m, 1U), -EBUSY);
    p2m_pool_seal(p2m);
    assert_int_equal(p2m_pool_resize(p2m, 10U), -EPERM);
    assert_int_equal(paging_pool_total(&p2m->pool), 2);
    p2m_destroy(p2m);
}

/* ---- Argument checks ------------------------------------------------------------- */

static void test_out_of_range_rejected(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    uint64_t ipa_pages = 1ULL << 28;        /* 40-bit IPA: 1 TiB */
    uint64_t pa_pages = 1ULL << 32;         /* 44-bit PA */

    (void)state;
    assert_int_equal(p2m_init(p2m, 4U), 0);
    assert_int_equal(p2m_map(p2m, gfn(ipa_pages), mfn(1U), 1U, P2M_RAM_RW), -EINVAL);
    assert_int_equal(p2m_map(p2m, gfn(ipa_pages - 1U), mfn(1U), 2U, P2M_RAM_RW), -EINVAL);
    assert_int_equal(p2m_map(p2m, gfn(5U), mfn(1U), UINT64_MAX, P2M_RAM_RW), -EINVAL);
    assert_int_equal(p2m_map(p2m, gfn(5U), mfn(pa_pages), 1U, P2M_RAM_RW), -EINVAL);
    assert_int_equal(p2m_map(p2m, gfn(5U), mfn(pa_pages - 1U), 2U, P2M_RAM_RW), -EINVAL);
    assert_int_equal(p2m_map(p2m, gfn(5U), mfn(1U), 1U, P2M_INVALID), -EINVAL);
    assert_int_equal(p2m_map(p2m, gfn(5U), mfn(1U), 1U, P2M_NR_TYPES), -EINVAL);
    assert_int_equal(p2m_unmap(p2m, gfn(ipa_pages), 1U), -EINVAL);
    assert_int_equal(p2m_unmap(p2m, gfn(ipa_pages - 1U), 2U), -EINVAL);
    assert_int_equal(p2m_lookup(p2m, gfn(ipa_pages), NULL, NULL, NULL), -EINVAL);
    assert_int_equal(stats_of(p2m).tables, 0);
    /* The very last guest page (top of RAM bank 1) and host page are fine;
     * so is a zero-length map. */
    assert_int_equal(p2m_map(p2m, gfn(ipa_pages - 1U), mfn(pa_pages - 1U), 1U, P2M_RAM_RW), 0);
    assert_maps(p2m, ipa_pages - 1U, pa_pages - 1U, P2M_RAM_RW, 0U);
    assert_int_equal(p2m_map(p2m, gfn(7U), mfn(7U), 0U, P2M_RAM_RW), 0);
    assert_unmapped(p2m, 7U);
    p2m_destroy(p2m);
}

/* ---- Descriptor bits as the MMU reads them ------------------------------------------ */

struct desc_fields {
    unsigned int kind;      /* [1:0] */
    unsigned int memattr;   /* [5:2] */
    unsigned int s2ap;      /* [7:6] */
    unsigned int sh;        /* [9:8] */
    unsigned int af;        /* [10] */
    unsigned int bit11;
    unsigned int contig;    /* [52] */
    unsigned int xn;        /* [54:53] */
    uint64_t oa;            /* [47:12] */
};

static struct desc_fields fields_of(struct p2m_domain *p2m, uint64_t g, unsigned int *level)
{
    uint64_t d = hw_walk(p2m, g, level);
    struct desc_fields f;

    assert_true(d != 0U);
    f.kind = (unsigned int)(d & 3U);
    f.memattr = (unsigned int)((d >> 2) & 0xfU);
    f.s2ap = (unsigned int)((d >> 6) & 3U);
    f.sh = (unsigned int)((d >> 8) & 3U);
    f.af = (unsigned int)((d >> 10) & 1U);
    f.bit11 = (unsigned int)((d >> 11) & 1U);
    f.contig = (unsigned int)((d >> 52) & 1U);
    f.xn = (unsigned int)((d >> 53) & 3U);
    f.oa = d & 0x0000fffffffff000ULL;
    return f;
}

static void test_descriptor_bits(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    struct desc_fields f;
    unsigned int level = 0U;
    const uint64_t *root;

    (void)state;
    assert_int_equal(p2m_init(p2m, 8U), 0);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + 1U), mfn(0x80001U), 1U, P2M_RAM_RW), 0);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + 2U), mfn(0x80002U), 1U, P2M_RAM_RO), 0);
    assert_int_equal(p2m_map(p2m, gfn(0x22000U), mfn(0x9000U), 1U, P2M_MMIO_DEVICE), 0);
    assert_int_equal(p2m_map(p2m, gfn(0x22001U), mfn(0x9001U), 1U, P2M_MMIO_NC), 0);
    assert_int_equal(p2m_map(p2m, gfn(0x38000U), mfn(0x7000U), 1U, P2M_GRANT_RW), 0);
    assert_int_equal(p2m_map(p2m, gfn(0x38001U), mfn(0x7001U), 1U, P2M_GRANT_RO), 0);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + PAGES_2M), mfn(0x90000U), PAGES_2M,
                             P2M_RAM_RW), 0);

    /* RAM: page, Normal WB (0b1111), RW (0b11), inner shareable, AF,
     * executable. */
    f = fields_of(p2m, GFN_RAM0 + 1U, &level);
    assert_int_equal(level, 3);
    assert_int_equal(f.kind, 3);
    assert_int_equal(f.memattr, 0xf);
    assert_int_equal(f.s2ap, 3);
    assert_int_equal(f.sh, 3);
    assert_int_equal(f.af, 1);
    assert_int_equal(f.bit11, 0);
    assert_int_equal(f.contig, 0);
    assert_int_equal(f.xn, 0);
    assert_int_equal(f.oa, 0x80001000ULL);
    /* Read-only RAM: S2AP 0b01, otherwise the same. */
    f = fields_of(p2m, GFN_RAM0 + 2U, &level);
    assert_int_equal(f.s2ap, 1);
    assert_int_equal(f.memattr, 0xf);
    assert_int_equal(f.xn, 0);
    /* Device: Device-nGnRE (0b0001), RW, AF, never executable (XN 0b10). */
    f = fields_of(p2m, 0x22000U, &level);
    assert_int_equal(f.memattr, 0x1);
    assert_int_equal(f.s2ap, 3);
    assert_int_equal(f.af, 1);
    assert_int_equal(f.xn, 2);
    assert_int_equal(f.oa, 0x9000000ULL);
    /* Normal non-cacheable (0b0101), XN. */
    f = fields_of(p2m, 0x22001U, &level);
    assert_int_equal(f.memattr, 0x5);
    assert_int_equal(f.xn, 2);
    /* Grants: WB memory, XN, RW or RO. */
    f = fields_of(p2m, 0x38000U, &level);
    assert_int_equal(f.memattr, 0xf);
    assert_int_equal(f.s2ap, 3);
    assert_int_equal(f.xn, 2);
    f = fields_of(p2m, 0x38001U, &level);
    assert_int_equal(f.s2ap, 1);
    assert_int_equal(f.xn, 2);
    /* A 2 MiB block: kind 0b01 at level 2, same attributes. */
    f = fields_of(p2m, GFN_RAM0 + PAGES_2M + 3U, &level);
    assert_int_equal(level, 2);
    assert_int_equal(f.kind, 1);
    assert_int_equal(f.memattr, 0xf);
    assert_int_equal(f.s2ap, 3);
    assert_int_equal(f.af, 1);
    assert_int_equal(f.oa, 0x90000000ULL);
    /* The types come back from lookup. */
    assert_maps(p2m, GFN_RAM0 + 2U, 0x80002U, P2M_RAM_RO, 0U);
    assert_maps(p2m, 0x22000U, 0x9000U, P2M_MMIO_DEVICE, 0U);
    assert_maps(p2m, 0x22001U, 0x9001U, P2M_MMIO_NC, 0U);
    assert_maps(p2m, 0x38000U, 0x7000U, P2M_GRANT_RW, 0U);
    assert_maps(p2m, 0x38001U, 0x7001U, P2M_GRANT_RO, 0U);
    /* Table descriptors: 0b11 and nothing else but the address. Root
     * entry 1 (the GiB at 1 GiB) points into RAM. */
    root = arch_maddr_to_virt(mfn_to_paddr(p2m->root));
    assert_int_equal(root[1] & 3U, 3);
    assert_int_equal(root[1] & ~0x0000fffffffff000ULL, 3U);
    assert_true((root[1] & 0x0000fffffffff000ULL) >= RAM0);
    assert_true((root[1] & 0x0000fffffffff000ULL) < (RAM0 + RAM_SIZE));
    p2m_destroy(p2m);
}

/* ---- Random operations against a model ------------------------------------------ */

/* The model: what each guest frame of a window maps to (0: nothing). The
 * window starts 4 MiB below the 1 GiB line and covers that whole GiB, so
 * 4 KiB, 2 MiB and 1 GiB leaves all occur. */
#define WIN_START   (GFN_RAM0 - 1024U)
#define WIN_PAGES   (1024U + PAGES_1G)

struct model_entry {
    uint64_t mfn_nr;
    enum p2m_type type;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
/* What the random run exercised, so that it cannot pass by doing little. */
static unsigned int seen_enomem;
static unsigned int seen_1g;
static unsigned int seen_splits;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void check_model_range(struct p2m_domain *p2m, const struct model_entry *model,
                              uint64_t first, uint64_t nr)
{
    uint64_t i;

    for (i = first; (i < first + nr) && (i < WIN_PAGES); i++) {
        mfn_t m = INVALID_MFN;
        enum p2m_type t = P2M_INVALID;
        int rc = p2m_lookup(p2m, gfn(WIN_START + i), &m, &t, NULL);

        if (model[i].type == P2M_INVALID) {
            assert_int_equal(rc, -ENOENT);
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(mfn_x(m), model[i].mfn_nr);
            assert_int_equal(t, model[i].type);
            assert_int_equal(hw_translate(p2m, WIN_START + i), model[i].mfn_nr << PAGE_SHIFT);
        }
    }
}

static void check_counts(struct p2m_domain *p2m, const struct model_entry *model)
{
    struct p2m_stats st = stats_of(p2m);
    uint64_t mapped = 0U;
    uint64_t i;

    for (i = 0U; i < WIN_PAGES; i++) {
        if (model[i].type != P2M_INVALID) {
            mapped++;
        }
    }
    assert_int_equal((st.leaves[1] * PAGES_1G) + (st.leaves[2] * PAGES_2M) + st.leaves[3],
                     mapped);
    assert_int_equal(paging_pool_total(&p2m->pool) - pool_free(p2m), st.tables);
}

static void random_op(struct p2m_domain *p2m, struct model_entry *model)
{
    static const uint64_t lengths[] = { 1U, 2U, 3U, 511U, 512U, 513U, 1024U, 1500U };
    static const enum p2m_type types[] = { P2M_RAM_RW, P2M_RAM_RO, P2M_MMIO_DEVICE };
    uint64_t kind = rng() % 16U;
    uint64_t first = rng() % WIN_PAGES;
    uint64_t nr = lengths[rng() % ARRAY_SIZE(lengths)];
    /* Mostly co-aligned host frames (blocks possible), sometimes not. */
    uint64_t delta = ((rng() % 4U) == 0U) ? 0x100001U : 0x100000U;
    enum p2m_type t = types[rng() % ARRAY_SIZE(types)];
    uint64_t free_before = pool_free(p2m);
    uint64_t i;
    int rc;

    if (kind == 0U) {
        /* The whole GiB as one block, or all of it unmapped. */
        first = 1024U;
        nr = PAGES_1G;
    }
    if ((first + nr) > WIN_PAGES) {
        nr = WIN_PAGES - first;
    }
    if ((kind % 2U) == 0U) {
        rc = p2m_map(p2m, gfn(WIN_START + first), mfn(WIN_START + first + delta), nr, t);
    } else {
        rc = p2m_unmap(p2m, gfn(WIN_START + first), nr);
    }
    if (rc == -ENOMEM) {
        seen_enomem++;
        assert_int_equal(pool_free(p2m), free_before);
    } else {
        assert_int_equal(rc, 0);
        for (i = first; i < first + nr; i++) {
            if ((kind % 2U) == 0U) {
                model[i].mfn_nr = WIN_START + i + delta;
                model[i].type = t;
            } else {
                model[i].type = P2M_INVALID;
            }
        }
    }
    /* The range and a margin around it (blocks split or freed nearby). */
    check_model_range(p2m, model, (first > 600U) ? first - 600U : 0U, nr + 1200U);
    check_counts(p2m, model);
    if (stats_of(p2m).leaves[1] != 0U) {
        seen_1g++;
    }
}

static void test_random_against_model(void **state)
{
    static const uint64_t pools[] = { 0U, 1U, 2U, 3U, 5U, 64U };
    struct p2m_domain *p2m = &doms[0];
    struct model_entry *model = calloc(WIN_PAGES, sizeof(*model));
    uint64_t before = heap_free();
    unsigned int round;
    unsigned int op;

    (void)state;
    assert_non_null(model);
    for (round = 0U; round < ARRAY_SIZE(pools); round++) {
        memset(model, 0, WIN_PAGES * sizeof(*model));
        assert_int_equal(p2m_init(p2m, pools[round]), 0);
        for (op = 0U; op < 150U; op++) {
            random_op(p2m, model);
        }
        check_model_range(p2m, model, 0U, WIN_PAGES);
        seen_splits += (unsigned int)stats_of(p2m).splits;
        /* Unmapping everything gives every table back. */
        assert_int_equal(p2m_unmap(p2m, gfn(WIN_START), WIN_PAGES), 0);
        assert_int_equal(stats_of(p2m).tables, 0);
        assert_int_equal(pool_free(p2m), pools[round]);
        p2m_destroy(p2m);
        assert_int_equal(heap_free(), before);
    }
    free(model);
    print_message("random p2m ops: %u refused for lack of pool, %u with a 1 GiB block, "
                  "%u splits\n", seen_enomem, seen_1g, seen_splits);
    assert_true(seen_enomem > 10U);
    assert_true(seen_1g > 10U);
    assert_true(seen_splits > 10U);
}

static void test_dump(void **state)
{
    struct p2m_domain *p2m = &doms[0];

    (void)state;
    fake_console_quiet(true);
    assert_int_equal(p2m_init(p2m, 4U), 0);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0), mfn(0x90000U), PAGES_2M + 1U, P2M_RAM_RW), 0);
    p2m_dump(p2m);
    assert_true(fake_log_contains("vmid 1"));
    assert_true(fake_log_contains("2052 KiB mapped"));
    assert_true(fake_log_contains("leaves 1G 0 2M 1 4K 1"));
    assert_true(fake_log_contains("p2m pool: 4 pages, 2 free"));
    p2m_destroy(p2m);
    p2m_dump(p2m);
    assert_true(fake_log_contains("p2m: none"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_geometry_for_qemu_cortex_a57, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmap_page_by_page_reclaims_last, setup, teardown),
        cmocka_unit_test_setup_teardown(test_range_unmapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_geometry_other_pa_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_36bit_ipa_single_root_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_init_and_destroy_return_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_after_mappings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_init_failures_leave_nothing_behind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_domains_are_separate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_4k_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_picks_2m_blocks_by_alignment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_mixed_range_uses_largest_leaves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_mapping_twice_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remap_part_of_2m_block_splits_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_block_replacing_tables_frees_them, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmap_reclaims_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmap_part_of_1g_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmap_range_cutting_two_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_exhaustion_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_map_is_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_resize_and_seal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_range_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_descriptor_bits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_against_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
