/* Domain life cycle commands (common/control/domctl_lifecycle.c) and the
 * pause counting under them (common/domain/domain_pause.c): destroydomain (the
 * domain seen dying while in memory, then gone), pausedomain and
 * unpausedomain with Xen's limits, the end of a build at the first
 * unpause, the domain handle, the time offset. */
#include "control_env.h"

static long pause_cmd(uint32_t cmd, domid_t dom)
{
    (void)domctl_in(0U, cmd, dom);
    return call_domctl();
}

static void pause_and_unpause(void **state)
{
    (void)state;
    assert_int_equal(pause_cmd(XEN_DOMCTL_pausedomain, 1U), 0);
    assert_int_equal(doms[1].controller_pause_count, 1U);
    assert_int_equal(doms[1].pause_count, 1U);
    assert_true(domain_is_paused(&doms[1]));
    /* Its running vCPU was taken off its CPU before the call returned. */
    assert_int_equal(vcpus[1][0].state, VCPU_RUNNABLE);
    assert_true(fake_sched_calls(FAKE_SCHED_RECONSIDER, NULL) >= ENV_VCPUS);
    /* Pauses nest. */
    assert_int_equal(pause_cmd(XEN_DOMCTL_pausedomain, 1U), 0);
    assert_int_equal(doms[1].pause_count, 2U);
    assert_int_equal(pause_cmd(XEN_DOMCTL_unpausedomain, 1U), 0);
    assert_true(domain_is_paused(&doms[1]));
    fake_sched_reset();
    assert_int_equal(pause_cmd(XEN_DOMCTL_unpausedomain, 1U), 0);
    assert_false(domain_is_paused(&doms[1]));
    assert_int_equal(doms[1].pause_count, 0U);
    /* At 0 every vCPU's CPU was told to look again. */
    assert_int_equal(fake_sched_calls(FAKE_SCHED_RECONSIDER, NULL), ENV_VCPUS);
    /* Unpausing what the toolstack did not pause: -EINVAL, nothing moved. */
    assert_int_equal(pause_cmd(XEN_DOMCTL_unpausedomain, 1U), -EINVAL);
    assert_int_equal(doms[1].pause_count, 0U);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void pause_limits(void **state)
{
    (void)state;
    /* Never the caller's own domain (it would wait for itself). */
    assert_int_equal(pause_cmd(XEN_DOMCTL_pausedomain, 0U), -EINVAL);
    assert_int_equal(doms[0].pause_count, 0U);
    /* The toolstack may pause a domain 255 times, not more. */
    for (unsigned int i = 0U; i < 255U; i++) {
        assert_int_equal(pause_cmd(XEN_DOMCTL_pausedomain, 3U), 0);
    }
    assert_int_equal(pause_cmd(XEN_DOMCTL_pausedomain, 3U), -EOVERFLOW);
    assert_int_equal(doms[2].controller_pause_count, 255U);
    assert_int_equal(doms[2].pause_count, 255U);
    /* The hypervisor's own pauses are not the toolstack's to undo. */
    domain_pause(&doms[1]);
    assert_int_equal(pause_cmd(XEN_DOMCTL_unpausedomain, 1U), -EINVAL);
    assert_int_equal(doms[1].pause_count, 1U);
    domain_unpause(&doms[1]);
    /* Unpausing oneself is only refused for lack of a pause. */
    assert_int_equal(pause_cmd(XEN_DOMCTL_unpausedomain, 0U), -EINVAL);
    /* A domU may do neither. */
    as(1U, 0U);
    (void)domctl_in(1U, XEN_DOMCTL_pausedomain, 3U);
    assert_int_equal(call_domctl(), -EPERM);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void handle_and_time_offset(void **state)
{
    static const uint8_t h[16] = { 0xdeU, 0xadU, 0xbeU, 0xefU, 0U, 1U, 2U, 3U,
                                   4U, 5U, 6U, 7U, 8U, 9U, 10U, 11U };
    struct xen_domctl *op;

    (void)state;
    op = domctl_in(0U, XEN_DOMCTL_setdomainhandle, 3U);
    memcpy(op->u.setdomainhandle.handle, h, sizeof(h));
    assert_false(doms[2].toolstack_built);
    assert_int_equal(call_domctl(), 0);
    assert_memory_equal(doms[2].handle, h, sizeof(h));
    /* Taken over by the toolstack: it waits for xl when it stops. */
    assert_true(doms[2].toolstack_built);
    op = domctl_in(0U, XEN_DOMCTL_getdomaininfo, 3U);
    assert_int_equal(call_domctl(), 0);
    assert_memory_equal(op->u.getdomaininfo.handle, h, sizeof(h));
    op = domctl_in(0U, XEN_DOMCTL_settimeoffset, 1U);
    op->u.settimeoffset.time_offset_seconds = -3600;
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(doms[1].time_offset_seconds, -3600);
    /* A domU may set neither, not even its own. */
    as(1U, 0U);
    op = domctl_in(1U, XEN_DOMCTL_setdomainhandle, 1U);
    assert_int_equal(call_domctl(), -EPERM);
    op = domctl_in(1U, XEN_DOMCTL_settimeoffset, 1U);
    op->u.settimeoffset.time_offset_seconds = 5;
    assert_int_equal(call_domctl(), -EPERM);
    assert_int_equal(doms[1].time_offset_seconds, -3600);
}

static void destroy(void **state)
{
    struct xen_domctl *op;
    struct xen_sysctl *sop;

    (void)state;
    /* Not one's own domain (Xen's domain_kill). */
    assert_int_equal(pause_cmd(XEN_DOMCTL_destroydomain, 0U), -EINVAL);
    assert_int_equal(fake_domain_kills(), 0U);
    assert_int_equal(pause_cmd(XEN_DOMCTL_destroydomain, 3U), 0);
    assert_int_equal(fake_domain_kills(), 1U);
    assert_true(doms[2].dying);
    /* Still in memory: the toolstack reads it back, flagged dying, both
     * ways, and may destroy it again (0, as Xen). */
    op = domctl_in(0U, XEN_DOMCTL_getdomaininfo, 3U);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(op->domain, 3U);
    assert_true((op->u.getdomaininfo.flags & XEN_DOMINF_dying) != 0U);
    sop = sysctl_in(0U, XEN_SYSCTL_getdomaininfolist);
    sop->u.getdomaininfolist.first_domain = 2U;
    sop->u.getdomaininfolist.max_domains = 4U;
    sop->u.getdomaininfolist.buffer = BUF_GVA;
    assert_int_equal(call_sysctl(), 0);
    assert_int_equal(sop->u.getdomaininfolist.num_domains, 1U);
    assert_int_equal(((struct xen_domctl_getdomaininfo *)garg(0U, BUF_OFF))->domain, 3U);
    assert_int_equal(pause_cmd(XEN_DOMCTL_destroydomain, 3U), 0);
    assert_int_equal(fake_domain_kills(), 2U);
    /* Other commands no longer find it. */
    assert_int_equal(pause_cmd(XEN_DOMCTL_unpausedomain, 3U), -ESRCH);
    /* Freed: gone for everyone. */
    fake_domain_unlist(&doms[2]);        /* freed */
    op = domctl_in(0U, XEN_DOMCTL_getdomaininfo, 3U);
    assert_int_equal(call_domctl(), -ESRCH);
    assert_int_equal(pause_cmd(XEN_DOMCTL_destroydomain, 3U), -ESRCH);
    /* A domU may not destroy anyone. */
    as(1U, 0U);
    (void)domctl_in(1U, XEN_DOMCTL_destroydomain, 1U);
    assert_int_equal(call_domctl(), -EPERM);
    assert_false(doms[1].dying);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void first_unpause_ends_build(void **state)
{
    (void)state;
    /* As createdomain leaves it. */
    doms[1].state = DOMAIN_BUILDING;
    doms[1].pause_count = 1U;
    doms[1].controller_pause_count = 1U;
    assert_int_equal(pause_cmd(XEN_DOMCTL_pausedomain, 1U), 0);
    assert_int_equal(pause_cmd(XEN_DOMCTL_unpausedomain, 1U), 0);
    assert_int_equal(doms[1].state, DOMAIN_BUILDING);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_DOMAIN_CREATION_FINISHED), 0U);
    assert_int_equal(pause_cmd(XEN_DOMCTL_unpausedomain, 1U), 0);
    assert_int_equal(doms[1].state, DOMAIN_RUNNING);
    assert_int_equal(doms[1].pause_count, 0U);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_DOMAIN_CREATION_FINISHED), 1U);
    /* Once only. */
    assert_int_equal(pause_cmd(XEN_DOMCTL_pausedomain, 1U), 0);
    assert_int_equal(pause_cmd(XEN_DOMCTL_unpausedomain, 1U), 0);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_DOMAIN_CREATION_FINISHED), 1U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(pause_and_unpause, env_test_setup),
        cmocka_unit_test_setup(pause_limits, env_test_setup),
        cmocka_unit_test_setup(handle_and_time_offset, env_test_setup),
        cmocka_unit_test_setup(destroy, env_test_setup),
        cmocka_unit_test_setup(first_unpause_ends_build, env_test_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
