/* array_index_nospec(): the masked index is idx when idx < size and 0
 * otherwise, for every index around small tables, for size 0, and at the
 * edges of the 64-bit range, where a mask built from the sign bit (the
 * usual trick) would go wrong. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>

#include <proxenos/nospec.h>

#define HALF (UINT64_C(1) << 63)

static void check(uint64_t idx, uint64_t size)
{
    uint64_t want_mask = (idx < size) ? UINT64_MAX : 0U;
    uint64_t want = (idx < size) ? idx : 0U;

    if ((array_index_mask_nospec(idx, size) != want_mask) ||
        (array_index_nospec(idx, size) != want)) {
        fail_msg("idx 0x%llx size 0x%llx: mask 0x%llx, index 0x%llx",
                 (unsigned long long)idx, (unsigned long long)size,
                 (unsigned long long)array_index_mask_nospec(idx, size),
                 (unsigned long long)array_index_nospec(idx, size));
    }
}

/* Every index from 0 to well past the end, for small and odd sizes. */
static void test_every_index_small_sizes(void **state)
{
    static const uint64_t sizes[] = { 0, 1, 2, 3, 7, 8, 31, 64, 255, 256, 1000, 4096, 65537 };

    (void)state;
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        for (uint64_t idx = 0; idx <= sizes[s] + 300U; idx++) {
            check(idx, sizes[s]);
        }
        /* Indexes that are negative numbers in disguise. */
        for (uint64_t k = 1; k <= 300U; k++) {
            check(UINT64_MAX - k + 1U, sizes[s]);
            check(HALF - k, sizes[s]);
            check(HALF + k - 1U, sizes[s]);
        }
    }
}

/* Size 0: no index at all is in range. */
static void test_size_zero(void **state)
{
    static const uint64_t idx[] = { 0, 1, 2, 0xffffffffU, HALF - 1U, HALF, UINT64_MAX - 1U, UINT64_MAX };

    (void)state;
    for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++) {
        assert_int_equal(array_index_mask_nospec(idx[i], 0U), 0);
        assert_int_equal(array_index_nospec(idx[i], 0U), 0);
    }
}

/* Large sizes, including those with the top bit set: each edge of the
 * range and the values around 2^31, 2^32 and 2^63. */
static void test_large_values(void **state)
{
    static const uint64_t sizes[] = {
        0x7fffffffU, 0x80000000U, 0xffffffffU, UINT64_C(0x100000000), UINT64_C(0x100000001),
        HALF - 1U, HALF, HALF + 1U, UINT64_MAX - 1U, UINT64_MAX,
    };

    (void)state;
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        uint64_t n = sizes[s];
        const uint64_t idx[] = {
            0, 1, 2, n - 2U, n - 1U, n, n + 1U, n + 2U, 0x7fffffffU, 0x80000000U, 0xffffffffU,
            UINT64_C(0x100000000), HALF - 2U, HALF - 1U, HALF, HALF + 1U, UINT64_MAX - 1U,
            UINT64_MAX,
        };

        for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++) {
            check(idx[i], n);
        }
        /* The last valid index keeps all its bits. */
        assert_true(array_index_nospec(n - 1U, n) == n - 1U);
        assert_int_equal(array_index_nospec(n, n), 0);
    }
    assert_true(array_index_nospec(UINT64_MAX - 1U, UINT64_MAX) == UINT64_MAX - 1U);
    assert_int_equal(array_index_nospec(UINT64_MAX, UINT64_MAX), 0);
}

/* A million pseudo-random pairs from a fixed seed, half of them with a
 * size near the index so both outcomes are common. */
static void test_random_pairs(void **state)
{
    uint64_t x = UINT64_C(0x9e3779b97f4a7c15);

    (void)state;
    for (unsigned int i = 0; i < 1000000U; i++) {
        uint64_t idx;
        uint64_t size;

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        idx = x;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        size = ((i & 1U) != 0U) ? x : idx + (x % 5U) - 2U;
        check(idx, size);
    }
}

/* As it is used: every masked index lands inside the array (the address
 * sanitizer checks each access). */
static void test_masked_access_stays_inside(void **state)
{
    uint8_t table[37];
    unsigned int sum = 0U;

    (void)state;
    for (size_t i = 0; i < sizeof(table); i++) {
        table[i] = (uint8_t)i;
    }
    for (uint64_t idx = 0; idx < 1000U; idx++) {
        sum += table[array_index_nospec(idx, sizeof(table))];
    }
    sum += table[array_index_nospec(UINT64_MAX, sizeof(table))];
    /* 0 + 1 + ... + 36 once, then index 0 for the other 964 */
    assert_int_equal(sum, 36U * 37U / 2U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_index_small_sizes),
        cmocka_unit_test(test_size_zero),
        cmocka_unit_test(test_large_values),
        cmocka_unit_test(test_random_pairs),
        cmocka_unit_test(test_masked_access_stays_inside),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
