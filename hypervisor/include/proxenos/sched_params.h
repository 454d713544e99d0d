#ifndef PROXENOS_SCHED_PARAMS_H
#define PROXENOS_SCHED_PARAMS_H

#include <proxenos/types.h>

/* Xen 4.17's default scheduler. */
#define SCHED_DEFAULT_NAME "credit2"

/* The scheduler chosen with sched= (or the default). */
const char *sched_default_name(void);

/* sched_ratelimit_us=: the shortest run before a vCPU may be preempted,
 * in us. One option of Xen's core, read by credit and credit2, each of
 * which applies its own limits to it. */
#define SCHED_DEFAULT_RATELIMIT_US 1000U
extern uint32_t sched_ratelimit_us;

#endif
