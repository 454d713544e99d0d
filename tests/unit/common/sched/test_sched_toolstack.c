/* The scheduler for the toolstack: a paused domain leaves its CPU and
 * comes back, idle time counts only time without a vCPU, and the weights
 * it sets. The environment is sched_env.h's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/arch/context.h>
#include <proxenos/cmdline.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/sched.h>
#include <proxenos/sched_params.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
#include <proxenos/xmalloc.h>
#include <fake_arch.h>
#include <fake_domain.h>
#include "heap_env.h"
#include "sched_ops_env.h"

/* ---- Domain pause, idle time, weights (for the toolstack) ------------------ */

static void test_paused_domain_leaves_its_cpu_and_comes_back(void **state)
{
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    a = add_vcpu(ON_CPU(0));
    b = add_vcpu(ON_CPU(0));
    vcpu_wake(a);
    do_softirq();
    assert_ptr_equal(current_vcpu(), a);
    /* The domain is paused: its running vCPU leaves at once, and one that
     * wakes meanwhile is queued but not picked. */
    dom.pause_count = 1U;
    sched_vcpu_reconsider(a);
    assert_true(softirq_pending(0U));
    do_softirq();
    assert_null(current_vcpu());
    assert_false(sched_vcpu_on_cpu(a));
    assert_int_equal(a->state, VCPU_RUNNABLE);
    vcpu_wake(b);
    do_softirq();
    assert_null(current_vcpu());
    /* Unpaused: the CPU looks again and runs one of them. */
    dom.pause_count = 0U;
    sched_vcpu_reconsider(a);
    do_softirq();
    assert_non_null(current_vcpu());
    /* A vCPU neither running nor queued needs no second look. */
    vcpu_stop(b);
    do_softirq();
    sched_vcpu_reconsider(b);
    assert_false(softirq_pending(0U));
}

static void test_idle_time_counts_only_time_without_a_vcpu(void **state)
{
    uint64_t t0;
    struct vcpu *v;

    (void)state;
    fake_set_cpu(1U);
    t0 = sched_cpu_idle_time(1U);
    fake_advance(MILLISECS(1));
    assert_int_equal(sched_cpu_idle_time(1U) - t0, MILLISECS(1));
    v = add_vcpu(ON_CPU(1));
    vcpu_wake(v);
    do_softirq();
    assert_ptr_equal(current_vcpu(), v);
    fake_advance(MILLISECS(2));
    assert_int_equal(sched_cpu_idle_time(1U) - t0, MILLISECS(1));
    vcpu_block_current();
    do_softirq();
    assert_null(current_vcpu());
    fake_advance(MILLISECS(3));
    assert_int_equal(sched_cpu_idle_time(1U) - t0, MILLISECS(4));
    fake_set_cpu(0U);
}

/* The weight is the domain's (domctl scheduler_op), for every vCPU it
 * has and every vCPU it adds later. */
static void test_weights_from_the_toolstack(void **state)
{
    struct xen_domctl_scheduler_op op = { .cmd = XEN_DOMCTL_SCHEDOP_getinfo };
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    a = add_vcpu(ON_CPU(2));
    assert_int_equal(adjust(&dom, &op), 0);
    assert_int_equal(op.u.credit2.weight, SCHED_DEFAULT_WEIGHT);
    op = (struct xen_domctl_scheduler_op){ .cmd = XEN_DOMCTL_SCHEDOP_putinfo };
    op.u.credit2.weight = 1024U;
    dom.max_vcpus = MAX_TEST_VCPUS;
    assert_int_equal(adjust(&dom, &op), 0);
    op = (struct xen_domctl_scheduler_op){ .cmd = XEN_DOMCTL_SCHEDOP_getinfo };
    assert_int_equal(adjust(&dom, &op), 0);
    assert_int_equal(op.u.credit2.weight, 1024U);
    b = add_vcpu(ON_CPU(2));
    (void)a;
    (void)b;
    dom.max_vcpus = 0U;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_paused_domain_leaves_its_cpu_and_comes_back, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_idle_time_counts_only_time_without_a_vcpu, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_weights_from_the_toolstack, setup, teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
