/* Shared stand-in for the scheduler's interface: see fake_sched.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/cpupool.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/sched.h>
#include <proxenos/sched_ops.h>
#include <proxenos/sched_params.h>
#include <proxenos/smp.h>
#include "fake_sched.h"

#define FAKE_SCHED_VCPUS 64U

struct counted {
    const struct vcpu *v;
    unsigned int n[FAKE_SCHED_CALLS];
};

static struct counted per_vcpu[FAKE_SCHED_VCPUS];
static unsigned int total[FAKE_SCHED_CALLS];
static unsigned int dumps[NR_CPUS];
static long adjust_rc;
static const struct domain *adjusted;
static uint64_t idle_ns[NR_CPUS];
static const char *default_name;
static struct sched_pool pools[FAKE_CPUPOOLS];
static struct sched_pcpu pcpus[NR_CPUS];
static uint64_t leaving;         /* CPUs whose removal answers -EAGAIN once */

static void count(enum fake_sched_call call, const struct vcpu *v);
static unsigned int nr_pools;

void fake_sched_reset(void)
{
    memset(per_vcpu, 0, sizeof(per_vcpu));
    memset(total, 0, sizeof(total));
    memset(dumps, 0, sizeof(dumps));
    adjust_rc = 0;
    adjusted = NULL;
    memset(idle_ns, 0, sizeof(idle_ns));
    default_name = SCHED_DEFAULT_NAME;
    fake_cpupools_clear();
}

void fake_sched_set_adjust_rc(long rc)
{
    adjust_rc = rc;
}

const struct domain *fake_sched_adjusted(void)
{
    return adjusted;
}

void fake_sched_set_idle_time(unsigned int cpu, uint64_t ns)
{
    assert_true(cpu < NR_CPUS);
    idle_ns[cpu] = ns;
}

void fake_sched_set_default_name(const char *name)
{
    default_name = name;
}

/* The schedulers' stand-ins: each has Xen's name and id; adjust and
 * adjust_global count the call and answer what the test set. null has
 * neither, as the real one. */
static long fake_adjust(struct sched_pool *p, struct domain *d, struct xen_domctl_scheduler_op *op)
{
    (void)p;
    (void)op;
    count(FAKE_SCHED_ADJUST, NULL);
    adjusted = d;
    return adjust_rc;
}

static long fake_adjust_global(struct sched_pool *p, struct xen_sysctl_scheduler_op *op)
{
    (void)p;
    (void)op;
    count(FAKE_SCHED_ADJUST_GLOBAL, NULL);
    return adjust_rc;
}

static const struct sched_ops fake_ops[] = {
    { .name = "credit2", .sched_id = XEN_SCHEDULER_CREDIT2, .adjust = fake_adjust,
      .adjust_global = fake_adjust_global },
    { .name = "credit", .sched_id = XEN_SCHEDULER_CREDIT, .adjust = fake_adjust,
      .adjust_global = fake_adjust_global },
    { .name = "null", .sched_id = XEN_SCHEDULER_NULL },
    { .name = "rtds", .sched_id = XEN_SCHEDULER_RTDS, .adjust = fake_adjust },
    { .name = "arinc653", .sched_id = XEN_SCHEDULER_ARINC653, .adjust_global = fake_adjust_global },
};

__attribute__((weak)) const struct sched_ops *sched_ops_by_name(const char *name)
{
    for (unsigned int i = 0U; i < ARRAY_SIZE(fake_ops); i++) {
        if (strcmp(fake_ops[i].name, name) == 0) {
            return &fake_ops[i];
        }
    }
    return NULL;
}

__attribute__((weak)) const struct sched_ops *sched_ops_by_id(uint32_t id)
{
    for (unsigned int i = 0U; i < ARRAY_SIZE(fake_ops); i++) {
        if (fake_ops[i].sched_id == id) {
            return &fake_ops[i];
        }
    }
    return NULL;
}

void fake_cpupools_clear(void)
{
    memset(pools, 0, sizeof(pools));
    memset(pcpus, 0, sizeof(pcpus));
    nr_pools = 0U;
    leaving = 0U;
}

void fake_sched_cpu_busy(unsigned int cpu)
{
    leaving |= 1ULL << cpu;
}

__attribute__((weak)) struct sched_pcpu *sched_pcpu(unsigned int cpu)
{
    return &pcpus[cpu];
}

void fake_cpupool_add(unsigned int id, uint64_t cpus, const char *sched)
{
    assert_true(nr_pools < FAKE_CPUPOOLS);
    assert_true((nr_pools == 0U) || (pools[nr_pools - 1U].id < id));
    pools[nr_pools] = (struct sched_pool){ .ops = sched_ops_by_name(sched), .cpus = cpus, .id = id };
    assert_non_null(pools[nr_pools].ops);
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if (((cpus >> cpu) & 1U) != 0U) {
            pcpus[cpu].pool = &pools[nr_pools];
        }
    }
    nr_pools++;
}

__attribute__((weak)) struct sched_pool *sched_pool_by_id(unsigned int id)
{
    for (unsigned int i = 0U; i < nr_pools; i++) {
        if ((pools[i].ops != NULL) && (pools[i].id == id)) {
            return &pools[i];
        }
    }
    return NULL;
}

/* Pools made by cpupool.c and the toolstack: any free slot, ids as asked
 * or one above the highest. */
__attribute__((weak)) int sched_pool_new(const struct sched_ops *ops, unsigned int *id,
                                         struct sched_pool **out)
{
    if (*id == SCHED_POOL_ID_ANY) {
        *id = 0U;
        for (unsigned int i = 0U; i < nr_pools; i++) {
            if ((pools[i].ops != NULL) && (pools[i].id >= *id)) {
                *id = pools[i].id + 1U;
            }
        }
    }
    if (sched_pool_by_id(*id) != NULL) {
        return -EEXIST;
    }
    for (unsigned int i = 0U; i < FAKE_CPUPOOLS; i++) {
        if (pools[i].ops == NULL) {
            pools[i] = (struct sched_pool){ .ops = ops, .id = *id };
            nr_pools = MAX(nr_pools, i + 1U);
            *out = &pools[i];
            return 0;
        }
    }
    return -ENOSPC;
}

__attribute__((weak)) struct sched_pool *sched_pool_create(const struct sched_ops *ops,
                                                           unsigned int id)
{
    struct sched_pool *p = NULL;

    return ((ops != NULL) && (sched_pool_new(ops, &id, &p) == 0)) ? p : NULL;
}

/* Domains whose cpupool_id is p's, as the real count would have them. */
#pragma weak domain_get_next
__attribute__((weak)) unsigned int sched_pool_domains(const struct sched_pool *p)
{
    unsigned int n = 0U;

    for (struct domain *d = (domain_get_next != NULL) ? domain_get_next(NULL) : NULL; d != NULL;
         d = domain_get_next(d)) {
        n += (d->cpupool_id == p->id) ? 1U : 0U;
    }
    return n;
}

__attribute__((weak)) int sched_pool_destroy(struct sched_pool *p)
{
    if ((p->cpus != 0U) || (sched_pool_domains(p) != 0U)) {
        return -EBUSY;
    }
    p->ops = NULL;
    return 0;
}

__attribute__((weak)) int sched_pool_add_cpu(struct sched_pool *p, unsigned int cpu)
{
    for (unsigned int i = 0U; i < nr_pools; i++) {
        if ((pools[i].ops != NULL) && (((pools[i].cpus >> cpu) & 1U) != 0U)) {
            return -EBUSY;
        }
    }
    p->cpus |= 1ULL << cpu;
    pcpus[cpu].pool = p;
    count(FAKE_SCHED_POOL_CPU, NULL);
    return 0;
}

__attribute__((weak)) int sched_pool_remove_cpu(struct sched_pool *p, unsigned int cpu)
{
    if (pcpus[cpu].pool != p) {
        return -EINVAL;
    }
    p->cpus &= ~(1ULL << cpu);
    count(FAKE_SCHED_POOL_CPU, NULL);
    if (((leaving >> cpu) & 1U) != 0U) {
        leaving &= ~(1ULL << cpu);
        return -EAGAIN;
    }
    pcpus[cpu].pool = NULL;
    return 0;
}

__attribute__((weak)) int sched_add_domain(struct domain *d)
{
    /* Tests without pools make domains too. */
    d->sched_pool = sched_pool_by_id(d->cpupool_id);
    return 0;
}

__attribute__((weak)) void sched_remove_domain(struct domain *d)
{
    d->sched_pool = NULL;
}

__attribute__((weak)) int sched_move_domain(struct domain *d, unsigned int pool_id)
{
    if (sched_pool_by_id(pool_id) == NULL) {
        return -ENOENT;
    }
    count(FAKE_SCHED_MOVE_DOMAIN, NULL);
    d->cpupool_id = pool_id;
    d->sched_pool = sched_pool_by_id(pool_id);
    return 0;
}

unsigned int fake_sched_dumps(unsigned int cpu)
{
    return (cpu < NR_CPUS) ? dumps[cpu] : 0U;
}

static struct counted *slot(const struct vcpu *v, bool create)
{
    for (unsigned int i = 0U; i < FAKE_SCHED_VCPUS; i++) {
        if (per_vcpu[i].v == v) {
            return &per_vcpu[i];
        }
    }
    for (unsigned int i = 0U; create && (i < FAKE_SCHED_VCPUS); i++) {
        if (per_vcpu[i].v == NULL) {
            per_vcpu[i].v = v;
            return &per_vcpu[i];
        }
    }
    if (create) {
        fail_msg("fake scheduler: more than %u vCPUs", FAKE_SCHED_VCPUS);
    }
    return NULL;
}

static void count(enum fake_sched_call call, const struct vcpu *v)
{
    total[call]++;
    if (v != NULL) {
        slot(v, true)->n[call]++;
    }
}

unsigned int fake_sched_calls(enum fake_sched_call call, const struct vcpu *v)
{
    const struct counted *c;

    if (v == NULL) {
        return total[call];
    }
    c = slot(v, false);
    return (c != NULL) ? c->n[call] : 0U;
}

__attribute__((weak)) void vcpu_wake(struct vcpu *v)
{
    count(FAKE_SCHED_WAKE, v);
    if (((v->state == VCPU_OFFLINE) || ((v->state == VCPU_BLOCKED) && !v->io_wait)) &&
        !v->pause_flags) {
        v->state = VCPU_RUNNABLE;
    }
}

__attribute__((weak)) void vcpu_kick(struct vcpu *v)
{
    count(FAKE_SCHED_KICK, v);
    if (v->state == VCPU_BLOCKED) {
        vcpu_wake(v);
    }
}

__attribute__((weak)) void vcpu_block_current(void)
{
    struct vcpu *v = current_vcpu();

    count(FAKE_SCHED_BLOCK, NULL);
    if ((v != NULL) && (v->state == VCPU_RUNNING)) {
        v->state = VCPU_BLOCKED;
    }
}

__attribute__((weak)) void vcpu_yield_current(void)
{
    count(FAKE_SCHED_YIELD, NULL);
}

__attribute__((weak)) void vcpu_stop(struct vcpu *v)
{
    count(FAKE_SCHED_STOP, v);
    v->state = VCPU_OFFLINE;
}

__attribute__((weak)) bool sched_vcpu_on_cpu(const struct vcpu *v)
{
    return __atomic_load_n(&v->on_cpu, __ATOMIC_ACQUIRE);
}

/* The real one makes v's CPU look again; what that CPU's schedule() then
 * does to a running vCPU of a paused domain is done here at once: it goes
 * back to the queue, its registers saved. */
__attribute__((weak)) void sched_vcpu_reconsider(struct vcpu *v)
{
    count(FAKE_SCHED_RECONSIDER, v);
    if ((v->domain != NULL) && (v->domain->pause_count != 0U) && (v->state == VCPU_RUNNING)) {
        v->state = VCPU_RUNNABLE;
        __atomic_store_n(&v->on_cpu, false, __ATOMIC_RELEASE);
    }
}

__attribute__((weak)) int sched_add_vcpu(struct vcpu *v)
{
    count(FAKE_SCHED_ADD, v);
    return 0;
}

__attribute__((weak)) void sched_remove_vcpu(struct vcpu *v)
{
    count(FAKE_SCHED_REMOVE, v);
}

__attribute__((weak)) void sched_dump_cpu(unsigned int cpu)
{
    if (cpu < NR_CPUS) {
        dumps[cpu]++;
    }
    pr_info("run queue of CPU %u\n", cpu);
}

/* The online CPUs are those of whichever set the test links (smp.c or
 * fake_smp.c): a weak reference, so that the many tests that need neither
 * do not have to link one. Without a set no CPU is online. */
#pragma weak cpu_online

__attribute__((weak)) int sched_move_vcpu(struct vcpu *v)
{
    uint64_t allowed = 0U;

    if ((v->hard_affinity & (1ULL << v->processor)) != 0U) {
        return 0;
    }
    for (unsigned int cpu = 0U; (cpu_online != NULL) && (cpu < 64U); cpu++) {
        if (cpu_online(cpu)) {
            allowed |= 1ULL << cpu;
        }
    }
    allowed &= v->hard_affinity;
    if (allowed == 0U) {
        return -EINVAL;
    }
    v->processor = (unsigned int)__builtin_ctzll(allowed);
    count(FAKE_SCHED_MOVE, v);
    return 0;
}

__attribute__((weak)) uint64_t sched_cpu_idle_time(unsigned int cpu)
{
    return (cpu < NR_CPUS) ? idle_ns[cpu] : 0U;
}

__attribute__((weak)) const char *sched_default_name(void)
{
    return default_name;
}

__attribute__((weak)) bool cpupool_info(unsigned int first_id, struct cpupool_info *out)
{
    const struct sched_pool *best = NULL;

    for (unsigned int i = 0U; i < nr_pools; i++) {
        if ((pools[i].ops != NULL) && (pools[i].id >= first_id) &&
            ((best == NULL) || (pools[i].id < best->id))) {
            best = &pools[i];
        }
    }
    if (best == NULL) {
        return false;
    }
    *out = (struct cpupool_info){ best->id, best->cpus, best->ops->name };
    return true;
}
