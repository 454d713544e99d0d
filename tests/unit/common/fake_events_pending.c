/* Upcall markings counted for host tests: see fake_events_pending.h. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <proxenos/arch/evtchn.h>
#include <proxenos/domain.h>
#include <proxenos/domain_pv.h>
#include "fake_events_pending.h"

struct marked {
    const struct vcpu *v;
    unsigned int count;
};

static struct marked table[FAKE_EVENTS_PENDING_VCPUS];

void fake_events_pending_reset(void)
{
    memset(table, 0, sizeof(table));
}

static struct marked *find(const struct vcpu *v, bool add)
{
    for (unsigned int i = 0U; i < FAKE_EVENTS_PENDING_VCPUS; i++) {
        if (table[i].v == v) {
            return &table[i];
        }
    }
    if (!add) {
        return NULL;
    }
    for (unsigned int i = 0U; i < FAKE_EVENTS_PENDING_VCPUS; i++) {
        if (table[i].v == NULL) {
            table[i].v = v;
            return &table[i];
        }
    }
    fprintf(stderr, "fake_events_pending: more than %u vCPUs marked\n",
            FAKE_EVENTS_PENDING_VCPUS);
    abort();
}

unsigned int fake_events_marked(const struct vcpu *v)
{
    const struct marked *m = find(v, false);

    return (m != NULL) ? m->count : 0U;
}

__attribute__((weak)) void vcpu_mark_events_pending(struct vcpu *v)
{
    find(v, true)->count++;
    if (__atomic_exchange_n(&v->vcpu_info->evtchn_upcall_pending, (uint8_t)1U,
                            __ATOMIC_ACQ_REL) == 0U) {
        arch_evtchn_inject(v);
    }
}
