/* A vCPU's EL1 system registers: saved when it leaves a physical CPU,
 * restored when it arrives, and their architectural reset values. */
#include <asm/domain.h>
#include <asm/sysregs.h>
#include <asm/vcpu_sysregs.h>

/* SCTLR_EL1 at reset: MMU and caches off, RES1 bits set. */
#define SCTLR_EL1_RESET 0x30d00800ULL

void vcpu_sysregs_reset(struct vcpu_sysregs *s, uint64_t vmpidr)
{
    *s = (struct vcpu_sysregs){ 0 };
    s->sctlr_el1 = SCTLR_EL1_RESET;
    s->vmpidr_el2 = vmpidr;
}

void vcpu_sysregs_save(struct vcpu_sysregs *s)
{
    s->sctlr_el1 = READ_SYSREG(sctlr_el1);
    s->actlr_el1 = READ_SYSREG(actlr_el1);
    s->cpacr_el1 = READ_SYSREG(cpacr_el1);
    s->ttbr0_el1 = READ_SYSREG(ttbr0_el1);
    s->ttbr1_el1 = READ_SYSREG(ttbr1_el1);
    s->tcr_el1 = READ_SYSREG(tcr_el1);
    s->mair_el1 = READ_SYSREG(mair_el1);
    s->amair_el1 = READ_SYSREG(amair_el1);
    s->vbar_el1 = READ_SYSREG(vbar_el1);
    s->contextidr_el1 = READ_SYSREG(contextidr_el1);
    s->tpidr_el0 = READ_SYSREG(tpidr_el0);
    s->tpidrro_el0 = READ_SYSREG(tpidrro_el0);
    s->tpidr_el1 = READ_SYSREG(tpidr_el1);
    s->sp_el0 = READ_SYSREG(sp_el0);
    s->sp_el1 = READ_SYSREG(sp_el1);
    s->elr_el1 = READ_SYSREG(elr_el1);
    s->spsr_el1 = READ_SYSREG(spsr_el1);
    s->esr_el1 = READ_SYSREG(esr_el1);
    s->far_el1 = READ_SYSREG(far_el1);
    s->afsr0_el1 = READ_SYSREG(afsr0_el1);
    s->afsr1_el1 = READ_SYSREG(afsr1_el1);
    s->par_el1 = READ_SYSREG(par_el1);
    s->csselr_el1 = READ_SYSREG(csselr_el1);
    s->cntkctl_el1 = READ_SYSREG(cntkctl_el1);
    s->mdscr_el1 = READ_SYSREG(mdscr_el1);
    s->cntv_ctl_el0 = READ_SYSREG(cntv_ctl_el0);
    s->cntv_cval_el0 = READ_SYSREG(cntv_cval_el0);
    /* The guest's timer must not fire while another vCPU runs here. */
    WRITE_SYSREG(cntv_ctl_el0, 0U);
    isb();
}

void vcpu_sysregs_restore(const struct vcpu_sysregs *s)
{
    WRITE_SYSREG(sctlr_el1, s->sctlr_el1);
    WRITE_SYSREG(actlr_el1, s->actlr_el1);
    WRITE_SYSREG(cpacr_el1, s->cpacr_el1);
    WRITE_SYSREG(ttbr0_el1, s->ttbr0_el1);
    WRITE_SYSREG(ttbr1_el1, s->ttbr1_el1);
    WRITE_SYSREG(tcr_el1, s->tcr_el1);
    WRITE_SYSREG(mair_el1, s->mair_el1);
    WRITE_SYSREG(amair_el1, s->amair_el1);
    WRITE_SYSREG(vbar_el1, s->vbar_el1);
    WRITE_SYSREG(contextidr_el1, s->contextidr_el1);
    WRITE_SYSREG(tpidr_el0, s->tpidr_el0);
    WRITE_SYSREG(tpidrro_el0, s->tpidrro_el0);
    WRITE_SYSREG(tpidr_el1, s->tpidr_el1);
    WRITE_SYSREG(sp_el0, s->sp_el0);
    WRITE_SYSREG(sp_el1, s->sp_el1);
    WRITE_SYSREG(elr_el1, s->elr_el1);
    WRITE_SYSREG(spsr_el1, s->spsr_el1);
    WRITE_SYSREG(esr_el1, s->esr_el1);
    WRITE_SYSREG(far_el1, s->far_el1);
    WRITE_SYSREG(afsr0_el1, s->afsr0_el1);
    WRITE_SYSREG(afsr1_el1, s->afsr1_el1);
    WRITE_SYSREG(par_el1, s->par_el1);
    WRITE_SYSREG(csselr_el1, s->csselr_el1);
    WRITE_SYSREG(cntkctl_el1, s->cntkctl_el1);
    WRITE_SYSREG(mdscr_el1, s->mdscr_el1);
    WRITE_SYSREG(vmpidr_el2, s->vmpidr_el2);
    WRITE_SYSREG(cntv_cval_el0, s->cntv_cval_el0);
    WRITE_SYSREG(cntv_ctl_el0, s->cntv_ctl_el0);
    isb();
}
