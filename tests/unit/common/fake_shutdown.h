/* A stand-in for the end of a domain's life as other subsystems ask for it
 * (common/domain/domain_shutdown.c: domain_shutdown, domain_crash), for host tests
 * of the code that asks (a trap handler, a hypercall) without the
 * machinery behind (pausing every vCPU, VIRQ_DOM_EXC, the toolstack):
 * each call is counted and its arguments kept for the test to check.
 *
 * Weak: a test that links domain_shutdown.c gets the real one. Link it by
 * naming ../tests/unit/common/fake_shutdown.c in a test's -src, and call
 * fake_shutdown_reset() in each test's setup. */
#ifndef FAKE_SHUTDOWN_H
#define FAKE_SHUTDOWN_H

#include <proxenos/domain.h>

void fake_shutdown_reset(void);
/* domain_shutdown calls since the reset; the last one's domain and
 * reason (pointers may be NULL; -1 as the reason when none). */
unsigned int fake_shutdowns(struct domain **d, int *reason);
/* domain_crash calls since the reset; the last one's arguments (pointers
 * may be NULL). */
unsigned int fake_crashes(struct domain **d, struct vcpu **v, const char **why);

#endif
