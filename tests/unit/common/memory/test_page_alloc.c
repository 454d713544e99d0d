/* Buddy page allocator: initialisation from the boot allocator, split and
 * merge, exhaustion, sparse and odd-sized banks, misuse detection. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/bootmem.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/page_alloc.h>
#include <fake_arch.h>

#define RAM0 0x40000000ULL

/* Fake RAM for one bank, reported to the boot allocator. */
static void add_bank(paddr_t base, uint64_t size)
{
    (void)fake_ram_alloc(base, (size_t)size);
    assert_int_equal(bootmem_add_ram(base, base + size), 0);
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    bootmem_reset();
    return 0;
}

static struct page_alloc_stats stats(void)
{
    struct page_alloc_stats st;

    page_alloc_stats(&st);
    return st;
}

static void assert_same_free_state(const struct page_alloc_stats *a,
                                   const struct page_alloc_stats *b)
{
    unsigned int i;

    assert_int_equal(a->total_pages, b->total_pages);
    assert_int_equal(a->free_pages, b->free_pages);
    assert_int_equal(a->largest_free_pages, b->largest_free_pages);
    for (i = 0U; i <= MAX_ORDER; i++) {
        assert_int_equal(a->free_blocks[i], b->free_blocks[i]);
    }
}

static uint64_t pages_in_free_blocks(const struct page_alloc_stats *st)
{
    uint64_t n = 0U;
    unsigned int i;

    for (i = 0U; i <= MAX_ORDER; i++) {
        n += st->free_blocks[i] << i;
    }
    return n;
}

static void test_init_single_bank(void **state)
{
    struct page_alloc_stats st;
    unsigned int i;

    (void)state;
    add_bank(RAM0, MiB(16));
    assert_int_equal(page_alloc_init(), 0);
    st = stats();
    /* 4096 pages, 32 bytes of frame table each: 128 KiB = 32 pages taken
     * from the top by the boot allocator. */
    assert_int_equal(sizeof(struct page_info), 32);
    assert_int_equal(st.frame_table_bytes, KiB(128));
    assert_int_equal(st.nr_banks, 1);
    assert_int_equal(st.total_pages, 4096 - 32);
    assert_int_equal(st.free_pages, st.total_pages);
    assert_int_equal(pages_in_free_blocks(&st), st.free_pages);
    /* 4064 = 2048 + 1024 + 512 + 256 + 128 + 64 + 32, all aligned. */
    for (i = 0U; i <= MAX_ORDER; i++) {
        assert_int_equal(st.free_blocks[i], ((i >= 5U) && (i <= 11U)) ? 1U : 0U);
    }
    assert_int_equal(st.largest_free_pages, 2048);
    /* The boot allocator is closed now. */
    assert_int_equal(bootmem_alloc(PAGE_SIZE, 0, &(paddr_t){ 0 }), -EBUSY);
}

static void test_split_and_merge_restore_state(void **state)
{
    struct page_alloc_stats before;
    struct page_alloc_stats mid;
    mfn_t a;
    mfn_t b;
    mfn_t c;

    (void)state;
    add_bank(RAM0, MiB(16));
    assert_int_equal(page_alloc_init(), 0);
    before = stats();

    /* One page splits the order-5 block into 4+3+2+1+0 and keeps one. */
    a = alloc_pages(0, 0);
    assert_false(mfn_eq(a, INVALID_MFN));
    mid = stats();
    assert_int_equal(mid.free_pages, before.free_pages - 1U);
    assert_int_equal(mid.free_blocks[5], 0);
    assert_int_equal(mid.free_blocks[0], 1);
    assert_int_equal(mid.free_blocks[4], 1);
    b = alloc_pages(3, 0);
    c = alloc_pages(0, 0);
    assert_false(mfn_eq(b, INVALID_MFN));
    assert_false(mfn_eq(c, INVALID_MFN));
    /* The buddy of a is the page left at order 0. */
    assert_int_equal(mfn_x(c), mfn_x(a) ^ 1U);

    free_pages(a, 0);
    free_pages(b, 3);
    free_pages(c, 0);
    mid = stats();
    assert_same_free_state(&before, &mid);
    assert_int_equal(mid.nr_allocs, 3);
    assert_int_equal(mid.nr_frees, 3);
}

/* Allocate blocks of changing orders until not even a page is left, check
 * that no two overlap and that each is aligned to its size, then free them
 * in a scrambled order: everything must merge back to the initial state. */
static void exhaust_and_restore(paddr_t base, uint64_t size, unsigned int max_order)
{
    struct page_alloc_stats before;
    struct page_alloc_stats after;
    uint64_t first = base >> PAGE_SHIFT;
    uint64_t nr = size >> PAGE_SHIFT;
    uint8_t *used = calloc((size_t)nr, 1);
    mfn_t *blocks = calloc((size_t)nr, sizeof(*blocks));
    unsigned int *orders = calloc((size_t)nr, sizeof(*orders));
    uint64_t n = 0U;
    uint64_t pages = 0U;
    unsigned int order = max_order;
    uint64_t i;

    assert_non_null(used);
    assert_non_null(blocks);
    assert_non_null(orders);
    before = stats();
    for (;;) {
        mfn_t m = alloc_pages(order, 0);

        if (mfn_eq(m, INVALID_MFN)) {
            if (order == 0U) {
                break;
            }
            order--;
            continue;
        }
        assert_true(IS_ALIGNED(mfn_x(m), 1ULL << order));
        assert_true(mfn_x(m) >= first);
        assert_true((mfn_x(m) - first + (1ULL << order)) <= nr);
        for (i = 0U; i < (1ULL << order); i++) {
            assert_int_equal(used[mfn_x(m) - first + i], 0);
            used[mfn_x(m) - first + i] = 1U;
        }
        blocks[n] = m;
        orders[n] = order;
        n++;
        pages += 1ULL << order;
        /* Vary the sizes: 0, 1, 2, 0, 1, 2, ... below the largest. */
        order = (order == 0U) ? 2U : order - 1U;
        if (order > max_order) {
            order = max_order;
        }
    }
    after = stats();
    assert_int_equal(pages, before.free_pages);
    assert_int_equal(after.free_pages, 0);
    assert_int_equal(after.largest_free_pages, 0);
    assert_true(after.nr_failed > before.nr_failed);

    /* Odd ones from the end, then even ones from the start. */
    for (i = n; i > 0U; i--) {
        if (((i - 1U) % 2U) == 1U) {
            free_pages(blocks[i - 1U], orders[i - 1U]);
        }
    }
    for (i = 0U; i < n; i += 2U) {
        free_pages(blocks[i], orders[i]);
    }
    after = stats();
    assert_same_free_state(&before, &after);
    free(used);
    free(blocks);
    free(orders);
}

static void test_exhaust_single_bank(void **state)
{
    (void)state;
    add_bank(RAM0, MiB(16));
    assert_int_equal(page_alloc_init(), 0);
    exhaust_and_restore(RAM0, MiB(16), 11U);
}

static void test_odd_sized_unaligned_bank(void **state)
{
    struct page_alloc_stats st;
    paddr_t base = RAM0 + 0x3000U;
    uint64_t size = MiB(5) + KiB(12) + 0x1000U;    /* 1284 pages */

    (void)state;
    add_bank(base, size);
    assert_int_equal(page_alloc_init(), 0);
    st = stats();
    /* 1284 pages of 32-byte entries: 41088 bytes, 11 pages. */
    assert_int_equal(st.total_pages, 1284 - 11);
    assert_int_equal(pages_in_free_blocks(&st), st.total_pages);
    exhaust_and_restore(base, size, MAX_ORDER);
}

static void test_banks_with_gap(void **state)
{
    struct page_alloc_stats st;
    uint64_t count = 0U;
    mfn_t m;

    (void)state;
    add_bank(RAM0, MiB(8));
    add_bank(0x80000000ULL + 0x5000U, MiB(3));
    assert_int_equal(page_alloc_init(), 0);
    st = stats();
    assert_int_equal(st.nr_banks, 2);
    /* Both frame tables sit at the top of the high bank: 64 + 24 KiB. */
    assert_int_equal(st.frame_table_bytes, KiB(88));
    assert_int_equal(st.total_pages, 2048 + 768 - 22);
    assert_null(mfn_to_page(mfn((RAM0 + MiB(8)) >> PAGE_SHIFT)));
    assert_null(mfn_to_page(mfn(0x80004U)));
    assert_non_null(mfn_to_page(mfn(0x80005U)));

    /* Every page is allocatable and inside a bank. */
    for (;;) {
        m = alloc_pages(0, 0);
        if (mfn_eq(m, INVALID_MFN)) {
            break;
        }
        assert_non_null(mfn_to_page(m));
        count++;
    }
    assert_int_equal(count, st.total_pages);
    assert_int_equal(stats().free_pages, 0);
}

static void test_banks_with_gap_restore(void **state)
{
    (void)state;
    add_bank(RAM0, MiB(8));
    add_bank(0x80000000ULL + 0x5000U, MiB(3));
    assert_int_equal(page_alloc_init(), 0);
    exhaust_and_restore(RAM0, 0x80000000ULL + 0x5000U + MiB(3) - RAM0, MAX_ORDER);
}

static void test_max_order_block(void **state)
{
    struct page_alloc_stats st;
    struct page_alloc_stats after;
    mfn_t m;

    (void)state;
    add_bank(0x80000000ULL, GiB(2));
    assert_int_equal(page_alloc_init(), 0);
    st = stats();
    assert_int_equal(st.free_blocks[MAX_ORDER], 1);
    assert_int_equal(st.largest_free_pages, 1ULL << MAX_ORDER);
    m = alloc_pages(MAX_ORDER, 0);
    assert_int_equal(mfn_x(m), 0x80000000ULL >> PAGE_SHIFT);
    assert_true(mfn_eq(alloc_pages(MAX_ORDER, 0), INVALID_MFN));
    assert_true(mfn_eq(alloc_pages(MAX_ORDER + 1U, 0), INVALID_MFN));
    free_pages(m, MAX_ORDER);
    after = stats();
    assert_same_free_state(&st, &after);
}

/* Require free_pages(m, order) to panic with a message containing why. */
static void expect_free_panics(mfn_t m, unsigned int order, const char *why)
{
    fake_expect_panic(free_pages(m, order));
    assert_non_null(strstr(fake_panic_msg(), why));
}

static void expect_xenheap_free_panics(void *p, unsigned int order, const char *why)
{
    fake_expect_panic(free_xenheap_pages(p, order));
    assert_non_null(strstr(fake_panic_msg(), why));
}

static void test_double_free_detected(void **state)
{
    mfn_t a;
    mfn_t b;

    (void)state;
    add_bank(RAM0, MiB(4));
    assert_int_equal(page_alloc_init(), 0);
    a = alloc_pages(2, 0);
    free_pages(a, 2);
    expect_free_panics(a, 2, "double free");

    /* After merging, a's page is inside a bigger free block. */
    a = alloc_pages(0, 0);
    b = alloc_pages(0, 0);
    free_pages(a, 0);
    free_pages(b, 0);
    expect_free_panics(mfn_x(a) > mfn_x(b) ? a : b, 0, "not the start of an allocated block");
    /* The lock was released: the allocator still works. */
    a = alloc_pages(0, 0);
    assert_false(mfn_eq(a, INVALID_MFN));
    free_pages(a, 0);
    assert_int_equal(fake_panic_count(), 2);
}

static void test_bad_frees_detected(void **state)
{
    struct page_alloc_stats st;
    mfn_t a;

    (void)state;
    add_bank(RAM0, MiB(4));
    assert_int_equal(page_alloc_init(), 0);
    a = alloc_pages(2, 0);
    expect_free_panics(a, 1, "order differs");
    expect_free_panics(mfn(mfn_x(a) + 1U), 0, "not the start of an allocated block");
    expect_free_panics(mfn(0x1234U), 0, "not a RAM frame");
    expect_free_panics(a, MAX_ORDER + 1U, "order too large");
    /* The last page holds the frame table: never the allocator's. */
    expect_free_panics(mfn(((RAM0 + MiB(4)) >> PAGE_SHIFT) - 1U), 0, "not the start");
    expect_xenheap_free_panics((char *)arch_maddr_to_virt(mfn_to_paddr(a)) + 8, 2,
                               "not page aligned");
    free_pages(a, 2);
    st = stats();
    assert_int_equal(st.free_pages, st.total_pages);
}

static void test_alloc_zero_and_xenheap(void **state)
{
    uint8_t *p;
    unsigned int i;

    (void)state;
    add_bank(RAM0, MiB(4));
    assert_int_equal(page_alloc_init(), 0);
    p = alloc_xenheap_pages(1, 0);
    assert_non_null(p);
    assert_true(IS_ALIGNED(arch_virt_to_maddr(p), 2U * PAGE_SIZE));
    memset(p, 0xa5, 2U * PAGE_SIZE);
    assert_ptr_equal(virt_to_page(p), mfn_to_page(paddr_to_mfn(arch_virt_to_maddr(p))));
    assert_true(page_is_allocated(virt_to_page(p)));
    free_xenheap_pages(p, 1);
    /* LIFO free lists hand the same block back: now cleared. */
    p = alloc_xenheap_pages(1, ALLOC_ZERO);
    assert_non_null(p);
    for (i = 0U; i < 2U * PAGE_SIZE; i++) {
        assert_int_equal(p[i], 0);
    }
    free_xenheap_pages(p, 1);
    free_xenheap_pages(NULL, 3);
    p = alloc_xenheap_page();
    assert_non_null(p);
    free_xenheap_page(p);
    assert_null(alloc_xenheap_pages(MAX_ORDER, 0));
}

static void test_page_lookups(void **state)
{
    struct page_info *pg;
    mfn_t m;

    (void)state;
    add_bank(RAM0, MiB(4));
    add_bank(0x80000000ULL, MiB(4));
    assert_int_equal(page_alloc_init(), 0);
    m = mfn(0x80123U);
    pg = mfn_to_page(m);
    assert_non_null(pg);
    assert_int_equal(mfn_x(page_to_mfn(pg)), 0x80123U);
    pg = mfn_to_page(mfn(RAM0 >> PAGE_SHIFT));
    assert_int_equal(mfn_x(page_to_mfn(pg)), RAM0 >> PAGE_SHIFT);
    assert_true(mfn_eq(page_to_mfn((struct page_info *)(void *)((char *)pg + 1)), INVALID_MFN));
    assert_true(mfn_eq(page_to_mfn(&(struct page_info){ 0 }), INVALID_MFN));
}

static void test_add_range_later(void **state)
{
    struct page_alloc_stats st;
    struct page_alloc_stats after;

    (void)state;
    add_bank(RAM0, MiB(4));
    /* An init-only area in the middle of the bank, given back after boot. */
    assert_int_equal(bootmem_reserve(RAM0 + MiB(1), RAM0 + MiB(2)), 0);
    assert_int_equal(page_alloc_init(), 0);
    st = stats();
    assert_int_equal(st.largest_free_pages, 256);
    assert_int_equal(page_alloc_add_range(RAM0 + MiB(1), RAM0 + MiB(2)), 0);
    after = stats();
    assert_int_equal(after.total_pages, st.total_pages + 256U);
    assert_int_equal(after.free_pages, st.free_pages + 256U);
    /* It merged with the free MiB below it into a 2 MiB block. */
    assert_int_equal(after.largest_free_pages, 512);
    assert_int_equal(pages_in_free_blocks(&after), after.free_pages);
    /* Twice, unaligned, outside RAM, across the end of the bank. */
    assert_int_equal(page_alloc_add_range(RAM0 + MiB(1), RAM0 + MiB(2)), -EINVAL);
    assert_int_equal(page_alloc_add_range(RAM0 + 0x800U, RAM0 + MiB(2)), -EINVAL);
    assert_int_equal(page_alloc_add_range(0x10000000ULL, 0x10001000ULL), -EINVAL);
    assert_int_equal(page_alloc_add_range(RAM0 + MiB(4) - 0x1000U, RAM0 + MiB(5)), -EINVAL);
    assert_int_equal(page_alloc_add_range(RAM0, RAM0), -EINVAL);
}

/* The boot hand-over marks as unmanaged exactly what it does not hand
 * over, wherever it lies: the start of a bank, between free ranges, a whole
 * bank, the end of the last one (add_range takes only unmanaged pages, and
 * refuses managed ones). */
static void test_handover_classifies_every_page(void **state)
{
    const paddr_t bank1 = 0x80000000ULL;
    const paddr_t bank2 = 0x90000000ULL;
    struct page_alloc_stats st;

    (void)state;
    add_bank(RAM0, MiB(4));
    add_bank(bank1, MiB(1));
    add_bank(bank2, MiB(8));
    assert_int_equal(bootmem_reserve(RAM0, RAM0 + KiB(64)), 0);
    assert_int_equal(bootmem_reserve(RAM0 + MiB(2), RAM0 + MiB(2) + KiB(8)), 0);
    assert_int_equal(bootmem_reserve(bank1, bank1 + MiB(1)), 0);
    assert_int_equal(bootmem_reserve(bank2 + MiB(6), bank2 + MiB(7)), 0);
    assert_int_equal(page_alloc_init(), 0);
    st = stats();
    assert_int_equal(st.nr_banks, 3);
    assert_int_equal(pages_in_free_blocks(&st), st.free_pages);
    /* The frame tables (4 + 1 + 8 MiB of pages: 104 KiB) at the top of
     * bank 2, the reservations: all unmanaged, the rest free. */
    assert_int_equal(st.frame_table_bytes, KiB(104));
    assert_int_equal(st.total_pages, 3328U - 16U - 2U - 256U - 256U - 26U);

    /* Free pages are the allocator's already. */
    assert_int_equal(page_alloc_add_range(RAM0 + KiB(64), RAM0 + KiB(68)), -EINVAL);
    assert_int_equal(page_alloc_add_range(RAM0 + MiB(4) - KiB(4), RAM0 + MiB(4)), -EINVAL);
    assert_int_equal(page_alloc_add_range(bank2, bank2 + KiB(4)), -EINVAL);
    assert_int_equal(page_alloc_add_range(bank2 + MiB(7), bank2 + MiB(7) + KiB(4)), -EINVAL);
    /* Every reservation is unmanaged, and goes in once. */
    assert_int_equal(page_alloc_add_range(RAM0, RAM0 + KiB(64)), 0);
    assert_int_equal(page_alloc_add_range(RAM0 + MiB(2), RAM0 + MiB(2) + KiB(8)), 0);
    assert_int_equal(page_alloc_add_range(bank1, bank1 + MiB(1)), 0);
    assert_int_equal(page_alloc_add_range(bank2 + MiB(6), bank2 + MiB(7)), 0);
    assert_int_equal(page_alloc_add_range(bank1, bank1 + MiB(1)), -EINVAL);
    /* So is the last frame-table page (taken only to look: a static
     * acquisition would clear it). */
    assert_int_equal(page_alloc_add_range(bank2 + MiB(8) - KiB(4), bank2 + MiB(8)), 0);
    st = stats();
    assert_int_equal(st.total_pages, 3328U - 25U);
    assert_int_equal(pages_in_free_blocks(&st), st.free_pages);
}

static void test_init_without_room_for_tables(void **state)
{
    (void)state;
    add_bank(RAM0, 0x1000U);
    assert_int_equal(bootmem_reserve(RAM0, RAM0 + 0x1000U), 0);
    assert_int_equal(page_alloc_init(), -ENOMEM);
    assert_true(fake_log_contains("no memory for the frame table"));
}

static void test_no_ram_at_all(void **state)
{
    struct page_alloc_stats st;

    (void)state;
    assert_int_equal(page_alloc_init(), 0);
    st = stats();
    assert_int_equal(st.total_pages, 0);
    assert_true(mfn_eq(alloc_pages(0, 0), INVALID_MFN));
    assert_int_equal(stats().nr_failed, 1);
}

static void test_dump(void **state)
{
    mfn_t m;

    (void)state;
    add_bank(RAM0, MiB(16));
    assert_int_equal(page_alloc_init(), 0);
    m = alloc_pages(4, 0);
    page_alloc_dump();
    assert_true(fake_log_contains("Page allocator: 1 bank, 4064 pages (15 MiB) managed, "
                                  "4048 free (15 MiB)"));
    assert_true(fake_log_contains("largest free block 2048 pages, frame table 128 KiB, "
                                  "1 allocs (0 failed), 0 frees"));
    assert_true(fake_log_contains("  order      0     1     2     3     4     5"));
    assert_true(fake_log_contains("  free       0     0     0     0     1     0     1"));
    free_pages(m, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_single_bank, setup),
        cmocka_unit_test_setup(test_split_and_merge_restore_state, setup),
        cmocka_unit_test_setup(test_exhaust_single_bank, setup),
        cmocka_unit_test_setup(test_odd_sized_unaligned_bank, setup),
        cmocka_unit_test_setup(test_banks_with_gap, setup),
        cmocka_unit_test_setup(test_banks_with_gap_restore, setup),
        cmocka_unit_test_setup(test_max_order_block, setup),
        cmocka_unit_test_setup(test_double_free_detected, setup),
        cmocka_unit_test_setup(test_bad_frees_detected, setup),
        cmocka_unit_test_setup(test_alloc_zero_and_xenheap, setup),
        cmocka_unit_test_setup(test_page_lookups, setup),
        cmocka_unit_test_setup(test_add_range_later, setup),
        cmocka_unit_test_setup(test_handover_classifies_every_page, setup),
        cmocka_unit_test_setup(test_init_without_room_for_tables, setup),
        cmocka_unit_test_setup(test_no_ram_at_all, setup),
        cmocka_unit_test_setup(test_dump, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
