#ifndef PROXENOS_SCHED_PARAMS_H
#define PROXENOS_SCHED_PARAMS_H

/* Xen 4.17's default scheduler. */
#define SCHED_DEFAULT_NAME "credit2"

/* The scheduler chosen with sched= (or the default). */
const char *sched_default_name(void);

#endif
