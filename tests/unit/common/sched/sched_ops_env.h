/* Test helper for the schedulers (sched_ops.h), on top of sched_env.h:
 * the real core, every scheduler of the registry (sched_world.mk), CPUs
 * 0-3 online, a fake clock. A test puts CPUs in pools of the scheduler it
 * tests (make_pool), makes domains in them (new_domain) with vCPUs
 * (add_dom_vcpu), wakes them, and lets time pass on the CPUs it names
 * (run_cpus): each step moves the clock, fires the timers due on each
 * CPU and runs its softirqs, as the timer interrupt would. What each vCPU
 * then got is its run time (run_time). Between steps a test's hook may
 * block, wake or yield vCPUs to script a guest. The includer has included
 * <cmocka.h>; teardown (sched_env.h) frees every pool. */
#ifndef TEST_SCHED_OPS_ENV_H
#define TEST_SCHED_OPS_ENV_H

#include "sched_env.h"

/* Pool id with scheduler name on cpus: those CPUs leave the pool they are
 * in (Pool-0 after setup); Pool-0 itself may be made again with another
 * scheduler (its CPUs, and any vCPU, must have left it first). */
static inline struct sched_pool *make_pool(unsigned int id, const char *name, uint64_t cpus)
{
    const struct sched_ops *ops = sched_ops_by_name(name);
    struct sched_pool *p;

    assert_non_null(ops);
    for (unsigned int pid = 0U; pid < MAX_CPUPOOLS; pid++) {
        struct sched_pool *q = sched_pool_by_id(pid);

        for (unsigned int cpu = 0U; (q != NULL) && (cpu < NR_CPUS); cpu++) {
            if ((((q->cpus & cpus) >> cpu) & 1U) != 0U) {
                assert_int_equal(sched_pool_remove_cpu(q, cpu), 0);
            }
        }
    }
    p = sched_pool_by_id(id);
    if (p != NULL) {
        assert_int_equal(p->cpus, 0U);
        assert_int_equal(sched_pool_destroy(p), 0);
    }
    p = sched_pool_create(ops, id);
    assert_non_null(p);
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if (((cpus >> cpu) & 1U) != 0U) {
            assert_int_equal(sched_pool_add_cpu(p, cpu), 0);
        }
    }
    return p;
}

/* A domain (ids from 2) in pool id; its scheduler data comes with its
 * first vCPU; d->vcpu lists what add_dom_vcpu gives it. */
static struct vcpu *dom_vcpus[MAX_TEST_DOMS][MAX_TEST_VCPUS];

static inline struct domain *new_domain(unsigned int pool_id)
{
    struct domain *d;

    assert_true(nr_doms < MAX_TEST_DOMS);
    d = &doms[nr_doms];
    memset(d, 0, sizeof(*d));
    d->domain_id = (domid_t)(2U + nr_doms);
    d->state = DOMAIN_RUNNING;
    d->cpupool_id = pool_id;
    d->vcpu = dom_vcpus[nr_doms];
    d->max_vcpus = 0U;
    nr_doms++;
    return d;
}

/* A vCPU of d, handed to the scheduler (OFFLINE until woken). */
static inline struct vcpu *add_dom_vcpu(struct domain *d, uint64_t affinity)
{
    struct vcpu *v = new_vcpu(affinity);

    v->domain = d;
    if (d != &dom) {
        assert_true(d->max_vcpus < MAX_TEST_VCPUS);
        d->vcpu[d->max_vcpus] = v;
        d->max_vcpus++;
    }
    if (d->sched_pool == NULL) {
        assert_int_equal(sched_add_domain(d), 0);
    }
    assert_int_equal(sched_add_vcpu(v), 0);
    assert_non_null(v->sched_priv);
    return v;
}

/* Called before each step of run_cpus (NULL: none), with the time the
 * run started: a test's script of what its guests do. */
typedef void (*sched_step_hook)(s_time_t started);

/* Let duration pass on the CPUs in cpus, in steps of step ns: every step
 * the clock moves on, then each CPU takes its due timers and runs its
 * softirqs (the timer interrupt's work), the scheduler's choices with
 * them. A vCPU that runs is CPU-bound until a hook blocks it. */
static inline void run_cpus_with(uint64_t cpus, s_time_t duration, s_time_t step,
                                 sched_step_hook hook)
{
    s_time_t start = NOW();
    unsigned int me = arch_cpu_id();

    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if (((cpus >> cpu) & 1U) != 0U) {
            run_softirqs(cpu);
        }
    }
    while (NOW() < (start + duration)) {
        if (hook != NULL) {
            hook(start);
        }
        fake_advance(step);
        for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
            if (((cpus >> cpu) & 1U) != 0U) {
                fake_set_cpu(cpu);
                timer_interrupt();
                do_softirq();
            }
        }
    }
    fake_set_cpu(me);
}

static inline void run_cpus(uint64_t cpus, s_time_t duration)
{
    run_cpus_with(cpus, duration, MICROSECS(100), NULL);
}

/* v's run time as a per-mille share of elapsed (since a run_time reading
 * taken at the start: before). */
static inline unsigned int share_permille(const struct vcpu *v, uint64_t before, s_time_t elapsed)
{
    return (unsigned int)(((run_time(v) - before) * 1000U) / (uint64_t)elapsed);
}

/* The pool's scheduler's adjust, as domctl scheduler_op calls it. */
static inline long adjust(struct domain *d, struct xen_domctl_scheduler_op *op)
{
    struct sched_pool *p = sched_pool_by_id(d->cpupool_id);

    assert_non_null(p);
    op->sched_id = p->ops->sched_id;
    return (p->ops->adjust != NULL) ? p->ops->adjust(p, d, op) : 0;
}

#endif
