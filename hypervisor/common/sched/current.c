/* The vCPU each physical CPU runs: see <proxenos/current.h>. A file of
 * its own, below the scheduler, so that reading it is not a call into
 * sched.c. */
#include <proxenos/current.h>
#include <proxenos/arch/cpu.h>
#include <proxenos/smp.h>

/* Written only by the CPU itself (schedule()), read by it: no lock. */
static struct vcpu *running[NR_CPUS];

struct vcpu *current_vcpu(void)
{
    return running[arch_cpu_id()];
}

void current_vcpu_set(unsigned int cpu, struct vcpu *v)
{
    running[cpu] = v;
}
