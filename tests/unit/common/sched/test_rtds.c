/* RTDS scheduling: reservations met to the nanosecond on a fake clock,
 * extra time in idle time only, EDF between vCPUs of different periods,
 * preemption by an earlier deadline, several CPUs and pools. The
 * toolstack's side is in test_rtds_adjust.c. The environment is
 * rtds_env.h's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/lib.h>
#include <proxenos/sched_ops.h>
#include <proxenos/timer.h>
#include "rtds_env.h"

/* ---- One vCPU on one CPU -------------------------------------------------- */

static void test_budget_without_extratime_is_exactly_forty_percent(void **state)
{
    struct vcpu *v;

    (void)state;
    pool_create(0U, ON_CPU(0));
    v = new_vcpu(0U, ON_CPU(0));
    set_params(v, 10000U, 4000U, false);
    wake(v);
    run_until(SECONDS(1));
    assert_int_equal(run_time(v), MILLISECS(400));
    /* ... and in each period, the first 4 ms of it. */
    for (unsigned int k = 0U; k < 100U; k++) {
        s_time_t start = MILLISECS(10) * (s_time_t)k;

        assert_int_equal(ran_within(v, start, start + MILLISECS(4)), MILLISECS(4));
        assert_int_equal(ran_within(v, start + MILLISECS(4), start + MILLISECS(10)), 0);
    }
}

static void test_extratime_alone_takes_the_whole_cpu(void **state)
{
    struct vcpu *v;

    (void)state;
    pool_create(0U, ON_CPU(0));
    v = new_vcpu(0U, ON_CPU(0));
    set_params(v, 10000U, 4000U, true);
    wake(v);
    run_until(SECONDS(1));
    assert_int_equal(run_time(v), SECONDS(1));
}

/* Xen's defaults: 4 ms every 10 ms, with extra time. */
static void test_defaults_are_xens(void **state)
{
    struct vcpu *v;
    struct vcpu *w;

    (void)state;
    pool_create(0U, ON_CPU(0));
    v = new_vcpu(0U, ON_CPU(0));
    w = new_vcpu(0U, ON_CPU(0));
    wake(v);
    wake(w);
    run_until(SECONDS(1));
    /* Each gets its 40% first; the idle 20% goes to extra time. Both
     * ran about half of the second, none of it idle. */
    assert_int_equal(run_time(v) + run_time(w), SECONDS(1));
    assert_true(run_time(v) >= MILLISECS(400));
    assert_true(run_time(w) >= MILLISECS(400));
}

/* ---- EDF ------------------------------------------------------------------- */

/* 4 of 10 ms and 9 of 15 ms: 100% of the CPU between them, which EDF
 * schedules with every deadline met. */
static void test_edf_meets_every_deadline_of_two_periods(void **state)
{
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    pool_create(0U, ON_CPU(0));
    a = new_vcpu(0U, ON_CPU(0));
    b = new_vcpu(0U, ON_CPU(0));
    set_params(a, 10000U, 4000U, false);
    set_params(b, 15000U, 9000U, false);
    wake(a);
    wake(b);
    run_until(MILLISECS(300));
    for (unsigned int k = 0U; k < 30U; k++) {
        s_time_t start = MILLISECS(10) * (s_time_t)k;

        assert_int_equal(ran_within(a, start, start + MILLISECS(10)), MILLISECS(4));
    }
    for (unsigned int k = 0U; k < 20U; k++) {
        s_time_t start = MILLISECS(15) * (s_time_t)k;

        assert_int_equal(ran_within(b, start, start + MILLISECS(15)), MILLISECS(9));
    }
}

/* Reserved time before extra time: a vCPU in extra time gives way to one
 * whose reservation is not used up yet, whatever their deadlines. */
static void test_extratime_yields_to_reserved_time(void **state)
{
    struct vcpu *hog;
    struct vcpu *rt;

    (void)state;
    pool_create(0U, ON_CPU(0));
    hog = new_vcpu(0U, ON_CPU(0));
    rt = new_vcpu(0U, ON_CPU(0));
    set_params(hog, 1000U, 100U, true);
    set_params(rt, 100000U, 50000U, false);
    wake(hog);
    wake(rt);
    run_until(MILLISECS(100));
    assert_int_equal(run_time(rt), MILLISECS(50));
    /* hog's reservation is 10% of each ms; its extra time is what rt
     * leaves: the other 50 ms. */
    assert_int_equal(run_time(hog), MILLISECS(50));
    assert_true(ran_within(hog, 0, MILLISECS(50)) >= MILLISECS(5));
}

static void test_woken_earlier_deadline_preempts(void **state)
{
    struct vcpu *slow;
    struct vcpu *fast;

    (void)state;
    pool_create(0U, ON_CPU(0));
    slow = new_vcpu(0U, ON_CPU(0));
    fast = new_vcpu(0U, ON_CPU(0));
    set_params(slow, 100000U, 80000U, false);
    set_params(fast, 5000U, 1000U, false);
    wake(slow);
    run_until(MILLISECS(2));
    assert_ptr_equal(pcpus[0].curr, slow);
    /* Deadline 7 ms against 100 ms: it takes the CPU at once. */
    wake(fast);
    assert_ptr_equal(pcpus[0].curr, fast);
    run_until(MILLISECS(3));
    assert_ptr_equal(pcpus[0].curr, slow);
    assert_int_equal(ran_within(fast, MILLISECS(2), MILLISECS(3)), MILLISECS(1));
}

static void test_woken_later_deadline_waits(void **state)
{
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    pool_create(0U, ON_CPU(0));
    a = new_vcpu(0U, ON_CPU(0));
    b = new_vcpu(0U, ON_CPU(0));
    set_params(a, 10000U, 5000U, false);
    set_params(b, 20000U, 5000U, false);
    wake(a);
    run_until(MILLISECS(1));
    wake(b);
    assert_ptr_equal(pcpus[0].curr, a);
    run_until(MILLISECS(10));
    assert_int_equal(ran_within(a, 0, MILLISECS(10)), MILLISECS(5));
    assert_int_equal(ran_within(b, 0, MILLISECS(10)), MILLISECS(5));
    assert_int_equal(ran_within(b, 0, MILLISECS(5)), 0);
}

/* A vCPU that blocks keeps its budget for when it wakes in the same
 * period (a deferrable server), and starts a new period if that ended. */
static void test_blocked_vcpu_keeps_budget_within_its_period(void **state)
{
    struct vcpu *v;

    (void)state;
    pool_create(0U, ON_CPU(0));
    v = new_vcpu(0U, ON_CPU(0));
    set_params(v, 10000U, 4000U, false);
    wake(v);
    run_until(MILLISECS(1));
    block(v);
    run_until(MILLISECS(7));
    wake(v);
    run_until(MILLISECS(10));
    /* 1 ms before, the 3 ms left after: all of 7 to 10. */
    assert_int_equal(ran_within(v, MILLISECS(7), MILLISECS(10)), MILLISECS(3));
    block(v);
    /* Asleep past several periods: woken at 43.5 ms, it is in the period
     * of 40 to 50 ms with a full budget. */
    run_until(MILLISECS(43) + MICROSECS(500));
    wake(v);
    run_until(MILLISECS(60));
    assert_int_equal(ran_within(v, MILLISECS(43), MILLISECS(50)), MILLISECS(4));
    assert_int_equal(ran_within(v, MILLISECS(50), MILLISECS(60)), MILLISECS(4));
}

/* ---- Several CPUs and pools -------------------------------------------- */

/* Global EDF: the three earliest deadlines run on the three CPUs, and a
 * woken vCPU preempts the one with the latest deadline. */
static void test_global_edf_preempts_latest_deadline(void **state)
{
    struct vcpu *v[4];

    (void)state;
    pool_create(0U, ON_CPU(0) | ON_CPU(1) | ON_CPU(2));
    for (unsigned int i = 0U; i < 4U; i++) {
        v[i] = new_vcpu(0U, ALL_CPUS);
    }
    set_params(v[0], 30000U, 20000U, false);
    set_params(v[1], 40000U, 20000U, false);
    set_params(v[2], 50000U, 20000U, false);
    set_params(v[3], 10000U, 5000U, false);
    for (unsigned int i = 0U; i < 3U; i++) {
        wake(v[i]);
    }
    for (unsigned int i = 0U; i < 3U; i++) {
        assert_int_equal(v[i]->state, VCPU_RUNNING);
    }
    run_until(MILLISECS(1));
    wake(v[3]);
    assert_int_equal(v[3]->state, VCPU_RUNNING);
    assert_int_equal(v[2]->state, VCPU_RUNNABLE);
    assert_int_equal(v[0]->state, VCPU_RUNNING);
    assert_int_equal(v[1]->state, VCPU_RUNNING);
}

static void test_idle_cpu_is_tickled_first(void **state)
{
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    pool_create(0U, ON_CPU(0) | ON_CPU(1));
    a = new_vcpu(0U, ALL_CPUS);
    b = new_vcpu(0U, ALL_CPUS);
    set_params(a, 10000U, 5000U, false);
    set_params(b, 10000U, 5000U, false);
    wake(a);
    run_until(MILLISECS(1));
    wake(b);
    assert_int_equal(a->state, VCPU_RUNNING);
    assert_int_equal(b->state, VCPU_RUNNING);
    assert_int_not_equal(a->processor, b->processor);
}

/* x is preempted on CPU 0 by y, which may only run there: x moves to the
 * idle CPU 1 at once. */
static void test_preempted_vcpu_moves_to_an_idle_cpu(void **state)
{
    struct vcpu *x;
    struct vcpu *y;

    (void)state;
    pool_create(0U, ON_CPU(0) | ON_CPU(1));
    x = new_vcpu(0U, ALL_CPUS);
    y = new_vcpu(0U, ON_CPU(0));
    set_params(x, 20000U, 10000U, false);
    set_params(y, 10000U, 5000U, false);
    wake(x);
    assert_ptr_equal(pcpus[0].curr, x);
    run_until(MILLISECS(1));
    wake(y);
    assert_ptr_equal(pcpus[0].curr, y);
    assert_ptr_equal(pcpus[1].curr, x);
    run_until(MILLISECS(20));
    assert_int_equal(run_time(x), MILLISECS(10));
    assert_int_equal(run_time(y), MILLISECS(10));
}

static void test_hard_affinity_is_respected(void **state)
{
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    pool_create(0U, ON_CPU(0) | ON_CPU(1));
    a = new_vcpu(0U, ON_CPU(1));
    b = new_vcpu(0U, ON_CPU(1));
    set_params(a, 10000U, 6000U, false);
    set_params(b, 10000U, 6000U, false);
    wake(a);
    wake(b);
    run_until(MILLISECS(100));
    for (unsigned int i = 0U; i < nr_stretches; i++) {
        assert_int_equal(stretches[i].cpu, 1U);
    }
    /* 12 ms of reservations in each 10 ms on one CPU: it is full. */
    assert_int_equal(run_time(a) + run_time(b), MILLISECS(100));
    assert_null(pcpus[0].curr);
}

static void test_other_pool_is_unaffected(void **state)
{
    struct vcpu *busy[3];
    struct vcpu *alone;

    (void)state;
    pool_create(0U, ON_CPU(0) | ON_CPU(1));
    pool_create(1U, ON_CPU(2));
    for (unsigned int i = 0U; i < 3U; i++) {
        busy[i] = new_vcpu(0U, ALL_CPUS);
        set_params(busy[i], 5000U, 4000U, true);
        wake(busy[i]);
    }
    alone = new_vcpu(1U, ALL_CPUS);
    set_params(alone, 10000U, 4000U, false);
    wake(alone);
    run_until(SECONDS(1));
    assert_int_equal(run_time(alone), MILLISECS(400));
    for (unsigned int i = 0U; i < nr_stretches; i++) {
        assert_true((stretches[i].v == alone) == (stretches[i].cpu == 2U));
    }
    /* Pool 0's two CPUs are shared by its three, never idle. */
    assert_int_equal(run_time(busy[0]) + run_time(busy[1]) + run_time(busy[2]), SECONDS(2));
}

/* The replenishment timer runs on one of the pool's CPUs: when that one
 * leaves, it moves to another, and goes with the last. */
static void test_repl_timer_follows_the_pools_cpus(void **state)
{
    struct vcpu *v;

    (void)state;
    pool_create(0U, ON_CPU(0) | ON_CPU(1));
    v = new_vcpu(0U, ON_CPU(1));
    set_params(v, 10000U, 4000U, false);
    assert_non_null(repl_timer());
    assert_int_equal(repl_timer()->cpu, 0U);
    wake(v);
    run_until(MILLISECS(5));
    pool_remove_cpu(0U, 0U);
    assert_int_equal(repl_timer()->cpu, 1U);
    assert_true(repl_timer()->queued);
    run_until(MILLISECS(100));
    assert_int_equal(run_time(v), MILLISECS(40));
    block(v);
    pool_remove_cpu(0U, 1U);
    assert_null(repl_timer());
    /* teardown finds the pool without CPUs */
}

/* ---- The 'r' key ------------------------------------------------------------ */

static void test_dump_shows_running_and_queued(void **state)
{
    struct vcpu *a;
    struct vcpu *b;
    const char *log;

    (void)state;
    pool_create(0U, ON_CPU(0));
    a = new_vcpu(0U, ON_CPU(0));
    b = new_vcpu(0U, ON_CPU(0));
    set_params(a, 10000U, 4000U, false);
    set_params(b, 20000U, 3000U, true);
    wake(a);
    wake(b);
    run_until(MILLISECS(1));
    fake_log_clear();
    sched_rtds_ops.dump_cpu(&pools[0], 0U);
    log = fake_log();
    assert_non_null(strstr(log, "CPU 0 (rtds pool 0): running"));
    assert_non_null(strstr(log, "run d1v0: period 10000000 budget 4000000, deadline 10000000, left 3000000"));
    assert_non_null(strstr(log, "runq d1v1: period 20000000 budget 3000000 +extra, deadline 20000000"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_budget_without_extratime_is_exactly_forty_percent, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_extratime_alone_takes_the_whole_cpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_defaults_are_xens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edf_meets_every_deadline_of_two_periods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extratime_yields_to_reserved_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_woken_earlier_deadline_preempts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_woken_later_deadline_waits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blocked_vcpu_keeps_budget_within_its_period, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_global_edf_preempts_latest_deadline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle_cpu_is_tickled_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_preempted_vcpu_moves_to_an_idle_cpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hard_affinity_is_respected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_pool_is_unaffected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_repl_timer_follows_the_pools_cpus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dump_shows_running_and_queued, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
