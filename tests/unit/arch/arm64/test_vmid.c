/* VMID allocator: 8- and 16-bit widths, VMID 0 reserved, exhaustion,
 * reuse after free, misuse. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>

#include <asm/p2m.h>
#include <proxenos/errno.h>
#include <fake_arch.h>

static int setup(void **state)
{
    (void)state;
    fake_reset();
    vmid_init(8U);
    return 0;
}

/* Allocate until -ENOSPC; every VMID is new and none is 0. Returns how
 * many were handed out. */
static unsigned int alloc_all(uint8_t *seen, unsigned int limit)
{
    unsigned int n = 0U;
    uint16_t v;

    while (vmid_alloc(&v) == 0) {
        assert_true(v != 0U);
        assert_true(v < limit);
        assert_int_equal(seen[v], 0);
        seen[v] = 1U;
        n++;
    }
    return n;
}

static void test_8bit_exhaustion_and_reuse(void **state)
{
    uint8_t seen[256] = { 0 };
    uint16_t v;

    (void)state;
    assert_int_equal(vmid_bits(), 8);
    assert_int_equal(alloc_all(seen, 256U), 255);
    assert_int_equal(vmid_in_use(), 255);
    assert_int_equal(vmid_alloc(&v), -ENOSPC);
    vmid_free(77U);
    assert_int_equal(vmid_in_use(), 254);
    assert_int_equal(vmid_alloc(&v), 0);
    assert_int_equal(v, 77);
    assert_int_equal(vmid_alloc(&v), -ENOSPC);
}

static void test_16bit(void **state)
{
    uint8_t *seen = calloc(65536U, 1U);
    uint16_t v;

    (void)state;
    assert_non_null(seen);
    vmid_init(16U);
    assert_int_equal(vmid_bits(), 16);
    assert_int_equal(alloc_all(seen, 65536U), 65535);
    assert_int_equal(vmid_alloc(&v), -ENOSPC);
    vmid_free(65535U);
    assert_int_equal(vmid_alloc(&v), 0);
    assert_int_equal(v, 65535);
    free(seen);
    /* Anything but 16 means 8. */
    vmid_init(4U);
    assert_int_equal(vmid_bits(), 8);
    assert_int_equal(vmid_in_use(), 0);
}

static void test_first_fit_from_one(void **state)
{
    uint16_t a;
    uint16_t b;

    (void)state;
    assert_int_equal(vmid_alloc(&a), 0);
    assert_int_equal(vmid_alloc(&b), 0);
    assert_int_equal(a, 1);
    assert_int_equal(b, 2);
    vmid_free(a);
    assert_int_equal(vmid_alloc(&a), 0);
    assert_int_equal(a, 1);
}

static void expect_free_panics(uint16_t v)
{
    fake_expect_panic(vmid_free(v));
}

static void test_misuse_panics(void **state)
{
    uint16_t v;

    (void)state;
    fake_console_quiet(true);
    expect_free_panics(0U);
    expect_free_panics(5U);         /* never allocated */
    assert_int_equal(vmid_alloc(&v), 0);
    vmid_free(v);
    expect_free_panics(v);          /* twice */
    expect_free_panics(300U);       /* beyond 8 bits */
    assert_int_equal(vmid_in_use(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_8bit_exhaustion_and_reuse, setup),
        cmocka_unit_test_setup(test_16bit, setup),
        cmocka_unit_test_setup(test_first_fit_from_one, setup),
        cmocka_unit_test_setup(test_misuse_panics, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
