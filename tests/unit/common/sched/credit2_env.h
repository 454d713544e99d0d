/* Test helper for the test_credit2* tests: Pool-0 on credit2 over the real
 * scheduling core, its CPUs driven by hand with the fake clock.
 *
 * c2_setup(n, options) brings CPUs 0..n-1 online, applies the command
 * line options (credit2_runqueue=..., sched_ratelimit_us=...) and makes
 * Pool-0. Domains and vCPUs are built by hand here. c2_run(ns) moves the
 * clock in steps of C2_STEP and on every CPU runs what the timer interrupt
 * would (expired slice timers, then the softirqs), so slices end within a
 * step of when the scheduler asked. Each vCPU is a CPU hog unless the test
 * blocks it (c2_block). The includer has included <cmocka.h>. */
#ifndef TEST_CREDIT2_ENV_H
#define TEST_CREDIT2_ENV_H

#include <string.h>
#include <proxenos/cmdline.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/sched.h>
#include <proxenos/sched_ops.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
#include <fake_arch.h>
#include <fake_domain.h>
#include "fake_domains.h"
#include "heap_env.h"

#define C2_RAM0 0x40000000ULL
#define C2_STEP MICROSECS(10)
#define C2_MAX_DOMS 4U
#define C2_MAX_VCPUS 16U
#define C2_ALL_CPUS (~0ULL)

struct c2_env {
    unsigned int nr_cpus;
    unsigned int nr_doms;
    struct domain doms[C2_MAX_DOMS];
    struct vcpu *dom_vcpus[C2_MAX_DOMS][C2_MAX_VCPUS];
    struct vcpu vcpus[C2_MAX_VCPUS];
    unsigned int nr_vcpus;
    /* Switches seen (c2_run): when each vCPU last started running. */
    struct vcpu *last_on[NR_CPUS];
};

static struct c2_env env;

/* The clock never goes back between tests: timers and load averages of
 * one test mean nothing to the next, but a clock going back would. */
static s_time_t c2_clock = SECONDS(10);

static inline struct sched_pool *c2_pool0(void)
{
    return sched_pool_by_id(0U);
}

/* Ignore what the parser cannot know in a unit test (no other option
 * matters here). */
static inline void c2_report(const char *key, const char *value, int rc)
{
    (void)key;
    (void)value;
    (void)rc;
}

static inline void c2_setup(unsigned int nr_cpus, const char *options)
{
    fake_reset();
    heap_env_init(C2_RAM0, 16U << 20);
    fake_domains_reset();
    fake_console_quiet(true);
    memset(&env, 0, sizeof(env));
    env.nr_cpus = nr_cpus;
    c2_clock += SECONDS(10);
    fake_set_now(c2_clock);
    for (unsigned int cpu = 0U; cpu < nr_cpus; cpu++) {
        cpu_set_online(cpu);
    }
    timer_subsys_init();
    /* Defaults first: the options of an earlier test must not linger. */
    (void)cmdline_parse_params("credit2_runqueue=socket sched_ratelimit_us=1000", __param_start,
                               __param_end, c2_report);
    if (options != NULL) {
        assert_int_equal(cmdline_parse_params(options, __param_start, __param_end, c2_report), 0);
    }
    sched_init();
    assert_non_null(c2_pool0());
    assert_string_equal(c2_pool0()->ops->name, "credit2");
}

static inline struct domain *c2_domain(void)
{
    struct domain *d;

    assert_true(env.nr_doms < C2_MAX_DOMS);
    d = &env.doms[env.nr_doms];
    d->domain_id = (domid_t)(env.nr_doms + 1U);
    d->state = DOMAIN_RUNNING;
    d->vcpu = env.dom_vcpus[env.nr_doms];
    d->cpupool_id = 0U;
    env.nr_doms++;
    fake_domain_list(d);
    assert_int_equal(sched_add_domain(d), 0);
    return d;
}

/* A vCPU of d allowed on affinity, made runnable. */
static inline struct vcpu *c2_vcpu_on(struct domain *d, uint64_t affinity)
{
    struct vcpu *v;

    assert_true(env.nr_vcpus < C2_MAX_VCPUS);
    v = &env.vcpus[env.nr_vcpus++];
    v->vcpu_id = d->max_vcpus;
    v->domain = d;
    v->state = VCPU_OFFLINE;
    v->hard_affinity = affinity;
    v->soft_affinity = C2_ALL_CPUS;
    d->vcpu[d->max_vcpus++] = v;
    assert_int_equal(sched_add_vcpu(v), 0);
    vcpu_wake(v);
    return v;
}

static inline struct vcpu *c2_vcpu(struct domain *d)
{
    return c2_vcpu_on(d, C2_ALL_CPUS);
}

/* Softirqs on every CPU, the clock standing still, until none is left. */
static inline void c2_settle(void)
{
    for (unsigned int round = 0U; round < 8U; round++) {
        bool any = false;

        for (unsigned int cpu = 0U; cpu < env.nr_cpus; cpu++) {
            fake_set_cpu(cpu);
            if (softirq_pending(cpu)) {
                any = true;
                do_softirq();
            }
        }
        if (!any) {
            break;
        }
    }
    fake_set_cpu(0U);
}

static inline struct vcpu *c2_running_on(unsigned int cpu)
{
    return sched_pcpu(cpu)->curr;
}

/* Called by c2_run at each step, on each CPU, after its timers fired: a
 * test's own doings (block, wake). NULL: none. */
typedef void (*c2_step_fn)(unsigned int cpu);

static inline void c2_run_with(s_time_t ns, c2_step_fn fn)
{
    s_time_t end = NOW() + ns;

    c2_settle();
    while (NOW() < end) {
        fake_advance(C2_STEP);
        for (unsigned int cpu = 0U; cpu < env.nr_cpus; cpu++) {
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

/* Run time so far, including the stretch in progress. */
static inline uint64_t c2_run_time(const struct vcpu *v)
{
    uint64_t t = v->runstate_time[VCPU_RUNNING];

    if ((v->state == VCPU_RUNNING) && (NOW() > v->state_entry_time)) {
        t += (uint64_t)(NOW() - v->state_entry_time);
    }
    return t;
}

/* v, running on cpu, waits for an event (WFI). */
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
    struct sched_pool *p = d->sched_pool;

    memset(&op, 0, sizeof(op));
    op.sched_id = XEN_SCHEDULER_CREDIT2;
    op.cmd = cmd;
    op.u.credit2.weight = weight;
    op.u.credit2.cap = cap;
    long rc = p->ops->adjust(p, d, &op);
    if (out != NULL) {
        *out = op;
    }
    return rc;
}

static inline long c2_ratelimit(uint32_t cmd, uint32_t *us)
{
    struct xen_sysctl_scheduler_op op;
    struct sched_pool *p = c2_pool0();
    long rc;

    memset(&op, 0, sizeof(op));
    op.cpupool_id = 0U;
    op.sched_id = XEN_SCHEDULER_CREDIT2;
    op.cmd = cmd;
    op.u.sched_credit2.ratelimit_us = *us;
    rc = p->ops->adjust_global(p, &op);
    *us = op.u.sched_credit2.ratelimit_us;
    return rc;
}

/* Every vCPU stopped and removed, every domain out of the pool, the
 * pool emptied and gone: the next test's heap starts afresh, and the pool
 * must not outlive the memory it was made in. */
static inline void c2_teardown(void)
{
    struct sched_pool *p = c2_pool0();

    for (unsigned int i = 0U; i < env.nr_vcpus; i++) {
        vcpu_stop(&env.vcpus[i]);
    }
    c2_settle();
    for (unsigned int i = 0U; i < env.nr_vcpus; i++) {
        sched_remove_vcpu(&env.vcpus[i]);
    }
    for (unsigned int i = 0U; i < env.nr_doms; i++) {
        sched_remove_domain(&env.doms[i]);
        fake_domain_unlist(&env.doms[i]);
    }
    for (unsigned int cpu = 0U; cpu < env.nr_cpus; cpu++) {
        assert_int_equal(sched_pool_remove_cpu(p, cpu), 0);
    }
    assert_int_equal(sched_pool_destroy(p), 0);
    assert_int_equal(heap_env_objs_live(), 0);
    fake_set_cpu(0U);
}

#endif
