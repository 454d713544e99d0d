/* Small-object allocator: every size with data patterns, alignment, large
 * objects, statistics, exhaustion and misuse detection. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <pthread.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/bootmem.h>
#include <proxenos/lib.h>
#include <proxenos/page_alloc.h>
#include <proxenos/xmalloc.h>
#include <fake_arch.h>

#define RAM0 0x40000000ULL

static uint64_t initial_free_pages;

static uint64_t free_pages_now(void)
{
    struct page_alloc_stats st;

    page_alloc_stats(&st);
    return st.free_pages;
}

static struct xmalloc_stats xstats(void)
{
    struct xmalloc_stats st;

    xmalloc_stats(&st);
    return st;
}

static void init_heap(uint64_t ram_bytes)
{
    fake_reset();
    bootmem_reset();
    (void)fake_ram_alloc(RAM0, (size_t)ram_bytes);
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + ram_bytes), 0);
    assert_int_equal(page_alloc_init(), 0);
    xmalloc_reset();
    initial_free_pages = free_pages_now();
}

static int setup(void **state)
{
    (void)state;
    init_heap(MiB(64));
    return 0;
}

/* Everything was returned: no object live, and after a trim no page held. */
static void assert_heap_empty(void)
{
    struct xmalloc_stats st = xstats();
    unsigned int i;

    for (i = 0U; i < XMALLOC_NR_CLASSES; i++) {
        assert_int_equal(st.cls[i].objs_in_use, 0);
    }
    assert_int_equal(st.large_in_use, 0);
    assert_int_equal(st.bytes_in_use, 0);
    assert_int_equal(st.nr_allocs, st.nr_frees);
    xmalloc_trim();
    st = xstats();
    assert_int_equal(st.pages_held, 0);
    assert_int_equal(free_pages_now(), initial_free_pages);
}

static uint8_t pattern(size_t obj, size_t byte)
{
    return (uint8_t)((obj * 131U) + (byte * 7U) + 1U);
}

static void fill(uint8_t *p, size_t len, size_t obj)
{
    size_t i;

    for (i = 0U; i < len; i++) {
        p[i] = pattern(obj, i);
    }
}

static void check(const uint8_t *p, size_t len, size_t obj)
{
    size_t i;

    for (i = 0U; i < len; i++) {
        if (p[i] != pattern(obj, i)) {
            fail_msg("object %zu (%zu bytes) byte %zu corrupted", obj, len, i);
        }
    }
}

#define NR_SIZES 5000U

static void test_every_size_with_patterns(void **state)
{
    static uint8_t *ptrs[NR_SIZES];
    size_t i;

    (void)state;
    /* Sizes 1 .. 5000: every class, its edges, and small large objects. */
    for (i = 0U; i < NR_SIZES; i++) {
        ptrs[i] = xmalloc(i + 1U);
        assert_non_null(ptrs[i]);
        assert_true(IS_ALIGNED((uintptr_t)ptrs[i], 16U));
        fill(ptrs[i], i + 1U, i);
    }
    /* No object overlapped another: every pattern survived. */
    for (i = 0U; i < NR_SIZES; i++) {
        check(ptrs[i], i + 1U, i);
    }
    /* Free every other one, reallocate it with a new pattern, check all. */
    for (i = 0U; i < NR_SIZES; i += 2U) {
        xfree(ptrs[i]);
    }
    for (i = 0U; i < NR_SIZES; i += 2U) {
        ptrs[i] = xmalloc(i + 1U);
        assert_non_null(ptrs[i]);
        fill(ptrs[i], i + 1U, i + NR_SIZES);
    }
    for (i = 0U; i < NR_SIZES; i++) {
        check(ptrs[i], i + 1U, ((i % 2U) == 0U) ? i + NR_SIZES : i);
    }
    for (i = 0U; i < NR_SIZES; i++) {
        xfree(ptrs[NR_SIZES - 1U - i]);
    }
    assert_heap_empty();
}

static void test_alignment(void **state)
{
    static const size_t aligns[] = { 1, 2, 8, 16, 32, 64, 128, 512, 1024, 2048, 4096 };
    void *p[ARRAY_SIZE(aligns)][3];
    size_t i;

    (void)state;
    for (i = 0U; i < ARRAY_SIZE(aligns); i++) {
        size_t want = MAX(aligns[i], (size_t)16U);

        p[i][0] = xmalloc_align(1, aligns[i]);
        p[i][1] = xmalloc_align(24, aligns[i]);
        p[i][2] = xmalloc_align(3000, aligns[i]);
        assert_non_null(p[i][0]);
        assert_non_null(p[i][1]);
        assert_non_null(p[i][2]);
        assert_true(IS_ALIGNED((uintptr_t)p[i][0], want));
        assert_true(IS_ALIGNED((uintptr_t)p[i][1], want));
        assert_true(IS_ALIGNED((uintptr_t)p[i][2], PAGE_SIZE));
    }
    /* A slot of 2^k bytes is 2^k aligned. */
    for (i = 16U; i <= XMALLOC_MAX_SMALL; i *= 2U) {
        void *q = xmalloc(i);

        assert_true(IS_ALIGNED((uintptr_t)q, i));
        xfree(q);
    }
    assert_null(xmalloc_align(16, 3));
    assert_null(xmalloc_align(16, 0));
    assert_null(xmalloc_align(16, 2U * PAGE_SIZE));
    for (i = 0U; i < ARRAY_SIZE(aligns); i++) {
        xfree(p[i][0]);
        xfree(p[i][1]);
        xfree(p[i][2]);
    }
    assert_heap_empty();
}

static void test_large_objects(void **state)
{
    struct xmalloc_stats st;
    uint8_t *a;
    uint8_t *b;
    uint8_t *c;

    (void)state;
    a = xmalloc(XMALLOC_MAX_SMALL + 1U);     /* one page */
    b = xmalloc(5U * PAGE_SIZE);             /* eight pages */
    c = xzalloc(MiB(1));                     /* 256 pages */
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_true(IS_ALIGNED((uintptr_t)a, PAGE_SIZE));
    assert_true(IS_ALIGNED((uintptr_t)b, PAGE_SIZE));
    assert_true(IS_ALIGNED((uintptr_t)c, PAGE_SIZE));
    fill(a, XMALLOC_MAX_SMALL + 1U, 1);
    fill(b, 5U * PAGE_SIZE, 2);
    assert_int_equal(c[0], 0);
    assert_int_equal(c[MiB(1) - 1U], 0);
    fill(c, MiB(1), 3);
    check(a, XMALLOC_MAX_SMALL + 1U, 1);
    check(b, 5U * PAGE_SIZE, 2);
    check(c, MiB(1), 3);

    st = xstats();
    assert_int_equal(st.large_in_use, 3);
    assert_int_equal(st.large_pages, 1 + 8 + 256);
    assert_int_equal(st.pages_held, 1 + 8 + 256);
    assert_int_equal(st.bytes_in_use, (1 + 8 + 256) * PAGE_SIZE);
    assert_int_equal(free_pages_now(), initial_free_pages - (1 + 8 + 256));

    xfree(b);
    xfree(a);
    xfree(c);
    /* Large objects go straight back: nothing to trim. */
    assert_int_equal(free_pages_now(), initial_free_pages);
    assert_heap_empty();
    assert_null(xmalloc(SIZE_MAX));
    assert_null(xmalloc((PAGE_SIZE << MAX_ORDER) + 1U));
}

static void test_xfree_null_and_zero_size(void **state)
{
    uint8_t *p;

    (void)state;
    xfree(NULL);
    p = xmalloc(0);
    assert_non_null(p);
    memset(p, 0xee, XMALLOC_MIN_SIZE);
    assert_int_equal(xstats().cls[0].objs_in_use, 1);
    xfree(p);
    assert_heap_empty();
}

static void test_stats_match(void **state)
{
    static void *objs[600];
    struct xmalloc_stats st;
    unsigned int i;

    (void)state;
    /* 300 x 16 bytes: two slabs (256 per page); 100 x 100 bytes (class
     * 128: 32 per page): four slabs; 200 x 2048: 100 slabs. */
    for (i = 0U; i < 300U; i++) {
        objs[i] = xmalloc(16);
    }
    for (i = 300U; i < 400U; i++) {
        objs[i] = xmalloc(100);
    }
    for (i = 400U; i < 600U; i++) {
        objs[i] = xmalloc(2048);
    }
    st = xstats();
    assert_int_equal(st.cls[0].size, 16);
    assert_int_equal(st.cls[0].objs_in_use, 300);
    assert_int_equal(st.cls[0].bytes_in_use, 300 * 16);
    assert_int_equal(st.cls[0].slabs, 2);
    assert_int_equal(st.cls[3].size, 128);
    assert_int_equal(st.cls[3].objs_in_use, 100);
    assert_int_equal(st.cls[3].bytes_in_use, 100 * 128);
    assert_int_equal(st.cls[3].slabs, 4);
    assert_int_equal(st.cls[7].size, 2048);
    assert_int_equal(st.cls[7].objs_in_use, 200);
    assert_int_equal(st.cls[7].slabs, 100);
    assert_int_equal(st.pages_held, 106);
    assert_int_equal(st.bytes_in_use, (300 * 16) + (100 * 128) + (200 * 2048));
    assert_int_equal(st.nr_allocs, 600);
    assert_int_equal(st.nr_frees, 0);
    assert_int_equal(free_pages_now(), initial_free_pages - 106U);

    for (i = 0U; i < 600U; i++) {
        xfree(objs[i]);
    }
    /* One empty slab per class is kept until a trim. */
    st = xstats();
    assert_int_equal(st.cls[0].slabs, 1);
    assert_int_equal(st.cls[3].slabs, 1);
    assert_int_equal(st.cls[7].slabs, 1);
    assert_int_equal(st.pages_held, 3);
    assert_int_equal(st.nr_frees, 600);
    assert_heap_empty();
}

static void test_xzalloc_and_arrays(void **state)
{
    struct thing {
        uint64_t a;
        uint32_t b[5];
    };
    struct thing *t;
    uint8_t *p;
    uint32_t *arr;
    size_t i;

    (void)state;
    /* Dirty a slot, free it, get it back cleared. */
    p = xmalloc(200);
    memset(p, 0xff, 200);
    xfree(p);
    p = xzalloc(200);
    for (i = 0U; i < 200U; i++) {
        assert_int_equal(p[i], 0);
    }
    xfree(p);

    t = xzalloc_obj(struct thing);
    assert_non_null(t);
    assert_int_equal(t->a, 0);
    assert_int_equal(t->b[4], 0);
    xfree(t);
    t = xmalloc_obj(struct thing);
    assert_non_null(t);
    xfree(t);

    arr = xzalloc_array(uint32_t, 1000);
    assert_non_null(arr);
    for (i = 0U; i < 1000U; i++) {
        assert_int_equal(arr[i], 0);
        arr[i] = (uint32_t)i;
    }
    xfree(arr);
    arr = xmalloc_array(uint32_t, 10);
    assert_non_null(arr);
    xfree(arr);
    assert_null(xmalloc_array(uint32_t, (SIZE_MAX / 4U) + 1U));
    assert_null(xzalloc_array(uint64_t, SIZE_MAX / 2U));
    assert_heap_empty();
}

static void test_exhaustion(void **state)
{
    static void *objs[1024];
    struct xmalloc_stats st;
    unsigned int n = 0U;
    unsigned int i;

    (void)state;
    /* 1 MiB: 256 pages, 2 of them frame table. */
    init_heap(MiB(1));
    assert_int_equal(initial_free_pages, 254);
    for (;;) {
        void *p = xmalloc(2000);

        if (p == NULL) {
            break;
        }
        assert_true(n < ARRAY_SIZE(objs));
        objs[n] = p;
        n++;
    }
    assert_int_equal(n, 254 * 2);
    assert_int_equal(free_pages_now(), 0);
    assert_null(xmalloc(16));
    assert_null(xmalloc(10000));
    st = xstats();
    assert_int_equal(st.nr_failed, 3);
    for (i = 0U; i < n; i++) {
        xfree(objs[i]);
    }
    assert_heap_empty();
}

/* Require xfree(p) to panic with a message containing why. */
static void expect_xfree_panics(void *p, const char *why)
{
    fake_expect_panic(xfree(p));
    assert_non_null(strstr(fake_panic_msg(), why));
}

static void test_double_free_small(void **state)
{
    uint8_t saved[16];
    uint8_t *p;
    uint8_t *q;

    (void)state;
    p = xmalloc(64);
    q = xmalloc(64);
    xfree(p);
    expect_xfree_panics(p, "double free");

    /* A live object whose first bytes look exactly like a free slot's
     * (copied from one) is still freed normally. */
    xfree(q);
    memcpy(saved, q, sizeof(saved));
    p = xmalloc(64);
    assert_ptr_equal(p, q);     /* free lists are LIFO */
    memcpy(p, saved, sizeof(saved));
    xfree(p);
    assert_int_equal(fake_panic_count(), 1);
    assert_heap_empty();
}

static void test_double_free_large(void **state)
{
    void *p;

    (void)state;
    p = xmalloc(3U * PAGE_SIZE);
    xfree(p);
    expect_xfree_panics(p, "not an xmalloc object");
    assert_heap_empty();
}

static void test_invalid_pointers(void **state)
{
    uint8_t *p;
    uint8_t *big;
    void *pages;
    int local;

    (void)state;
    p = xmalloc(32);
    big = xmalloc(2U * PAGE_SIZE);
    pages = alloc_xenheap_pages(0, 0);
    expect_xfree_panics(p + 16, "not the start of an object");
    expect_xfree_panics(big + 8, "not an xmalloc object");
    expect_xfree_panics(big + PAGE_SIZE, "not an xmalloc object");
    expect_xfree_panics(pages, "not an xmalloc object");
    /* Not RAM at all: the (fake) direct map refuses it. */
    fake_expect_panic(xfree(&local));
    assert_int_equal(fake_panic_count(), 5);
    /* Locks were dropped before each panic: still usable. */
    xfree(p);
    xfree(big);
    free_xenheap_pages(pages, 0);
    assert_heap_empty();
}

static void test_use_after_free_detected(void **state)
{
    uint8_t *p;

    (void)state;
    p = xmalloc(128);
    xfree(p);
    memset(p, 0x41, 16);    /* scribble over the freed slot */
    fake_expect_panic((void)xmalloc(128));
    assert_non_null(strstr(fake_panic_msg(), "overwritten"));
}

static void test_trim_keeps_live_slabs(void **state)
{
    void *a;
    void *b;
    struct xmalloc_stats st;

    (void)state;
    a = xmalloc(512);
    b = xmalloc(1024);
    xmalloc_trim();
    st = xstats();
    assert_int_equal(st.pages_held, 2);
    xfree(a);
    xfree(b);
    st = xstats();
    assert_int_equal(st.pages_held, 2);
    assert_heap_empty();
}

/* Several host threads, each a fake CPU, allocating and freeing objects
 * of all sizes (and raw pages) at once: no object may be handed out twice
 * and every pattern must survive. Failures are counted, not asserted:
 * cmocka's asserts belong to the main thread. */
#define STRESS_THREADS 4U
#define STRESS_SLOTS 64U
#define STRESS_ROUNDS 20000U

static unsigned int stress_failures;

static void *stress_thread(void *arg)
{
    unsigned int id = (unsigned int)(uintptr_t)arg;
    uint8_t *objs[STRESS_SLOTS] = { NULL };
    size_t sizes[STRESS_SLOTS] = { 0 };
    uint32_t rng = 0x9e3779b9U * (id + 1U);
    unsigned int i;

    fake_set_cpu(id + 1U);
    for (i = 0U; i < STRESS_ROUNDS; i++) {
        unsigned int slot;
        size_t tag;

        rng = (rng * 1103515245U) + 12345U;
        slot = (rng >> 8) % STRESS_SLOTS;
        tag = ((size_t)id << 16) + slot;
        if (objs[slot] != NULL) {
            size_t b;

            for (b = 0U; b < sizes[slot]; b++) {
                if (objs[slot][b] != pattern(tag, b)) {
                    __atomic_fetch_add(&stress_failures, 1U, __ATOMIC_RELAXED);
                    break;
                }
            }
            xfree(objs[slot]);
            objs[slot] = NULL;
        } else if ((rng & 0x7U) == 0U) {
            /* Now and then straight from the page allocator. */
            mfn_t m = alloc_pages((rng >> 4) & 3U, ALLOC_ZERO);

            if (mfn_eq(m, INVALID_MFN)) {
                __atomic_fetch_add(&stress_failures, 1U, __ATOMIC_RELAXED);
            } else {
                free_pages(m, (rng >> 4) & 3U);
            }
        } else {
            sizes[slot] = 1U + ((rng >> 12) % 6000U);
            objs[slot] = xmalloc(sizes[slot]);
            if (objs[slot] == NULL) {
                __atomic_fetch_add(&stress_failures, 1U, __ATOMIC_RELAXED);
            } else {
                fill(objs[slot], sizes[slot], tag);
            }
        }
    }
    for (i = 0U; i < STRESS_SLOTS; i++) {
        xfree(objs[i]);
    }
    return NULL;
}

static void test_concurrent_cpus(void **state)
{
    pthread_t threads[STRESS_THREADS];
    unsigned int i;

    (void)state;
    stress_failures = 0U;
    for (i = 0U; i < STRESS_THREADS; i++) {
        assert_int_equal(pthread_create(&threads[i], NULL, stress_thread,
                                        (void *)(uintptr_t)i), 0);
    }
    for (i = 0U; i < STRESS_THREADS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    }
    assert_int_equal(stress_failures, 0);
    assert_heap_empty();
}

static void test_dump(void **state)
{
    void *p;
    void *q;

    (void)state;
    p = xmalloc(40);
    q = xmalloc(10000);
    fake_log_clear();
    xmalloc_dump();
    assert_true(fake_log_contains("xmalloc: 5 pages held, 16448 bytes in use, 2 allocs "
                                  "(0 failed), 0 frees"));
    assert_true(fake_log_contains("    size  objects      bytes  pages"));
    assert_true(fake_log_contains("      64        1         64      1"));
    assert_true(fake_log_contains("   large        1      16384      4"));
    xfree(p);
    xfree(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_every_size_with_patterns, setup),
        cmocka_unit_test_setup(test_alignment, setup),
        cmocka_unit_test_setup(test_large_objects, setup),
        cmocka_unit_test_setup(test_xfree_null_and_zero_size, setup),
        cmocka_unit_test_setup(test_stats_match, setup),
        cmocka_unit_test_setup(test_xzalloc_and_arrays, setup),
        cmocka_unit_test_setup(test_exhaustion, setup),
        cmocka_unit_test_setup(test_double_free_small, setup),
        cmocka_unit_test_setup(test_double_free_large, setup),
        cmocka_unit_test_setup(test_invalid_pointers, setup),
        cmocka_unit_test_setup(test_use_after_free_detected, setup),
        cmocka_unit_test_setup(test_trim_keeps_live_slabs, setup),
        cmocka_unit_test_setup(test_concurrent_cpus, setup),
        cmocka_unit_test_setup(test_dump, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
