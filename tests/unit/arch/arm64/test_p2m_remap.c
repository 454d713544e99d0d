/* Stage-2 tables, changing what is mapped: block splits with
 * break-before-make, blocks replacing tables, and unmapping with table
 * reclaim, down to single pages and across blocks. */
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
#include "p2m_env.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unmap_page_by_page_reclaims_last, setup, teardown),
        cmocka_unit_test_setup_teardown(test_range_unmapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remap_part_of_2m_block_splits_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_block_replacing_tables_frees_them, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmap_reclaims_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmap_part_of_1g_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmap_range_cutting_two_blocks, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
