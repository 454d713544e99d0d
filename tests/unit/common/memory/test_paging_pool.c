/* Paging pool: filling and resizing (all or nothing), take and give back,
 * zeroed pages, exhaustion without falling back on the page allocator,
 * sealing, teardown, misuse, and Xen 4.17's default pool size. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/arch/mm.h>
#include <proxenos/bootmem.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/page_alloc.h>
#include <proxenos/paging_pool.h>
#include <fake_arch.h>

#define RAM0 0x40000000ULL
#define RAM_SIZE MiB(4)

static int setup(void **state)
{
    (void)state;
    fake_reset();
    bootmem_reset();
    (void)fake_ram_alloc(RAM0, (size_t)RAM_SIZE);
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + RAM_SIZE), 0);
    assert_int_equal(page_alloc_init(), 0);
    return 0;
}

static uint64_t heap_free(void)
{
    struct page_alloc_stats st;

    page_alloc_stats(&st);
    return st.free_pages;
}

static uint8_t *page_va(mfn_t m)
{
    return arch_maddr_to_virt(mfn_to_paddr(m));
}

static bool page_is_zero(mfn_t m)
{
    const uint8_t *p = page_va(m);
    size_t i;

    for (i = 0U; i < PAGE_SIZE; i++) {
        if (p[i] != 0U) {
            return false;
        }
    }
    return true;
}

static void test_default_pool_pages_matches_xen(void **state)
{
    (void)state;
    /* 4 * (256 * cpus + ram_mib + 128) KiB, rounded up to MiB, in pages. */
    assert_int_equal(p2m_default_pool_pages(MiB(512), 1U), 4U * 256U);     /* 3584 KiB -> 4 MiB */
    assert_int_equal(p2m_default_pool_pages(0U, 0U), 256U);                /* 512 KiB -> 1 MiB */
    assert_int_equal(p2m_default_pool_pages(GiB(1), 2U), 7U * 256U);       /* 6656 KiB -> 7 MiB */
    assert_int_equal(p2m_default_pool_pages(MiB(128), 1U), 2U * 256U);     /* 2048 KiB exactly */
    /* Only whole MiB of RAM count, as with Xen's maxmem_kb / 1024. */
    assert_int_equal(p2m_default_pool_pages(MiB(128) + KiB(1023), 1U), 2U * 256U);
    assert_int_equal(p2m_default_pool_pages(MiB(129), 1U), 3U * 256U);     /* 2052 KiB -> 3 MiB */
    /* A large guest: 128 vCPUs, 1016 GiB (RAM bank 1 full). */
    assert_int_equal(p2m_default_pool_pages(GiB(1016), 128U),
                     ((4U * ((256U * 128U) + (1016U * 1024U) + 128U) + 1023U) / 1024U) * 256U);
}

static void test_fill_take_give_back(void **state)
{
    struct paging_pool pool;
    struct paging_pool_stats st;
    uint64_t before;
    mfn_t a;
    mfn_t b;

    (void)state;
    before = heap_free();
    paging_pool_init(&pool);
    assert_int_equal(paging_pool_total(&pool), 0);
    assert_int_equal(paging_pool_resize(&pool, 8U), 0);
    assert_int_equal(paging_pool_total(&pool), 8);
    assert_int_equal(paging_pool_free(&pool), 8);
    assert_int_equal(heap_free(), before - 8U);

    a = paging_pool_take(&pool);
    b = paging_pool_take(&pool);
    assert_false(mfn_eq(a, INVALID_MFN));
    assert_false(mfn_eq(b, INVALID_MFN));
    assert_false(mfn_eq(a, b));
    assert_true(page_is_zero(a));
    assert_int_equal(paging_pool_free(&pool), 6);
    assert_int_equal(paging_pool_total(&pool), 8);

    /* A dirty page comes back zeroed next time. */
    memset(page_va(a), 0xa5, PAGE_SIZE);
    paging_pool_give_back(&pool, a);
    assert_int_equal(paging_pool_free(&pool), 7);
    a = paging_pool_take(&pool);
    assert_true(page_is_zero(a));

    paging_pool_stats(&pool, &st);
    assert_int_equal(st.total, 8);
    assert_int_equal(st.used, 2);
    assert_int_equal(st.free, 6);
    assert_int_equal(st.peak_used, 2);
    assert_int_equal(st.nr_failed, 0);
    assert_false(st.sealed);

    paging_pool_give_back(&pool, a);
    paging_pool_give_back(&pool, b);
    paging_pool_teardown(&pool);
    assert_int_equal(paging_pool_total(&pool), 0);
    assert_int_equal(heap_free(), before);
}

static void test_exhaustion_never_falls_back(void **state)
{
    struct paging_pool pool;
    struct paging_pool_stats st;
    mfn_t taken[4];
    uint64_t heap;
    unsigned int i;

    (void)state;
    paging_pool_init(&pool);
    assert_int_equal(paging_pool_resize(&pool, 4U), 0);
    heap = heap_free();
    for (i = 0U; i < 4U; i++) {
        taken[i] = paging_pool_take(&pool);
        assert_false(mfn_eq(taken[i], INVALID_MFN));
    }
    assert_true(mfn_eq(paging_pool_take(&pool), INVALID_MFN));
    assert_true(mfn_eq(paging_pool_take(&pool), INVALID_MFN));
    /* The page allocator was not touched. */
    assert_int_equal(heap_free(), heap);
    paging_pool_stats(&pool, &st);
    assert_int_equal(st.free, 0);
    assert_int_equal(st.used, 4);
    assert_int_equal(st.nr_failed, 2);
    for (i = 0U; i < 4U; i++) {
        paging_pool_give_back(&pool, taken[i]);
    }
    paging_pool_teardown(&pool);
}

static void test_grow_is_all_or_nothing(void **state)
{
    struct paging_pool pool;
    uint64_t heap;

    (void)state;
    paging_pool_init(&pool);
    assert_int_equal(paging_pool_resize(&pool, 3U), 0);
    heap = heap_free();
    assert_int_equal(paging_pool_resize(&pool, heap + 10U), -ENOMEM);
    assert_int_equal(paging_pool_total(&pool), 3);
    assert_int_equal(paging_pool_free(&pool), 3);
    assert_int_equal(heap_free(), heap);
    /* Exactly what is left fits. */
    assert_int_equal(paging_pool_resize(&pool, 3U + heap), 0);
    assert_int_equal(heap_free(), 0);
    paging_pool_teardown(&pool);
    assert_int_equal(heap_free(), heap + 3U);
}

static void test_shrink(void **state)
{
    struct paging_pool pool;
    uint64_t heap;
    mfn_t a;
    mfn_t b;

    (void)state;
    heap = heap_free();
    paging_pool_init(&pool);
    assert_int_equal(paging_pool_resize(&pool, 10U), 0);
    a = paging_pool_take(&pool);
    b = paging_pool_take(&pool);
    assert_int_equal(paging_pool_resize(&pool, 1U), -EBUSY);
    assert_int_equal(paging_pool_total(&pool), 10);
    assert_int_equal(paging_pool_resize(&pool, 2U), 0);
    assert_int_equal(paging_pool_total(&pool), 2);
    assert_int_equal(paging_pool_free(&pool), 0);
    assert_int_equal(heap_free(), heap - 2U);
    paging_pool_give_back(&pool, a);
    paging_pool_give_back(&pool, b);
    assert_int_equal(paging_pool_resize(&pool, 0U), 0);
    assert_int_equal(heap_free(), heap);
}

static void test_sealed_pool_keeps_its_size(void **state)
{
    struct paging_pool pool;
    struct paging_pool_stats st;
    mfn_t a;

    (void)state;
    paging_pool_init(&pool);
    assert_int_equal(paging_pool_resize(&pool, 2U), 0);
    paging_pool_seal(&pool);
    assert_int_equal(paging_pool_resize(&pool, 3U), -EPERM);
    assert_int_equal(paging_pool_resize(&pool, 1U), -EPERM);
    assert_int_equal(paging_pool_total(&pool), 2);
    /* Taking and giving back still work. */
    a = paging_pool_take(&pool);
    assert_false(mfn_eq(a, INVALID_MFN));
    paging_pool_give_back(&pool, a);
    paging_pool_stats(&pool, &st);
    assert_true(st.sealed);
    /* Teardown empties it and makes it usable again. */
    paging_pool_teardown(&pool);
    assert_int_equal(paging_pool_resize(&pool, 1U), 0);
    paging_pool_teardown(&pool);
}

static void expect_give_back_panics(struct paging_pool *pool, mfn_t m)
{
    fake_expect_panic(paging_pool_give_back(pool, m));
}

static void expect_teardown_panics(struct paging_pool *pool)
{
    fake_expect_panic(paging_pool_teardown(pool));
}

static void test_misuse_panics(void **state)
{
    struct paging_pool p1;
    struct paging_pool p2;
    mfn_t a;
    mfn_t stranger;

    (void)state;
    fake_console_quiet(true);
    paging_pool_init(&p1);
    paging_pool_init(&p2);
    assert_int_equal(paging_pool_resize(&p1, 2U), 0);
    assert_int_equal(paging_pool_resize(&p2, 2U), 0);
    a = paging_pool_take(&p1);

    /* To the wrong pool: another domain's pool must not grow from it. */
    expect_give_back_panics(&p2, a);
    assert_int_equal(paging_pool_free(&p2), 2);
    /* Twice. */
    paging_pool_give_back(&p1, a);
    expect_give_back_panics(&p1, a);
    /* A page the pool never had, and a frame outside RAM. */
    stranger = alloc_pages(0U, 0U);
    expect_give_back_panics(&p1, stranger);
    expect_give_back_panics(&p1, mfn(0x10U));
    assert_int_equal(paging_pool_free(&p1), 2);

    /* Teardown while a page is still in use. */
    a = paging_pool_take(&p1);
    expect_teardown_panics(&p1);
    assert_true(strstr(fake_panic_msg(), "still taken") != NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_default_pool_pages_matches_xen, setup),
        cmocka_unit_test_setup(test_fill_take_give_back, setup),
        cmocka_unit_test_setup(test_exhaustion_never_falls_back, setup),
        cmocka_unit_test_setup(test_grow_is_all_or_nothing, setup),
        cmocka_unit_test_setup(test_shrink, setup),
        cmocka_unit_test_setup(test_sealed_pool_keeps_its_size, setup),
        cmocka_unit_test_setup(test_misuse_panics, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
