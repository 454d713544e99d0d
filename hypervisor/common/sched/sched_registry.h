/* The ops of each scheduler, defined in its own file and listed by
 * sched_registry.c: declared once, here, where both see them. */
#ifndef PROXENOS_SCHED_REGISTRY_H
#define PROXENOS_SCHED_REGISTRY_H

#include <proxenos/sched_ops.h>

extern const struct sched_ops sched_credit2_ops;
extern const struct sched_ops sched_credit_ops;
extern const struct sched_ops sched_null_ops;
extern const struct sched_ops sched_rtds_ops;
extern const struct sched_ops sched_arinc653_ops;

#endif
