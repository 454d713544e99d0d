/* Test helper: the credit scheduler (common/sched/credit*.c) in a small
 * simulated machine. It offers what the scheduling core offers schedulers
 * (sched_ops.h), keeps each CPU's current vCPU and slice, and runs a fake
 * clock from event to event: the scheduler's timers, the slice ends and
 * the CPUs asked to choose again. Every vCPU is CPU-bound unless a test
 * blocks it. Registers are saved at once when a CPU switches away. The
 * includer has included <cmocka.h>. */
#ifndef TEST_CREDIT_ENV_H
#define TEST_CREDIT_ENV_H

#include <stdlib.h>
#include <string.h>
#include <proxenos/sched_ops.h>
#include <proxenos/smp.h>
#include <proxenos/xmalloc.h>
#include <fake_arch.h>

#define ENV_MAX_VCPUS 8U
#define ENV_MAX_TIMERS 16U
#define NEVER INT64_MAX
#define CPU(c) ((uint64_t)1U << (c))

static const struct sched_ops *const ops = &sched_credit_ops;

static struct sched_pcpu pcpus[NR_CPUS];
static struct sched_pool pool;
static bool resched[NR_CPUS];
static s_time_t slice_end[NR_CPUS];
static struct timer *timers[ENV_MAX_TIMERS];
static unsigned int nr_timers;
static struct domain doms[2];
static struct vcpu vcpus[ENV_MAX_VCPUS];
static unsigned int nr_vcpus;
static uint64_t ran_ns[ENV_MAX_VCPUS];
static unsigned int switches;

/* ---- The heap and the timers ---------------------------------------------- */

void *xzalloc_align(size_t size, size_t align)
{
    (void)align;
    return calloc(1U, size);
}

void xfree(void *ptr)
{
    free(ptr);
}

void init_timer(struct timer *t, void (*fn)(void *data), void *data, unsigned int cpu)
{
    memset(t, 0, sizeof(*t));
    t->fn = fn;
    t->data = data;
    t->cpu = cpu;
    for (unsigned int i = 0U; i < nr_timers; i++) {
        if (timers[i] == t) {
            return;
        }
    }
    assert_true(nr_timers < ENV_MAX_TIMERS);
    timers[nr_timers++] = t;
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

static inline void forget_timer(struct timer *t)
{
    for (unsigned int i = 0U; i < nr_timers; i++) {
        if (timers[i] == t) {
            timers[i] = timers[--nr_timers];
            return;
        }
    }
}

void kill_timer(struct timer *t)
{
    t->queued = false;
    forget_timer(t);
}

void migrate_timer(struct timer *t, unsigned int cpu)
{
    t->cpu = cpu;
}

bool timer_is_queued(const struct timer *t)
{
    return t->queued;
}

/* ---- What the core offers --------------------------------------------- */

struct sched_pcpu *sched_pcpu(unsigned int cpu)
{
    return &pcpus[cpu];
}

bool sched_affinity_allows(const struct vcpu *v, unsigned int cpu)
{
    return (v->hard_affinity & CPU(cpu)) != 0U;
}

bool sched_may_run(const struct vcpu *v, unsigned int cpu)
{
    return !v->pause_flags && ((v->state == VCPU_RUNNABLE) || (v->state == VCPU_RUNNING)) &&
           sched_affinity_allows(v, cpu) && ((v->on_cpu == 0U) || (v->processor == cpu));
}

void sched_want_vcpu(struct vcpu *v, unsigned int cpu)
{
    (void)v;
    (void)cpu;
}

bool sched_lock_other(unsigned int cpu, unsigned int other)
{
    if (pcpus[cpu].lock == pcpus[other].lock) {
        return true;
    }
    return spin_trylock(pcpus[other].lock);
}

void sched_unlock_other(unsigned int cpu, unsigned int other)
{
    if (pcpus[cpu].lock != pcpus[other].lock) {
        spin_unlock(pcpus[other].lock);
    }
}

void sched_set_processor(struct vcpu *v, unsigned int cpu)
{
    assert_true(spin_is_locked(pcpus[v->processor].lock));
    assert_true(spin_is_locked(pcpus[cpu].lock));
    v->processor = cpu;
}

void sched_tickle(unsigned int cpu)
{
    resched[cpu] = true;
}

uint64_t sched_pool_online_cpus(const struct sched_pool *p)
{
    return p->cpus;
}

unsigned int sched_first_allowed(const struct vcpu *v, uint64_t cpus)
{
    uint64_t ok = v->hard_affinity & cpus;

    if ((ok & CPU(v->processor)) != 0U) {
        return v->processor;
    }
    for (unsigned int c = 0U; c < NR_CPUS; c++) {
        if ((ok & CPU(c)) != 0U) {
            return c;
        }
    }
    return NR_CPUS;
}

/* ---- The machine -------------------------------------------------------- */

static inline void env_start(uint64_t cpus)
{
    memset(pcpus, 0, sizeof(pcpus));
    memset(&pool, 0, sizeof(pool));
    memset(resched, 0, sizeof(resched));
    memset(doms, 0, sizeof(doms));
    memset(ran_ns, 0, sizeof(ran_ns));
    nr_timers = 0U;
    nr_vcpus = 0U;
    switches = 0U;
    fake_set_now(MILLISECS(1000));
    pool.ops = ops;
    pool.cpus = cpus;
    assert_int_equal(ops->init_pool(&pool), 0);
    for (unsigned int c = 0U; c < NR_CPUS; c++) {
        spin_lock_init(&pcpus[c].own_lock);
        pcpus[c].lock = &pcpus[c].own_lock;
        slice_end[c] = NEVER;
        if ((cpus & CPU(c)) != 0U) {
            assert_int_equal(ops->add_cpu(&pool, c), 0);
            pcpus[c].pool = &pool;
        }
    }
    for (unsigned int i = 0U; i < 2U; i++) {
        doms[i].domain_id = (domid_t)(i + 1U);
        doms[i].sched_pool = &pool;
        assert_int_equal(ops->alloc_domain(&pool, &doms[i]), 0);
    }
}

static inline unsigned int vcpu_index(const struct vcpu *v)
{
    return (unsigned int)(v - vcpus);
}

static inline void kick(unsigned int cpu)
{
    if (cpu < NR_CPUS) {
        resched[cpu] = true;
    }
}

/* A vCPU of domain d (0 or 1) allowed on affinity, placed on cpu, runnable
 * at once. */
static struct vcpu *env_vcpu(unsigned int d, uint64_t affinity, unsigned int cpu)
{
    struct vcpu *v;
    unsigned long flags;

    assert_true(nr_vcpus < ENV_MAX_VCPUS);
    v = &vcpus[nr_vcpus++];
    memset(v, 0, sizeof(*v));
    v->vcpu_id = nr_vcpus - 1U;
    v->domain = &doms[d];
    v->hard_affinity = affinity;
    v->soft_affinity = ~0ULL;
    v->state = VCPU_OFFLINE;
    v->processor = cpu;
    assert_int_equal(ops->alloc_vcpu(&pool, v), 0);
    flags = spin_lock_irqsave(pcpus[cpu].lock);
    kick(ops->insert(&pool, v));
    v->state = VCPU_RUNNABLE;
    kick(ops->wake(&pool, v, NOW()));
    spin_unlock_irqrestore(pcpus[cpu].lock, flags);
    return v;
}

static inline void env_block(struct vcpu *v)
{
    unsigned int cpu = v->processor;
    unsigned long flags = spin_lock_irqsave(pcpus[cpu].lock);

    v->state = VCPU_BLOCKED;
    ops->sleep(&pool, v);
    if (pcpus[cpu].curr == v) {
        resched[cpu] = true;
    }
    spin_unlock_irqrestore(pcpus[cpu].lock, flags);
}

/* The CPU the scheduler asked to choose again, or NR_CPUS. */
static inline unsigned int env_wake(struct vcpu *v)
{
    unsigned int cpu = v->processor;
    unsigned long flags = spin_lock_irqsave(pcpus[cpu].lock);
    unsigned int answer;

    v->state = VCPU_RUNNABLE;
    answer = ops->wake(&pool, v, NOW());
    kick(answer);
    spin_unlock_irqrestore(pcpus[cpu].lock, flags);
    return answer;
}

static inline void env_yield(struct vcpu *v)
{
    unsigned int cpu = v->processor;
    unsigned long flags = spin_lock_irqsave(pcpus[cpu].lock);

    assert_ptr_equal(pcpus[cpu].curr, v);
    if (ops->yield(&pool, v)) {
        pcpus[cpu].yield_pending = true;
        resched[cpu] = true;
    }
    spin_unlock_irqrestore(pcpus[cpu].lock, flags);
}

static inline void env_schedule(unsigned int cpu)
{
    struct sched_pcpu *pc = &pcpus[cpu];
    unsigned long flags = spin_lock_irqsave(pc->lock);
    struct vcpu *prev = pc->curr;
    s_time_t now = NOW();
    struct sched_choice c = ops->do_schedule(&pool, cpu, now, prev);
    struct vcpu *next = c.next;

    if (next != NULL) {
        assert_true(sched_may_run(next, cpu));
        assert_int_equal(next->processor, cpu);
    }
    if (next != prev) {
        switches++;
        if (prev != NULL) {
            prev->on_cpu = 0U;
            if (prev->state == VCPU_RUNNING) {
                prev->state = VCPU_RUNNABLE;
            }
        }
        if (next != NULL) {
            next->on_cpu = 1U;
        }
    }
    if (next != NULL) {
        next->state = VCPU_RUNNING;
    }
    pc->curr = next;
    pc->slice_start = now;
    pc->yield_pending = false;
    slice_end[cpu] = (c.run_for < 0) ? NEVER : (now + c.run_for);
    spin_unlock_irqrestore(pc->lock, flags);
}

static inline void settle(void)
{
    bool again = true;

    while (again) {
        again = false;
        for (unsigned int c = 0U; c < NR_CPUS; c++) {
            if (resched[c] && ((pool.cpus & CPU(c)) != 0U)) {
                resched[c] = false;
                env_schedule(c);
                again = true;
            }
        }
    }
}

/* Run the machine for ns: from event to event, charging each running vCPU
 * for the time between. */
static inline void env_run(s_time_t ns)
{
    s_time_t end = NOW() + ns;

    settle();
    while (NOW() < end) {
        s_time_t next = end;
        s_time_t now = NOW();

        for (unsigned int i = 0U; i < nr_timers; i++) {
            if (timers[i]->queued && (timers[i]->expires < next)) {
                next = MAX(timers[i]->expires, now);
            }
        }
        for (unsigned int c = 0U; c < NR_CPUS; c++) {
            if (slice_end[c] < next) {
                next = MAX(slice_end[c], now);
            }
        }
        for (unsigned int c = 0U; c < NR_CPUS; c++) {
            if (pcpus[c].curr != NULL) {
                ran_ns[vcpu_index(pcpus[c].curr)] += (uint64_t)(next - now);
            }
        }
        fake_set_now(next);
        for (unsigned int i = 0U; i < nr_timers; i++) {
            struct timer *t = timers[i];

            if (t->queued && (t->expires <= next)) {
                t->queued = false;
                fake_set_cpu(t->cpu);
                t->fn(t->data);
            }
        }
        for (unsigned int c = 0U; c < NR_CPUS; c++) {
            if (slice_end[c] <= next) {
                slice_end[c] = NEVER;
                resched[c] = true;
            }
        }
        settle();
    }
}

static inline void env_set_weight_cap(unsigned int d, uint16_t weight, uint16_t cap)
{
    struct xen_domctl_scheduler_op op = { .sched_id = XEN_SCHEDULER_CREDIT,
                                          .cmd = XEN_DOMCTL_SCHEDOP_putinfo };

    op.u.credit.weight = weight;
    op.u.credit.cap = cap;
    assert_int_equal(ops->adjust(&pool, &doms[d], &op), 0);
}

/* cpu leaves the pool (nothing of the pool may be on it). */
static inline void env_remove_cpu(unsigned int cpu)
{
    assert_null(pcpus[cpu].curr);
    pcpus[cpu].pool = NULL;
    ops->remove_cpu(&pool, cpu);
    pool.cpus &= ~CPU(cpu);
    slice_end[cpu] = NEVER;
}

static inline void env_stop(void)
{
    for (unsigned int c = 0U; c < NR_CPUS; c++) {
        if (pcpus[c].curr != NULL) {
            pcpus[c].curr->on_cpu = 0U;
            pcpus[c].curr = NULL;
        }
    }
    for (unsigned int i = 0U; i < nr_vcpus; i++) {
        struct vcpu *v = &vcpus[i];

        ops->remove(&pool, v);
        ops->free_vcpu(&pool, v);
    }
    for (unsigned int i = 0U; i < 2U; i++) {
        ops->free_domain(&pool, &doms[i]);
    }
    for (unsigned int c = 0U; c < NR_CPUS; c++) {
        if ((pool.cpus & CPU(c)) != 0U) {
            pcpus[c].pool = NULL;
            ops->remove_cpu(&pool, c);
        }
    }
    ops->deinit_pool(&pool);
}

#endif
