/* dom0's resources from the command line (common/boot/dom0_params.c), as
 * Xen 4.17 on Arm takes them: dom0_mem=<size> (no min:/max: forms; Xen's
 * size suffixes, KiB without one; 512 MiB when absent), dom0_max_vcpus=
 * (one vCPU per CPU when absent), dom0_vcpus_pin, and Proxenos's own
 * dom0_p2m_mem_mb=. The options are static settings that no test can
 * unset, so the first test sees the defaults of a line without them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/cmdline.h>
#include <proxenos/dom0_params.h>
#include <proxenos/errno.h>
#include <fake_arch.h>

#define MIB (1ULL << 20)

static int setup(void **state)
{
    (void)state;
    fake_reset();
    return 0;
}

static void defaults_without_options(void **state)
{
    bool given = true;

    (void)state;
    assert_int_equal(cmdline_parse("console=dtuart loglvl_unrelated"), -EINVAL);
    assert_int_equal(dom0_mem_bytes(&given), 512U * MIB);
    assert_false(given);
    assert_int_equal(dom0_mem_bytes(NULL), 512U * MIB);
    assert_int_equal(dom0_vcpus(4U), 4U);
    assert_false(dom0_pin_vcpus());
    assert_int_equal(dom0_p2m_pool_pages(123U), 123U);
}

static void dom0_mem_takes_one_size(void **state)
{
    bool given = false;

    (void)state;
    assert_int_equal(cmdline_parse("dom0_mem=768M"), 0);
    assert_int_equal(dom0_mem_bytes(&given), 768U * MIB);
    assert_true(given);
    assert_int_equal(cmdline_parse("dom0_mem=1G"), 0);
    assert_int_equal(dom0_mem_bytes(NULL), 1024U * MIB);
    /* No suffix: KiB, as on Xen. */
    assert_int_equal(cmdline_parse("dom0_mem=262144"), 0);
    assert_int_equal(dom0_mem_bytes(NULL), 256U * MIB);
}

static void bad_dom0_mem_is_rejected_and_ignored(void **state)
{
    static const char *const bad[] = {
        "dom0_mem=0", "dom0_mem=", "dom0_mem=min:128M", "dom0_mem=128M,max:256M",
        "dom0_mem=lots",
    };

    (void)state;
    assert_int_equal(cmdline_parse("dom0_mem=300M"), 0);
    for (unsigned int i = 0U; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(cmdline_parse(bad[i]), -EINVAL);
        assert_int_equal(dom0_mem_bytes(NULL), 300U * MIB);
    }
}

static void vcpus_pinning_and_p2m_pool(void **state)
{
    (void)state;
    assert_int_equal(cmdline_parse("dom0_max_vcpus=2 dom0_vcpus_pin dom0_p2m_mem_mb=16"), 0);
    assert_int_equal(dom0_vcpus(8U), 2U);
    assert_int_equal(dom0_vcpus(1U), 2U);
    assert_true(dom0_pin_vcpus());
    /* MiB to pages of the hypervisor's size. */
    assert_int_equal(dom0_p2m_pool_pages(123U), (16U * MIB) >> PAGE_SHIFT);
    assert_int_equal(cmdline_parse("dom0_vcpus_pin=no"), 0);
    assert_false(dom0_pin_vcpus());
    /* dom0_max_vcpus=0 gives back the default of one per CPU. */
    assert_int_equal(cmdline_parse("dom0_max_vcpus=0"), 0);
    assert_int_equal(dom0_vcpus(3U), 3U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(defaults_without_options, setup),
        cmocka_unit_test_setup(dom0_mem_takes_one_size, setup),
        cmocka_unit_test_setup(bad_dom0_mem_is_rejected_and_ignored, setup),
        cmocka_unit_test_setup(vcpus_pinning_and_p2m_pool, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
