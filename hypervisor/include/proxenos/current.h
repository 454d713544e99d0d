/* The vCPU each physical CPU runs. Kept by common/sched/current.c, set only by
 * the scheduler when it switches, and read by anyone, arch code included,
 * without calling into the scheduler (whose switch calls the arch's). */
#ifndef PROXENOS_CURRENT_H
#define PROXENOS_CURRENT_H

#include <proxenos/arch/cpu.h>
#include <proxenos/smp.h>

struct vcpu;

/* Indexed by CPU; written only by that CPU's scheduler (current_vcpu_set),
 * read through current_vcpu(). Visible here only so that the read is an
 * inline load: it sits on every trap, twice on a hypercall. */
extern struct vcpu *current_vcpus[NR_CPUS];

/* The vCPU running on this physical CPU (NULL when idle). */
static inline struct vcpu *current_vcpu(void)
{
    return current_vcpus[arch_cpu_id()];
}

/* cpu's scheduler chose v (NULL: idle); on cpu, its run queue locked. */
void current_vcpu_set(unsigned int cpu, struct vcpu *v);

#endif
