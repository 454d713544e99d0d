/* A domU's extended regions on arm64 (arch/arm64/domu_ext_regions.c),
 * against what Xen 4.17's find_domU_holes gives, and a direct-mapped
 * domU's, against its find_unallocated_memory (host_ext_regions.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/arch/domain_fdt.h>
#include <proxenos/bootinfo.h>
#include <public/arch-arm.h>
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

/* ---- A direct-mapped domU (Xen's find_unallocated_memory) -------------------------------- */

static void test_direct_ext_regions(void **state)
{
    static struct boot_info bi;
    /* Its own bank, another domain's static bank, a shared region. */
    static const struct boot_range cut[] = {
        { 0x60000000U, MiB(256) }, { 0x80000000U, MiB(16) }, { 0x90000000U, MiB(2) },
    };
    static struct boot_range many[200];
    struct domain_fdt_region out[8];

    (void)state;
    bi.ram[0] = (struct boot_range){ 0x30000000U, MiB(256) };
    bi.ram[1] = (struct boot_range){ 0x40000000U, GiB(2) };
    bi.nr_ram = 2U;
    bi.reserved[0] = (struct boot_reserved){ .start = 0xa0000000U, .size = MiB(1),
                                             .source = BOOT_RESERVED_NODE, .node = -1 };
    /* A /memreserve/ entry is not cut, as in Xen. */
    bi.reserved[1] = (struct boot_reserved){ .start = 0xb0000000U, .size = MiB(1),
                                             .source = BOOT_RESERVED_MEMRESERVE, .node = -1 };
    bi.nr_reserved = 2U;
    assert_int_equal(arch_domu_direct_ext_regions(&bi, cut, 3U, 40U, out, 8U), 7U);
    /* Below and above the grant window (0x38000000, 16 MiB). */
    assert_int_equal(GUEST_GNTTAB_BASE, 0x38000000U);
    assert_int_equal(out[0].base, 0x30000000U);
    assert_int_equal(out[0].size, MiB(128));
    assert_int_equal(out[1].base, 0x39000000U);
    assert_int_equal(out[1].size, MiB(112));
    /* RAM up to its own bank, then between the cuts (each >= 64 MiB). */
    assert_int_equal(out[2].base, 0x40000000U);
    assert_int_equal(out[2].size, MiB(512));
    assert_int_equal(out[3].base, 0x70000000U);
    assert_int_equal(out[3].size, MiB(256));
    assert_int_equal(out[4].base, 0x81000000U);
    assert_int_equal(out[4].size, 0x90000000U - 0x81000000U);
    assert_int_equal(out[5].base, 0x90200000U);
    assert_int_equal(out[5].size, 0xa0000000U - 0x90200000U);
    /* The reserved region's end is rounded up to 2 MiB; the /memreserve/
     * entry is inside this one. */
    assert_int_equal(out[6].base, 0xa0200000U);
    assert_int_equal(out[6].size, 0xc0000000U - 0xa0200000U);
    /* At most max, the lowest first. */
    assert_int_equal(arch_domu_direct_ext_regions(&bi, cut, 3U, 40U, out, 2U), 2U);
    assert_int_equal(out[1].base, 0x39000000U);
    /* A 31-bit IPA space ends at 2 GiB. */
    assert_int_equal(arch_domu_direct_ext_regions(&bi, cut, 3U, 31U, out, 8U), 4U);
    /* More cuts than it can take: none rather than one over the RAM. */
    for (unsigned int i = 0U; i < 200U; i++) {
        many[i] = (struct boot_range){ 0x40000000U + (i * MiB(4)), MiB(1) };
    }
    assert_int_equal(arch_domu_direct_ext_regions(&bi, many, 200U, 40U, out, 8U), 0U);
    assert_int_equal(arch_domu_direct_ext_regions(&bi, cut, 3U, 0U, out, 8U), 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ext_regions),
        cmocka_unit_test(test_direct_ext_regions),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
