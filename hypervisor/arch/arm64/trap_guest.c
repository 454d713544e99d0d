/* Synchronous exceptions from guests: decode once, dispatch by class. An
 * exception class we do not emulate is answered with an undefined
 * instruction exception in the guest: guest input never halts the host. */
#include <asm/arm64.h>
#include <asm/domain.h>
#include <asm/esr.h>
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <asm/evtchn_upcall.h>
#include <asm/ioreq_mmio.h>
#include <asm/vgic.h>
#include <asm/vtimer.h>
#include <proxenos/printk.h>
#include <proxenos/sched.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>

static void trap_unhandled(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    (void)t;
    inject_undef(v, f);
}

static const trap_handler_t handlers[64] = {
    [EC_WFX] = trap_wfx,
    [EC_HVC64] = trap_hvc,
    [EC_SMC64] = trap_smc,
    [EC_SYSREG] = trap_sysreg,
    [EC_IABT_LOW] = trap_iabt,
    [EC_DABT_LOW] = trap_dabt,
};

static void read_syndrome(struct trap_info *t, const struct trap_frame *f)
{
    uint64_t hpfar = READ_SYSREG(hpfar_el2);

    t->esr = f->esr;
    t->ec = esr_ec(f->esr);
    t->iss = esr_iss(f->esr);
    t->il32 = esr_il32(f->esr);
    t->far = f->far;
    t->gpa = abort_ipa(hpfar, f->far);
}

/* Run pending softirqs (they may switch vCPUs or go idle, in which case
 * this does not return) and load the interrupts the guest should see.
 * v is the vCPU that trapped; a softirq may have switched to another,
 * whose registers are then in the same frame f. */
static void leave_to_guest(struct vcpu *v, struct trap_frame *f)
{
    unsigned int cpu = arch_cpu_id();

    if (softirq_pending(cpu)) {
        do {
            arch_irq_enable();
            do_softirq();
            arch_irq_disable();
        } while (softirq_pending(cpu));
        v = current_vcpu();
    }
    ioreq_mmio_complete(v, f);
    evtchn_upcall_resample(v);
    vgic_flush_lrs(v);
}

void guest_trap(struct trap_frame *f, bool is_irq)
{
    struct vcpu *v = current_vcpu();

    BUG_ON(v == NULL);
    vtimer_sync(v);
    vgic_sync_lrs(v);
    if (is_irq) {
        gic_handle_irq();
    } else {
        struct trap_info t;
        trap_handler_t h;

        read_syndrome(&t, f);
        h = handlers[t.ec];
        if (h == NULL) {
            h = trap_unhandled;
        }
        h(v, f, &t);
    }
    leave_to_guest(v, f);
}

/* An SError taken from a guest is that guest's: crash it, not the host. */
void guest_serror(struct trap_frame *f)
{
    struct vcpu *v = current_vcpu();

    if (v != NULL) {
        domain_crash(v->domain, v, "SError");
    }
    leave_to_guest(v, f);
}

/* The rest of a synchronous exit that guest_sync_fast() took up (entry.S
 * has completed the frame since): the whole trap, the data abort for a
 * refused access, or only the way out. */
void guest_sync_finish(struct trap_frame *f, unsigned int how)
{
    struct vcpu *v = current_vcpu();

    if ((how & TRAP_FAST_HOW_MASK) == TRAP_FAST_LOADED_LEAVE) {
        /* Completing the frame stored the register's old value. */
        f->x[how >> TRAP_FAST_REG_SHIFT] = v->arch->fast_loaded;
        leave_to_guest(v, f);
        return;
    }
    if (how == TRAP_FAST_FULL) {
        guest_trap(f, false);
        return;
    }
    if (how == TRAP_FAST_REFUSED) {
        struct trap_info t;

        read_syndrome(&t, f);
        trap_dabt_refused(v, f, &t);
    }
    leave_to_guest(v, f);
}
