/* The event-channel upcall is a level-sensitive PPI (d->evtchn_irq; 31 for
 * domUs as in Xen's guest layout) whose line follows the vCPU's
 * evtchn_upcall_pending flag. The guest clears the flag itself, so the
 * line is resampled on every entry to the guest, as the timer's is. */
#include <proxenos/arch/evtchn.h>
#include <proxenos/domain.h>
#include <asm/domain.h>
#include <asm/vgic.h>
#include <asm/evtchn_upcall.h>
#include <public/arch-arm.h>

/* Bring the line to the flag's level. Under a lock, because two CPUs do
 * this for one vCPU: the one sending an event (flag just set) and the
 * vCPU's own on its way into the guest. Unlocked, the vCPU's resample
 * could lower the line from an older reading of the flag after the sender
 * raised it, leaving the flag set, the line low and every later event
 * (the flag already set) raising nothing: the guest would never be told. */
static void line_follow_flag(struct vcpu *v)
{
    unsigned long flags = spin_lock_irqsave(&v->arch->evtchn_line_lock);
    bool pending = __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending, __ATOMIC_ACQUIRE) != 0U;

    if (pending != v->arch->evtchn_line_high) {
        __atomic_store_n(&v->arch->evtchn_line_high, pending, __ATOMIC_RELEASE);
        (void)vgic_inject_irq(v->domain, v, v->domain->evtchn_irq, pending);
    }
    spin_unlock_irqrestore(&v->arch->evtchn_line_lock, flags);
}

void arch_evtchn_inject(struct vcpu *v)
{
    line_follow_flag(v);
}

unsigned int arch_evtchn_default_irq(void)
{
    return GUEST_EVTCHN_PPI;
}

void evtchn_upcall_resample(struct vcpu *v)
{
    bool pending = __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending, __ATOMIC_ACQUIRE) != 0U;

    /* This runs on every entry: only a difference (read without the lock;
     * the locked path reads both again) costs the lock and the vGIC.
     * A plain load (READ_ONCE; one byte, never torn), not an atomic one,
     * which on AArch64 costs an address computation and a normalisation
     * of its own: nothing read here depends on what the last writer of the
     * line stored before it. A stale level seen equal to the flag skips
     * nothing that matters: the line changes only under the lock, by a
     * sender that reads the flag there (its raise happens whatever this
     * read saw) or by this vCPU's own earlier entry, on this CPU. */
    if (pending != READ_ONCE(v->arch->evtchn_line_high)) {
        line_follow_flag(v);
    }
}
