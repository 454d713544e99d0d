/* Xen's credit scheduler (common/sched/credit.c): its hooks, for the
 * registry of schedulers (sched_registry.c). */
#ifndef PROXENOS_SCHED_CREDIT_H
#define PROXENOS_SCHED_CREDIT_H

#include <proxenos/sched_ops.h>

extern const struct sched_ops sched_credit_ops;

#endif
