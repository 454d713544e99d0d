/* Delivering synchronous exceptions to a guest's own EL1 vector table, with
 * the syndrome Xen 4.17 gives: the class (an abort taken from EL1 itself,
 * or the lower-EL class when the guest was at EL0), IL copied from the
 * trap being answered (the faulting instruction's length), and an ISS of
 * zero: no fault status code (DFSC/IFSC 0), no FnV, no WnR. FAR_EL1 is the
 * faulting virtual address. PSTATE becomes EL1h with D, A, I and F
 * masked, ELR_EL1 and SPSR_EL1 what the guest had. Works on the live EL1
 * registers, so v must be the vCPU running here. */
#include <asm/sysregs.h>
#include <asm/traps.h>

#define PSR_MODE_MASK   0x1fULL
#define PSR_MODE_EL0T   0x00ULL
#define PSR_MODE_EL1T   0x04ULL
#define PSR_MODE_EL1H   0x05ULL
#define PSR_AARCH32     0x10ULL
#define PSR_EL1H_MASKED 0x3c5ULL
#define ESR_IL          (1ULL << 25)
#define EC_UNKNOWN_CLASS 0x00ULL
#define EC_DABT_CUR     0x25ULL
#define EC_IABT_CUR     0x21ULL

static uint64_t vector_offset(uint64_t spsr)
{
    uint64_t mode = spsr & PSR_MODE_MASK;

    if ((spsr & PSR_AARCH32) != 0U) {
        return 0x600U;          /* lower EL, AArch32 */
    }
    if (mode == PSR_MODE_EL1H) {
        return 0x200U;          /* current EL with SP_ELx */
    }
    if (mode == PSR_MODE_EL1T) {
        return 0x000U;          /* current EL with SP_EL0 */
    }
    return 0x400U;              /* lower EL, AArch64 */
}

static void inject_sync(struct trap_frame *f, uint64_t ec, uint64_t far, bool has_far)
{
    WRITE_SYSREG(elr_el1, f->elr);
    WRITE_SYSREG(spsr_el1, f->spsr);
    WRITE_SYSREG(esr_el1, (ec << 26) | (f->esr & ESR_IL));
    if (has_far) {
        WRITE_SYSREG(far_el1, far);
    }
    f->elr = READ_SYSREG(vbar_el1) + vector_offset(f->spsr);
    f->spsr = PSR_EL1H_MASKED;
}

void inject_undef(struct vcpu *v, struct trap_frame *f)
{
    (void)v;
    inject_sync(f, EC_UNKNOWN_CLASS, 0U, false);
}

/* An abort of class ec_cur (taken from the guest's own EL1), or the
 * lower-EL class below it when the guest was at EL0. */
static void inject_abort(struct trap_frame *f, uint64_t ec_cur, uint64_t addr)
{
    uint64_t from_el0 = ((f->spsr & PSR_MODE_MASK) == PSR_MODE_EL0T) ? 1U : 0U;

    inject_sync(f, ec_cur - from_el0, addr, true);
}

void inject_dabt(struct vcpu *v, struct trap_frame *f, uint64_t addr)
{
    (void)v;
    inject_abort(f, EC_DABT_CUR, addr);
}

void inject_iabt(struct vcpu *v, struct trap_frame *f, uint64_t addr)
{
    (void)v;
    inject_abort(f, EC_IABT_CUR, addr);
}
