/* Between the scheduling core (sched.c) and the pools above it
 * (sched_pool.c, which calls the core and never the other way): not for
 * schedulers, nor for the rest of the hypervisor. */
#ifndef SCHED_POOL_H
#define SCHED_POOL_H

#include <proxenos/sched_ops.h>

/* The core's own start (sched_init, sched_pool.c, calls it first). */
void sched_core_init(void);
/* sched_add_vcpu for a vCPU that was in another pool (its timers exist
 * and follow it to its new CPU). */
int sched_readd_vcpu(struct vcpu *v);

#endif
