/* platform_op (XENPF_settime64 and the wall clock in every shared info
 * page, interface version, privilege) and physdev_op (always -ENOSYS on
 * Arm). */
#include "test_pv_hcall_env.h"

#include <proxenos/wallclock.h>
#include <public/physdev.h>
#include <public/platform.h>

#define ARG (GUEST_BASE + 0x100U)

static int setup(void **state)
{
    (void)state;
    env_setup();
    as(0U, 0U);
    return 0;
}

static struct xen_platform_op *op_of(unsigned int d, uint32_t cmd)
{
    struct xen_platform_op *op = garg(d, 0x100U);

    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XENPF_INTERFACE_VERSION;
    return op;
}

static void settime64_reaches_every_domain(void **state)
{
    struct xen_platform_op *op = op_of(0U, XENPF_settime64);

    (void)state;
    wallclock_domain_init(&doms[0]);
    wallclock_domain_init(&doms[1]);
    assert_int_equal(doms[1].shared_info->wc_version, 2U);
    assert_int_equal(doms[1].shared_info->wc_sec, 0U);
    op->u.settime64.secs = 1700000000U;
    op->u.settime64.nsecs = 5U;
    op->u.settime64.system_time = 2500000000U;     /* 2.5 s after boot */
    assert_int_equal(hc(do_platform_op, ARG, 0U, 0U), 0);
    for (unsigned int d = 0U; d < ENV_DOMS; d++) {
        const struct shared_info *s = doms[d].shared_info;

        assert_int_equal(s->wc_sec, 1699999997U);
        assert_int_equal(s->wc_nsec, 500000005U);
        assert_int_equal(s->wc_sec_hi, 0U);
        assert_int_equal(s->wc_version % 2U, 0U);
    }
    assert_int_equal(doms[1].shared_info->wc_version, 4U);
    /* Seconds past 2^32 land in wc_sec_hi. */
    op->u.settime64.secs = 0x100000010ULL;
    op->u.settime64.nsecs = 0U;
    op->u.settime64.system_time = 0U;
    assert_int_equal(hc(do_platform_op, ARG, 0U, 0U), 0);
    assert_int_equal(doms[1].shared_info->wc_sec, 0x10U);
    assert_int_equal(doms[1].shared_info->wc_sec_hi, 1U);
    /* A domain created later starts with the current clock. */
    memset(doms[1].shared_info, 0, sizeof(*doms[1].shared_info));
    wallclock_domain_init(&doms[1]);
    assert_int_equal(doms[1].shared_info->wc_sec_hi, 1U);
    assert_int_equal(doms[1].shared_info->wc_version, 2U);
}

static void settime64_checks(void **state)
{
    struct xen_platform_op *op = op_of(0U, XENPF_settime64);

    (void)state;
    op->u.settime64.secs = 5U;
    op->u.settime64.mbz = 1U;
    assert_int_equal(hc(do_platform_op, ARG, 0U, 0U), -EINVAL);
    assert_int_equal(doms[0].shared_info->wc_version, 0U);
    op->u.settime64.mbz = 0U;
    op->interface_version = XENPF_INTERFACE_VERSION + 1U;
    assert_int_equal(hc(do_platform_op, ARG, 0U, 0U), -EACCES);
    /* settime32 is x86 only. */
    op = op_of(0U, XENPF_settime32);
    assert_int_equal(hc(do_platform_op, ARG, 0U, 0U), -ENOSYS);
    op = op_of(0U, 0U);
    assert_int_equal(hc(do_platform_op, ARG, 0U, 0U), -ENOSYS);
    assert_int_equal(doms[0].shared_info->wc_version, 0U);
}

static void platform_op_rights_and_faults(void **state)
{
    struct xen_platform_op *op;

    (void)state;
    as(1U, 0U);
    op = op_of(1U, XENPF_settime64);
    assert_int_equal(hc(do_platform_op, ARG, 0U, 0U), -EPERM);
    /* The version is checked before the privilege. */
    op->interface_version = 0U;
    assert_int_equal(hc(do_platform_op, ARG, 0U, 0U), -EACCES);
    /* The whole 136-byte structure is read. */
    fake_guest_fault(GUEST_BASE + PAGE_SIZE, PAGE_SIZE, false);
    assert_int_equal(hc(do_platform_op, GUEST_BASE + PAGE_SIZE - 100U, 0U, 0U), -EFAULT);
    assert_int_equal(doms[1].shared_info->wc_version, 0U);
}

static void physdev_is_enosys(void **state)
{
    (void)state;
    assert_int_equal(hc(do_physdev_op, PHYSDEVOP_pci_device_add, ARG, 0U), -ENOSYS);
    assert_int_equal(hc(do_physdev_op, PHYSDEVOP_eoi, ARG, 0U), -ENOSYS);
    assert_int_equal(hc(do_physdev_op, 0xffffffffU, 0U, 0U), -ENOSYS);
    as(1U, 0U);
    assert_int_equal(hc(do_physdev_op, PHYSDEVOP_map_pirq, ARG, 0U), -ENOSYS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(settime64_reaches_every_domain, setup),
        cmocka_unit_test_setup(settime64_checks, setup),
        cmocka_unit_test_setup(platform_op_rights_and_faults, setup),
        cmocka_unit_test_setup(physdev_is_enosys, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
