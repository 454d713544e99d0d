/* Moving a physical CPU between vCPUs and the idle loop.
 *
 * A running vCPU's general registers live in the frame slot at the top of
 * its CPU's stack: guest_enter() restores from there and the next trap
 * saves to the same place. Switching vCPUs copies that frame to and from
 * struct arch_vcpu, together with the EL1 system registers, FP/SIMD, the
 * virtual GIC and timer state and the stage-2 translation. */
#include <asm/arm64.h>
#include <asm/memlayout.h>
#include <asm/sysregs.h>
#include <asm/vcpu_sysregs.h>
#include <asm/evtchn_upcall.h>
#include <asm/ioreq_mmio.h>
#include <asm/vtimer.h>
#include <asm/traps.h>
#include <proxenos/arch/context.h>
#include <proxenos/arch/domain.h>
#include <proxenos/arch/cpu.h>
#include <proxenos/idle.h>
#include <proxenos/runstate.h>
#include <proxenos/sched.h>

void guest_enter(struct trap_frame *f) __noreturn;
void reset_stack_and_call(uintptr_t stack_top, void (*fn)(void)) __noreturn;

struct trap_frame *guest_frame(void)
{
    uintptr_t top = (uintptr_t)cpu_stacks + (((uintptr_t)arch_cpu_id() + 1U) * STACK_SIZE);

    return (struct trap_frame *)(top - sizeof(struct trap_frame));
}

static void save_vcpu(struct vcpu *v)
{
    trap_frame_copy(&v->arch->regs, guest_frame());
    vcpu_sysregs_save(&v->arch->sys);
    fpsimd_save(&v->arch->fp);
    vgic_save_state(v);
    vtimer_save(v);
}

static void load_vcpu(struct vcpu *v)
{
    struct domain *d = v->domain;
    unsigned int cpu = arch_cpu_id();

    if (v->arch->reset_pending) {
        vcpu_apply_reset(v);
    }
    WRITE_SYSREG(hcr_el2, v->arch->hcr_el2);
    WRITE_SYSREG(vttbr_el2, p2m_vttbr(&d->arch->p2m));
    WRITE_SYSREG(cntvoff_el2, d->arch->cntvoff);
    isb();
    if (d->arch->last_vcpu_ran[cpu] != v->vcpu_id) {
        /* Another vCPU of this domain (or of the VMID's last owner) ran
         * here last: drop its EL1 entries for this VMID, on this CPU. */
        __asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
        d->arch->last_vcpu_ran[cpu] = (uint16_t)v->vcpu_id;
    }
    vcpu_sysregs_restore(&v->arch->sys);
    fpsimd_restore(&v->arch->fp);
    vgic_restore_state(v);
    vtimer_restore(v);
    trap_frame_copy(guest_frame(), &v->arch->regs);
    /* Its stage 1 and stage 2 are live now: the area is reachable by VA. */
    vcpu_runstate_update(v);
}

void arch_context_switch(struct vcpu *prev, struct vcpu *next)
{
    unsigned long flags = arch_irq_save();

    if (prev != NULL) {
        save_vcpu(prev);
        /* prev may be paused, inspected or freed from now on. */
        sched_context_saved(prev);
    }
    if (next != NULL) {
        load_vcpu(next);
    }
    if ((prev != NULL) && (next != NULL)) {
        /* Back to the trap that called schedule(): it returns into next. */
        arch_irq_restore(flags);
        return;
    }
    if (next != NULL) {
        ioreq_mmio_complete(next, guest_frame());
        evtchn_upcall_resample(next);
        vgic_flush_lrs(next);
        guest_enter(guest_frame());
    }
    /* Going idle: the frame slot stays reserved above the idle stack. */
    reset_stack_and_call((uintptr_t)guest_frame(), idle_loop);
}

void arch_enter_idle(void)
{
    reset_stack_and_call((uintptr_t)guest_frame(), idle_loop);
}
