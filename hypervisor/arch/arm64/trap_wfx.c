/* WFI blocks the vCPU until it has an interrupt to take; WFE yields. */
#include <asm/esr.h>
#include <asm/traps.h>
#include <asm/vgic.h>
#include <proxenos/sched.h>

void trap_wfx(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    advance_pc(f, t);
    if (wfx_is_wfe(t->iss)) {
        vcpu_yield_current();
        return;
    }
    if (vgic_vcpu_pending_irq(v)) {
        return;
    }
    vcpu_block_current();
    /* An interrupt that arrived while we decided to block must not be
     * lost: vcpu_kick() saw us running, so look again. */
    if (vgic_vcpu_pending_irq(v)) {
        vcpu_wake(v);
    }
}
