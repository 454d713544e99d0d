/* Which CPUs are online, and running a function on another CPU. */
#ifndef PROXENOS_SMP_H
#define PROXENOS_SMP_H

#include <proxenos/types.h>
#include <proxenos/arch/cpu.h>

#define NR_CPUS CONFIG_NR_CPUS

static inline unsigned int smp_processor_id(void) { return arch_cpu_id(); }

void cpu_set_online(unsigned int cpu);
bool cpu_online(unsigned int cpu);
uint64_t cpu_online_mask(void);     /* bit n: CPU n is online */
unsigned int num_online_cpus(void);

/* Run fn(data) on cpu from CALL_FUNCTION_SOFTIRQ; with wait, return when it
 * has run. Returns -EINVAL for an offline CPU, -EBUSY if one is in flight. */
int smp_call_function_single(unsigned int cpu, void (*fn)(void *data), void *data, bool wait);
void smp_call_function_init(void);

#endif
