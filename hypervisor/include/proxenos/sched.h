/* vCPU scheduling. Each physical CPU has a run queue; a vCPU is placed on
 * one CPU within its hard affinity when created and stays there until that
 * affinity no longer allows it (sched_move_vcpu). Among runnable vCPUs the one with the least weighted run
 * time runs next, for at most one time slice. */
#ifndef PROXENOS_SCHED_H
#define PROXENOS_SCHED_H

#include <proxenos/domain.h>

#define SCHED_DEFAULT_WEIGHT 256U

void sched_init(void);
int sched_add_vcpu(struct vcpu *v);
void sched_remove_vcpu(struct vcpu *v);

/* v's hard affinity changed: if it leaves out v's CPU, move v to the least
 * loaded CPU it allows, with its timers: now if v is off its CPU, else
 * once that CPU has switched away from it (it does at once; v may be the
 * caller's own vCPU). 0, or -EINVAL (no online CPU allowed). */
int sched_move_vcpu(struct vcpu *v);

/* OFFLINE/BLOCKED -> RUNNABLE, and tell v's CPU to reschedule. */
void vcpu_wake(struct vcpu *v);
/* The current vCPU waits for an event (WFI): it stops running unless one
 * is already pending (checked by the caller under the same conditions). */
void vcpu_block_current(void);
/* The current vCPU gives up the rest of its slice (WFE, SCHEDOP_yield). */
void vcpu_yield_current(void);
/* Take v off its CPU for good (CPU_OFF, domain shutdown or crash). */
void vcpu_stop(struct vcpu *v);

/* SCHEDULE_SOFTIRQ handler: pick what runs next on this CPU. May not
 * return (when it enters a guest from idle or goes idle from a guest). */
void schedule(void);

/* Time slices on cpu (its pool's scheduler): off for "null". */
void sched_set_time_slicing(unsigned int cpu, bool on);

/* v is its CPU's current vCPU, or was and its registers are not saved
 * yet: false means v's whole state is in struct vcpu (readable, writable
 * while v may not run, and freeable). */
bool sched_vcpu_on_cpu(const struct vcpu *v);
/* The architecture saved prev's state after switching away from it (what
 * makes sched_vcpu_on_cpu(prev) false). */
void sched_context_saved(struct vcpu *prev);
/* Whether v may run changed (its domain was paused or unpaused): make its
 * CPU choose again. */
void sched_vcpu_reconsider(struct vcpu *v);

/* ns cpu spent with no vCPU to run since boot (sysctl getcpuinfo). */
uint64_t sched_cpu_idle_time(unsigned int cpu);

/* A vCPU's share of its CPU relative to others (SCHED_DEFAULT_WEIGHT is
 * the default; 0 is ignored). The toolstack sets it per domain. */
unsigned int sched_vcpu_weight(const struct vcpu *v);
void sched_set_vcpu_weight(struct vcpu *v, unsigned int weight);

/* How many vCPUs are placed on cpu (for the 'r' key). */
unsigned int sched_cpu_load(unsigned int cpu);
void sched_dump_cpu(unsigned int cpu);

#endif
