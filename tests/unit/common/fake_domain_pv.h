/* A stand-in for what a domain's creation and destruction ask of the Xen
 * PV subsystems, for host tests of the domain life cycle (domain.c,
 * domain_ref.c, domain_pause.c) without the event channels, grant tables,
 * console and shared info page behind:
 *
 *   domain_pv_init, domain_pv_destroy   (common/domain/domain_pv.c) counted;
 *                                       init answers 0;
 *   gnttab_set_max_frames               (common/grant/gnttab.c) counted, its
 *                                       last value kept; answers 0;
 *   gnttab_release_mappings             (common/grant/gnttab_map.c) counted;
 *   domain_notify_exception             (common/domain/domain_notify.c, the
 *                                       VIRQ_DOM_EXC to the hardware domain)
 *                                       counted.
 *
 * Each call's domain is remembered per hook. (The event channels' limit,
 * evtchn_set_max_port, is fake_evtchn.c's.) All weak: a test that links
 * the real file gets it. Link this file by naming
 * ../tests/unit/common/fake_domain_pv.c in a test's -src (with
 * -I$(HYP)/common/domain in its -cppflags, for domain_notify_exception's
 * private declaration), and call fake_domain_pv_reset() in each test's
 * setup. */
#ifndef FAKE_DOMAIN_PV_H
#define FAKE_DOMAIN_PV_H

#include <stdint.h>

struct domain;

enum fake_pv_call {
    FAKE_PV_INIT,
    FAKE_PV_DESTROY,
    FAKE_PV_GNTTAB_MAX_FRAMES,
    FAKE_PV_GNTTAB_RELEASE,
    FAKE_PV_NOTIFY_EXCEPTION,
    FAKE_PV_CALLS
};

void fake_domain_pv_reset(void);
/* Calls of call since the reset; *d (may be NULL) the last one's domain
 * (NULL when none, and always for domain_notify_exception). */
unsigned int fake_pv_calls(enum fake_pv_call call, struct domain **d);
/* The last gnttab_set_max_frames value (0 when none). */
uint32_t fake_gnttab_max_frames(void);

#endif
