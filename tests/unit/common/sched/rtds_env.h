/* Test helper for the RTDS tests, on top of sched_ops_env.h (the real
 * core, a fake clock): RTDS pools, vCPUs of domains in them, and the
 * toolstack's domctl scheduler_op with its arrays in the memory of a
 * control domain whose vCPU issues the call from CPU 3. Periods and
 * budgets in the tests are multiples of the step of run_cpus (100 us), so
 * every replenishment and every end of budget falls on a step and the
 * figures are exact. The includer has included <cmocka.h>. */
#ifndef TEST_RTDS_ENV_H
#define TEST_RTDS_ENV_H

#include <proxenos/current.h>
#include <proxenos/guest_access.h>
#include <proxenos/page_alloc.h>
#include "sched_ops_env.h"

#define CTL_CPU 3U              /* left in Pool-0: where the toolstack runs */
#define CTL_GVA 0x80000000ULL

/* ---- Domains and vCPUs ---------------------------------------------------- */

static inline struct domain *rtds_domain(unsigned int pool_id)
{
    return new_domain(pool_id);
}

/* A vCPU of d, numbered within d as Xen numbers them (its index in
 * d->vcpu, which the toolstack's vcpuid names). */
static inline struct vcpu *rtds_vcpu(struct domain *d, uint64_t affinity)
{
    struct vcpu *v = add_dom_vcpu(d, affinity);

    v->vcpu_id = d->max_vcpus - 1U;
    assert_ptr_equal(d->vcpu[v->vcpu_id], v);
    return v;
}

/* ---- Running ------------------------------------------------------------- */

#define STEP MICROSECS(100)

/* Let time pass on every CPU (those of other pools have nothing to do). */
static inline void run_for(s_time_t duration)
{
    run_cpus_with(ALL_CPUS, duration, STEP, NULL);
}

/* Move the clock, with nothing running, to the next multiple of period:
 * the first period of a vCPU woken then is a whole one. */
static inline void align_clock(s_time_t period)
{
    s_time_t rest = NOW() % period;

    if (rest != 0) {
        run_for(period - rest);
    }
}

static inline void wake(struct vcpu *v)
{
    vcpu_wake(v);
    for (unsigned int cpu = 0U; cpu < NR_ONLINE; cpu++) {
        run_softirqs(cpu);
    }
    fake_set_cpu(0U);
}

/* The running v blocks (WFI), as its CPU would see it. */
static inline void block(struct vcpu *v)
{
    unsigned int cpu = v->processor;

    assert_ptr_equal(running_on(cpu), v);
    fake_set_cpu(cpu);
    vcpu_block_current();
    do_softirq();
    fake_set_cpu(0U);
    assert_int_equal(v->state, VCPU_BLOCKED);
}

/* ---- The toolstack --------------------------------------------------------- */

static struct domain ctl_dom = { .domain_id = 0U, .name = "ctl", .state = DOMAIN_RUNNING };
static struct vcpu ctl_vcpu;
static uint8_t *ctl_ram;        /* host view of the page at CTL_GVA */

static inline void ctl_init(void)
{
    mfn_t m = alloc_pages(0U, ALLOC_ZERO);

    assert_false(mfn_eq(m, INVALID_MFN));
    memset(&ctl_vcpu, 0, sizeof(ctl_vcpu));
    ctl_vcpu.domain = &ctl_dom;
    ctl_ram = arch_maddr_to_virt(mfn_to_paddr(m));
    fake_guest_map(&ctl_dom, CTL_GVA, mfn_to_paddr(m), PAGE_SIZE);
}

static inline struct xen_domctl_schedparam_vcpu *ctl_entries(void)
{
    return (struct xen_domctl_schedparam_vcpu *)(void *)ctl_ram;
}

/* op issued by the control domain's vCPU, on CTL_CPU for the while. */
static inline long ctl_adjust(struct domain *d, struct xen_domctl_scheduler_op *op)
{
    unsigned int me = arch_cpu_id();
    long rc;

    assert_null(running_on(CTL_CPU));
    fake_set_cpu(CTL_CPU);
    current_vcpu_set(CTL_CPU, &ctl_vcpu);
    rc = adjust(d, op);
    current_vcpu_set(CTL_CPU, NULL);
    fake_set_cpu(me);
    return rc;
}

/* putvcpuinfo or getvcpuinfo over the first n entries at CTL_GVA. */
static inline long adjust_vcpus(struct domain *d, uint32_t cmd, uint32_t n, uint32_t *done)
{
    struct xen_domctl_scheduler_op op = { .cmd = cmd };
    long rc;

    op.u.v.vcpus = CTL_GVA;
    op.u.v.nr_vcpus = n;
    rc = ctl_adjust(d, &op);
    *done = op.u.v.nr_vcpus;
    return rc;
}

/* v's reservation, as xl sched-rtds -v sets it (microseconds). */
static inline void set_params(struct vcpu *v, uint32_t period_us, uint32_t budget_us, bool extra)
{
    struct xen_domctl_schedparam_vcpu *e = ctl_entries();
    uint32_t done = 0U;

    memset(e, 0, sizeof(*e));
    e->vcpuid = v->vcpu_id;
    e->u.rtds.period = period_us;
    e->u.rtds.budget = budget_us;
    e->u.rtds.flags = extra ? XEN_DOMCTL_SCHEDRT_extra : 0U;
    assert_int_equal(adjust_vcpus(v->domain, XEN_DOMCTL_SCHEDOP_putvcpuinfo, 1U, &done), 0);
    assert_int_equal(done, 1U);
}

/* sched_env.h's setup, and the control domain's page. */
static inline int rtds_setup(void **state)
{
    int rc = setup(state);

    ctl_init();
    return rc;
}

/* Stop every vCPU and let each CPU finish the work it was handed: a pool's
 * CPUs share one replenishment timer, which a CPU other than its own may
 * stop (its own CPU then gets a timer softirq to reprogram), so the CPUs
 * are gone over twice before sched_env.h's teardown checks that nothing
 * is left pending. */
static inline int rtds_teardown(void **state)
{
    for (unsigned int i = 0U; i < nr_vcpus; i++) {
        if (vcpus[i].sched_priv != NULL) {
            vcpu_stop(&vcpus[i]);
        }
    }
    for (unsigned int round = 0U; round < 2U; round++) {
        for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
            run_softirqs(cpu);
        }
    }
    return teardown(state);
}

#endif
