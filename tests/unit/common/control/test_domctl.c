/* The domctl dispatcher (common/control/domctl.c): Xen 4.17's order of
 * checks (copy in, interface version, the named domain, privilege, then
 * the command), -ENOSYS for commands Xen on Arm lacks, references given
 * back on every path, and which commands copy the block back. */
#include "control_env.h"

static void checks_come_in_xen_order(void **state)
{
    struct xen_domctl *op;

    (void)state;
    assert_int_equal(call(do_domctl, UNMAPPED), -EFAULT);
    assert_int_equal(call(do_domctl, GUEST_BASE + (ENV_PAGES * PAGE_SIZE) - 100U), -EFAULT);
    /* The version before the domain: even for a domain nobody has. */
    op = domctl_in(0U, XEN_DOMCTL_pausedomain, 2U);
    op->interface_version = 0x14U;
    assert_int_equal(call_domctl(), -EACCES);
    /* The domain before the privilege: a domU asking about a domain that
     * does not exist hears -ESRCH, about one that does, -EPERM. */
    as(1U, 0U);
    op = domctl_in(1U, XEN_DOMCTL_pausedomain, 2U);
    assert_int_equal(call_domctl(), -ESRCH);
    op->domain = 0U;
    assert_int_equal(call_domctl(), -EPERM);
    op->domain = 1U;
    assert_int_equal(call_domctl(), -EPERM);
    assert_int_equal(doms[0].controller_pause_count, 0U);
    assert_int_equal(doms[1].controller_pause_count, 0U);
    op->interface_version = 0x16U;
    assert_int_equal(call_domctl(), -EACCES);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void reserved_and_dying_domains_are_nobody(void **state)
{
    static const domid_t ids[] = { 2U, DOMID_SELF, DOMID_IO, DOMID_XEN, DOMID_INVALID,
                                   DOMID_IDLE, 0xffffU };

    (void)state;
    for (unsigned int i = 0U; i < sizeof(ids) / sizeof(ids[0]); i++) {
        (void)domctl_in(0U, XEN_DOMCTL_pausedomain, ids[i]);
        assert_int_equal(call_domctl(), -ESRCH);
    }
    /* A domain being destroyed is not found any more. */
    doms[2].dying = true;
    (void)domctl_in(0U, XEN_DOMCTL_unpausedomain, 3U);
    assert_int_equal(call_domctl(), -ESRCH);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void unknown_commands(void **state)
{
    static const uint32_t cmds[] = {
        0U, XEN_DOMCTL_shadow_op, XEN_DOMCTL_hypercall_init, 70U /* set_max_evtchn */,
        XEN_DOMCTL_get_address_size, XEN_DOMCTL_sendtrigger, XEN_DOMCTL_gethvmcontext,
        XEN_DOMCTL_NR_CMDS, 1000U /* gdbsx, x86 */, 0xffffffffU,
    };

    (void)state;
    for (unsigned int i = 0U; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        struct xen_domctl *op;

        as(0U, 0U);
        op = domctl_in(0U, cmds[i], 1U);
        op->u.pad[0] = 0xa5U;
        assert_int_equal(call_domctl(), -ENOSYS);
        assert_int_equal(op->u.pad[0], 0xa5U);
        /* Still the domain first, then the privilege, as on Xen. */
        op->domain = 2U;
        assert_int_equal(call_domctl(), -ESRCH);
        as(1U, 0U);
        op = domctl_in(1U, cmds[i], 0U);
        assert_int_equal(call_domctl(), -EPERM);
    }
    assert_int_equal(fake_domain_refs_total(), 0U);
}

/* createdomain names the domain it would make (65535: "pick one"): no
 * lookup, so dom0 hears the handler's answer, not -ESRCH, and a domU
 * still -EPERM. */
static void createdomain_looks_nothing_up(void **state)
{
    (void)state;
    as(0U, 0U);
    (void)domctl_in(0U, XEN_DOMCTL_createdomain, 0xffffU);
    /* No id to look up: the empty configuration itself is refused. */
    assert_int_equal(call_domctl(), -EINVAL);
    assert_int_equal(fake_domain_creates(), 0U);
    as(1U, 0U);
    (void)domctl_in(1U, XEN_DOMCTL_createdomain, 0xffffU);
    assert_int_equal(call_domctl(), -EPERM);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void copy_back_follows_the_command(void **state)
{
    struct xen_domctl *op;

    (void)state;
    /* pausedomain copies nothing back: a read-only block is fine. */
    (void)domctl_in(0U, XEN_DOMCTL_pausedomain, 1U);
    fake_guest_fault(GUEST_BASE + ARG_OFF, sizeof(*op), true);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(doms[1].controller_pause_count, 1U);
    /* scheduler_op is copied back even when it fails (Xen does). */
    op = domctl_in(0U, XEN_DOMCTL_scheduler_op, 1U);
    op->u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    assert_int_equal(call_domctl(), -EFAULT);
    /* getvcpuinfo only when it succeeded. */
    op = domctl_in(0U, XEN_DOMCTL_getvcpuinfo, 1U);
    op->u.getvcpuinfo.vcpu = ENV_VCPUS;
    assert_int_equal(call_domctl(), -EINVAL);
    op->u.getvcpuinfo.vcpu = 0U;
    assert_int_equal(call_domctl(), -EFAULT);
    /* A refused caller gets nothing back, even from scheduler_op. */
    as(1U, 0U);
    op = domctl_in(1U, XEN_DOMCTL_scheduler_op, 0U);
    op->u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2;
    op->u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    assert_int_equal(call_domctl(), -EPERM);
    assert_int_equal(op->u.scheduler_op.u.credit2.weight, 0U);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(checks_come_in_xen_order, env_test_setup),
        cmocka_unit_test_setup(reserved_and_dying_domains_are_nobody, env_test_setup),
        cmocka_unit_test_setup(unknown_commands, env_test_setup),
        cmocka_unit_test_setup(createdomain_looks_nothing_up, env_test_setup),
        cmocka_unit_test_setup(copy_back_follows_the_command, env_test_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
