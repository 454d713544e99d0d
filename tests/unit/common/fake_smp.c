/* Shared stand-in for the online CPU set: see fake_smp.h. */
#include <proxenos/smp.h>
#include "fake_smp.h"

static uint64_t online = 1U;

void fake_smp_reset(void)
{
    online = 1U;
}

void fake_set_online_cpus(uint64_t mask)
{
    online = mask;
}

__attribute__((weak)) bool cpu_online(unsigned int cpu)
{
    return (cpu < 64U) && (((online >> cpu) & 1U) != 0U);
}

__attribute__((weak)) uint64_t cpu_online_mask(void)
{
    return online;
}

__attribute__((weak)) unsigned int num_online_cpus(void)
{
    return (unsigned int)__builtin_popcountll(online);
}
