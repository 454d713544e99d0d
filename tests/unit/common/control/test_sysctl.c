/* The sysctl dispatcher (common/control/sysctl.c): Xen 4.17's order of
 * checks (copy in, interface version, privilege, command), -ENOSYS for
 * commands Xen on Arm lacks, and when the block is copied back. */
#include "control_env.h"

static void checks_come_in_xen_order(void **state)
{
    struct xen_sysctl *op;

    (void)state;
    /* An argument block the caller cannot read. */
    assert_int_equal(call(do_sysctl, UNMAPPED), -EFAULT);
    /* ... or of which only the start is readable. */
    assert_int_equal(call(do_sysctl, GUEST_BASE + (ENV_PAGES * PAGE_SIZE) - 64U), -EFAULT);
    /* The version comes before the privilege check. */
    as(1U, 0U);
    op = sysctl_in(1U, XEN_SYSCTL_physinfo);
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION - 1U;
    assert_int_equal(call_sysctl(), -EACCES);
    /* A domU with the right version: -EPERM, whatever the command. */
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    assert_int_equal(call_sysctl(), -EPERM);
    op->cmd = 0xffffffffU;
    assert_int_equal(call_sysctl(), -EPERM);
    /* Nothing was written back. */
    assert_int_equal(op->u.physinfo.nr_cpus, 0U);
    /* dom0, version 0x14 (Xen 4.16's): still -EACCES. */
    as(0U, 0U);
    op = sysctl_in(0U, XEN_SYSCTL_sched_id);
    op->interface_version = 0x14U;
    assert_int_equal(call_sysctl(), -EACCES);
}

static void unknown_commands_are_enosys(void **state)
{
    static const uint32_t cmds[] = {
        0U, XEN_SYSCTL_tbuf_op, XEN_SYSCTL_perfc_op,
        XEN_SYSCTL_availheap, XEN_SYSCTL_page_offline_op,
        XEN_SYSCTL_livepatch_op, XEN_SYSCTL_get_cpu_policy, XEN_SYSCTL_NR_CMDS, 1000U,
        0x80000003U, 0xffffffffU,
    };

    (void)state;
    for (unsigned int i = 0U; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        struct xen_sysctl *op = sysctl_in(0U, cmds[i]);

        op->u.pad[0] = 0x5aU;
        assert_int_equal(call_sysctl(), -ENOSYS);
        /* Not copied back either. */
        assert_int_equal(op->u.pad[0], 0x5aU);
    }
}

static void copied_back_on_success_only(void **state)
{
    struct xen_sysctl *op = sysctl_in(0U, XEN_SYSCTL_sched_id);

    (void)state;
    op->u.sched_id.sched_id = 77U;
    assert_int_equal(call_sysctl(), 0);
    assert_int_equal(op->u.sched_id.sched_id, XEN_SCHEDULER_CREDIT2);
    /* A failed getcpuinfo leaves the caller's block as it was. */
    op = sysctl_in(0U, XEN_SYSCTL_getcpuinfo);
    op->u.getcpuinfo.max_cpus = 4U;
    op->u.getcpuinfo.info = UNMAPPED;
    op->u.getcpuinfo.nr_cpus = 99U;
    assert_int_equal(call_sysctl(), -EFAULT);
    assert_int_equal(op->u.getcpuinfo.nr_cpus, 99U);
    /* A block that can be read but not written: the answer is lost, and
     * the caller is told. */
    op = sysctl_in(0U, XEN_SYSCTL_sched_id);
    fake_guest_fault(GUEST_BASE + ARG_OFF, sizeof(*op), true);
    assert_int_equal(call_sysctl(), -EFAULT);
    assert_int_equal(op->u.sched_id.sched_id, 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(checks_come_in_xen_order, env_test_setup),
        cmocka_unit_test_setup(unknown_commands_are_enosys, env_test_setup),
        cmocka_unit_test_setup(copied_back_on_success_only, env_test_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
