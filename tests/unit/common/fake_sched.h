/* A stand-in for the scheduler (common/sched/sched.c) as the rest of the
 * hypervisor calls it, for host tests that do not link it: no run queues
 * and no CPUs, only the vCPU state changes the real one makes and a count
 * of every call (per vCPU where the call names one), so that a test can
 * see that a vCPU was woken, kicked, blocked or handed to the scheduler:
 *
 *   vcpu_wake            BLOCKED (not waiting for a device model) or
 *                        OFFLINE, and not paused -> RUNNABLE
 *   vcpu_kick            a BLOCKED vCPU is woken (as above)
 *   vcpu_block_current   current_vcpu(), if RUNNING -> BLOCKED
 *   vcpu_stop            -> OFFLINE
 *   sched_vcpu_on_cpu    v->on_cpu, as the real one (a test that puts a
 *                        vCPU RUNNING sets it; nothing else here does)
 *   sched_vcpu_reconsider  a RUNNING vCPU of a paused domain -> RUNNABLE,
 *                        off its CPU (what its CPU's schedule() would do)
 *   vcpu_yield_current, sched_add_vcpu (0), sched_remove_vcpu
 *                        counted only
 *   sched_dump_cpu       (the 'r' key's run queue) prints "run queue of
 *                        CPU <n>" and counts the call per CPU
 *   sched_move_vcpu      a vCPU whose CPU its hard affinity leaves out goes
 *                        to the lowest online CPU it allows (-EINVAL if
 *                        none), counted per vCPU when it moves (a running
 *                        one too: the real one moves it once its CPU has
 *                        switched away from it)
 *   sched_cpu_idle_time  what the test set per CPU (0 after the reset)
 *
 * and the scheduler's settings around it: sched_default_name
 * (common/sched/sched_params.c, "credit2" after the reset unless the test
 * names another), the registry (sched_ops_by_name/_id: stand-ins with
 * Xen's names and ids, whose adjust and adjust_global count the call and
 * answer fake_sched_set_adjust_rc's value; null has neither), and the
 * pools (cpupool_info, sched_pool_by_id, sched_pool_new/_create/_destroy,
 * sched_pool_add_cpu/_remove_cpu, sched_pool_domains, sched_pcpu's pool,
 * sched_add_domain, sched_remove_domain, sched_move_domain over the pools
 * the test listed; none after the reset).
 *
 * All weak: a test that links sched.c gets the real scheduler. Link it by
 * naming ../tests/unit/common/fake_sched.c in a test's -src, and call
 * fake_sched_reset() in each test's setup. */
#ifndef FAKE_SCHED_H
#define FAKE_SCHED_H

#include <stdint.h>

struct domain;
struct vcpu;

enum fake_sched_call {
    FAKE_SCHED_WAKE,
    FAKE_SCHED_KICK,
    FAKE_SCHED_BLOCK,
    FAKE_SCHED_YIELD,
    FAKE_SCHED_STOP,
    FAKE_SCHED_RECONSIDER,
    FAKE_SCHED_ADD,
    FAKE_SCHED_REMOVE,
    FAKE_SCHED_MOVE,        /* sched_move_vcpu calls that moved the vCPU */
    FAKE_SCHED_ADJUST,      /* a scheduler's adjust (domctl scheduler_op) */
    FAKE_SCHED_ADJUST_GLOBAL,   /* adjust_global (sysctl scheduler_op) */
    FAKE_SCHED_MOVE_DOMAIN, /* sched_move_domain calls that moved it */
    FAKE_SCHED_POOL_CPU,    /* sched_pool_add_cpu / _remove_cpu that acted */
    FAKE_SCHED_CALLS
};

void fake_sched_reset(void);
/* sched_dump_cpu calls about cpu since the reset. */
unsigned int fake_sched_dumps(unsigned int cpu);
/* Calls of one kind since the reset: about v, or about any vCPU (v NULL;
 * block and yield, which name none, count under NULL only). */
unsigned int fake_sched_calls(enum fake_sched_call call, const struct vcpu *v);
/* What the schedulers' adjust and adjust_global answer (0 after the
 * reset), and the domain the last adjust was about. */
void fake_sched_set_adjust_rc(long rc);
const struct domain *fake_sched_adjusted(void);
/* What sched_cpu_idle_time(cpu) answers (cpu < NR_CPUS). */
void fake_sched_set_idle_time(unsigned int cpu, uint64_t ns);
/* What sched_default_name answers (a string that outlives the test). */
void fake_sched_set_default_name(const char *name);
/* Forget the pools, or list one more (ids ascending, at most
 * FAKE_CPUPOOLS; sched a string that outlives the test). */
#define FAKE_CPUPOOLS 16U
void fake_cpupools_clear(void);
/* The next sched_pool_remove_cpu of cpu finds vCPUs still on it: it takes
 * the CPU out of the pool's set and answers -EAGAIN (the CPU stays the
 * pool's until a later call). */
void fake_sched_cpu_busy(unsigned int cpu);
void fake_cpupool_add(unsigned int id, uint64_t cpus, const char *sched);

#endif
