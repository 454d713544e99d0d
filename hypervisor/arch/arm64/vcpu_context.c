/* A vCPU's registers as the toolstack gives and reads them
 * (XEN_DOMCTL_setvcpucontext / getvcpucontext): Xen 4.17's struct
 * vcpu_guest_context for AArch64 guests, mapped onto the state a vCPU keeps
 * while off its CPU (struct arch_vcpu). Callers hold the vCPU off its CPU
 * (its domain paused), so nothing here races with a context switch. */
#include <asm/domain.h>
#include <asm/vcpu_sysregs.h>
#include <public/arch-arm.h>
#include <proxenos/arch/domain.h>
#include <proxenos/errno.h>
#include <proxenos/string.h>

/* PSTATE.M: bit 4 set is AArch32; M[3:0] the exception level and stack. */
#define PSR_MODE_AARCH32 0x10ULL
#define PSR_MODE_MASK    0x0fULL
#define PSR_MODE_EL0T    0x0ULL
#define PSR_MODE_EL1T    0x4ULL
#define PSR_MODE_EL1H    0x5ULL

/* x0..x30 lie back to back in both layouts: they are copied as one block. */
_Static_assert(offsetof(struct vcpu_guest_core_regs, x30) ==
               (offsetof(struct vcpu_guest_core_regs, x0) + (30U * sizeof(uint64_t))),
               "x0-x30 contiguous");
#define NR_GPRS 31U

/* A mode an AArch64 guest may be in (Xen's is_guest_pv64_psr): EL1 with
 * either stack, or EL0; never EL2/EL3, never AArch32 here. */
static bool guest_psr_ok(uint64_t psr)
{
    uint64_t mode = psr & PSR_MODE_MASK;

    if ((psr & PSR_MODE_AARCH32) != 0U) {
        return false;
    }
    return (mode == PSR_MODE_EL1H) || (mode == PSR_MODE_EL1T) || (mode == PSR_MODE_EL0T);
}

int arch_vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *ctxt)
{
    const struct vcpu_guest_core_regs *r = &ctxt->user_regs;
    struct vcpu_sysregs *sys = &v->arch->sys;

    if (!guest_psr_ok(r->cpsr) || ((r->spsr_el1 != 0U) && !guest_psr_ok(r->spsr_el1))) {
        return -EINVAL;
    }
    /* A CPU_ON entry not taken yet would overwrite what we set: apply it
     * first, so that the registers left alone are the reset ones. */
    if (v->arch->reset_pending) {
        vcpu_apply_reset(v);
    }
    (void)memcpy(v->arch->regs.x, &r->x0, NR_GPRS * sizeof(uint64_t));
    v->arch->regs.elr = r->pc64;
    v->arch->regs.spsr = r->cpsr;
    sys->spsr_el1 = r->spsr_el1;
    sys->sp_el0 = r->sp_el0;
    sys->sp_el1 = r->sp_el1;
    sys->elr_el1 = r->elr_el1;
    /* Taken as they come, as Xen does: a bad value only hurts the guest. */
    sys->sctlr_el1 = ctxt->sctlr;
    sys->tcr_el1 = ctxt->ttbcr;
    sys->ttbr0_el1 = ctxt->ttbr0;
    sys->ttbr1_el1 = ctxt->ttbr1;
    return 0;
}

void arch_vcpu_get_context(struct vcpu *v, struct vcpu_guest_context *ctxt)
{
    struct vcpu_guest_core_regs *r = &ctxt->user_regs;
    const struct vcpu_sysregs *sys = &v->arch->sys;

    if (v->arch->reset_pending) {
        vcpu_apply_reset(v);
    }
    (void)memset(ctxt, 0, sizeof(*ctxt));
    ctxt->flags = (v->state != VCPU_OFFLINE) ? VGCF_online : 0U;
    (void)memcpy(&r->x0, v->arch->regs.x, NR_GPRS * sizeof(uint64_t));
    r->pc64 = v->arch->regs.elr;
    r->cpsr = v->arch->regs.spsr;
    r->spsr_el1 = sys->spsr_el1;
    r->sp_el0 = sys->sp_el0;
    r->sp_el1 = sys->sp_el1;
    r->elr_el1 = sys->elr_el1;
    ctxt->sctlr = sys->sctlr_el1;
    ctxt->ttbcr = sys->tcr_el1;
    ctxt->ttbr0 = sys->ttbr0_el1;
    ctxt->ttbr1 = sys->ttbr1_el1;
}

void arch_vcpu_reset_context(struct vcpu *v)
{
    v->arch->reset_pc = 0U;
    v->arch->reset_x0 = 0U;
    vcpu_apply_reset(v);
}
