/* What xen_version answers on arm64 (arch/arm64/xen_version_arch.c): Xen
 * 4.17's capabilities string, virt_start and SMCCC feature bit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/arch/xen_version.h>
#include <public/features.h>

static void test_arm64_answers(void **state)
{
    (void)state;
    assert_string_equal(arch_xen_capabilities(), "xen-3.0-aarch64 ");
    assert_int_equal(arch_xen_virt_start(), 0x200000U);
    assert_int_equal(arch_xen_features(), 1U << XENFEAT_ARM_SMCCC_supported);
    assert_int_equal(XENFEAT_ARM_SMCCC_supported, 14);   /* Xen 4.17 public/features.h */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arm64_answers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
