/* Fake TLB maintenance for host tests of the stage 2: see fake_p2m_hw.h. */
#include <stddef.h>

#include <asm/p2m.h>
#include "fake_p2m_hw.h"

static unsigned int flushes;
static uint16_t last_vmid;
static unsigned int syncs;
static void (*flush_hook)(struct p2m_domain *p2m);

void fake_p2m_hw_reset(void)
{
    flushes = 0U;
    last_vmid = 0U;
    syncs = 0U;
    flush_hook = NULL;
}

unsigned int fake_tlb_flushes(void)
{
    return flushes;
}

uint16_t fake_last_flush_vmid(void)
{
    return last_vmid;
}

unsigned int fake_tables_syncs(void)
{
    return syncs;
}

void fake_set_flush_hook(void (*fn)(struct p2m_domain *p2m))
{
    flush_hook = fn;
}

__attribute__((weak)) void p2m_flush_tlb(struct p2m_domain *p2m)
{
    flushes++;
    last_vmid = p2m->vmid;
    if (flush_hook != NULL) {
        flush_hook(p2m);
    }
}

__attribute__((weak)) void p2m_tables_sync(void)
{
    syncs++;
}
