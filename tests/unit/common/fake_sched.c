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
static int slicing[NR_CPUS];
static unsigned int last_weight;
static uint64_t idle_ns[NR_CPUS];
static const char *default_name;
static struct cpupool_info pools[FAKE_CPUPOOLS];
static unsigned int nr_pools;

void fake_sched_reset(void)
{
    memset(per_vcpu, 0, sizeof(per_vcpu));
    memset(total, 0, sizeof(total));
    memset(dumps, 0, sizeof(dumps));
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        slicing[cpu] = -1;
    }
    last_weight = 0U;
    memset(idle_ns, 0, sizeof(idle_ns));
    default_name = SCHED_DEFAULT_NAME;
    fake_cpupools_clear();
}

unsigned int fake_sched_last_weight(void)
{
    return last_weight;
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

void fake_cpupools_clear(void)
{
    memset(pools, 0, sizeof(pools));
    nr_pools = 0U;
}

void fake_cpupool_add(unsigned int id, uint64_t cpus, const char *sched)
{
    assert_true(nr_pools < FAKE_CPUPOOLS);
    assert_true((nr_pools == 0U) || (pools[nr_pools - 1U].id < id));
    pools[nr_pools] = (struct cpupool_info){ id, cpus, sched };
    nr_pools++;
}

int fake_sched_time_slicing(unsigned int cpu)
{
    return (cpu < NR_CPUS) ? slicing[cpu] : -1;
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
    if (((v->state == VCPU_BLOCKED) || (v->state == VCPU_OFFLINE)) && !v->pause_flags) {
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

__attribute__((weak)) void sched_set_time_slicing(unsigned int cpu, bool on)
{
    if (cpu < NR_CPUS) {
        slicing[cpu] = on ? 1 : 0;
    }
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

__attribute__((weak)) void sched_set_vcpu_weight(struct vcpu *v, unsigned int weight)
{
    count(FAKE_SCHED_WEIGHT, v);
    last_weight = weight;
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
    for (unsigned int i = 0U; i < nr_pools; i++) {
        if (pools[i].id >= first_id) {
            *out = pools[i];
            return true;
        }
    }
    return false;
}
