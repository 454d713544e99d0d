/* credit2 on one CPU, through the real scheduling core: shares by weight,
 * slice lengths, wake-up preemption, the rate limit, caps, yield and the
 * toolstack's parameters. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>

#include "credit2_env.h"

/* Pool-0 on CPU 0 alone (the other CPUs in no pool). */
static int setup_one_cpu(void **state)
{
    (void)setup(state);
    (void)c2_pool(ON_CPU(0), NULL);
    return 0;
}

static void assert_ratio(uint64_t num, uint64_t den, uint64_t want_pct, uint64_t tol_pct)
{
    uint64_t pct = (num * 100U) / den;

    if ((pct + tol_pct < want_pct) || (pct > want_pct + tol_pct)) {
        fail_msg("ratio %llu%%, want %llu%% +- %llu", (unsigned long long)pct,
                 (unsigned long long)want_pct, (unsigned long long)tol_pct);
    }
}

static void set_weight(struct domain *d, uint16_t w)
{
    assert_int_equal(c2_adjust(d, XEN_DOMCTL_SCHEDOP_putinfo, w, 0U, NULL), 0);
}

/* Two CPU hogs, weights 256 and 512: 1:2 over a second. */
static void test_shares_two(void **state)
{
    struct domain *d1 = c2_domain();
    struct domain *d2 = c2_domain();
    struct vcpu *a;
    struct vcpu *b;
    uint64_t ta;
    uint64_t tb;

    (void)state;
    set_weight(d2, 512U);
    a = c2_vcpu(d1);
    b = c2_vcpu(d2);
    c2_run(SECONDS(1));
    ta = run_time(a);
    tb = run_time(b);
    assert_ratio(tb, ta, 200U, 6U);
    /* Nobody idles while both want the CPU. */
    assert_true(ta + tb >= (uint64_t)MILLISECS(990));
}

/* Four hogs, two of weight 256 and two of 512: each pair 1:2. */
static void test_shares_four(void **state)
{
    struct domain *d1 = c2_domain();
    struct domain *d2 = c2_domain();
    struct vcpu *v[4];

    (void)state;
    set_weight(d2, 512U);
    v[0] = c2_vcpu(d1);
    v[1] = c2_vcpu(d1);
    v[2] = c2_vcpu(d2);
    v[3] = c2_vcpu(d2);
    c2_run(SECONDS(1));
    assert_ratio(run_time(v[2]) + run_time(v[3]), run_time(v[0]) + run_time(v[1]),
                 200U, 6U);
    assert_ratio(run_time(v[1]), run_time(v[0]), 100U, 6U);
    assert_ratio(run_time(v[3]), run_time(v[2]), 100U, 6U);
}

static struct vcpu *slice_vcpu;
static s_time_t slice_started;
static s_time_t slice_min;
static s_time_t slice_max;
static unsigned int slice_count;

static void watch_slices(unsigned int cpu)
{
    struct vcpu *now_on = c2_running_on(cpu);

    if (now_on != slice_vcpu) {
        /* The first change starts the first whole slice. */
        if ((slice_vcpu != NULL) && (slice_started != 0)) {
            s_time_t len = NOW() - slice_started;

            slice_min = MIN(slice_min, len);
            slice_max = MAX(slice_max, len);
            slice_count++;
        }
        slice_started = (slice_vcpu != NULL) ? NOW() : 0;
        slice_vcpu = now_on;
    }
}

/* Two equal hogs take turns as on Xen: the one chosen runs until its
 * credit is spent (the other, switched out this moment, is not yet
 * waiting when its slice is measured), at most the 10 ms timer: about
 * 10 ms each. */
static void test_slices_equal(void **state)
{
    struct domain *d1 = c2_domain();

    (void)state;
    (void)c2_vcpu(d1);
    (void)c2_vcpu(d1);
    /* The very first turn is short: both start with equal credit, and
     * the second is already waiting. */
    c2_run(MILLISECS(5));
    slice_vcpu = NULL;
    slice_started = 0;
    slice_min = SECONDS(1);
    slice_max = 0;
    slice_count = 0U;
    c2_run_with(SECONDS(1), watch_slices);
    print_message("equal hogs: %u slices, %lld..%lld us\n", slice_count,
                  (long long)(slice_min / 1000), (long long)(slice_max / 1000));
    assert_true(slice_count >= 95U);
    assert_true(slice_count <= 110U);
    assert_true(slice_min >= MILLISECS(9));
    assert_true(slice_max <= MILLISECS(10) + C2_STEP);
}

/* Without a rate limit, a lone hog's slices are bounded by the 10 ms
 * maximum timer; beside a vCPU with much less credit, it runs a full
 * 10 ms slice. */
static void test_slices_max_timer(void **state)
{
    struct domain *d1 = c2_domain();
    struct vcpu *a;

    (void)state;
    a = c2_vcpu(d1);
    c2_settle();
    assert_ptr_equal(c2_running_on(0U), a);
    /* The slice timer is armed for the maximum, 10 ms. */
    assert_int_equal(fake_timer_deadline() - NOW(), MILLISECS(10));
}

static struct vcpu *sleeper;
static s_time_t woken_at;
static s_time_t worst_wait;
static unsigned int wakes;

/* The sleeper runs 100 us, then waits for its timer 4 ms later. */
static void sleeper_cycle(unsigned int cpu)
{
    if (c2_running_on(cpu) == sleeper) {
        if (woken_at != 0) {
            worst_wait = MAX(worst_wait, NOW() - woken_at);
            woken_at = 0;
        }
        if (NOW() - sleeper->state_entry_time >= MICROSECS(100)) {
            c2_block(cpu);
        }
    } else if ((sleeper->state == VCPU_BLOCKED) &&
               (NOW() - sleeper->state_entry_time >= MILLISECS(4))) {
        vcpu_wake(sleeper);
        woken_at = NOW();
        wakes++;
    } else {
        /* waiting, or queued */
    }
}

/* A vCPU that wakes after sleeping has more credit than a hog: it takes
 * the CPU at once. */
static void test_wake_preempts_hog(void **state)
{
    struct domain *d1 = c2_domain();
    struct domain *d2 = c2_domain();
    struct vcpu *hog = c2_vcpu(d1);
    struct vcpu *s = c2_vcpu(d2);

    (void)state;
    c2_settle();
    if (c2_running_on(0U) == s) {
        c2_block(0U);
    } else {
        /* queued: put it to sleep from the queue */
        c2_run(MICROSECS(10));
    }
    while (s->state != VCPU_BLOCKED) {
        if (c2_running_on(0U) == s) {
            c2_block(0U);
        } else {
            c2_run(C2_STEP);
        }
    }
    c2_run(MILLISECS(30));
    assert_ptr_equal(c2_running_on(0U), hog);
    vcpu_wake(s);
    c2_settle();
    assert_ptr_equal(c2_running_on(0U), s);
}

/* Fifteen hogs and a vCPU woken by its timer every 4 ms: each wake-up is
 * served within the rate limit, not after the hogs' turns. */
static void test_wake_latency_among_hogs(void **state)
{
    struct domain *hogs = c2_domain();
    struct domain *d2 = c2_domain();

    (void)state;
    for (unsigned int i = 0U; i < 15U; i++) {
        (void)c2_vcpu(hogs);
    }
    sleeper = c2_vcpu(d2);
    woken_at = 0;
    worst_wait = 0;
    wakes = 0U;
    c2_run_with(SECONDS(1), sleeper_cycle);
    print_message("16 vCPUs: %u wakes, worst wait %lld us\n", wakes,
                  (long long)(worst_wait / 1000));
    assert_true(wakes > 100U);
    assert_true(worst_wait <= MICROSECS(1000) + C2_STEP);
}

/* Until the running vCPU has run for the rate limit, a wake does not
 * preempt it; with the limit off (sysctl), it does at once. */
static void test_ratelimit_delays_preemption(void **state)
{
    struct domain *d1 = c2_domain();
    struct domain *d2 = c2_domain();
    struct vcpu *hog = c2_vcpu(d1);
    struct vcpu *s = c2_vcpu(d2);
    uint32_t us = 0U;
    s_time_t woke;

    (void)state;
    /* s sleeps while hog burns its credit. */
    while (s->state != VCPU_BLOCKED) {
        if (c2_running_on(0U) == s) {
            c2_block(0U);
        } else {
            c2_run(C2_STEP);
        }
    }
    c2_run(MILLISECS(30));
    /* s wakes, runs a little, blocks: hog has just been chosen again. */
    vcpu_wake(s);
    c2_settle();
    assert_ptr_equal(c2_running_on(0U), s);
    c2_run(MICROSECS(100));
    c2_block(0U);
    assert_ptr_equal(c2_running_on(0U), hog);
    c2_run(MICROSECS(200));
    vcpu_wake(s);
    woke = NOW();
    c2_settle();
    assert_ptr_equal(c2_running_on(0U), hog);
    while (c2_running_on(0U) != s) {
        c2_run(C2_STEP);
    }
    assert_true(NOW() - woke >= MICROSECS(800) - C2_STEP);

    /* No rate limit: the same wake preempts at once. */
    assert_int_equal(c2_ratelimit(XEN_SYSCTL_SCHEDOP_putinfo, &us), 0);
    c2_run(MICROSECS(100));
    c2_block(0U);
    assert_ptr_equal(c2_running_on(0U), hog);
    c2_run(MICROSECS(200));
    vcpu_wake(s);
    c2_settle();
    assert_ptr_equal(c2_running_on(0U), s);
}

/* cap 50: a hog alone on the CPU gets half of it. */
static void test_cap_half(void **state)
{
    struct domain *d1 = c2_domain();
    struct vcpu *v = c2_vcpu(d1);
    uint64_t before;

    (void)state;
    assert_int_equal(c2_adjust(d1, XEN_DOMCTL_SCHEDOP_putinfo, 0U, 50U, NULL), 0);
    c2_run(MILLISECS(20));
    before = run_time(v);
    c2_run(SECONDS(1));
    assert_ratio(run_time(v) - before, (uint64_t)SECONDS(1), 50U, 3U);

    /* cap 0 lifts it: the whole CPU again. */
    assert_int_equal(c2_adjust(d1, XEN_DOMCTL_SCHEDOP_putinfo, 0U, 0U, NULL), 0);
    c2_run(MILLISECS(20));
    before = run_time(v);
    c2_run(MILLISECS(500));
    assert_ratio(run_time(v) - before, (uint64_t)MILLISECS(500), 100U, 1U);
}

/* cap 50 beside an uncapped hog: the capped one still gets its half. */
static void test_cap_with_competition(void **state)
{
    struct domain *d1 = c2_domain();
    struct domain *d2 = c2_domain();
    struct vcpu *capped = c2_vcpu(d1);
    struct vcpu *free_hog = c2_vcpu(d2);
    uint64_t c0;
    uint64_t f0;

    (void)state;
    assert_int_equal(c2_adjust(d1, XEN_DOMCTL_SCHEDOP_putinfo, 0U, 25U, NULL), 0);
    c2_run(MILLISECS(20));
    c0 = run_time(capped);
    f0 = run_time(free_hog);
    c2_run(SECONDS(1));
    assert_ratio(run_time(capped) - c0, (uint64_t)SECONDS(1), 25U, 3U);
    assert_ratio(run_time(free_hog) - f0, (uint64_t)SECONDS(1), 75U, 3U);
    c2_uncap(d1);
}

/* A yield hands the CPU to the other runnable vCPU whatever its credit;
 * alone, a yield changes nothing. */
static void test_yield_hands_over(void **state)
{
    struct domain *d1 = c2_domain();
    struct vcpu *a = c2_vcpu(d1);
    struct vcpu *b;
    struct vcpu *first;
    uint64_t switches;

    (void)state;
    c2_settle();
    assert_ptr_equal(c2_running_on(0U), a);
    switches = sched_pcpu(0U)->switches;
    c2_yield(0U);
    assert_ptr_equal(c2_running_on(0U), a);
    assert_int_equal(sched_pcpu(0U)->switches, switches);

    b = c2_vcpu(d1);
    c2_run(MILLISECS(50));
    for (unsigned int i = 0U; i < 20U; i++) {
        first = c2_running_on(0U);
        c2_run(MICROSECS(300));     /* within the rate limit: no switch */
        assert_ptr_equal(c2_running_on(0U), first);
        c2_yield(0U);
        c2_settle();
        assert_ptr_equal(c2_running_on(0U), (first == a) ? b : a);
    }
}

/* A paused domain's vCPU leaves the CPU but stays queued: unpaused, it
 * runs again. */
static void test_pause_keeps_queued(void **state)
{
    struct domain *d1 = c2_domain();
    struct vcpu *v = c2_vcpu(d1);

    (void)state;
    c2_run(MILLISECS(5));
    assert_ptr_equal(c2_running_on(0U), v);
    __atomic_add_fetch(&d1->pause_count, 1U, __ATOMIC_RELEASE);
    sched_vcpu_reconsider(v);
    c2_run(MILLISECS(5));
    assert_null(c2_running_on(0U));
    __atomic_sub_fetch(&d1->pause_count, 1U, __ATOMIC_RELEASE);
    sched_vcpu_reconsider(v);
    c2_settle();
    assert_ptr_equal(c2_running_on(0U), v);
}

/* A paused vCPU with credit left stays queued, first in line: the two
 * hogs beside it still end their epochs and share the CPU (Xen takes it
 * off the queue; weighed as queued, it kept the credits from ever being
 * reset, and the hog at the floor never got the CPU back). */
static void test_paused_vcpu_does_not_hold_the_epoch(void **state)
{
    struct domain *d1 = c2_domain();
    struct vcpu *p = c2_vcpu(d1);
    struct vcpu *a;
    struct vcpu *b;
    uint64_t ta;
    uint64_t tb;

    (void)state;
    __atomic_add_fetch(&d1->pause_count, 1U, __ATOMIC_RELEASE);
    sched_vcpu_reconsider(p);
    a = c2_vcpu(c2_domain());
    b = c2_vcpu(c2_domain());
    c2_run(SECONDS(1));
    ta = run_time(a);
    tb = run_time(b);
    assert_int_equal(run_time(p), 0U);
    assert_ratio(ta, tb, 100U, 6U);
    assert_true(ta + tb >= (uint64_t)MILLISECS(990));
}

/* Xen's answers to domctl scheduler_op. */
static void test_adjust(void **state)
{
    struct domain *d1 = c2_domain();
    struct xen_domctl_scheduler_op op;

    (void)state;
    (void)c2_vcpu(d1);
    (void)c2_vcpu(d1);
    assert_int_equal(c2_adjust(d1, XEN_DOMCTL_SCHEDOP_getinfo, 0U, 0U, &op), 0);
    assert_int_equal(op.u.credit2.weight, 256);
    assert_int_equal(op.u.credit2.cap, 0);

    assert_int_equal(c2_adjust(d1, XEN_DOMCTL_SCHEDOP_putinfo, 65535U, 150U, NULL), 0);
    assert_int_equal(c2_adjust(d1, XEN_DOMCTL_SCHEDOP_getinfo, 0U, 0U, &op), 0);
    assert_int_equal(op.u.credit2.weight, 65535);
    assert_int_equal(op.u.credit2.cap, 150);

    /* weight 0 leaves the weight; cap 0 removes the cap. */
    assert_int_equal(c2_adjust(d1, XEN_DOMCTL_SCHEDOP_putinfo, 0U, 0U, NULL), 0);
    assert_int_equal(c2_adjust(d1, XEN_DOMCTL_SCHEDOP_getinfo, 0U, 0U, &op), 0);
    assert_int_equal(op.u.credit2.weight, 65535);
    assert_int_equal(op.u.credit2.cap, 0);

    /* More than 100% per vCPU: -EINVAL, but the weight given with it
     * is taken, as Xen does. */
    assert_int_equal(c2_adjust(d1, XEN_DOMCTL_SCHEDOP_putinfo, 512U, 201U, NULL), -EINVAL);
    assert_int_equal(c2_adjust(d1, XEN_DOMCTL_SCHEDOP_getinfo, 0U, 0U, &op), 0);
    assert_int_equal(op.u.credit2.weight, 512);
    assert_int_equal(op.u.credit2.cap, 0);
    assert_int_equal(c2_adjust(d1, XEN_DOMCTL_SCHEDOP_putinfo, 0U, 200U, NULL), 0);

    assert_int_equal(c2_adjust(d1, XEN_DOMCTL_SCHEDOP_putvcpuinfo, 0U, 0U, NULL), -EINVAL);
    assert_int_equal(c2_adjust(d1, XEN_DOMCTL_SCHEDOP_getvcpuinfo, 0U, 0U, NULL), -EINVAL);
    c2_uncap(d1);
}

/* Xen's answers to sysctl scheduler_op: the rate limit. */
static void test_adjust_global(void **state)
{
    uint32_t us = 0U;

    (void)state;
    assert_int_equal(c2_ratelimit(XEN_SYSCTL_SCHEDOP_getinfo, &us), 0);
    assert_int_equal(us, 1000);
    us = XEN_SYSCTL_SCHED_RATELIMIT_MIN - 1U;
    assert_int_equal(c2_ratelimit(XEN_SYSCTL_SCHEDOP_putinfo, &us), -EINVAL);
    us = XEN_SYSCTL_SCHED_RATELIMIT_MAX + 1U;
    assert_int_equal(c2_ratelimit(XEN_SYSCTL_SCHEDOP_putinfo, &us), -EINVAL);
    us = 0U;
    assert_int_equal(c2_ratelimit(XEN_SYSCTL_SCHEDOP_getinfo, &us), 0);
    assert_int_equal(us, 1000);

    us = XEN_SYSCTL_SCHED_RATELIMIT_MIN;
    assert_int_equal(c2_ratelimit(XEN_SYSCTL_SCHEDOP_putinfo, &us), 0);
    assert_int_equal(us, XEN_SYSCTL_SCHED_RATELIMIT_MIN);
    us = 0U;
    assert_int_equal(c2_ratelimit(XEN_SYSCTL_SCHEDOP_putinfo, &us), 0);
    assert_int_equal(us, 0);
    assert_true(fake_log_contains("Disabling context switch rate limiting"));
    us = 7U;
    assert_int_equal(c2_ratelimit(XEN_SYSCTL_SCHEDOP_getinfo, &us), 0);
    assert_int_equal(us, 0);
}

/* sched_ratelimit_us= sets the limit a pool starts with. */
static void test_ratelimit_param(void **state)
{
    uint32_t us = 0U;

    (void)state;
    (void)c2_pool(ON_CPU(0), "sched_ratelimit_us=2500");
    assert_int_equal(c2_ratelimit(XEN_SYSCTL_SCHEDOP_getinfo, &us), 0);
    assert_int_equal(us, 2500);
}

/* The 'r' key: run queue, and credits of the running and queued vCPUs. */
static void test_dump(void **state)
{
    struct domain *d1 = c2_domain();
    struct sched_pool *p = sched_pool_by_id(0U);

    (void)state;
    (void)c2_vcpu(d1);
    (void)c2_vcpu(d1);
    c2_run(MICROSECS(500));
    fake_log_clear();
    p->ops->dump_cpu(p, 0U);
    assert_true(fake_log_contains("CPU[00] runq=0"));
    assert_true(fake_log_contains("run: d2v"));
    assert_true(fake_log_contains("queued: d2v"));
    assert_true(fake_log_contains("credit="));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shares_two, setup_one_cpu, teardown),
        cmocka_unit_test_setup_teardown(test_shares_four, setup_one_cpu, teardown),
        cmocka_unit_test_setup_teardown(test_slices_equal, setup_one_cpu, teardown),
        cmocka_unit_test_setup_teardown(test_slices_max_timer, setup_one_cpu, teardown),
        cmocka_unit_test_setup_teardown(test_wake_preempts_hog, setup_one_cpu, teardown),
        cmocka_unit_test_setup_teardown(test_wake_latency_among_hogs, setup_one_cpu, teardown),
        cmocka_unit_test_setup_teardown(test_ratelimit_delays_preemption, setup_one_cpu, teardown),
        cmocka_unit_test_setup_teardown(test_cap_half, setup_one_cpu, teardown),
        cmocka_unit_test_setup_teardown(test_cap_with_competition, setup_one_cpu, teardown),
        cmocka_unit_test_setup_teardown(test_yield_hands_over, setup_one_cpu, teardown),
        cmocka_unit_test_setup_teardown(test_pause_keeps_queued, setup_one_cpu, teardown),
        cmocka_unit_test_setup_teardown(test_paused_vcpu_does_not_hold_the_epoch, setup_one_cpu,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_adjust, setup_one_cpu, teardown),
        cmocka_unit_test_setup_teardown(test_adjust_global, setup_one_cpu, teardown),
        cmocka_unit_test_setup_teardown(test_ratelimit_param, setup_one_cpu, teardown),
        cmocka_unit_test_setup_teardown(test_dump, setup_one_cpu, teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
