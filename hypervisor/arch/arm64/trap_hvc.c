/* HVC and SMC from guests. HVC #0 and SMC #0 are SMCCC calls (PSCI and
 * the Arm architecture calls); HVC #0xEA1 is a Xen hypercall. */
#include <asm/traps.h>
#include <public/arch-arm.h>
#include <proxenos/errno.h>

#define SMCCC_NOT_SUPPORTED 0xffffffffffffffffULL

static void smccc_call(struct vcpu *v, struct trap_frame *f)
{
    if (!vsmccc_handle(v, f)) {
        f->x[0] = SMCCC_NOT_SUPPORTED;
    }
}

void trap_hvc(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    uint32_t imm = t->iss & 0xffffU;

    /* The preferred return address of HVC is already the next instruction. */
    if (imm == XEN_HYPERCALL_TAG) {
        /* The Xen hypercall table arrives with the guest ABI work. */
        f->x[0] = (uint64_t)(int64_t)-ENOSYS;
    } else if (imm == 0U) {
        smccc_call(v, f);
    } else {
        inject_undef(v, f);
    }
}

void trap_smc(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    /* A trapped SMC returns to the SMC itself: step over it. */
    advance_pc(f, t);
    if ((t->iss & 0xffffU) == 0U) {
        smccc_call(v, f);
    } else {
        f->x[0] = SMCCC_NOT_SUPPORTED;
    }
}
