/* The vCPU each physical CPU runs: see <proxenos/current.h>. A file of
 * its own, below the scheduler, so that reading it is not a call into
 * sched.c. */
#include <proxenos/current.h>

/* Written only by the CPU itself (schedule()), read by it: no lock. */
struct vcpu *current_vcpus[NR_CPUS];

void current_vcpu_set(unsigned int cpu, struct vcpu *v)
{
    current_vcpus[cpu] = v;
}
