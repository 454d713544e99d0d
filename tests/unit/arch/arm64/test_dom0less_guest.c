/* The Arm parts of a dom0less domain (arch/arm64/dom0less_guest.c): the
 * vGIC's SPI count with and without a vpl011, and the device tree fields. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <asm/bootinfo_arch.h>
#include <string.h>

#include <proxenos/arch/dom0less.h>
#include <proxenos/dom0less.h>
#include <proxenos/domain_create.h>
#include <proxenos/domain_fdt.h>
#include <fake_arch.h>
#include <fake_domain.h>

/* The host's SPI count (arch_default_nr_spis, which arch/arm64/domain.c
 * reads from the GIC) is the fake arch's, set per test. */
static int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_set_default_nr_spis(64U);
    return 0;
}

static void test_spis(void **state)
{
    struct dom0less_config c;
    struct domain_create_args a;

    (void)state;
    memset(&c, 0, sizeof(c));
    memset(&a, 0, sizeof(a));
    arch_dom0less_create_args(&c, &a);
    assert_int_equal(a.arch.nr_spis, 64);
    assert_false(a.emulated_uart);

    c.nr_spis = 3U;
    arch_dom0less_create_args(&c, &a);
    assert_int_equal(a.arch.nr_spis, 3);

    /* A vpl011 needs its SPI (INTID GUEST_VPL011_SPI) to exist: more
     * SPIs are kept, none become enough for it. */
    c.vpl011 = true;
    arch_dom0less_create_args(&c, &a);
    assert_true(a.emulated_uart);
    assert_int_equal(a.arch.nr_spis, 3);
    c.nr_spis = 0U;
    fake_set_default_nr_spis(0U);
    arch_dom0less_create_args(&c, &a);
    assert_int_equal(a.arch.nr_spis, GUEST_VPL011_SPI - 32U + 1U);
    c.vpl011 = false;
    arch_dom0less_create_args(&c, &a);
    assert_int_equal(a.arch.nr_spis, 0);
}

static void test_fdt_config(void **state)
{
    static struct boot_info bi;
    static struct arch_boot_info arm;
    struct dom0less_config c;
    struct domain_fdt_config fc;

    (void)state;
    memset(&c, 0, sizeof(c));
    memset(&fc, 0, sizeof(fc));
    fc.gic = DOMAIN_FDT_GIC_V2;
    bi.arch = &arm;
    bi.arch->timer.clock_frequency = 62500000U;
    c.vpl011 = true;
    arch_dom0less_fdt_config(&bi, &c, &fc);
    assert_int_equal(fc.gic, DOMAIN_FDT_GIC_V3);
    assert_int_equal(fc.timer_clock_frequency, 62500000U);
    assert_true(fc.vpl011);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_spis, setup),
        cmocka_unit_test_setup(test_fdt_config, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
