/* A stand-in for the online CPU set (cpu_online, cpu_online_mask and
 * num_online_cpus of common/core/smp.c), for host tests of the code that
 * reads it (the toolstack's CPU and pool answers) without bringing CPUs
 * up: the set is a mask the test gives, so that a CPU can also be offline
 * again between two checks, which the real set (only ever added to) cannot
 * show.
 * CPU 0 alone is online after the reset.
 *
 * Weak: a test that links smp.c gets the real set. Link this file by
 * naming ../tests/unit/common/fake_smp.c in a test's -src, and call
 * fake_smp_reset() in each test's setup. */
#ifndef FAKE_SMP_H
#define FAKE_SMP_H

#include <stdint.h>

void fake_smp_reset(void);
/* CPU n is online if bit n of mask is set (CPUs 64 and up never are). */
void fake_set_online_cpus(uint64_t mask);

#endif
