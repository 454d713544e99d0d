/* The vCPU each physical CPU runs. Kept by common/sched/current.c, set only by
 * the scheduler when it switches, and read by anyone, arch code included,
 * without calling into the scheduler (whose switch calls the arch's). */
#ifndef PROXENOS_CURRENT_H
#define PROXENOS_CURRENT_H

struct vcpu;

/* The vCPU running on this physical CPU (NULL when idle). */
struct vcpu *current_vcpu(void);

/* cpu's scheduler chose v (NULL: idle); on cpu, its run queue locked. */
void current_vcpu_set(unsigned int cpu, struct vcpu *v);

#endif
