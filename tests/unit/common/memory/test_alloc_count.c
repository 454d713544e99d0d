/* Allocations after boot (alloc_count.c with page_alloc.c and xmalloc.c):
 * nothing counts before the end of boot, every page block and object
 * after it counts once under its kind; static mode refuses both (NULL,
 * INVALID_MFN) and counts the refusals; a reboot window on one CPU keeps
 * what is freed there and hands the same blocks and objects back, counted
 * as recycled, not as allocations, while other CPUs stay refused; closing
 * it returns the rest to the heap. The 'b' key prints the line the system
 * tests read. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/alloc_count.h>
#include <proxenos/keyhandler.h>
#include <proxenos/lib.h>
#include "heap_env.h"

#define RAM0 0x40000000ULL

extern const struct keyhandler __keyhandler_start[], __keyhandler_end[];

static uint64_t free_pages_now(void)
{
    struct page_alloc_stats st;

    page_alloc_stats(&st);
    return st.free_pages;
}

static struct alloc_count_stats counts(void)
{
    struct alloc_count_stats st;

    alloc_count_stats(&st);
    return st;
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    heap_env_init(RAM0, (size_t)MiB(16));
    alloc_count_reset();
    return 0;
}

static void test_nothing_counts_during_boot(void **state)
{
    void *p = xmalloc(100U);
    mfn_t m = alloc_pages(2U, 0U);
    struct alloc_count_stats st = counts();

    (void)state;
    assert_non_null(p);
    assert_false(mfn_eq(m, INVALID_MFN));
    assert_false(st.boot_ended);
    assert_int_equal(st.after_boot[ALLOC_KIND_PAGES], 0U);
    assert_int_equal(st.after_boot[ALLOC_KIND_XMALLOC], 0U);
    xfree(p);
    free_pages(m, 2U);
}

/* Not static: allocations go on and are counted by kind, with callers. */
static void test_counts_after_boot(void **state)
{
    void *small;
    void *large;
    mfn_t m;
    struct alloc_count_stats st;

    (void)state;
    alloc_count_end_boot();
    small = xmalloc(40U);                   /* a new slab: a page too */
    large = xzalloc(3U * PAGE_SIZE);        /* a block of 4 pages */
    m = alloc_pages(0U, ALLOC_ZERO);
    st = counts();
    assert_non_null(small);
    assert_non_null(large);
    assert_false(mfn_eq(m, INVALID_MFN));
    assert_true(st.boot_ended);
    assert_false(st.static_mode);
    assert_int_equal(st.after_boot[ALLOC_KIND_XMALLOC], 2U);
    assert_int_equal(st.after_boot[ALLOC_KIND_PAGES], 3U);
    assert_int_equal(st.refused[ALLOC_KIND_PAGES] + st.refused[ALLOC_KIND_XMALLOC], 0U);
    for (unsigned int i = 0U; i < 5U; i++) {
        assert_non_null(st.callers[i]);
    }
    assert_null(st.callers[5]);
    /* Frees do not count. */
    xfree(small);
    xfree(large);
    free_pages(m, 0U);
    assert_int_equal(counts().after_boot[ALLOC_KIND_XMALLOC], 2U);
}

/* Static mode: refused, as an exhausted heap, and counted as refused. */
static void test_static_mode_refuses(void **state)
{
    uint64_t before;
    struct alloc_count_stats st;

    (void)state;
    alloc_count_set_static(true);
    alloc_count_end_boot();
    before = free_pages_now();
    assert_null(xmalloc(16U));
    assert_null(xzalloc(5U * PAGE_SIZE));
    assert_true(mfn_eq(alloc_pages(0U, 0U), INVALID_MFN));
    assert_null(alloc_xenheap_page());
    st = counts();
    assert_int_equal(st.after_boot[ALLOC_KIND_PAGES], 0U);
    assert_int_equal(st.after_boot[ALLOC_KIND_XMALLOC], 0U);
    assert_int_equal(st.refused[ALLOC_KIND_XMALLOC], 2U);
    assert_int_equal(st.refused[ALLOC_KIND_PAGES], 2U);
    assert_int_equal(free_pages_now(), before);
    /* The window opens only after boot in static mode. */
    alloc_count_reset();
    assert_false(alloc_recycle_begin());
    alloc_count_end_boot();
    assert_false(alloc_recycle_begin());
}

/* What a boot-time domain holds, made during boot. */
struct held {
    void *obj[6];
    mfn_t ram;
};

static void take(struct held *h)
{
    h->obj[0] = xzalloc(24U);
    h->obj[1] = xzalloc(24U);
    h->obj[2] = xmalloc(700U);
    h->obj[3] = xzalloc(2U * PAGE_SIZE);    /* large: a page block */
    h->obj[4] = xmalloc(16U);
    h->obj[5] = xmalloc(2048U);
    h->ram = alloc_pages(4U, ALLOC_ZERO);
    for (unsigned int i = 0U; i < 6U; i++) {
        assert_non_null(h->obj[i]);
    }
    assert_false(mfn_eq(h->ram, INVALID_MFN));
}

static void give_back(struct held *h)
{
    for (unsigned int i = 0U; i < 6U; i++) {
        xfree(h->obj[i]);
    }
    free_pages(h->ram, 4U);
}

/* A reboot: destroyed and rebuilt in the window, the same shapes come
 * back from what was freed, zeroed where asked; nothing counts as an
 * allocation; the heap's free pages end as they were. */
static void test_reboot_window_recycles(void **state)
{
    struct held h;
    void *old[6];
    uint64_t free_before;
    struct alloc_count_stats st;
    uint8_t *p;

    (void)state;
    alloc_count_set_static(true);
    take(&h);
    memcpy(old, h.obj, sizeof(old));
    memset(h.obj[0], 0xa5, 24U);
    p = arch_maddr_to_virt(mfn_to_paddr(h.ram));
    memset(p, 0x5a, PAGE_SIZE);
    alloc_count_end_boot();
    free_before = free_pages_now();

    assert_true(alloc_recycle_begin());
    assert_true(alloc_recycling());
    give_back(&h);
    /* Kept, not freed to the heap. */
    assert_int_equal(free_pages_now(), free_before);
    /* Another CPU meanwhile: still refused, and its frees are its own. */
    fake_set_cpu(1U);
    assert_false(alloc_recycling());
    assert_null(xmalloc(24U));
    fake_set_cpu(0U);
    take(&h);
    /* The same objects (last freed, first taken within a class). */
    for (unsigned int i = 0U; i < 6U; i++) {
        bool found = false;

        for (unsigned int j = 0U; j < 6U; j++) {
            found = found || (h.obj[i] == old[j]);
        }
        assert_true(found);
    }
    assert_memory_equal(h.obj[0], (const uint8_t[24]){ 0 }, 24U);
    p = arch_maddr_to_virt(mfn_to_paddr(h.ram));
    assert_int_equal(p[0], 0U);
    assert_int_equal(p[PAGE_SIZE - 1U], 0U);
    xmalloc_recycle_end();
    assert_false(alloc_recycling());
    st = counts();
    assert_int_equal(st.after_boot[ALLOC_KIND_PAGES], 0U);
    assert_int_equal(st.after_boot[ALLOC_KIND_XMALLOC], 0U);
    assert_int_equal(st.recycled[ALLOC_KIND_XMALLOC], 6U);
    assert_int_equal(st.recycled[ALLOC_KIND_PAGES], 2U);  /* the large object, the RAM */
    assert_int_equal(st.refused[ALLOC_KIND_XMALLOC], 1U);
    assert_int_equal(free_pages_now(), free_before);
    /* Closed: refused again. */
    assert_null(xmalloc(24U));
    alloc_count_reset();
    give_back(&h);
}

/* A rebuild smaller than what was freed: the rest goes back to the heap
 * when the window closes; a bigger one takes the extra from the heap, and
 * that counts. */
static void test_window_leftovers_and_extra(void **state)
{
    struct held h;
    uint64_t free_before;
    void *extra;
    void *again;
    struct alloc_count_stats st;

    (void)state;
    alloc_count_set_static(true);
    take(&h);
    alloc_count_end_boot();
    free_before = free_pages_now();
    assert_true(alloc_recycle_begin());
    give_back(&h);
    again = xmalloc(24U);
    extra = xmalloc(300U);              /* no 512-byte object was freed */
    xmalloc_recycle_end();
    st = counts();
    assert_non_null(again);
    assert_non_null(extra);
    assert_int_equal(st.recycled[ALLOC_KIND_XMALLOC], 1U);
    assert_int_equal(st.after_boot[ALLOC_KIND_XMALLOC], 1U);
    /* The RAM block (16 pages) and the large object (2) are back on the
     * free lists; the extra object took a new 512-byte slab (1 page). */
    assert_int_equal(free_pages_now(), free_before + 16U + 2U - 1U);
    assert_int_equal(st.after_boot[ALLOC_KIND_PAGES], 1U);
    alloc_count_reset();
    xfree(again);
    xfree(extra);
    assert_int_equal(heap_env_objs_live(), 0U);
}

/* Freeing a kept object or block again is still a double free. */
static void test_double_free_in_window(void **state)
{
    void *p;
    mfn_t m;

    (void)state;
    alloc_count_set_static(true);
    p = xmalloc(64U);
    m = alloc_pages(1U, 0U);
    alloc_count_end_boot();
    assert_true(alloc_recycle_begin());
    xfree(p);
    fake_expect_panic(xfree(p));
    assert_non_null(strstr(fake_panic_msg(), "double free"));
    free_pages(m, 1U);
    fake_expect_panic(free_pages(m, 1U));
    assert_non_null(strstr(fake_panic_msg(), "double free"));
    xmalloc_recycle_end();
    alloc_count_reset();
}

static void test_key_prints_the_line(void **state)
{
    (void)state;
    keyhandler_set_table(__keyhandler_start, __keyhandler_end);
    alloc_count_set_static(true);
    alloc_count_end_boot();
    assert_null(xmalloc(8U));
    fake_log_clear();
    handle_keypress('b');
    assert_true(fake_log_contains("Allocations after boot: pages 0 xmalloc 0; refused: pages 0 "
                                  "xmalloc 1; recycled: pages 0 xmalloc 0; static mode on"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_nothing_counts_during_boot, setup),
        cmocka_unit_test_setup(test_counts_after_boot, setup),
        cmocka_unit_test_setup(test_static_mode_refuses, setup),
        cmocka_unit_test_setup(test_reboot_window_recycles, setup),
        cmocka_unit_test_setup(test_window_leftovers_and_extra, setup),
        cmocka_unit_test_setup(test_double_free_in_window, setup),
        cmocka_unit_test_setup(test_key_prints_the_line, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
