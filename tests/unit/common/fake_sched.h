/* A stand-in for the scheduler (common/sched/sched.c) as the rest of the
 * hypervisor calls it, for host tests that do not link it: no run queues
 * and no CPUs, only the vCPU state changes the real one makes and a count
 * of every call (per vCPU where the call names one), so that a test can
 * see that a vCPU was woken, kicked, blocked or handed to the scheduler:
 *
 *   vcpu_wake            BLOCKED or OFFLINE, and not paused -> RUNNABLE
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
 *   sched_set_time_slicing  remembers the setting per CPU
 *
 * All weak: a test that links sched.c gets the real scheduler. Link it by
 * naming ../tests/unit/common/fake_sched.c in a test's -src, and call
 * fake_sched_reset() in each test's setup. */
#ifndef FAKE_SCHED_H
#define FAKE_SCHED_H

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
    FAKE_SCHED_CALLS
};

void fake_sched_reset(void);
/* sched_dump_cpu calls about cpu since the reset. */
unsigned int fake_sched_dumps(unsigned int cpu);
/* The last sched_set_time_slicing of cpu: 1 on, 0 off, -1 none since the
 * reset. */
int fake_sched_time_slicing(unsigned int cpu);
/* Calls of one kind since the reset: about v, or about any vCPU (v NULL;
 * block and yield, which name none, count under NULL only). */
unsigned int fake_sched_calls(enum fake_sched_call call, const struct vcpu *v);

#endif
