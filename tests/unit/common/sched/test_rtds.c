/* RTDS scheduling through the real core: reservations met exactly on a
 * fake clock, extra time in idle time only, EDF between vCPUs of
 * different periods, preemption by an earlier deadline, several CPUs and
 * pools, the replenishment timer following the pool's CPUs, the 'r' key.
 * The toolstack's side is in test_rtds_adjust.c. The environment is
 * rtds_env.h's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/lib.h>
#include <proxenos/sched.h>
#include <proxenos/sched_ops.h>
#include <proxenos/timer.h>
#include "rtds_env.h"

#define CPU01 (ON_CPU(0) | ON_CPU(1))

/* ---- One vCPU on one CPU -------------------------------------------------- */

static void test_budget_without_extratime_is_exactly_forty_percent(void **state)
{
    struct domain *d;
    struct vcpu *v;
    uint64_t before = 0U;

    (void)state;
    (void)make_pool(1U, "rtds", ON_CPU(0));
    d = rtds_domain(1U);
    v = rtds_vcpu(d, ON_CPU(0));
    set_params(v, 10000U, 4000U, false);
    align_clock(MILLISECS(10));
    wake(v);
    /* 4 ms of each 10 ms, over a second. */
    for (unsigned int k = 0U; k < 100U; k++) {
        run_for(MILLISECS(10));
        assert_int_equal(run_time(v) - before, MILLISECS(4));
        before = run_time(v);
    }
    assert_int_equal(run_time(v), MILLISECS(400));
}

static void test_extratime_alone_takes_the_whole_cpu(void **state)
{
    struct domain *d;
    struct vcpu *v;

    (void)state;
    (void)make_pool(1U, "rtds", ON_CPU(0));
    d = rtds_domain(1U);
    v = rtds_vcpu(d, ON_CPU(0));
    set_params(v, 10000U, 4000U, true);
    wake(v);
    run_for(SECONDS(1));
    assert_int_equal(run_time(v), SECONDS(1));
}

/* Xen's defaults: 4 ms every 10 ms, with extra time. */
static void test_defaults_share_the_cpu_with_nothing_idle(void **state)
{
    struct domain *d;
    struct vcpu *v;
    struct vcpu *w;

    (void)state;
    (void)make_pool(1U, "rtds", ON_CPU(0));
    d = rtds_domain(1U);
    v = rtds_vcpu(d, ON_CPU(0));
    w = rtds_vcpu(d, ON_CPU(0));
    align_clock(MILLISECS(10));
    wake(v);
    wake(w);
    run_for(SECONDS(1));
    /* Each has its 40%; the rest goes to extra time, none is idle. */
    assert_int_equal(run_time(v) + run_time(w), SECONDS(1));
    assert_true(run_time(v) >= MILLISECS(400));
    assert_true(run_time(w) >= MILLISECS(400));
}

/* ---- EDF ------------------------------------------------------------------- */

/* 4 of 10 ms and 9 of 15 ms: all of the CPU between them, which EDF
 * schedules with every deadline met. Run time is read every 5 ms. */
static void test_edf_meets_every_deadline_of_two_periods(void **state)
{
    struct domain *d;
    struct vcpu *a;
    struct vcpu *b;
    uint64_t ta[61];
    uint64_t tb[61];

    (void)state;
    (void)make_pool(1U, "rtds", ON_CPU(0));
    d = rtds_domain(1U);
    a = rtds_vcpu(d, ON_CPU(0));
    b = rtds_vcpu(d, ON_CPU(0));
    set_params(a, 10000U, 4000U, false);
    set_params(b, 15000U, 9000U, false);
    align_clock(MILLISECS(30));
    wake(a);
    wake(b);
    ta[0] = run_time(a);
    tb[0] = run_time(b);
    for (unsigned int i = 1U; i < ARRAY_SIZE(ta); i++) {
        run_for(MILLISECS(5));
        ta[i] = run_time(a);
        tb[i] = run_time(b);
    }
    for (unsigned int k = 0U; k < 30U; k++) {
        assert_int_equal(ta[2U * (k + 1U)] - ta[2U * k], MILLISECS(4));
    }
    for (unsigned int k = 0U; k < 20U; k++) {
        assert_int_equal(tb[3U * (k + 1U)] - tb[3U * k], MILLISECS(9));
    }
}

/* Reserved time before extra time: a vCPU in extra time gives way to one
 * within its reservation, whatever their deadlines; and its own new
 * period takes the CPU back at once. */
static void test_extratime_yields_to_reserved_time(void **state)
{
    struct domain *d;
    struct vcpu *hog;
    struct vcpu *rt;

    (void)state;
    (void)make_pool(1U, "rtds", ON_CPU(0));
    d = rtds_domain(1U);
    hog = rtds_vcpu(d, ON_CPU(0));
    rt = rtds_vcpu(d, ON_CPU(0));
    set_params(hog, 1000U, 100U, true);
    set_params(rt, 100000U, 50000U, false);
    align_clock(MILLISECS(100));
    wake(hog);
    wake(rt);
    run_for(MILLISECS(50));
    /* hog's 100 us of each ms came first, every ms. */
    assert_int_equal(run_time(hog), MILLISECS(5));
    assert_int_equal(run_time(rt), MILLISECS(45));
    run_for(MILLISECS(50));
    assert_int_equal(run_time(rt), MILLISECS(50));
    assert_int_equal(run_time(hog), MILLISECS(50));
}

static void test_woken_earlier_deadline_preempts(void **state)
{
    struct domain *d;
    struct vcpu *slow;
    struct vcpu *fast;

    (void)state;
    (void)make_pool(1U, "rtds", ON_CPU(0));
    d = rtds_domain(1U);
    slow = rtds_vcpu(d, ON_CPU(0));
    fast = rtds_vcpu(d, ON_CPU(0));
    set_params(slow, 100000U, 80000U, false);
    set_params(fast, 5000U, 1000U, false);
    align_clock(MILLISECS(100));
    wake(slow);
    run_for(MILLISECS(2));
    assert_ptr_equal(running_on(0U), slow);
    /* Deadline 5 ms against 100 ms: it takes the CPU at once, for its
     * budget, and gives it back. */
    wake(fast);
    assert_ptr_equal(running_on(0U), fast);
    assert_int_equal(slow->state, VCPU_RUNNABLE);
    run_for(MILLISECS(1));
    assert_ptr_equal(running_on(0U), slow);
    assert_int_equal(run_time(fast), MILLISECS(1));
    assert_int_equal(run_time(slow), MILLISECS(2));
}

static void test_woken_later_deadline_waits(void **state)
{
    struct domain *d;
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    (void)make_pool(1U, "rtds", ON_CPU(0));
    d = rtds_domain(1U);
    a = rtds_vcpu(d, ON_CPU(0));
    b = rtds_vcpu(d, ON_CPU(0));
    set_params(a, 10000U, 5000U, false);
    set_params(b, 20000U, 5000U, false);
    align_clock(MILLISECS(20));
    wake(a);
    run_for(MILLISECS(1));
    wake(b);
    assert_ptr_equal(running_on(0U), a);
    run_for(MILLISECS(4));
    assert_int_equal(run_time(b), 0);
    run_for(MILLISECS(5));
    assert_int_equal(run_time(a), MILLISECS(5));
    assert_int_equal(run_time(b), MILLISECS(5));
}

/* A vCPU that blocks keeps its budget for when it wakes in the same
 * period (a deferrable server), and starts a new period if that ended. */
static void test_blocked_vcpu_keeps_budget_within_its_period(void **state)
{
    struct domain *d;
    struct vcpu *v;
    uint64_t before;

    (void)state;
    (void)make_pool(1U, "rtds", ON_CPU(0));
    d = rtds_domain(1U);
    v = rtds_vcpu(d, ON_CPU(0));
    set_params(v, 10000U, 4000U, false);
    align_clock(MILLISECS(10));
    wake(v);
    run_for(MILLISECS(1));
    block(v);
    run_for(MILLISECS(6));
    wake(v);
    run_for(MILLISECS(3));
    /* 1 ms before, the 3 ms left after, at 7 to 10 ms. */
    assert_int_equal(run_time(v), MILLISECS(4));
    block(v);
    /* Asleep past several periods: woken at 43.5 ms, it is in the period
     * of 40 to 50 ms with a full budget. */
    run_for(MILLISECS(33) + MICROSECS(500));
    before = run_time(v);
    wake(v);
    run_for(MILLISECS(6) + MICROSECS(500));
    assert_int_equal(run_time(v) - before, MILLISECS(4));
    run_for(MILLISECS(10));
    assert_int_equal(run_time(v) - before, MILLISECS(8));
}

/* ---- Several CPUs and pools -------------------------------------------- */

/* Global EDF: the three earliest deadlines run on the three CPUs, and a
 * woken vCPU preempts the one with the latest deadline. */
static void test_global_edf_preempts_latest_deadline(void **state)
{
    struct domain *d;
    struct vcpu *v[4];

    (void)state;
    (void)make_pool(1U, "rtds", ON_CPU(0) | ON_CPU(1) | ON_CPU(2));
    d = rtds_domain(1U);
    for (unsigned int i = 0U; i < 4U; i++) {
        v[i] = rtds_vcpu(d, ALL_CPUS);
    }
    set_params(v[0], 30000U, 20000U, false);
    set_params(v[1], 40000U, 20000U, false);
    set_params(v[2], 50000U, 20000U, false);
    set_params(v[3], 10000U, 5000U, false);
    align_clock(MILLISECS(600));
    for (unsigned int i = 0U; i < 3U; i++) {
        wake(v[i]);
    }
    for (unsigned int i = 0U; i < 3U; i++) {
        assert_int_equal(v[i]->state, VCPU_RUNNING);
    }
    run_for(MILLISECS(1));
    wake(v[3]);
    assert_int_equal(v[3]->state, VCPU_RUNNING);
    assert_int_equal(v[2]->state, VCPU_RUNNABLE);
    assert_int_equal(v[0]->state, VCPU_RUNNING);
    assert_int_equal(v[1]->state, VCPU_RUNNING);
    run_for(MILLISECS(5));
    assert_int_equal(run_time(v[3]), MILLISECS(5));
    assert_int_equal(v[2]->state, VCPU_RUNNING);
}

static void test_idle_cpu_is_tickled_first(void **state)
{
    struct domain *d;
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    (void)make_pool(1U, "rtds", CPU01);
    d = rtds_domain(1U);
    a = rtds_vcpu(d, ALL_CPUS);
    b = rtds_vcpu(d, ALL_CPUS);
    set_params(a, 10000U, 5000U, false);
    set_params(b, 10000U, 5000U, false);
    wake(a);
    run_for(MILLISECS(1));
    wake(b);
    assert_int_equal(a->state, VCPU_RUNNING);
    assert_int_equal(b->state, VCPU_RUNNING);
    assert_int_not_equal(a->processor, b->processor);
}

/* x is preempted on CPU 0 by y, which may only run there: x moves to the
 * idle CPU 1 at once. */
static void test_preempted_vcpu_moves_to_an_idle_cpu(void **state)
{
    struct domain *d;
    struct vcpu *x;
    struct vcpu *y;

    (void)state;
    (void)make_pool(1U, "rtds", CPU01);
    d = rtds_domain(1U);
    x = rtds_vcpu(d, CPU01);
    y = rtds_vcpu(d, ON_CPU(0));
    set_params(x, 20000U, 10000U, false);
    set_params(y, 10000U, 5000U, false);
    align_clock(MILLISECS(20));
    wake(x);
    assert_ptr_equal(running_on(0U), x);
    run_for(MILLISECS(1));
    wake(y);
    assert_ptr_equal(running_on(0U), y);
    assert_ptr_equal(running_on(1U), x);
    run_for(MILLISECS(19));
    assert_int_equal(run_time(x), MILLISECS(10));
    assert_int_equal(run_time(y), MILLISECS(10));
}

static void never_on_cpu0(s_time_t started)
{
    (void)started;
    assert_null(running_on(0U));
}

static void test_hard_affinity_is_respected(void **state)
{
    struct domain *d;
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    (void)make_pool(1U, "rtds", CPU01);
    d = rtds_domain(1U);
    a = rtds_vcpu(d, ON_CPU(1));
    b = rtds_vcpu(d, ON_CPU(1));
    set_params(a, 10000U, 6000U, false);
    set_params(b, 10000U, 6000U, false);
    wake(a);
    wake(b);
    run_cpus_with(ALL_CPUS, MILLISECS(100), STEP, never_on_cpu0);
    /* 12 ms of reservations in each 10 ms on one CPU: it is full. */
    assert_int_equal(run_time(a) + run_time(b), MILLISECS(100));
}

static void test_other_pool_is_unaffected(void **state)
{
    struct domain *busy_dom;
    struct domain *alone_dom;
    struct vcpu *busy[3];
    struct vcpu *alone;

    (void)state;
    (void)make_pool(1U, "rtds", CPU01);
    (void)make_pool(2U, "rtds", ON_CPU(2));
    busy_dom = rtds_domain(1U);
    alone_dom = rtds_domain(2U);
    for (unsigned int i = 0U; i < 3U; i++) {
        busy[i] = rtds_vcpu(busy_dom, ALL_CPUS);
        set_params(busy[i], 5000U, 4000U, true);
    }
    alone = rtds_vcpu(alone_dom, ALL_CPUS);
    set_params(alone, 10000U, 4000U, false);
    align_clock(MILLISECS(10));
    for (unsigned int i = 0U; i < 3U; i++) {
        wake(busy[i]);
    }
    wake(alone);
    run_for(SECONDS(1));
    assert_int_equal(run_time(alone), MILLISECS(400));
    assert_int_equal(alone->processor, 2U);
    for (unsigned int i = 0U; i < 3U; i++) {
        assert_true(busy[i]->processor < 2U);
    }
    /* Pool 1's two CPUs are shared by its three, never idle. */
    assert_int_equal(run_time(busy[0]) + run_time(busy[1]) + run_time(busy[2]), SECONDS(2));
}

/* The replenishment timer runs on one of the pool's CPUs: when that one
 * leaves the pool, the timer goes on from another. */
static void test_repl_timer_follows_the_pools_cpus(void **state)
{
    struct sched_pool *p;
    struct domain *d;
    struct vcpu *v;
    uint64_t before;

    (void)state;
    p = make_pool(1U, "rtds", CPU01);
    d = rtds_domain(1U);
    v = rtds_vcpu(d, ON_CPU(1));
    set_params(v, 10000U, 4000U, false);
    align_clock(MILLISECS(10));
    wake(v);
    run_for(MILLISECS(5));
    /* CPU 0 has the timer (the pool's first CPU) and nothing else. */
    assert_int_equal(timer_queue_length(0U), 1);
    assert_int_equal(sched_pool_remove_cpu(p, 0U), 0);
    assert_int_equal(timer_queue_length(0U), 0);
    before = run_time(v);
    run_for(MILLISECS(100));
    assert_int_equal(run_time(v) - before, MILLISECS(40));
}

/* ---- The 'r' key ------------------------------------------------------------ */

static void test_dump_shows_running_and_queued(void **state)
{
    struct domain *d;
    struct vcpu *a;
    struct vcpu *b;
    char run[128];
    char queued[128];

    (void)state;
    (void)make_pool(1U, "rtds", ON_CPU(0));
    d = rtds_domain(1U);
    a = rtds_vcpu(d, ON_CPU(0));
    b = rtds_vcpu(d, ON_CPU(0));
    set_params(a, 10000U, 4000U, false);
    set_params(b, 20000U, 3000U, true);
    align_clock(MILLISECS(20));
    wake(a);
    wake(b);
    run_for(MILLISECS(1));
    fake_log_clear();
    sched_dump_cpu(0U);
    assert_true(fake_log_contains("CPU 0 (rtds pool 1): running"));
    (void)snprintf(run, sizeof(run),
                   "  run d%uv%u: period 10000000 budget 4000000, deadline %lld, left 3000000, level 0",
                   (unsigned int)d->domain_id, a->vcpu_id, (long long)(NOW() + MILLISECS(9)));
    (void)snprintf(queued, sizeof(queued),
                   "  runq d%uv%u: period 20000000 budget 3000000 +extra, deadline %lld, left 3000000",
                   (unsigned int)d->domain_id, b->vcpu_id, (long long)(NOW() + MILLISECS(19)));
    assert_true(fake_log_contains(run));
    assert_true(fake_log_contains(queued));
}

#define RTDS_TEST(t) cmocka_unit_test_setup_teardown(t, rtds_setup, rtds_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        RTDS_TEST(test_budget_without_extratime_is_exactly_forty_percent),
        RTDS_TEST(test_extratime_alone_takes_the_whole_cpu),
        RTDS_TEST(test_defaults_share_the_cpu_with_nothing_idle),
        RTDS_TEST(test_edf_meets_every_deadline_of_two_periods),
        RTDS_TEST(test_extratime_yields_to_reserved_time),
        RTDS_TEST(test_woken_earlier_deadline_preempts),
        RTDS_TEST(test_woken_later_deadline_waits),
        RTDS_TEST(test_blocked_vcpu_keeps_budget_within_its_period),
        RTDS_TEST(test_global_edf_preempts_latest_deadline),
        RTDS_TEST(test_idle_cpu_is_tickled_first),
        RTDS_TEST(test_preempted_vcpu_moves_to_an_idle_cpu),
        RTDS_TEST(test_hard_affinity_is_respected),
        RTDS_TEST(test_other_pool_is_unaffected),
        RTDS_TEST(test_repl_timer_follows_the_pools_cpus),
        RTDS_TEST(test_dump_shows_running_and_queued),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
