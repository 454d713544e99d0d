/* The arch part of a domain and a vCPU for the scheduler's host test: the
 * scheduler never looks inside, so it only has to exist. */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

/* As the real one, which needs it for its vtimer: domain.h counts on it. */
#include <proxenos/timer.h>

struct arch_domain {
    int unused;
};

struct arch_vcpu {
    int unused;
};

#endif
