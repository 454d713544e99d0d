/* Integer range sets (common/lib/rangeset.c): adding merges what overlaps or
 * touches, removing trims and splits, lookups need the whole range, the
 * ends of the 64-bit space, growth past the first array, and running out
 * of memory leaving the set as it was. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/bootmem.h>
#include <proxenos/errno.h>
#include <proxenos/page_alloc.h>
#include <proxenos/rangeset.h>
#include <proxenos/xmalloc.h>
#include <fake_arch.h>

#define RAM0     0x40000000ULL
#define RAM_SIZE (4ULL << 20)

static struct rangeset rs;

static int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_console_quiet(true);
    bootmem_reset();
    (void)fake_ram_alloc(RAM0, (size_t)RAM_SIZE);
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + RAM_SIZE), 0);
    assert_int_equal(page_alloc_init(), 0);
    xmalloc_reset();
    memset(&rs, 0, sizeof(rs));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rangeset_destroy(&rs);
    assert_int_equal(rangeset_nr_ranges(&rs), 0U);
    return 0;
}

static void add_merges(void **state)
{
    (void)state;
    assert_false(rangeset_contains(&rs, 0U, 0U));
    assert_int_equal(rangeset_add(&rs, 10U, 19U), 0);
    assert_int_equal(rangeset_add(&rs, 30U, 39U), 0);
    assert_int_equal(rangeset_nr_ranges(&rs), 2U);
    assert_true(rangeset_contains(&rs, 10U, 19U));
    assert_false(rangeset_contains(&rs, 10U, 20U));
    assert_false(rangeset_contains(&rs, 15U, 35U));
    /* Touching on either side merges; so does bridging a gap. */
    assert_int_equal(rangeset_add(&rs, 20U, 20U), 0);
    assert_int_equal(rangeset_nr_ranges(&rs), 2U);
    assert_int_equal(rangeset_add(&rs, 21U, 29U), 0);
    assert_int_equal(rangeset_nr_ranges(&rs), 1U);
    assert_true(rangeset_contains(&rs, 10U, 39U));
    /* Before, after, and over everything. */
    assert_int_equal(rangeset_add(&rs, 0U, 5U), 0);
    assert_int_equal(rangeset_add(&rs, 50U, 60U), 0);
    assert_int_equal(rangeset_nr_ranges(&rs), 3U);
    assert_int_equal(rangeset_add(&rs, 3U, 55U), 0);
    assert_int_equal(rangeset_nr_ranges(&rs), 1U);
    assert_true(rangeset_contains(&rs, 0U, 60U));
    /* The top of the space. */
    assert_int_equal(rangeset_add(&rs, UINT64_MAX - 1U, UINT64_MAX), 0);
    assert_true(rangeset_contains(&rs, UINT64_MAX, UINT64_MAX));
    assert_int_equal(rangeset_nr_ranges(&rs), 2U);
}

static void remove_trims_and_splits(void **state)
{
    (void)state;
    assert_int_equal(rangeset_add(&rs, 100U, 199U), 0);
    assert_int_equal(rangeset_remove(&rs, 150U, 159U), 0);
    assert_int_equal(rangeset_nr_ranges(&rs), 2U);
    assert_true(rangeset_contains(&rs, 100U, 149U));
    assert_true(rangeset_contains(&rs, 160U, 199U));
    assert_false(rangeset_contains(&rs, 150U, 150U));
    /* Heads, tails, whole ranges, and nothing at all. */
    assert_int_equal(rangeset_remove(&rs, 90U, 109U), 0);
    assert_int_equal(rangeset_remove(&rs, 190U, 300U), 0);
    assert_true(rangeset_contains(&rs, 110U, 149U));
    assert_true(rangeset_contains(&rs, 160U, 189U));
    assert_false(rangeset_contains(&rs, 109U, 109U));
    assert_int_equal(rangeset_remove(&rs, 140U, 170U), 0);
    assert_true(rangeset_contains(&rs, 110U, 139U));
    assert_true(rangeset_contains(&rs, 171U, 189U));
    assert_int_equal(rangeset_remove(&rs, 0U, 1000U), 0);
    assert_int_equal(rangeset_nr_ranges(&rs), 0U);
    assert_int_equal(rangeset_remove(&rs, 5U, 6U), 0);
    /* Both ends of the space. */
    assert_int_equal(rangeset_add(&rs, 0U, UINT64_MAX), 0);
    assert_int_equal(rangeset_remove(&rs, 0U, 0U), 0);
    assert_int_equal(rangeset_remove(&rs, UINT64_MAX, UINT64_MAX), 0);
    assert_true(rangeset_contains(&rs, 1U, UINT64_MAX - 1U));
    assert_false(rangeset_contains(&rs, 0U, 1U));
}

static void grows_and_survives_exhaustion(void **state)
{
    unsigned int n = 0U;
    int rc = 0;

    (void)state;
    /* Separate ranges until memory runs out (4 MiB of RAM): every one
     * added is kept, the one refused changes nothing. */
    while (rc == 0) {
        rc = rangeset_add(&rs, 4U * n, (4U * n) + 1U);
        if (rc == 0) {
            n++;
        }
    }
    assert_int_equal(rc, -ENOMEM);
    assert_true(n > 1000U);
    assert_int_equal(rangeset_nr_ranges(&rs), n);
    for (unsigned int i = 0U; i < n; i += 97U) {
        assert_true(rangeset_contains(&rs, 4U * i, (4U * i) + 1U));
        assert_false(rangeset_contains(&rs, (4U * i) + 2U, (4U * i) + 2U));
    }
    assert_false(rangeset_contains(&rs, 4U * n, 4U * n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(add_merges, setup, teardown),
        cmocka_unit_test_setup_teardown(remove_trims_and_splits, setup, teardown),
        cmocka_unit_test_setup_teardown(grows_and_survives_exhaustion, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
