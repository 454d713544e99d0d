/* The guest's stack pointers as two variables: see fake_guest_sp.h. */
#include "fake_guest_sp.h"

static uint64_t sp[2];

void fake_guest_sp_reset(void)
{
    sp[GUEST_SP_EL0] = 0U;
    sp[GUEST_SP_EL1] = 0U;
}

__attribute__((weak)) uint64_t guest_sp_get(enum guest_sp which)
{
    return (which == GUEST_SP_EL1) ? sp[GUEST_SP_EL1] : sp[GUEST_SP_EL0];
}

__attribute__((weak)) void guest_sp_set(enum guest_sp which, uint64_t val)
{
    sp[(which == GUEST_SP_EL1) ? GUEST_SP_EL1 : GUEST_SP_EL0] = val;
}
