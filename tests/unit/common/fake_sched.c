/* Shared stand-in for the scheduler's interface: see fake_sched.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/domain.h>
#include <proxenos/printk.h>
#include <proxenos/sched.h>
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

void fake_sched_reset(void)
{
    memset(per_vcpu, 0, sizeof(per_vcpu));
    memset(total, 0, sizeof(total));
    memset(dumps, 0, sizeof(dumps));
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        slicing[cpu] = -1;
    }
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
