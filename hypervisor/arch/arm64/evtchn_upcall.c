/* The event-channel upcall is a level-sensitive PPI (d->evtchn_irq; 31 for
 * domUs as in Xen's guest layout) whose line follows the vCPU's
 * evtchn_upcall_pending flag. The guest clears the flag itself, so the
 * line is resampled on every entry to the guest, as the timer's is. */
#include <proxenos/arch/event.h>
#include <proxenos/domain.h>
#include <asm/vgic.h>
#include <asm/evtchn_upcall.h>
#include <public/arch-arm.h>

void arch_evtchn_inject(struct vcpu *v)
{
    v->arch.evtchn_line_high = true;
    (void)vgic_inject_irq(v->domain, v, v->domain->evtchn_irq, true);
}

unsigned int arch_evtchn_default_irq(void)
{
    return GUEST_EVTCHN_PPI;
}

void evtchn_upcall_resample(struct vcpu *v)
{
    bool pending = __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending, __ATOMIC_ACQUIRE) != 0U;

    /* Only a change costs a trip to the vGIC: this runs on every entry. */
    if (pending != v->arch.evtchn_line_high) {
        v->arch.evtchn_line_high = pending;
        (void)vgic_inject_irq(v->domain, v, v->domain->evtchn_irq, pending);
    }
}
