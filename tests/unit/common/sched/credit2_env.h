/* Test helper for the test_credit2* tests, on top of sched_ops_env.h (the
 * real core, CPUs 0-3 online, the fake clock; setup and teardown are
 * sched_env.h's).
 *
 * c2_pool(cpus, options) applies credit2's command-line options and makes
 * Pool-0 on credit2 with those CPUs. c2_domain() makes a domain in it,
 * c2_vcpu() a runnable vCPU of it. c2_run(ns) moves the clock in steps of
 * C2_STEP and on every CPU of the pool fires the due timers and runs the
 * softirqs, as the timer interrupt would; a step hook may script guests
 * (block, wake, yield). Each vCPU is a CPU hog unless a test blocks it.
 * The includer has included <cmocka.h>. */
#ifndef TEST_CREDIT2_ENV_H
#define TEST_CREDIT2_ENV_H

#include <proxenos/cmdline.h>
#include <proxenos/errno.h>
#include "sched_ops_env.h"

#define C2_STEP MICROSECS(10)

static struct vcpu *c2_dom_vcpus[MAX_TEST_DOMS][MAX_TEST_VCPUS];
static uint64_t c2_cpus;

/* Options the parser cannot place are the test's mistake: reported by the
 * return value, not printed. */
static inline void c2_report(const char *key, const char *value, int rc)
{
    (void)key;
    (void)value;
    (void)rc;
}

static inline int c2_options(const char *options)
{
    return cmdline_parse_params(options, __param_start, __param_end, c2_report);
}

/* Pool-0 on credit2 with cpus, after the defaults and then options (NULL:
 * none) are applied: each test starts from Xen's defaults. */
static inline struct sched_pool *c2_pool(uint64_t cpus, const char *options)
{
    assert_int_equal(c2_options("credit2_runqueue=socket sched_ratelimit_us=1000 "
                                "sched_credit2_max_cpus_runqueue=16"), 0);
    if (options != NULL) {
        assert_int_equal(c2_options(options), 0);
    }
    c2_cpus = cpus;
    /* Pool-0 is made again from nothing: its other CPUs leave it first
     * (and stay in no pool). */
    for (unsigned int cpu = 0U; cpu < NR_ONLINE; cpu++) {
        struct sched_pool *p0 = sched_pool_by_id(0U);

        if ((p0 != NULL) && ((((p0->cpus & ~cpus) >> cpu) & 1U) != 0U)) {
            assert_int_equal(sched_pool_remove_cpu(p0, cpu), 0);
        }
    }
    return make_pool(0U, "credit2", cpus);
}

static inline struct domain *c2_domain(void)
{
    struct domain *d = new_domain(0U);

    d->vcpu = c2_dom_vcpus[nr_doms - 1U];
    memset(d->vcpu, 0, sizeof(c2_dom_vcpus[0]));
    assert_int_equal(sched_add_domain(d), 0);
    return d;
}

/* Softirqs on every CPU of the pool, the clock standing still, until
 * none is left. */
static inline void c2_settle(void)
{
    for (unsigned int round = 0U; round < 8U; round++) {
        bool any = false;

        for (unsigned int cpu = 0U; cpu < NR_ONLINE; cpu++) {
            if ((((c2_cpus >> cpu) & 1U) != 0U) && softirq_pending(cpu)) {
                any = true;
                run_softirqs(cpu);
            }
        }
        if (!any) {
            break;
        }
    }
    fake_set_cpu(0U);
}

/* A vCPU of d allowed on affinity, made runnable. */
static inline struct vcpu *c2_vcpu_on(struct domain *d, uint64_t affinity)
{
    unsigned int slot = 0U;
    struct vcpu *v;

    while (d->vcpu[slot] != NULL) {
        slot++;
    }
    v = add_dom_vcpu(d, affinity);
    v->soft_affinity = ALL_CPUS;
    d->vcpu[slot] = v;
    vcpu_wake(v);
    return v;
}

static inline struct vcpu *c2_vcpu(struct domain *d)
{
    return c2_vcpu_on(d, ALL_CPUS);
}

static inline struct vcpu *c2_running_on(unsigned int cpu)
{
    return sched_pcpu(cpu)->curr;
}

/* Called by c2_run at each step on each CPU of the pool, after its timers
 * fired: a test's own doings (block, wake). */
typedef void (*c2_step_fn)(unsigned int cpu);

static inline void c2_run_with(s_time_t ns, c2_step_fn fn)
{
    s_time_t end = NOW() + ns;

    c2_settle();
    while (NOW() < end) {
        fake_advance(C2_STEP);
        for (unsigned int cpu = 0U; cpu < NR_ONLINE; cpu++) {
            if (((c2_cpus >> cpu) & 1U) == 0U) {
                continue;
            }
            fake_set_cpu(cpu);
            timer_interrupt();
            do_softirq();
            if (fn != NULL) {
                fn(cpu);
            }
        }
        c2_settle();
    }
}

static inline void c2_run(s_time_t ns)
{
    c2_run_with(ns, NULL);
}

/* The running vCPU of cpu waits for an event (WFI). */
static inline void c2_block(unsigned int cpu)
{
    fake_set_cpu(cpu);
    vcpu_block_current();
    do_softirq();
}

static inline void c2_yield(unsigned int cpu)
{
    fake_set_cpu(cpu);
    vcpu_yield_current();
    do_softirq();
}

static inline long c2_adjust(struct domain *d, uint32_t cmd, uint16_t weight, uint16_t cap,
                             struct xen_domctl_scheduler_op *out)
{
    struct xen_domctl_scheduler_op op;
    long rc;

    memset(&op, 0, sizeof(op));
    op.cmd = cmd;
    op.u.credit2.weight = weight;
    op.u.credit2.cap = cap;
    rc = adjust(d, &op);
    if (out != NULL) {
        *out = op;
    }
    return rc;
}

/* Lift d's cap: its refill timer stops, and the softirq that reprograms
 * the timer queue runs before sched_env.h's teardown checks that none
 * is pending (removing the domain there would leave it pending). */
static inline void c2_uncap(struct domain *d)
{
    assert_int_equal(c2_adjust(d, XEN_DOMCTL_SCHEDOP_putinfo, 0U, 0U, NULL), 0);
    c2_settle();
    for (unsigned int cpu = 0U; cpu < NR_ONLINE; cpu++) {
        run_softirqs(cpu);
    }
    fake_set_cpu(0U);
}

/* sysctl scheduler_op on Pool-0: the rate limit. */
static inline long c2_ratelimit(uint32_t cmd, uint32_t *us)
{
    struct xen_sysctl_scheduler_op op;
    struct sched_pool *p = sched_pool_by_id(0U);
    long rc;

    memset(&op, 0, sizeof(op));
    op.sched_id = XEN_SCHEDULER_CREDIT2;
    op.cmd = cmd;
    op.u.sched_credit2.ratelimit_us = *us;
    rc = p->ops->adjust_global(p, &op);
    *us = op.u.sched_credit2.ratelimit_us;
    return rc;
}

#endif
