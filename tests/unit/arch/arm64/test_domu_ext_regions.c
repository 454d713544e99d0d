/* A domU's extended regions on arm64 (arch/arm64/domu_ext_regions.c),
 * against what Xen 4.17's find_domU_holes gives. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/arch/domain_fdt.h>
#include <proxenos/lib.h>

/* ---- Extended regions (Xen's find_domU_holes) ----------------------------------------------- */

static void test_ext_regions(void **state)
{
    struct domain_fdt_region out[GUEST_RAM_MAX_BANKS];
    uint64_t ram[GUEST_RAM_MAX_BANKS];

    (void)state;
    /* 512 MiB in bank 0 only: the rest of bank 0, all of bank 1 (to the
     * 40-bit IPA limit, inside the 1016 GiB bank). */
    ram[0] = MiB(512);
    ram[1] = 0;
    assert_int_equal(arch_domu_ext_regions(ram, 40, out), 2);
    assert_int_equal(out[0].base, 0x60000000U);
    assert_int_equal(out[0].size, 0xa0000000U);
    assert_int_equal(out[1].base, GUEST_RAM1_BASE);
    assert_int_equal(out[1].size, 0x10000000000ULL - GUEST_RAM1_BASE);

    /* Full 48-bit IPA: bank 1 to its end. */
    assert_int_equal(arch_domu_ext_regions(ram, 48, out), 2);
    assert_int_equal(out[1].size, GUEST_RAM1_SIZE);

    /* 32-bit IPA: nothing above 4 GiB. */
    assert_int_equal(arch_domu_ext_regions(ram, 32, out), 1);
    assert_int_equal(out[0].size, 0xa0000000U);

    /* The start is rounded up to 2 MiB. */
    ram[0] = MiB(1);
    assert_int_equal(arch_domu_ext_regions(ram, 40, out), 2);
    assert_int_equal(out[0].base, 0x40200000U);
    assert_int_equal(out[0].size, 0xc0000000U - MiB(2));

    /* Less than 64 MiB left in bank 0: no region there. */
    ram[0] = GUEST_RAM0_SIZE - MiB(63);
    ram[1] = GiB(1);
    assert_int_equal(arch_domu_ext_regions(ram, 40, out), 1);
    assert_int_equal(out[0].base, GUEST_RAM1_BASE + GiB(1));
    ram[0] = GUEST_RAM0_SIZE - MiB(64);
    assert_int_equal(arch_domu_ext_regions(ram, 40, out), 2);
    assert_int_equal(out[0].size, MiB(64));

    /* Full banks, or no IPA bits at all. */
    ram[0] = GUEST_RAM0_SIZE;
    ram[1] = GUEST_RAM1_SIZE;
    assert_int_equal(arch_domu_ext_regions(ram, 48, out), 0);
    ram[0] = 0;
    assert_int_equal(arch_domu_ext_regions(ram, 0, out), 0);
    assert_int_equal(arch_domu_ext_regions(ram, 64, out), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ext_regions),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
