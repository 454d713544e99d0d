/* Per-domain watchdogs (SCHEDOP_watchdog), as in Xen 4.17: a guest arms
 * one of a few timers and must re-arm it before it expires; if it does
 * not, the domain shuts down with reason SHUTDOWN_watchdog, and whatever
 * handles a stopped domain (the reaper, or the toolstack) takes it from
 * there (docs/hypercalls.md). */
#ifndef PROXENOS_DOMAIN_WATCHDOG_H
#define PROXENOS_DOMAIN_WATCHDOG_H

#include <proxenos/domain.h>

/* Before d is first used (domain_create). */
void domain_watchdog_init(struct domain *d);

/* SCHEDOP_watchdog for d. id 0 takes a free watchdog, arms it for timeout
 * seconds and returns its id; when none is free, -ENOSPC as Xen 4.17
 * returns it, truncated to 32 bits (0xffffffe4, positive). An id in use
 * is re-armed for timeout seconds from now, or with timeout 0 stopped and
 * freed (0). Any other id: -EINVAL. On expiry, fired(d, SHUTDOWN_watchdog). */
long domain_watchdog_op(struct domain *d, uint32_t id, uint32_t timeout,
                        domain_watchdog_fired_fn fired);

/* Stop d's watchdogs for good and wait for an expiry running on another
 * CPU to finish with d: before d's memory goes (domain_free). */
void domain_watchdog_destroy(struct domain *d);

#endif
