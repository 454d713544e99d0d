/* Exception injection recorded for host tests: see fake_inject.h. */
#include <stddef.h>

#include <asm/traps.h>
#include "fake_inject.h"

static unsigned int counts[FAKE_INJECT_KINDS];
static struct vcpu *last_vcpu;
static uint64_t last_addr;

void fake_inject_reset(void)
{
    for (unsigned int k = 0U; k < (unsigned int)FAKE_INJECT_KINDS; k++) {
        counts[k] = 0U;
    }
    last_vcpu = NULL;
    last_addr = 0U;
}

unsigned int fake_injections(enum fake_inject_kind kind)
{
    return counts[kind];
}

void fake_last_injection(struct vcpu **v, uint64_t *addr)
{
    if (v != NULL) {
        *v = last_vcpu;
    }
    if (addr != NULL) {
        *addr = last_addr;
    }
}

static void record(enum fake_inject_kind kind, struct vcpu *v, uint64_t addr)
{
    counts[kind]++;
    last_vcpu = v;
    last_addr = addr;
}

__attribute__((weak)) void inject_undef(struct vcpu *v, struct trap_frame *f)
{
    (void)f;
    record(FAKE_INJECT_UNDEF, v, 0U);
}

__attribute__((weak)) void inject_dabt(struct vcpu *v, struct trap_frame *f, uint64_t addr)
{
    (void)f;
    record(FAKE_INJECT_DABT, v, addr);
}

__attribute__((weak)) void inject_iabt(struct vcpu *v, struct trap_frame *f, uint64_t addr)
{
    (void)f;
    record(FAKE_INJECT_IABT, v, addr);
}
