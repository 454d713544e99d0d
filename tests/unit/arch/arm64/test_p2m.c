/* Stage-2 tables: geometry and VTCR, set-up and teardown returning every
 * page, map/lookup with automatic 4 KiB / 2 MiB / 1 GiB leaves, pool
 * exhaustion (-ENOMEM with nothing changed), range checks and the dump.
 * Changing what is mapped is in test_p2m_remap.c, the descriptors' bits in
 * test_p2m_descriptors.c, random operations against a model in
 * test_p2m_model.c. */
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
    assert_int_equal(arch_guest_ipa_bits(), 40);
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
        cmocka_unit_test_setup_teardown(test_pool_exhaustion_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_map_is_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_resize_and_seal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_range_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
