/* The credit scheduler driven by the real scheduling core
 * (sched_ops_env.h): a pool of credit on CPUs 1-2 (or 1 alone), CPU-bound
 * vCPUs, a fake clock. Shares by weight, 30 ms slices, boost on wake, the
 * rate limit, caps, stealing by an idle CPU, and the toolstack's
 * parameters, as the core hands them on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/arch/context.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/sched.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
#include <fake_arch.h>
#include <fake_domain.h>
#include "heap_env.h"
#include "sched_ops_env.h"

#define POOL 1U
#define CPU1 ON_CPU(1)
#define CPU2 ON_CPU(2)

static struct sched_pool *credit_pool(uint64_t cpus)
{
    return make_pool(POOL, "credit", cpus);
}

static void set_domain(struct domain *d, uint16_t weight, uint16_t cap)
{
    struct xen_domctl_scheduler_op op = { .cmd = XEN_DOMCTL_SCHEDOP_putinfo };

    op.u.credit.weight = weight;
    op.u.credit.cap = cap;
    assert_int_equal(adjust(d, &op), 0);
    assert_int_equal(op.sched_id, XEN_SCHEDULER_CREDIT);
}

static struct vcpu *started_vcpu(struct domain *d, uint64_t affinity)
{
    struct vcpu *v = add_dom_vcpu(d, affinity);

    vcpu_wake(v);
    return v;
}

/* Block v, running on cpu, as a guest's WFI would. */
static void block_on(unsigned int cpu, const struct vcpu *v)
{
    unsigned int me = arch_cpu_id();

    fake_set_cpu(cpu);
    assert_ptr_equal(current_vcpu(), v);
    vcpu_block_current();
    do_softirq();
    fake_set_cpu(me);
}

/* Weights 256 and 512, two CPU-bound vCPUs on one CPU: 1:2 over 3 s,
 * within 5% (the split is counted in 30 ms slices). */
static void test_weights_one_to_two(void **state)
{
    struct domain *d1;
    struct domain *d2;
    struct vcpu *a;
    struct vcpu *b;
    uint64_t ra;
    uint64_t rb;

    (void)state;
    (void)credit_pool(CPU1);
    d1 = new_domain(POOL);
    d2 = new_domain(POOL);
    a = started_vcpu(d1, CPU1);
    b = add_dom_vcpu(d2, CPU1);
    set_domain(d2, 512U, 0U);
    vcpu_wake(b);
    run_cpus(CPU1, MILLISECS(300));
    ra = run_time(a);
    rb = run_time(b);
    run_cpus(CPU1, SECONDS(3));
    ra = run_time(a) - ra;
    rb = run_time(b) - rb;
    assert_true(ra + rb >= (uint64_t)SECONDS(3) - MICROSECS(200));
    assert_true(rb * 100U > ra * 190U);
    assert_true(rb * 100U < ra * 210U);
}

/* Two equal vCPUs take turns of 30 ms: about 100 switches in 3 s. */
static void test_slices_of_30ms(void **state)
{
    struct domain *d;
    struct vcpu *a;
    struct vcpu *b;
    uint64_t before;
    uint64_t ra;

    (void)state;
    (void)credit_pool(CPU1);
    d = new_domain(POOL);
    a = started_vcpu(d, CPU1);
    b = started_vcpu(d, CPU1);
    run_cpus(CPU1, MILLISECS(100));
    before = sched_pcpu(1U)->switches;
    ra = run_time(a);
    run_cpus(CPU1, SECONDS(3));
    assert_in_range(sched_pcpu(1U)->switches - before, 99U, 101U);
    assert_in_range(run_time(a) - ra, MILLISECS(1470), MILLISECS(1530));
    (void)b;
}

/* A vCPU that wakes with credit is boosted and preempts a CPU-bound one
 * at once. */
static void test_wake_boosts_and_preempts(void **state)
{
    struct domain *d;
    struct vcpu *hog;
    struct vcpu *io;

    (void)state;
    (void)credit_pool(CPU1);
    d = new_domain(POOL);
    hog = started_vcpu(d, CPU1);
    run_cpus(CPU1, MILLISECS(100));
    assert_ptr_equal(running_on(1U), hog);
    io = started_vcpu(d, CPU1);
    assert_true(softirq_pending(1U));
    run_softirqs(1U);
    assert_ptr_equal(running_on(1U), io);
    for (unsigned int i = 0U; i < 10U; i++) {
        run_cpus(CPU1, MICROSECS(200));
        block_on(1U, io);
        assert_ptr_equal(running_on(1U), hog);
        run_cpus(CPU1, MILLISECS(5));
        vcpu_wake(io);
        run_softirqs(1U);
        assert_ptr_equal(running_on(1U), io);
    }
    fake_set_cpu(0U);
}

/* sched_ratelimit_us (1 ms): the hog, just back on its CPU, is not
 * preempted by the waking vCPU before it has run 1 ms. */
static void test_ratelimit_holds_preemption(void **state)
{
    struct domain *d;
    struct vcpu *hog;
    struct vcpu *io;
    s_time_t woke;

    (void)state;
    (void)credit_pool(CPU1);
    d = new_domain(POOL);
    hog = started_vcpu(d, CPU1);
    run_cpus(CPU1, MILLISECS(100));
    io = started_vcpu(d, CPU1);
    run_cpus(CPU1, MILLISECS(2));
    assert_ptr_equal(running_on(1U), io);
    block_on(1U, io);
    assert_ptr_equal(running_on(1U), hog);
    run_cpus(CPU1, MICROSECS(300));
    woke = NOW();
    vcpu_wake(io);
    run_softirqs(1U);
    assert_ptr_equal(running_on(1U), hog);
    while (running_on(1U) == hog) {
        run_cpus(CPU1, MICROSECS(100));
        assert_true(NOW() - woke <= MICROSECS(800));
    }
    assert_ptr_equal(running_on(1U), io);
    assert_true(NOW() - woke >= MICROSECS(700));
    fake_set_cpu(0U);
}

/* Cap 25: a CPU-bound vCPU alone on its CPU gets a quarter of it. */
static void test_cap_25(void **state)
{
    struct domain *d;
    struct vcpu *v;
    uint64_t before;

    (void)state;
    (void)credit_pool(CPU1);
    d = new_domain(POOL);
    v = add_dom_vcpu(d, CPU1);
    set_domain(d, 0U, 25U);
    vcpu_wake(v);
    run_cpus(CPU1, MILLISECS(300));
    before = run_time(v);
    run_cpus(CPU1, SECONDS(3));
    assert_in_range(share_permille(v, before, SECONDS(3)), 230U, 270U);
}

/* A vCPU queued behind a running one on CPU 1 is taken by idle CPU 2; the
 * core's count of vCPUs per CPU follows it. */
static void test_idle_cpu_steals(void **state)
{
    struct domain *d;
    struct vcpu *a;
    struct vcpu *b;
    uint64_t ra;
    uint64_t rb;

    (void)state;
    (void)credit_pool(CPU1 | CPU2);
    d = new_domain(POOL);
    /* Both placed on CPU 1, then allowed on CPU 2 as well (no move is
     * needed for that: CPU 1 is still allowed). */
    a = add_dom_vcpu(d, CPU1);
    b = add_dom_vcpu(d, CPU1);
    assert_int_equal(b->processor, 1);
    a->hard_affinity = CPU1 | CPU2;
    b->hard_affinity = CPU1 | CPU2;
    vcpu_wake(a);
    run_cpus(CPU1 | CPU2, MILLISECS(5));
    assert_ptr_equal(running_on(1U), a);
    assert_null(running_on(2U));
    vcpu_wake(b);
    assert_true(softirq_pending(2U));
    run_cpus(CPU1 | CPU2, MILLISECS(5));
    assert_ptr_equal(running_on(2U), b);
    assert_int_equal(b->processor, 2);
    assert_int_equal(sched_cpu_load(1U), 1);
    assert_int_equal(sched_cpu_load(2U), 1);
    ra = run_time(a);
    rb = run_time(b);
    run_cpus(CPU1 | CPU2, SECONDS(1));
    assert_true(run_time(a) - ra > (uint64_t)MILLISECS(990));
    assert_true(run_time(b) - rb > (uint64_t)MILLISECS(990));
}

/* Hard affinity bounds stealing: vCPUs pinned to CPU 1 share it, CPU 2
 * stays idle. */
static void test_no_steal_against_affinity(void **state)
{
    struct domain *d;
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    (void)credit_pool(CPU1 | CPU2);
    d = new_domain(POOL);
    a = started_vcpu(d, CPU1);
    b = started_vcpu(d, CPU1);
    run_cpus(CPU1 | CPU2, MILLISECS(300));
    assert_null(running_on(2U));
    assert_int_equal(a->processor, 1);
    assert_int_equal(b->processor, 1);
}

/* A CPU leaves the credit pool with vCPUs on it: the core sends them to
 * the other CPU (-EAGAIN until the running one has gone), and the pool
 * goes on there, accounting included (its timer was on the CPU that
 * left). */
static void test_cpu_leaves_the_pool(void **state)
{
    struct sched_pool *p;
    struct domain *d;
    struct vcpu *a;
    struct vcpu *b;
    uint64_t ra;
    uint64_t rb;
    unsigned int tries = 0U;

    (void)state;
    p = credit_pool(CPU1 | CPU2);
    d = new_domain(POOL);
    a = started_vcpu(d, CPU1 | CPU2);
    b = started_vcpu(d, CPU1 | CPU2);
    run_cpus(CPU1 | CPU2, MILLISECS(50));
    assert_non_null(running_on(1U));
    assert_non_null(running_on(2U));
    while (sched_pool_remove_cpu(p, 1U) == -EAGAIN) {
        run_cpus(CPU1 | CPU2, MICROSECS(100));
        assert_true(++tries < 10U);
    }
    assert_null(sched_pcpu(1U)->pool);
    assert_int_equal(a->processor, 2);
    assert_int_equal(b->processor, 2);
    assert_int_equal(sched_cpu_load(1U), 0);
    assert_int_equal(sched_cpu_load(2U), 2);
    /* CPU 1 has no pool any more: run the kick its killed timers left. */
    run_softirqs(1U);
    ra = run_time(a);
    rb = run_time(b);
    run_cpus(CPU2, SECONDS(1));
    assert_in_range(run_time(a) - ra, MILLISECS(450), MILLISECS(550));
    assert_in_range(run_time(b) - rb, MILLISECS(450), MILLISECS(550));
    fake_set_cpu(0U);
}

/* The toolstack's parameters, as domctl and sysctl scheduler_op reach
 * them through the pool. */
static void test_parameters_through_the_pool(void **state)
{
    struct sched_pool *p;
    struct domain *d;
    struct xen_domctl_scheduler_op op = { .cmd = XEN_DOMCTL_SCHEDOP_getinfo };
    struct xen_sysctl_scheduler_op sop = { .cmd = XEN_SYSCTL_SCHEDOP_getinfo };

    (void)state;
    p = credit_pool(CPU1);
    d = new_domain(POOL);
    (void)add_dom_vcpu(d, CPU1);
    assert_int_equal(adjust(d, &op), 0);
    assert_int_equal(op.u.credit.weight, 256);
    assert_int_equal(op.u.credit.cap, 0);
    set_domain(d, 100U, 150U);
    op = (struct xen_domctl_scheduler_op){ .cmd = XEN_DOMCTL_SCHEDOP_getinfo };
    assert_int_equal(adjust(d, &op), 0);
    assert_int_equal(op.u.credit.weight, 100);
    assert_int_equal(op.u.credit.cap, 150);
    op = (struct xen_domctl_scheduler_op){ .cmd = XEN_DOMCTL_SCHEDOP_putvcpuinfo };
    assert_int_equal(adjust(d, &op), -EINVAL);

    sop.cpupool_id = POOL;
    sop.sched_id = XEN_SCHEDULER_CREDIT;
    assert_int_equal(p->ops->adjust_global(p, &sop), 0);
    assert_int_equal(sop.u.sched_credit.tslice_ms, 30);
    assert_int_equal(sop.u.sched_credit.ratelimit_us, 1000);
    assert_int_equal(sop.u.sched_credit.vcpu_migr_delay_us, 0);
    sop.cmd = XEN_SYSCTL_SCHEDOP_putinfo;
    sop.u.sched_credit.tslice_ms = 5U;
    sop.u.sched_credit.ratelimit_us = 6000U;
    assert_int_equal(p->ops->adjust_global(p, &sop), -EINVAL);
    sop.u.sched_credit.ratelimit_us = 500U;
    assert_int_equal(p->ops->adjust_global(p, &sop), 0);
    assert_int_equal(sop.u.sched_credit.tslice_ms, 5);
}

/* putinfo of the pool's parameters: every value Xen 4.17 refuses is
 * -EINVAL and changes nothing; the edges of each range, and a rate limit
 * of 0 (off), are taken. */
static void test_global_parameters_refused(void **state)
{
    static const struct {
        uint32_t tslice_ms, ratelimit_us, migr_us;
        long rc;
    } cases[] = {
        { 0U, 0U, 0U, -EINVAL },            /* slice below 1 ms */
        { 1001U, 1000U, 0U, -EINVAL },      /* above 1000 ms */
        { 30U, 99U, 0U, -EINVAL },          /* rate limit below 100 us */
        { 1000U, 500001U, 0U, -EINVAL },    /* above 500 ms */
        { 2U, 2001U, 0U, -EINVAL },         /* longer than the slice */
        { 30U, 1000U, 100001U, -EINVAL },   /* migration delay above 100 ms */
        { 1U, 1000U, 0U, 0 },               /* the smallest slice, rate limit equal */
        { 1000U, 500000U, 100000U, 0 },     /* every maximum */
        { 30U, 100U, 0U, 0 },               /* the smallest rate limit */
        { 30U, 0U, 0U, 0 },                 /* rate limit off */
    };
    struct sched_pool *p;
    struct xen_sysctl_scheduler_op sop = { .cmd = XEN_SYSCTL_SCHEDOP_getinfo };
    struct xen_sysctl_credit_schedule before;

    (void)state;
    p = credit_pool(CPU1);
    sop.cpupool_id = POOL;
    sop.sched_id = XEN_SCHEDULER_CREDIT;
    for (size_t i = 0U; i < (sizeof(cases) / sizeof(cases[0])); i++) {
        sop.cmd = XEN_SYSCTL_SCHEDOP_getinfo;
        assert_int_equal(p->ops->adjust_global(p, &sop), 0);
        before = sop.u.sched_credit;
        sop.cmd = XEN_SYSCTL_SCHEDOP_putinfo;
        sop.u.sched_credit.tslice_ms = cases[i].tslice_ms;
        sop.u.sched_credit.ratelimit_us = cases[i].ratelimit_us;
        sop.u.sched_credit.vcpu_migr_delay_us = cases[i].migr_us;
        assert_int_equal(p->ops->adjust_global(p, &sop), cases[i].rc);
        sop.cmd = XEN_SYSCTL_SCHEDOP_getinfo;
        assert_int_equal(p->ops->adjust_global(p, &sop), 0);
        if (cases[i].rc != 0) {
            assert_int_equal(sop.u.sched_credit.tslice_ms, before.tslice_ms);
            assert_int_equal(sop.u.sched_credit.ratelimit_us, before.ratelimit_us);
            assert_int_equal(sop.u.sched_credit.vcpu_migr_delay_us, before.vcpu_migr_delay_us);
        } else {
            assert_int_equal(sop.u.sched_credit.tslice_ms, cases[i].tslice_ms);
            assert_int_equal(sop.u.sched_credit.ratelimit_us, cases[i].ratelimit_us);
            assert_int_equal(sop.u.sched_credit.vcpu_migr_delay_us, cases[i].migr_us);
        }
    }
    /* A command that is neither getinfo nor putinfo. */
    sop.cmd = 7U;
    assert_int_equal(p->ops->adjust_global(p, &sop), -EINVAL);
}

/* Empty and destroy the credit pool before sched_env.h's teardown: its
 * CPUs' timers, killed from CPU 0, leave each CPU a timer softirq to
 * reprogram its hardware, which is run here (the teardown wants none
 * pending). */
static int credit_teardown(void **state)
{
    struct sched_pool *p = sched_pool_by_id(POOL);

    for (unsigned int i = 0U; i < nr_vcpus; i++) {
        if (vcpus[i].sched_priv != NULL) {
            vcpu_stop(&vcpus[i]);
        }
    }
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        run_softirqs(cpu);
        schedule();
        do_softirq();
    }
    for (unsigned int i = 0U; i < nr_vcpus; i++) {
        sched_remove_vcpu(&vcpus[i]);
    }
    for (unsigned int i = 0U; i < nr_doms; i++) {
        sched_remove_domain(&doms[i]);
    }
    for (unsigned int cpu = 0U; (p != NULL) && (cpu < NR_CPUS); cpu++) {
        if (((p->cpus >> cpu) & 1U) != 0U) {
            assert_int_equal(sched_pool_remove_cpu(p, cpu), 0);
        }
    }
    if (p != NULL) {
        assert_int_equal(sched_pool_destroy(p), 0);
    }
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        run_softirqs(cpu);
    }
    fake_set_cpu(0U);
    return teardown(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_weights_one_to_two, setup, credit_teardown),
        cmocka_unit_test_setup_teardown(test_slices_of_30ms, setup, credit_teardown),
        cmocka_unit_test_setup_teardown(test_wake_boosts_and_preempts, setup, credit_teardown),
        cmocka_unit_test_setup_teardown(test_ratelimit_holds_preemption, setup, credit_teardown),
        cmocka_unit_test_setup_teardown(test_cap_25, setup, credit_teardown),
        cmocka_unit_test_setup_teardown(test_idle_cpu_steals, setup, credit_teardown),
        cmocka_unit_test_setup_teardown(test_no_steal_against_affinity, setup, credit_teardown),
        cmocka_unit_test_setup_teardown(test_cpu_leaves_the_pool, setup, credit_teardown),
        cmocka_unit_test_setup_teardown(test_parameters_through_the_pool, setup, credit_teardown),
        cmocka_unit_test_setup_teardown(test_global_parameters_refused, setup, credit_teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
