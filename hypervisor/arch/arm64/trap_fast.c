/* The short way through a guest's HVC: hypercalls and SMCCC calls are the
 * most frequent synchronous exits and touch only argument registers, so
 * entry.S saves just the registers a C call may clobber (x0-x18, x29, x30)
 * and calls guest_sync_fast() before anything else. When the exit needs
 * nothing on the way in (no list register in use, the timer line low) and
 * nothing on the way out (no softirq, no interrupt to load, no upcall to
 * signal), the guest gets its registers back at once: no syndrome decode
 * beyond the class, no vGIC sync or flush, no frame copy.
 *
 * Anything else answers TRAP_FAST_LEAVE (the call is done, the way out
 * has work) or TRAP_FAST_FULL (nothing done: the ordinary trap path), and
 * entry.S completes the frame before going on. Until then the frame holds
 * only what was saved: so nothing here may read x19-x28, ELR, SPSR, ESR
 * or FAR from it. Those stay in their registers, which nothing on this
 * path can change: interrupts are masked and every fault at EL2 is fatal.
 * A continuation, or an emulated access, therefore steps ELR_EL2 itself.
 *
 * Emulated MMIO with a syndrome (trap_dabt_fast) takes the same way when
 * the register is one of those saved, or is loaded into x19-x28: the value
 * goes into the frame's slot and entry.S loads that one register
 * (TRAP_FAST_LOADED), so that a load into any register costs the same. */
#include <asm/domain.h>
#include <asm/esr.h>
#include <asm/evtchn_upcall.h>
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <asm/vgic.h>
#include <proxenos/current.h>
#include <proxenos/softirq.h>

/* What leave_to_guest() would find to do for v, besides softirqs. */
static bool exit_is_quiet(const struct vcpu *v)
{
    return vgic_lrs_settled(v) && evtchn_upcall_settled(v) && !v->arch->vtimer_line_high;
}

/* done (TRAP_FAST_DONE or _LOADED), with _LEAVE added when the way out
 * has work. Inlined into each caller, where done is mostly a constant. */
static inline unsigned int finished(const struct vcpu *v, unsigned int done)
{
    if (softirq_pending(arch_cpu_id()) || !exit_is_quiet(v)) {
        return done | TRAP_FAST_LEAVE;
    }
    return done;
}

/* The call or access itself: what guest_sync_fast() answers. */
static unsigned int fast_call(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    struct trap_info t;
    bool rewind;
    enum fast_dabt r;

    if (esr_ec(esr) == EC_HVC64) {
        if (!hvc_call(v, f, call_imm16(esr_iss(esr)), &rewind)) {
            return TRAP_FAST_FULL;      /* an undefined instruction: needs ELR */
        }
        if (rewind) {
            WRITE_SYSREG(elr_el2, READ_SYSREG(elr_el2) - 4U);
        }
        return finished(v, TRAP_FAST_DONE);
    }
    t.esr = esr;
    t.ec = EC_DABT_LOW;
    t.iss = esr_iss(esr);
    t.il32 = esr_il32(esr);
    t.far = READ_SYSREG(far_el2);
    t.gpa = abort_ipa(READ_SYSREG(hpfar_el2), t.far);
    r = trap_dabt_fast(v, f, &t);
    if (r == FAST_DABT_DONE) {
        WRITE_SYSREG(elr_el2, READ_SYSREG(elr_el2) + (t.il32 ? 4U : 2U));
        return finished(v, TRAP_FAST_DONE);
    }
    if (r == FAST_DABT_LOADED) {
        /* In the frame's slot, which entry.S loads; kept in v too, for
         * when completing the frame overwrites the slot. */
        unsigned int rt = abort_reg(t.iss);

        WRITE_SYSREG(elr_el2, READ_SYSREG(elr_el2) + (t.il32 ? 4U : 2U));
        v->arch->fast_loaded = f->x[rt];
        return finished(v, TRAP_FAST_LOADED | (rt << TRAP_FAST_REG_SHIFT));
    }
    return (r == FAST_DABT_REFUSED) ? TRAP_FAST_REFUSED : TRAP_FAST_FULL;
}

unsigned int guest_sync_fast(struct trap_frame *f, uint64_t esr)
{
    unsigned int ec = esr_ec(esr);
    struct vcpu *v = current_vcpu();

    /* guest_trap() begins with vtimer_sync() and vgic_sync_lrs(): both
     * have nothing to do exactly when this holds. */
    if (((ec != EC_HVC64) && (ec != EC_DABT_LOW)) || (v == NULL) ||
        v->arch->vtimer_line_high || (v->arch->vgic.nr_lrs_used != 0U)) {
        return TRAP_FAST_FULL;
    }
    return fast_call(v, f, esr);
}
