/* VIRQ_DOM_EXC (common/domain/domain_notify.c): when a domain stops or
 * goes away, the privileged domain's global VIRQ_DOM_EXC port is raised
 * (Xen sends it to the hardware domain, where xenstored binds it), and
 * only there; nothing happens when no domain binds it or none is
 * privileged; every domain reference taken to find it is given back. */
#define EVTCHN_TEST_MAIN
#include "evtchn_env.c"
#include "domain_internal.h"

static void the_control_domain_gets_dom_exc(void **state)
{
    uint32_t port;

    (void)state;
    assert_int_equal(bind_virq(0U, VIRQ_DOM_EXC, 0U, &port), 0);
    l2_clear_all(0U);
    domain_notify_exception();
    assert_true(l2_pending(0U, port));
    assert_int_equal(V(0U, 0U)->vcpu_info->evtchn_upcall_pending, 1U);
    /* The domUs are not told. */
    assert_int_equal(V(1U, 0U)->vcpu_info->evtchn_upcall_pending, 0U);
    assert_int_equal(V(2U, 0U)->vcpu_info->evtchn_upcall_pending, 0U);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void nothing_without_a_bound_port(void **state)
{
    (void)state;
    l2_clear_all(0U);
    domain_notify_exception();
    assert_int_equal(V(0U, 0U)->vcpu_info->evtchn_upcall_pending, 0U);
    assert_int_equal(fake_upcalls(V(0U, 0U)), 0U);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void nothing_without_a_privileged_domain(void **state)
{
    uint32_t port;

    (void)state;
    assert_int_equal(bind_virq(0U, VIRQ_DOM_EXC, 0U, &port), 0);
    D(0U)->is_privileged = false;
    l2_clear_all(0U);
    domain_notify_exception();
    assert_false(l2_pending(0U, port));
    assert_int_equal(fake_domain_refs_total(), 0U);
}

/* A privileged domain later in the list (dom0 gone, dom2 the control
 * domain) is found by the walk. */
static void the_walk_finds_a_later_privileged_domain(void **state)
{
    uint32_t port;

    (void)state;
    kill_domain(0U);
    D(2U)->is_privileged = true;
    assert_int_equal(bind_virq(2U, VIRQ_DOM_EXC, 0U, &port), 0);
    l2_clear_all(2U);
    domain_notify_exception();
    assert_true(l2_pending(2U, port));
    assert_int_equal(fake_domain_refs_total(), 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_control_domain_gets_dom_exc, setup, teardown),
        cmocka_unit_test_setup_teardown(nothing_without_a_bound_port, setup, teardown),
        cmocka_unit_test_setup_teardown(nothing_without_a_privileged_domain, setup, teardown),
        cmocka_unit_test_setup_teardown(the_walk_finds_a_later_privileged_domain, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
