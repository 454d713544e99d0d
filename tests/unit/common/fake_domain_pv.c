/* Shared stand-in for the PV subsystems as domain creation and destruction
 * call them: see fake_domain_pv.h. */
#include <stddef.h>

#include <proxenos/domain_pv.h>
#include <proxenos/gnttab.h>
#include "domain_internal.h"     /* domain_notify_exception */
#include "fake_domain_pv.h"

static unsigned int calls[FAKE_PV_CALLS];
static struct domain *last_dom[FAKE_PV_CALLS];
static uint32_t max_frames;

void fake_domain_pv_reset(void)
{
    for (unsigned int c = 0U; c < (unsigned int)FAKE_PV_CALLS; c++) {
        calls[c] = 0U;
        last_dom[c] = NULL;
    }
    max_frames = 0U;
}

unsigned int fake_pv_calls(enum fake_pv_call call, struct domain **d)
{
    if (d != NULL) {
        *d = last_dom[call];
    }
    return calls[call];
}

uint32_t fake_gnttab_max_frames(void)
{
    return max_frames;
}

static void record(enum fake_pv_call call, struct domain *d)
{
    calls[call]++;
    last_dom[call] = d;
}

__attribute__((weak)) int domain_pv_init(struct domain *d)
{
    record(FAKE_PV_INIT, d);
    return 0;
}

__attribute__((weak)) void domain_pv_destroy(struct domain *d)
{
    record(FAKE_PV_DESTROY, d);
}

__attribute__((weak)) int gnttab_set_max_frames(struct domain *d, uint32_t max)
{
    record(FAKE_PV_GNTTAB_MAX_FRAMES, d);
    max_frames = max;
    return 0;
}

__attribute__((weak)) void gnttab_release_mappings(struct domain *d)
{
    record(FAKE_PV_GNTTAB_RELEASE, d);
}

__attribute__((weak)) void domain_notify_exception(void)
{
    record(FAKE_PV_NOTIFY_EXCEPTION, NULL);
}
