/* Test helper: one RTDS pool on CPUs 0-3 driven by a small stand-in of
 * the scheduling core, with a fake clock, until the real core's
 * sched_ops_env.h is here. The stand-in switches instantly (registers are
 * saved as soon as a CPU switches away), runs each CPU's choice until its
 * run_for ends, a tickle, a block or the replenishment timer, and logs
 * every stretch a vCPU ran. The includer has included <cmocka.h>. */
#ifndef TEST_RTDS_ENV_H
#define TEST_RTDS_ENV_H

#include <string.h>
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/lib.h>
#include <proxenos/page_alloc.h>
#include <proxenos/sched_ops.h>
#include <proxenos/smp.h>
#include <proxenos/timer.h>
#include <fake_arch.h>
#include "heap_env.h"

#define NR_ONLINE 4U
#define ALL_CPUS 0xfULL
#define ON_CPU(c) (1ULL << (c))
#define MAX_TEST_VCPUS 8U
#define MAX_STRETCHES 4096U
#define FOREVER INT64_MAX

extern const struct sched_ops sched_rtds_ops;

/* ---- The stand-in core ---------------------------------------------------- */

static struct sched_pcpu pcpus[NR_CPUS];
static s_time_t slice_end[NR_CPUS];
static bool tickled[NR_CPUS];
static struct timer *armed[4];      /* the timers rtds set (one per pool) */

struct sched_pcpu *sched_pcpu(unsigned int cpu)
{
    return &pcpus[cpu];
}

bool sched_affinity_allows(const struct vcpu *v, unsigned int cpu)
{
    return (v->hard_affinity & (1ULL << cpu)) != 0U;
}

bool sched_may_run(const struct vcpu *v, unsigned int cpu)
{
    return ((v->state == VCPU_RUNNABLE) || (v->state == VCPU_RUNNING)) && !v->pause_flags &&
           (v->domain->pause_count == 0U) && sched_affinity_allows(v, cpu) &&
           ((v->on_cpu == 0U) || (v->processor == cpu));
}

void sched_want_vcpu(struct vcpu *v, unsigned int cpu)
{
    (void)v;
    tickled[cpu] = true;
}

void sched_tickle(unsigned int cpu)
{
    tickled[cpu] = true;
}

uint64_t sched_pool_online_cpus(const struct sched_pool *p)
{
    return p->cpus;
}

unsigned int sched_first_allowed(const struct vcpu *v, uint64_t cpus)
{
    uint64_t ok = cpus & v->hard_affinity;

    if (ok == 0U) {
        return NR_CPUS;
    }
    return ((ok & (1ULL << v->processor)) != 0U) ? v->processor
                                                 : (unsigned int)__builtin_ctzll(ok);
}

void init_timer(struct timer *t, void (*fn)(void *data), void *data, unsigned int cpu)
{
    memset(t, 0, sizeof(*t));
    t->fn = fn;
    t->data = data;
    t->cpu = cpu;
    for (unsigned int i = 0U; i < ARRAY_SIZE(armed); i++) {
        if ((armed[i] == NULL) || (armed[i] == t)) {
            armed[i] = t;
            return;
        }
    }
    fail();
}

void set_timer(struct timer *t, s_time_t expires)
{
    t->expires = expires;
    t->queued = true;
}

void stop_timer(struct timer *t)
{
    t->queued = false;
}

void kill_timer(struct timer *t)
{
    t->queued = false;
    for (unsigned int i = 0U; i < ARRAY_SIZE(armed); i++) {
        if (armed[i] == t) {
            armed[i] = NULL;
        }
    }
}

void migrate_timer(struct timer *t, unsigned int cpu)
{
    t->cpu = cpu;
}

/* ---- Run log ------------------------------------------------------------ */

struct stretch {
    const struct vcpu *v;
    unsigned int cpu;
    s_time_t from;
    s_time_t to;
};

static struct stretch stretches[MAX_STRETCHES];
static unsigned int nr_stretches;

static inline void log_stretch(const struct vcpu *v, unsigned int cpu, s_time_t from, s_time_t to)
{
    if ((v == NULL) || (to <= from)) {
        return;
    }
    assert_true(nr_stretches < MAX_STRETCHES);
    stretches[nr_stretches++] = (struct stretch){ .v = v, .cpu = cpu, .from = from, .to = to };
}

static inline s_time_t overlap(const struct stretch *s, s_time_t from, s_time_t to)
{
    return ((s->to > from) && (s->from < to)) ? (MIN(s->to, to) - MAX(s->from, from)) : 0;
}

/* ns v ran within [from, to), including a stretch in progress. */
static inline s_time_t ran_within(const struct vcpu *v, s_time_t from, s_time_t to)
{
    const struct sched_pcpu *pc = &pcpus[v->processor];
    s_time_t sum = 0;

    for (unsigned int i = 0U; i < nr_stretches; i++) {
        if (stretches[i].v == v) {
            sum += overlap(&stretches[i], from, to);
        }
    }
    if (pc->curr == v) {
        struct stretch now = { .v = v, .cpu = v->processor, .from = pc->slice_start, .to = NOW() };

        sum += overlap(&now, from, to);
    }
    return sum;
}

/* ---- Pools, domains, vCPUs ---------------------------------------------- */

#define MAX_POOLS 2U

static struct sched_pool pools[MAX_POOLS];
static struct domain doms[MAX_POOLS];
static struct vcpu *dom_vcpus[MAX_POOLS][MAX_TEST_VCPUS];
static struct vcpu vcpus[MAX_TEST_VCPUS];
static unsigned int nr_vcpus;

static inline struct sched_pool *pool_of(const struct vcpu *v)
{
    return v->domain->sched_pool;
}

static inline void pool_create(unsigned int i, uint64_t cpus)
{
    struct sched_pool *p = &pools[i];

    memset(p, 0, sizeof(*p));
    p->ops = &sched_rtds_ops;
    p->id = i;
    assert_int_equal(p->ops->init_pool(p), 0);
    for (unsigned int cpu = 0U; cpu < NR_ONLINE; cpu++) {
        if ((cpus & (1ULL << cpu)) != 0U) {
            /* In the core's order: the scheduler first, then the pool. */
            pcpus[cpu].lock = &pcpus[cpu].own_lock;
            assert_int_equal(p->ops->add_cpu(p, cpu), 0);
            assert_ptr_not_equal(pcpus[cpu].lock, &pcpus[cpu].own_lock);
            pcpus[cpu].pool = p;
            p->cpus |= 1ULL << cpu;
        }
    }
    memset(&doms[i], 0, sizeof(doms[i]));
    doms[i].domain_id = (domid_t)(i + 1U);
    doms[i].state = DOMAIN_RUNNING;
    doms[i].vcpu = dom_vcpus[i];
    doms[i].sched_pool = p;
    doms[i].cpupool_id = i;
    assert_int_equal(p->ops->alloc_domain(p, &doms[i]), 0);
}

/* cpu (idle, no vCPU placed there) leaves pool i, as the core does it. */
static inline void pool_remove_cpu(unsigned int i, unsigned int cpu)
{
    struct sched_pool *p = &pools[i];

    assert_null(pcpus[cpu].curr);
    p->cpus &= ~(1ULL << cpu);
    pcpus[cpu].pool = NULL;
    p->ops->remove_cpu(p, cpu);
    assert_ptr_equal(pcpus[cpu].lock, &pcpus[cpu].own_lock);
    assert_null(pcpus[cpu].priv);
}

/* The replenishment timer rtds set, if any. */
static inline const struct timer *repl_timer(void)
{
    for (unsigned int i = 0U; i < ARRAY_SIZE(armed); i++) {
        if (armed[i] != NULL) {
            return armed[i];
        }
    }
    return NULL;
}

/* A new vCPU of pool i's domain, offline. */
static inline struct vcpu *new_vcpu(unsigned int i, uint64_t affinity)
{
    struct sched_pool *p = &pools[i];
    struct vcpu *v;
    unsigned int cpu;

    assert_true(nr_vcpus < MAX_TEST_VCPUS);
    v = &vcpus[nr_vcpus++];
    memset(v, 0, sizeof(*v));
    v->domain = &doms[i];
    v->vcpu_id = doms[i].max_vcpus;
    dom_vcpus[i][doms[i].max_vcpus++] = v;
    v->state = VCPU_OFFLINE;
    v->hard_affinity = affinity;
    assert_int_equal(p->ops->alloc_vcpu(p, v), 0);
    cpu = p->ops->pick_cpu(p, v);
    assert_true(cpu < NR_CPUS);
    v->processor = cpu;
    assert_int_equal(p->ops->insert(p, v), NR_CPUS);
    return v;
}

/* ---- The toolstack ------------------------------------------------------
 * A control domain whose one vCPU makes the domctls, with a page of RAM
 * at CTL_GVA for the arrays of putvcpuinfo and getvcpuinfo. */

#define CTL_GVA 0x80000000ULL

static struct domain ctl_dom;
static struct vcpu ctl_vcpu;
static uint8_t *ctl_ram;        /* host view of the page at CTL_GVA */

static inline void ctl_init(void)
{
    mfn_t m = alloc_pages(0U, ALLOC_ZERO);

    assert_false(mfn_eq(m, INVALID_MFN));
    memset(&ctl_dom, 0, sizeof(ctl_dom));
    memset(&ctl_vcpu, 0, sizeof(ctl_vcpu));
    ctl_vcpu.domain = &ctl_dom;
    ctl_ram = arch_maddr_to_virt(mfn_to_paddr(m));
    fake_guest_map(&ctl_dom, CTL_GVA, mfn_to_paddr(m), PAGE_SIZE);
    fake_guest_set_vcpu(&ctl_vcpu);
}

static inline struct xen_domctl_schedparam_vcpu *ctl_entries(void)
{
    return (struct xen_domctl_schedparam_vcpu *)(void *)ctl_ram;
}

static inline long adjust(struct domain *d, struct xen_domctl_scheduler_op *op)
{
    op->sched_id = XEN_SCHEDULER_RTDS;
    return d->sched_pool->ops->adjust(d->sched_pool, d, op);
}

/* putvcpuinfo or getvcpuinfo over the first n entries at CTL_GVA. */
static inline long adjust_vcpus(struct domain *d, uint32_t cmd, uint32_t n, uint32_t *done)
{
    struct xen_domctl_scheduler_op op = { .cmd = cmd };
    long rc;

    op.u.v.vcpus = CTL_GVA;
    op.u.v.nr_vcpus = n;
    rc = adjust(d, &op);
    *done = op.u.v.nr_vcpus;
    return rc;
}

/* v's reservation, as xl sched-rtds -v sets it (microseconds). */
static inline void set_params(struct vcpu *v, uint32_t period_us, uint32_t budget_us, bool extra)
{
    struct xen_domctl_schedparam_vcpu *e = ctl_entries();
    uint32_t done;

    memset(e, 0, sizeof(*e));
    e->vcpuid = v->vcpu_id;
    e->u.rtds.period = period_us;
    e->u.rtds.budget = budget_us;
    e->u.rtds.flags = extra ? XEN_DOMCTL_SCHEDRT_extra : 0U;
    assert_int_equal(adjust_vcpus(v->domain, XEN_DOMCTL_SCHEDOP_putvcpuinfo, 1U, &done), 0);
    assert_int_equal(done, 1U);
}

/* ---- Running ------------------------------------------------------------- */

static inline void reschedule(unsigned int cpu)
{
    struct sched_pcpu *pc = &pcpus[cpu];
    struct vcpu *prev = pc->curr;
    s_time_t now = NOW();
    struct sched_choice c;

    tickled[cpu] = false;
    log_stretch(prev, cpu, pc->slice_start, now);
    c = pc->pool->ops->do_schedule(pc->pool, cpu, now, prev);
    if (c.next != NULL) {
        assert_true(sched_may_run(c.next, cpu));
        assert_true(c.run_for > 0);
    }
    if ((prev != NULL) && (prev != c.next) && (prev->state == VCPU_RUNNING)) {
        prev->state = VCPU_RUNNABLE;
    }
    if (prev != NULL) {
        prev->on_cpu = 0U;      /* saved at once */
    }
    if (c.next != NULL) {
        c.next->state = VCPU_RUNNING;
        c.next->processor = cpu;
        c.next->on_cpu = 1U;
    }
    pc->curr = c.next;
    pc->slice_start = now;
    slice_end[cpu] = (c.run_for < 0) ? FOREVER : (now + c.run_for);
}

static inline void handle_tickles(void)
{
    bool again = true;

    while (again) {
        again = false;
        for (unsigned int cpu = 0U; cpu < NR_ONLINE; cpu++) {
            if (tickled[cpu] && (pcpus[cpu].pool != NULL)) {
                reschedule(cpu);
                again = true;
            }
        }
    }
}

/* Run every CPU until the clock reads until, and what is due then. */
static inline void run_until(s_time_t until)
{
    handle_tickles();
    for (;;) {
        s_time_t next = FOREVER;

        for (unsigned int i = 0U; i < ARRAY_SIZE(armed); i++) {
            if ((armed[i] != NULL) && armed[i]->queued) {
                next = MIN(next, armed[i]->expires);
            }
        }
        for (unsigned int cpu = 0U; cpu < NR_ONLINE; cpu++) {
            if (pcpus[cpu].pool != NULL) {
                next = MIN(next, slice_end[cpu]);
            }
        }
        if (next > until) {
            break;
        }
        fake_set_now(MAX(next, NOW()));
        for (unsigned int i = 0U; i < ARRAY_SIZE(armed); i++) {
            if ((armed[i] != NULL) && armed[i]->queued && (armed[i]->expires <= NOW())) {
                armed[i]->queued = false;
                armed[i]->fn(armed[i]->data);
            }
        }
        for (unsigned int cpu = 0U; cpu < NR_ONLINE; cpu++) {
            if ((pcpus[cpu].pool != NULL) && (slice_end[cpu] <= NOW())) {
                reschedule(cpu);
            }
        }
        handle_tickles();
    }
    fake_set_now(until);
}

static inline void wake(struct vcpu *v)
{
    struct sched_pool *p = pool_of(v);
    unsigned int cpu;

    v->state = VCPU_RUNNABLE;
    cpu = p->ops->wake(p, v, NOW());
    if (cpu != NR_CPUS) {
        tickled[cpu] = true;
    }
    handle_tickles();
}

static inline void block(struct vcpu *v)
{
    struct sched_pool *p = pool_of(v);

    v->state = VCPU_BLOCKED;
    p->ops->sleep(p, v);
    if (pcpus[v->processor].curr == v) {
        reschedule(v->processor);
    }
    handle_tickles();
}

/* Total run time of v so far. */
static inline s_time_t run_time(const struct vcpu *v)
{
    return ran_within(v, 0, FOREVER);
}

/* ---- Setup and teardown -------------------------------------------------- */

#define RAM0 0x40000000ULL

static inline int setup(void **state)
{
    (void)state;
    fake_reset();
    heap_env_init(RAM0, (size_t)MiB(4));
    fake_console_quiet(true);
    fake_set_now(0);
    memset(pcpus, 0, sizeof(pcpus));
    memset(tickled, 0, sizeof(tickled));
    memset(armed, 0, sizeof(armed));
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        slice_end[cpu] = FOREVER;
    }
    nr_stretches = 0U;
    nr_vcpus = 0U;
    ctl_init();
    return 0;
}

/* Take everything down the way the core would, and check that the
 * scheduler gave every object back. */
static inline int teardown(void **state)
{
    (void)state;
    for (unsigned int i = 0U; i < nr_vcpus; i++) {
        struct vcpu *v = &vcpus[i];

        if ((v->state == VCPU_RUNNING) || (v->state == VCPU_RUNNABLE)) {
            block(v);
        }
    }
    for (unsigned int i = 0U; i < nr_vcpus; i++) {
        struct sched_pool *p = pool_of(&vcpus[i]);

        p->ops->remove(p, &vcpus[i]);
        p->ops->free_vcpu(p, &vcpus[i]);
    }
    for (unsigned int i = 0U; i < MAX_POOLS; i++) {
        struct sched_pool *p = &pools[i];

        if (p->ops == NULL) {
            continue;
        }
        p->ops->free_domain(p, &doms[i]);
        for (unsigned int cpu = 0U; cpu < NR_ONLINE; cpu++) {
            if (pcpus[cpu].pool == p) {
                p->cpus &= ~(1ULL << cpu);
                pcpus[cpu].pool = NULL;
                p->ops->remove_cpu(p, cpu);
                assert_ptr_equal(pcpus[cpu].lock, &pcpus[cpu].own_lock);
            }
        }
        p->ops->deinit_pool(p);
        memset(p, 0, sizeof(*p));
    }
    assert_int_equal(heap_env_objs_live(), 0U);
    return 0;
}

#endif
