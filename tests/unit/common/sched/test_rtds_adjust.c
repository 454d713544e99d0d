/* RTDS parameters through domctl scheduler_op: Xen's answers to getinfo,
 * putinfo, getvcpuinfo and putvcpuinfo, the errors, and new parameters
 * taking effect at the next period. The arrays live in the calling
 * domain's memory (rtds_env.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/sched.h>
#include <proxenos/sched_ops.h>
#include <proxenos/timer.h>
#include "rtds_env.h"

static void put_entry(unsigned int i, uint32_t vcpuid, uint32_t period, uint32_t budget, uint32_t flags)
{
    struct xen_domctl_schedparam_vcpu *e = &ctl_entries()[i];

    memset(e, 0, sizeof(*e));
    e->vcpuid = vcpuid;
    e->u.rtds.period = period;
    e->u.rtds.budget = budget;
    e->u.rtds.flags = flags;
}

static void ask_for(unsigned int i, uint32_t vcpuid)
{
    put_entry(i, vcpuid, 0xdeadU, 0xbeefU, 0U);
}

static void assert_entry(unsigned int i, uint32_t period, uint32_t budget, uint32_t flags)
{
    const struct xen_domctl_schedparam_vcpu *e = &ctl_entries()[i];

    assert_int_equal(e->u.rtds.period, period);
    assert_int_equal(e->u.rtds.budget, budget);
    assert_int_equal(e->u.rtds.flags, flags);
}

/* d's vCPUs 0..n-1 as getvcpuinfo reports them. */
static void get_all(struct domain *d, unsigned int n)
{
    uint32_t done = 0U;

    for (unsigned int i = 0U; i < n; i++) {
        ask_for(i, i);
    }
    assert_int_equal(adjust_vcpus(d, XEN_DOMCTL_SCHEDOP_getvcpuinfo, n, &done), 0);
    assert_int_equal(done, n);
}

/* A domain in an RTDS pool on CPUs 0 and 1, with nr vCPUs (ids 0..nr-1). */
static struct domain *make_domain(unsigned int nr)
{
    struct domain *d;

    (void)make_pool(1U, "rtds", ON_CPU(0) | ON_CPU(1));
    d = rtds_domain(1U);
    for (unsigned int i = 0U; i < nr; i++) {
        (void)rtds_vcpu(d, ALL_CPUS);
    }
    return d;
}

/* ---- Domain-wide ------------------------------------------------------------ */

static void test_getinfo_answers_xens_defaults(void **state)
{
    struct domain *d;
    struct xen_domctl_scheduler_op op = { .cmd = XEN_DOMCTL_SCHEDOP_getinfo };

    (void)state;
    d = make_domain(2U);
    assert_int_equal(ctl_adjust(d, &op), 0);
    assert_int_equal(op.u.rtds.period, 10000U);
    assert_int_equal(op.u.rtds.budget, 4000U);
    /* The defaults still, after a putinfo: vCPUs may differ. */
    op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
    op.u.rtds.period = 20000U;
    op.u.rtds.budget = 5000U;
    assert_int_equal(ctl_adjust(d, &op), 0);
    op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    assert_int_equal(ctl_adjust(d, &op), 0);
    assert_int_equal(op.u.rtds.period, 10000U);
    assert_int_equal(op.u.rtds.budget, 4000U);
}

static void test_putinfo_sets_every_vcpu_and_keeps_extratime(void **state)
{
    struct domain *d;
    struct xen_domctl_scheduler_op op = { .cmd = XEN_DOMCTL_SCHEDOP_putinfo };

    (void)state;
    d = make_domain(3U);
    set_params(&vcpus[1], 10000U, 4000U, false);
    op.u.rtds.period = 20000U;
    op.u.rtds.budget = 5000U;
    op.u.rtds.flags = 0U;
    assert_int_equal(ctl_adjust(d, &op), 0);
    get_all(d, 3U);
    assert_entry(0U, 20000U, 5000U, XEN_DOMCTL_SCHEDRT_extra);
    assert_entry(1U, 20000U, 5000U, 0U);
    assert_entry(2U, 20000U, 5000U, XEN_DOMCTL_SCHEDRT_extra);
}

static void test_putinfo_refuses_bad_reservations(void **state)
{
    struct domain *d;
    static const struct xen_domctl_sched_rtds bad[] = {
        { .period = 10000U, .budget = 10001U },     /* budget above period */
        { .period = 0U, .budget = 0U },
        { .period = 10000U, .budget = 0U },
        { .period = 9U, .budget = 9U },             /* under 10 us */
        { .period = 10000U, .budget = 9U },
    };

    (void)state;
    d = make_domain(2U);
    for (unsigned int i = 0U; i < ARRAY_SIZE(bad); i++) {
        struct xen_domctl_scheduler_op op = { .cmd = XEN_DOMCTL_SCHEDOP_putinfo };

        op.u.rtds = bad[i];
        assert_int_equal(ctl_adjust(d, &op), -EINVAL);
    }
    get_all(d, 2U);
    assert_entry(0U, 10000U, 4000U, XEN_DOMCTL_SCHEDRT_extra);
    assert_entry(1U, 10000U, 4000U, XEN_DOMCTL_SCHEDRT_extra);
}

/* The least and the most: 10 us, and a budget equal to its period. */
static void test_putinfo_takes_the_limits(void **state)
{
    struct domain *d;
    struct xen_domctl_scheduler_op op = { .cmd = XEN_DOMCTL_SCHEDOP_putinfo };

    (void)state;
    d = make_domain(1U);
    op.u.rtds.period = 10U;
    op.u.rtds.budget = 10U;
    assert_int_equal(ctl_adjust(d, &op), 0);
    get_all(d, 1U);
    assert_entry(0U, 10U, 10U, XEN_DOMCTL_SCHEDRT_extra);
}

static void test_unknown_command_is_einval(void **state)
{
    struct domain *d;
    struct xen_domctl_scheduler_op op = { .cmd = 4U };

    (void)state;
    d = make_domain(1U);
    assert_int_equal(ctl_adjust(d, &op), -EINVAL);
}

/* ---- Per vCPU ------------------------------------------------------------------ */

static void test_putvcpuinfo_sets_each_and_getvcpuinfo_reads_back(void **state)
{
    struct domain *d;
    uint32_t done = 0U;

    (void)state;
    d = make_domain(3U);
    put_entry(0U, 2U, 30000U, 12000U, 0U);
    put_entry(1U, 0U, 45000U, 20000U, XEN_DOMCTL_SCHEDRT_extra);
    assert_int_equal(adjust_vcpus(d, XEN_DOMCTL_SCHEDOP_putvcpuinfo, 2U, &done), 0);
    assert_int_equal(done, 2U);
    /* Asked in any order, answered in place. */
    ask_for(0U, 1U);
    ask_for(1U, 2U);
    ask_for(2U, 0U);
    assert_int_equal(adjust_vcpus(d, XEN_DOMCTL_SCHEDOP_getvcpuinfo, 3U, &done), 0);
    assert_int_equal(done, 3U);
    assert_entry(0U, 10000U, 4000U, XEN_DOMCTL_SCHEDRT_extra);
    assert_entry(1U, 30000U, 12000U, 0U);
    assert_entry(2U, 45000U, 20000U, XEN_DOMCTL_SCHEDRT_extra);
    assert_int_equal(ctl_entries()[2].vcpuid, 0U);
}

/* Xen stops at the first bad entry, with those before it done, and
 * leaves nr_vcpus as it was. */
static void test_putvcpuinfo_stops_at_a_bad_entry(void **state)
{
    struct domain *d;
    static const struct {
        uint32_t vcpuid;
        uint32_t period;
        uint32_t budget;
    } bad[] = {
        { 2U, 10000U, 10001U },     /* budget above period */
        { 2U, 5U, 5U },             /* period under 10 us */
        { 2U, 10000U, 5U },         /* budget under 10 us */
        { 3U, 10000U, 5000U },      /* no vCPU 3 */
        { 0xffffffffU, 10000U, 5000U },
    };

    (void)state;
    d = make_domain(3U);
    for (unsigned int i = 0U; i < ARRAY_SIZE(bad); i++) {
        uint32_t done = 77U;

        put_entry(0U, 0U, 20000U + i, 1000U, 0U);
        put_entry(1U, bad[i].vcpuid, bad[i].period, bad[i].budget, 0U);
        put_entry(2U, 1U, 50000U, 1000U, 0U);
        assert_int_equal(adjust_vcpus(d, XEN_DOMCTL_SCHEDOP_putvcpuinfo, 3U, &done), -EINVAL);
        assert_int_equal(done, 3U);
        get_all(d, 3U);
        assert_entry(0U, 20000U + i, 1000U, 0U);
        assert_entry(1U, 10000U, 4000U, XEN_DOMCTL_SCHEDRT_extra);
        assert_entry(2U, 10000U, 4000U, XEN_DOMCTL_SCHEDRT_extra);
    }
}

static void test_getvcpuinfo_refuses_a_vcpu_out_of_range(void **state)
{
    struct domain *d;
    uint32_t done = 0U;

    (void)state;
    d = make_domain(2U);
    ask_for(0U, 0U);
    ask_for(1U, 2U);
    assert_int_equal(adjust_vcpus(d, XEN_DOMCTL_SCHEDOP_getvcpuinfo, 2U, &done), -EINVAL);
    /* The entry before it was answered. */
    assert_entry(0U, 10000U, 4000U, XEN_DOMCTL_SCHEDRT_extra);
}

static void test_vcpuinfo_outside_guest_memory_is_efault(void **state)
{
    struct domain *d;
    struct xen_domctl_scheduler_op op = { .cmd = XEN_DOMCTL_SCHEDOP_getvcpuinfo };

    (void)state;
    d = make_domain(1U);
    op.u.v.vcpus = CTL_GVA + PAGE_SIZE;
    op.u.v.nr_vcpus = 1U;
    assert_int_equal(ctl_adjust(d, &op), -EFAULT);
    op.cmd = XEN_DOMCTL_SCHEDOP_putvcpuinfo;
    assert_int_equal(ctl_adjust(d, &op), -EFAULT);
    /* The array's last entry runs off the page. */
    op.u.v.vcpus = CTL_GVA + PAGE_SIZE - sizeof(struct xen_domctl_schedparam_vcpu);
    op.u.v.nr_vcpus = 2U;
    ((struct xen_domctl_schedparam_vcpu *)(void *)(ctl_ram + PAGE_SIZE -
                                                   sizeof(struct xen_domctl_schedparam_vcpu)))
        ->vcpuid = 0U;
    op.cmd = XEN_DOMCTL_SCHEDOP_getvcpuinfo;
    assert_int_equal(ctl_adjust(d, &op), -EFAULT);
}

static void test_zero_vcpus_is_nothing_done(void **state)
{
    struct domain *d;
    uint32_t done = 5U;

    (void)state;
    d = make_domain(1U);
    assert_int_equal(adjust_vcpus(d, XEN_DOMCTL_SCHEDOP_getvcpuinfo, 0U, &done), 0);
    assert_int_equal(done, 0U);
}

/* ---- When they apply ------------------------------------------------------------ */

/* A period already started keeps its budget; the new one applies from
 * the next replenishment on. */
static void test_new_budget_applies_from_next_period(void **state)
{
    struct vcpu *v;
    uint64_t before;

    (void)state;
    (void)make_pool(1U, "rtds", ON_CPU(0));
    v = rtds_vcpu(rtds_domain(1U), ON_CPU(0));
    set_params(v, 10000U, 4000U, false);
    align_clock(MILLISECS(10));
    wake(v);
    run_for(MILLISECS(1));
    set_params(v, 10000U, 2000U, false);
    run_for(MILLISECS(9));
    assert_int_equal(run_time(v), MILLISECS(4));
    before = run_time(v);
    run_for(MILLISECS(990));
    assert_int_equal(run_time(v) - before, 99 * MILLISECS(2));
}

static void test_extratime_flag_turns_idle_time_on_and_off(void **state)
{
    struct vcpu *v;
    uint64_t before;

    (void)state;
    (void)make_pool(1U, "rtds", ON_CPU(0));
    v = rtds_vcpu(rtds_domain(1U), ON_CPU(0));
    set_params(v, 10000U, 4000U, true);
    align_clock(MILLISECS(10));
    wake(v);
    run_for(MILLISECS(100));
    assert_int_equal(run_time(v), MILLISECS(100));
    set_params(v, 10000U, 4000U, false);
    before = run_time(v);
    run_for(MILLISECS(10));
    /* The period under way: at most what was left of its budget. */
    assert_true(run_time(v) - before <= MILLISECS(4));
    before = run_time(v);
    run_for(MILLISECS(90));
    assert_int_equal(run_time(v) - before, 9 * MILLISECS(4));
}

#define RTDS_TEST(t) cmocka_unit_test_setup_teardown(t, rtds_setup, rtds_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        RTDS_TEST(test_getinfo_answers_xens_defaults),
        RTDS_TEST(test_putinfo_sets_every_vcpu_and_keeps_extratime),
        RTDS_TEST(test_putinfo_refuses_bad_reservations),
        RTDS_TEST(test_putinfo_takes_the_limits),
        RTDS_TEST(test_unknown_command_is_einval),
        RTDS_TEST(test_putvcpuinfo_sets_each_and_getvcpuinfo_reads_back),
        RTDS_TEST(test_putvcpuinfo_stops_at_a_bad_entry),
        RTDS_TEST(test_getvcpuinfo_refuses_a_vcpu_out_of_range),
        RTDS_TEST(test_vcpuinfo_outside_guest_memory_is_efault),
        RTDS_TEST(test_zero_vcpus_is_nothing_done),
        RTDS_TEST(test_new_budget_applies_from_next_period),
        RTDS_TEST(test_extratime_flag_turns_idle_time_on_and_off),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
