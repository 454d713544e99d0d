/* The stack pointer of a trapped AArch64 guest, for the one emulation
 * that changes it (a post-indexed device access based on SP). Its EL1
 * registers stay loaded while it traps to EL2, so SP_EL0 and SP_EL1 are
 * the guest's own. */
#ifndef ASM_GUEST_SP_H
#define ASM_GUEST_SP_H

#include <proxenos/types.h>

enum guest_sp {
    GUEST_SP_EL0,       /* EL0, or EL1 with SP_EL0 selected (EL1t) */
    GUEST_SP_EL1,       /* EL1 with its own stack pointer (EL1h) */
    GUEST_SP_NONE,      /* AArch32, or a mode a guest cannot be in */
};

/* Which one the guest used at the trap, from its saved PSTATE (SPSR_EL2:
 * M[4] AArch32, M[3:0] the exception level and stack pointer). */
static inline enum guest_sp guest_sp_in_use(uint64_t spsr)
{
    switch (spsr & 0x1fU) {
    case 0x0U:          /* EL0t */
    case 0x4U:          /* EL1t */
        return GUEST_SP_EL0;
    case 0x5U:          /* EL1h */
        return GUEST_SP_EL1;
    default:
        return GUEST_SP_NONE;
    }
}

/* which must be GUEST_SP_EL0 or GUEST_SP_EL1. */
uint64_t guest_sp_get(enum guest_sp which);
void guest_sp_set(enum guest_sp which, uint64_t val);

#endif
