/* Shared stand-in for domain_shutdown and domain_crash: see fake_shutdown.h. */
#include <stddef.h>

#include "fake_shutdown.h"

static unsigned int shutdowns, crashes;
static struct domain *shut_dom, *crash_dom;
static int shut_reason = -1;
static struct vcpu *crash_vcpu;
static const char *crash_why;

void fake_shutdown_reset(void)
{
    shutdowns = 0U;
    crashes = 0U;
    shut_dom = NULL;
    crash_dom = NULL;
    shut_reason = -1;
    crash_vcpu = NULL;
    crash_why = NULL;
}

__attribute__((weak)) void domain_shutdown(struct domain *d, enum shutdown_reason reason)
{
    shutdowns++;
    shut_dom = d;
    shut_reason = (int)reason;
}

__attribute__((weak)) void domain_crash(struct domain *d, struct vcpu *v, const char *why)
{
    crashes++;
    crash_dom = d;
    crash_vcpu = v;
    crash_why = why;
}

unsigned int fake_shutdowns(struct domain **d, int *reason)
{
    if (d != NULL) {
        *d = shut_dom;
    }
    if (reason != NULL) {
        *reason = shut_reason;
    }
    return shutdowns;
}

unsigned int fake_crashes(struct domain **d, struct vcpu **v, const char **why)
{
    if (d != NULL) {
        *d = crash_dom;
    }
    if (v != NULL) {
        *v = crash_vcpu;
    }
    if (why != NULL) {
        *why = crash_why;
    }
    return crashes;
}
