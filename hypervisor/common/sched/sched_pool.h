/* Between the scheduling core (sched.c) and its pools (sched_pool.c): not
 * for schedulers, nor for the rest of the hypervisor. */
#ifndef SCHED_POOL_H
#define SCHED_POOL_H

#include <proxenos/sched_ops.h>

/* v joins or leaves p's list of vCPUs. */
void sched_pool_link_vcpu(struct sched_pool *p, struct vcpu *v);
void sched_pool_unlink_vcpu(struct sched_pool *p, struct vcpu *v);
/* cpu has left p's set: move p's vCPUs placed on it elsewhere. */
void sched_pool_evacuate(struct sched_pool *p, unsigned int cpu);
/* sched_add_vcpu for a vCPU that was in another pool (its timers exist
 * and follow it to its new CPU). */
int sched_readd_vcpu(struct vcpu *v);

#endif
