/* vCPU scheduling, as the rest of the hypervisor sees it. Each domain is in
 * a CPU pool whose scheduler (credit2, credit, null, rtds, arinc653)
 * decides which of its vCPUs runs on which of the pool's CPUs and for how
 * long; the core (sched.c) does what is common to them all. The boundary
 * between the two is <proxenos/sched_ops.h>. */
#ifndef PROXENOS_SCHED_H
#define PROXENOS_SCHED_H

#include <proxenos/domain.h>

#define SCHED_DEFAULT_WEIGHT 256U

/* Start scheduling: Pool-0 with sched='s scheduler and every online CPU
 * (cpupools_init makes the boot-time pools later). Any earlier pools are
 * forgotten, not freed: unit tests start again with a new heap. */
void sched_init(void);
/* d enters the pool d->cpupool_id names (its scheduler's per-domain data),
 * before its first vCPU (sched_add_vcpu refuses one of a domain in no
 * pool). 0, -ENOENT (no such pool) or -ENOMEM. */
int sched_add_domain(struct domain *d);
/* d leaves its pool, after its last vCPU. */
void sched_remove_domain(struct domain *d);
/* Move d (paused by the caller) and its vCPUs to the pool with this id:
 * 0, -ENOENT, -ENOMEM or -EBUSY (a vCPU is still on a CPU). */
int sched_move_domain(struct domain *d, unsigned int pool_id);
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

/* How many vCPUs are placed on cpu (for the 'r' key). */
unsigned int sched_cpu_load(unsigned int cpu);
void sched_dump_cpu(unsigned int cpu);

#endif
