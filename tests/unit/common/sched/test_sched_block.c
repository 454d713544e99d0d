/* Scheduler decisions: vCPUs that may not run, blocked (and yielding),
 * stopped or paused, are not picked, leave their CPU and come back. The
 * environment is sched_env.h's. */
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
#include "sched_env.h"

/* ---- Blocking and yielding -------------------------------------------------- */

static void test_blocked_vcpu_is_not_picked(void **state)
{
    struct vcpu *x;
    struct vcpu *y;
    struct vcpu *v[2];

    (void)state;
    v[0] = add_vcpu(ON_CPU(0));
    v[1] = add_vcpu(ON_CPU(0));
    vcpu_wake(v[0]);
    vcpu_wake(v[1]);
    do_softirq();
    x = current_vcpu();
    y = (x == v[0]) ? v[1] : v[0];
    fake_advance(MILLISECS(1));
    vcpu_block_current();
    assert_int_equal(x->state, VCPU_BLOCKED);
    /* Blocking takes effect at the schedule it asks for. */
    assert_ptr_equal(current_vcpu(), x);
    assert_true(softirq_pending(0));
    do_softirq();
    assert_ptr_equal(current_vcpu(), y);
    assert_ptr_equal(last_switch()->prev, x);
    assert_ptr_equal(last_switch()->next, y);
    /* However far x falls behind, it is not picked while blocked. */
    for (unsigned int i = 0U; i < 50U; i++) {
        fake_advance(SECONDS(1));
        schedule();
        assert_ptr_equal(current_vcpu(), y);
        assert_int_equal(x->state, VCPU_BLOCKED);
    }
    /* With y blocked too, the CPU goes idle. */
    vcpu_block_current();
    do_softirq();
    assert_null(current_vcpu());
    assert_ptr_equal(last_switch()->prev, y);
    assert_null(last_switch()->next);
    assert_int_equal(timer_queue_length(0), 0);
}

static void test_block_and_yield_when_idle_do_nothing(void **state)
{
    struct vcpu *a;

    (void)state;
    a = add_vcpu(ON_CPU(0));
    vcpu_block_current();
    vcpu_yield_current();
    assert_false(softirq_pending(0));
    assert_int_equal(a->state, VCPU_OFFLINE);
    /* A lone running vCPU that yields keeps its CPU without a schedule. */
    vcpu_wake(a);
    do_softirq();
    vcpu_yield_current();
    assert_false(softirq_pending(0));
    assert_ptr_equal(current_vcpu(), a);
}

static void test_yield_lets_a_waiting_vcpu_run(void **state)
{
    struct vcpu *x;
    struct vcpu *v[2];

    (void)state;
    v[0] = add_vcpu(ON_CPU(3));
    v[1] = add_vcpu(ON_CPU(3));
    vcpu_wake(v[0]);
    vcpu_wake(v[1]);
    run_softirqs(3);
    x = current_vcpu();
    fake_advance(MICROSECS(100));
    vcpu_yield_current();
    assert_true(softirq_pending(3));
    do_softirq();
    assert_ptr_not_equal(current_vcpu(), x);
    assert_non_null(current_vcpu());
    assert_int_equal(x->state, VCPU_RUNNABLE);
}

/* ---- Stopping and pausing ---------------------------------------------------- */

static void test_stop_running_vcpu_takes_effect_at_next_schedule(void **state)
{
    struct vcpu *x;
    struct vcpu *y;
    struct vcpu *v[2];
    unsigned int ipis;

    (void)state;
    v[0] = add_vcpu(ON_CPU(1));
    v[1] = add_vcpu(ON_CPU(1));
    vcpu_wake(v[0]);
    vcpu_wake(v[1]);
    run_softirqs(1);
    x = current_vcpu();
    y = (x == v[0]) ? v[1] : v[0];
    fake_advance(MILLISECS(5));
    /* PSCI CPU_OFF, or a domain stopped from another CPU. */
    fake_set_cpu(0U);
    ipis = fake_ipi_count(1);
    vcpu_stop(x);
    assert_int_equal(x->state, VCPU_OFFLINE);
    assert_int_equal(x->runstate_time[VCPU_RUNNING], MILLISECS(5));
    /* Still on CPU 1 until that CPU schedules, which it is told to. */
    assert_true(sched_vcpu_on_cpu(x));
    assert_ptr_equal(running_on(1), x);
    assert_true(softirq_pending(1));
    assert_int_equal(fake_ipi_count(1), ipis + 1U);
    run_softirqs(1);
    assert_ptr_equal(current_vcpu(), y);
    assert_false(sched_vcpu_on_cpu(x));
    assert_ptr_equal(last_switch()->prev, x);
    assert_ptr_equal(last_switch()->next, y);
    assert_int_equal(last_switch()->cpu, 1);
    /* Never again, however long y runs (alone, credit2 still arms its
     * 10 ms timer). */
    assert_int_equal(timer_queue_length(1), 1);
    for (unsigned int i = 0U; i < 20U; i++) {
        fake_advance(SECONDS(1));
        schedule();
        assert_ptr_equal(current_vcpu(), y);
    }
    assert_int_equal(x->state, VCPU_OFFLINE);
    /* PSCI CPU_ON brings it back. */
    fake_set_cpu(0U);
    vcpu_wake(x);
    assert_int_equal(x->state, VCPU_RUNNABLE);
    run_softirqs(1);
    assert_int_equal(timer_queue_length(1), 1);
    /* It runs once y's credit has fallen below its own: within a few of
     * credit2's slices. */
    for (unsigned int i = 0U; (i < 5U) && (current_vcpu() != x); i++) {
        expire_slice();
    }
    assert_ptr_equal(current_vcpu(), x);
}

static void test_stop_waiting_vcpu(void **state)
{
    struct vcpu *x;
    struct vcpu *y;
    struct vcpu *v[2];
    unsigned int ipis;

    (void)state;
    v[0] = add_vcpu(ON_CPU(2));
    v[1] = add_vcpu(ON_CPU(2));
    vcpu_wake(v[0]);
    vcpu_wake(v[1]);
    run_softirqs(2);
    x = current_vcpu();
    y = (x == v[0]) ? v[1] : v[0];
    fake_set_cpu(0U);
    ipis = fake_ipi_count(2);
    vcpu_stop(y);
    assert_int_equal(y->state, VCPU_OFFLINE);
    /* Nothing changes on CPU 2 now, so it need not be disturbed. */
    assert_false(softirq_pending(2));
    assert_int_equal(fake_ipi_count(2), ipis);
    fake_set_cpu(2U);
    for (unsigned int i = 0U; i < 20U; i++) {
        fake_advance(SECONDS(1));
        schedule();
        assert_ptr_equal(current_vcpu(), x);
    }
    /* Stopping twice is harmless. */
    vcpu_stop(y);
    assert_int_equal(y->state, VCPU_OFFLINE);
}

static void test_paused_vcpus_are_never_picked(void **state)
{
    struct vcpu *p;
    struct vcpu *x;
    struct vcpu *z;
    struct vcpu *v[3];

    (void)state;
    for (unsigned int i = 0U; i < 3U; i++) {
        v[i] = add_vcpu(ON_CPU(0));
        vcpu_wake(v[i]);
    }
    /* Paused while waiting: it stays queued but is passed over. */
    p = v[1];
    p->pause_flags = true;
    do_softirq();
    for (unsigned int i = 0U; i < 50U; i++) {
        assert_non_null(current_vcpu());
        assert_ptr_not_equal(current_vcpu(), p);
        expire_slice();
    }
    /* However little it has run. */
    assert_int_equal(run_time(p), 0);
    /* Paused while running: it leaves at the next schedule. */
    x = current_vcpu();
    z = (x == v[0]) ? v[2] : v[0];
    x->pause_flags = true;
    expire_slice();
    assert_ptr_equal(current_vcpu(), z);
    assert_ptr_equal(last_switch()->prev, x);
    /* The last unpaused one blocks: idle, though two are paused. */
    vcpu_block_current();
    do_softirq();
    assert_null(current_vcpu());
    for (unsigned int i = 0U; i < nr_switches(); i++) {
        assert_ptr_not_equal(fake_switch(i)->next, p);
    }
}

/* Regression (fixed): schedule() used to take a paused vCPU off its CPU but
 * leave its state VCPU_RUNNING (domain.h: "on v->processor right now"), so its
 * runstate keeps counting RUNNING time, AFFINITY_INFO reports it ON, and
 * vcpu_wake()/vcpu_kick() ignore it for good (neither accepts RUNNING):
 * clearing pause_flags could never bring it back. Today domain_shutdown's
 * stop_domain() follows the pause with vcpu_stop(), which sets OFFLINE, so
 * this only shows if a schedule() runs between the two. */
static void test_descheduled_paused_vcpu_is_not_running(void **state)
{
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    a = add_vcpu(ON_CPU(0));
    b = add_vcpu(ON_CPU(0));
    vcpu_wake(a);
    do_softirq();
    assert_ptr_equal(current_vcpu(), a);
    vcpu_wake(b);
    do_softirq();
    a = current_vcpu();
    a->pause_flags = true;
    fake_advance(MILLISECS(1));
    schedule();
    assert_ptr_not_equal(current_vcpu(), a);
    assert_int_not_equal(a->state, VCPU_RUNNING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_blocked_vcpu_is_not_picked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_block_and_yield_when_idle_do_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_yield_lets_a_waiting_vcpu_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_running_vcpu_takes_effect_at_next_schedule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_waiting_vcpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paused_vcpus_are_never_picked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_descheduled_paused_vcpu_is_not_running, setup, teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
