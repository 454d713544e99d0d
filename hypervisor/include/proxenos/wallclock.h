/* The wall clock every domain reads from its shared info page
 * (wc_version, wc_sec, wc_nsec, wc_sec_hi): the time of day at system time
 * 0. Set by dom0 with XENPF_settime64; 0 until then, as on Xen for Arm. */
#ifndef PROXENOS_WALLCLOCK_H
#define PROXENOS_WALLCLOCK_H

#include <proxenos/domain.h>

/* Publish the current wall clock in d's shared info (at domain creation,
 * as Xen's arch_domain_create does). */
void wallclock_domain_init(struct domain *d);

/* The wall clock reads secs.nsecs (since 1970) at system time
 * system_time: store it and publish it to every domain. */
void wallclock_set(uint64_t secs, uint32_t nsecs, uint64_t system_time);

#endif
