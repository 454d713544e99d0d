/* EL1 system register copies for host tests: see fake_vcpu_sysregs.h. */
#include <asm/vcpu_sysregs.h>
#include "fake_vcpu_sysregs.h"

static unsigned int calls[FAKE_SYSREGS_CALLS];
static uint64_t last_vmpidr;

void fake_vcpu_sysregs_reset(void)
{
    for (unsigned int i = 0U; i < (unsigned int)FAKE_SYSREGS_CALLS; i++) {
        calls[i] = 0U;
    }
    last_vmpidr = 0U;
}

unsigned int fake_vcpu_sysregs_calls(enum fake_sysregs_call call)
{
    return calls[call];
}

uint64_t fake_vcpu_sysregs_last_vmpidr(void)
{
    return last_vmpidr;
}

__attribute__((weak)) void vcpu_sysregs_reset(struct vcpu_sysregs *s, uint64_t vmpidr)
{
    calls[FAKE_SYSREGS_RESET]++;
    last_vmpidr = vmpidr;
    *s = (struct vcpu_sysregs){ 0 };
    s->vmpidr_el2 = vmpidr;
}

__attribute__((weak)) void vcpu_sysregs_save(struct vcpu_sysregs *s)
{
    (void)s;
    calls[FAKE_SYSREGS_SAVE]++;
}

__attribute__((weak)) void vcpu_sysregs_restore(const struct vcpu_sysregs *s)
{
    (void)s;
    calls[FAKE_SYSREGS_RESTORE]++;
}
