/* Time hooks: a monotonic clock and a one-shot timer interrupt per CPU. */
#ifndef PROXENOS_ARCH_TIME_H
#define PROXENOS_ARCH_TIME_H

#include <proxenos/types.h>

/* System time in nanoseconds since boot, as in Xen. */
typedef int64_t s_time_t;

s_time_t arch_now(void);

/* Make this CPU's timer interrupt fire at deadline (0: no interrupt). When
 * it fires, the arch code calls timer_interrupt(). */
void arch_timer_program(s_time_t deadline);

#endif
