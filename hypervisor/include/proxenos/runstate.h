/* The runstate area a vCPU registers (VCPUOP_register_runstate_memory_area):
 * where its time went, in Xen's RUNSTATE_* terms. */
#ifndef PROXENOS_RUNSTATE_H
#define PROXENOS_RUNSTATE_H

#include <proxenos/domain.h>
#include <public/vcpu.h>

/* v's runstate as the scheduler accounts it; with add_current, the time
 * since it entered its present state counts too (Xen's
 * vcpu_runstate_get), without it the figures stop at that entry. */
void vcpu_runstate_get(const struct vcpu *v, bool add_current, struct vcpu_runstate_info *out);

/* Write v's runstate to the area it registered, if any, through the
 * current vCPU's address space (v must be the current vCPU, or the area
 * is taken as an address of the current vCPU's, as Xen does at
 * registration). Called at every switch to v, after its state is loaded. */
void vcpu_runstate_update(struct vcpu *v);

#endif
