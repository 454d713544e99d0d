/* The floor of an exception round trip (limit.c). */
#ifndef BENCH_MICRO_LIMIT_H
#define BENCH_MICRO_LIMIT_H

#include <stdint.h>

/* Ticks of the virtual counter for iters SVC #0 taken to EL1 and returned
 * at once; interrupts are masked while it runs and stay masked after. */
uint64_t bench_svc_round_trips(uint64_t iters);

#endif
