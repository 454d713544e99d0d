/* The event-channel upcall (d->evtchn_irq; PPI 31 for domUs as in Xen's
 * guest layout) is signalled as Xen 4.17 signals it: one edge each time
 * the vCPU's evtchn_upcall_pending flag goes from 0 to 1, whatever the
 * guest configured the PPI as. A level line following the flag would need
 * a maintenance interrupt at the end of every upcall, to see whether the
 * flag was set again while the guest handled it; an edge that comes while
 * the last upcall is active waits in the list register as active and
 * pending instead, and the guest takes it after its EOI with no exit.
 *
 * The guest may also set the flag itself, which no hypercall reports: on
 * each entry, a set flag that no edge has signalled yet gets one. */
#include <proxenos/arch/evtchn.h>
#include <proxenos/domain.h>
#include <asm/domain.h>
#include <asm/vgic.h>
#include <asm/evtchn_upcall.h>
#include <public/arch-arm.h>

static void pulse(struct vcpu *v)
{
    __atomic_store_n(&v->arch->evtchn_signalled, true, __ATOMIC_RELAXED);
    (void)vgic_pulse_irq(v->domain, v, v->domain->evtchn_irq);
}

/* The flag went from 0 to 1 (vcpu_mark_events_pending). */
void arch_evtchn_inject(struct vcpu *v)
{
    pulse(v);
}

unsigned int arch_evtchn_default_irq(void)
{
    return GUEST_EVTCHN_PPI;
}

void evtchn_upcall_resample(struct vcpu *v)
{
    /* A plain load (READ_ONCE; one byte, never torn): this runs on every
     * entry. No lock against a sender on another CPU: it pulses on every
     * 0 -> 1 of the flag whatever this path does, so a race here can only
     * add a second edge, which costs the guest an upcall that finds
     * nothing new (Xen's guests expect those), never lose one. */
    bool pending = READ_ONCE(v->vcpu_info->evtchn_upcall_pending) != 0U;

    if (pending != READ_ONCE(v->arch->evtchn_signalled)) {
        if (pending) {
            pulse(v);
        } else {
            __atomic_store_n(&v->arch->evtchn_signalled, false, __ATOMIC_RELAXED);
        }
    }
}

bool evtchn_upcall_settled(const struct vcpu *v)
{
    bool pending = READ_ONCE(v->vcpu_info->evtchn_upcall_pending) != 0U;

    return pending == READ_ONCE(v->arch->evtchn_signalled);
}
