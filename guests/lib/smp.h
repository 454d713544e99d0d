/*
 * Secondary vCPUs. Each vCPU has a stack and an index (0 = the boot
 * vCPU); PSCI CPU_ON passes the index as the context id, and
 * secondary_entry in start.S picks the stack from it.
 */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#include <stdint.h>

#include "platform.h"

typedef void (*smp_fn_t)(void *arg);

/* Index of the calling vCPU (TPIDR_EL1, set at entry). */
uint32_t cpu_index(void);

/*
 * PSCI CPU_ON for platform vCPU `index` (its MPIDR from /cpus): it sets
 * up its redistributor (when gic_init ran), calls fn(arg), then CPU_OFF.
 * Returns the PSCI result.
 */
int32_t smp_cpu_on(const struct platform *p, uint32_t index, smp_fn_t fn, void *arg);

/* Called from start.S with the context id. */
void secondary_boot(uint64_t index) __attribute__((noreturn));

#endif
