/* arm64 placement of a guest's device tree and ramdisk above its kernel
 * (kernel_image.c arch_kernel_place_modules): high in the first 128 MiB of
 * the bank, 2 MiB aligned, above the kernel, and never outside the bank,
 * even for sizes near 2^64 (fuzz_kernel_load found those wrapping). */
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <proxenos/arch/kernel.h>
#include <proxenos/errno.h>

#define BANK      0x40000000ULL
#define MIB(n)    ((uint64_t)(n) << 20)

static void test_high_below_128m(void **state)
{
    paddr_t dtb = 0U;
    paddr_t initrd = 0U;

    (void)state;
    assert_int_equal(arch_kernel_place_modules(BANK, MIB(512), BANK + MIB(20), 0x1000U, MIB(3),
                                               &dtb, &initrd), 0);
    /* 2 MiB for the tree, 4 MiB for the ramdisk, ending at 128 MiB. */
    assert_int_equal(dtb, BANK + MIB(122));
    assert_int_equal(initrd, BANK + MIB(124));
}

static void test_above_the_kernel(void **state)
{
    paddr_t dtb = 0U;
    paddr_t initrd = 0U;

    (void)state;
    assert_int_equal(arch_kernel_place_modules(BANK, MIB(256), BANK + MIB(127), 0x1000U, 0x1000U,
                                               &dtb, &initrd), 0);
    assert_int_equal(dtb, BANK + MIB(128));
    assert_int_equal(initrd, BANK + MIB(130));
    assert_int_equal(arch_kernel_place_modules(BANK, MIB(130), BANK + MIB(127), 0x1000U, 0x1000U,
                                               &dtb, &initrd), -ENOSPC);
}

/* A ramdisk (or tree) size near 2^64 rounds up to almost nothing: it must
 * be refused, not placed as if it were 2 MiB. */
static void test_huge_sizes_refused(void **state)
{
    static const uint64_t huge[] = { UINT64_MAX, UINT64_MAX - MIB(2) + 2U, MIB(512) + 1U };
    paddr_t dtb = 0x1234U;
    paddr_t initrd = 0x5678U;

    (void)state;
    for (unsigned int i = 0U; i < sizeof(huge) / sizeof(huge[0]); i++) {
        assert_int_equal(arch_kernel_place_modules(BANK, MIB(512), BANK + MIB(2), 0x1000U, huge[i],
                                                   &dtb, &initrd), -ENOSPC);
        assert_int_equal(arch_kernel_place_modules(BANK, MIB(512), BANK + MIB(2), huge[i], 0U,
                                                   &dtb, &initrd), -ENOSPC);
    }
    /* Nothing was written back. */
    assert_int_equal(dtb, 0x1234U);
    assert_int_equal(initrd, 0x5678U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_high_below_128m),
        cmocka_unit_test(test_above_the_kernel),
        cmocka_unit_test(test_huge_sizes_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
