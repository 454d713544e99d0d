/* A trapped guest's stack pointers, read and written in place
 * (asm/guest_sp.h). */
#include <asm/guest_sp.h>
#include <asm/sysregs.h>

uint64_t guest_sp_get(enum guest_sp which)
{
    return (which == GUEST_SP_EL1) ? READ_SYSREG(sp_el1) : READ_SYSREG(sp_el0);
}

void guest_sp_set(enum guest_sp which, uint64_t val)
{
    if (which == GUEST_SP_EL1) {
        WRITE_SYSREG(sp_el1, val);
    } else {
        WRITE_SYSREG(sp_el0, val);
    }
}
