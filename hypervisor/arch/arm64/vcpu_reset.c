/* A vCPU's entry point and its registers at reset. Apart from context.c,
 * which applies a pending reset when it switches the vCPU in: PSCI CPU_ON
 * (vsmccc.c, on the trap path) and the toolstack set the entry here, and
 * context.c calls the trap return path (entry.S), so the trap path must
 * not call context.c. */
#include <asm/domain.h>
#include <asm/vcpu_sysregs.h>
#include <proxenos/arch/domain.h>

/* PSTATE for a vCPU at reset: EL1h, D, A, I and F masked. */
#define PSR_EL1H_MASKED 0x3c5ULL

void arch_vcpu_set_entry(struct vcpu *v, uint64_t pc, uint64_t x0)
{
    v->arch->reset_pc = pc;
    v->arch->reset_x0 = x0;
    v->arch->reset_pending = true;
    v->initialised = true;
}

void vcpu_apply_reset(struct vcpu *v)
{
    struct trap_frame *r = &v->arch->regs;

    *r = (struct trap_frame){ 0 };
    r->elr = v->arch->reset_pc;
    r->x[0] = v->arch->reset_x0;
    r->spsr = PSR_EL1H_MASKED;
    vcpu_sysregs_reset(&v->arch->sys, (1ULL << 31) | vcpu_vaffinity(v->vcpu_id));
    v->arch->fp = (struct vcpu_fpregs){ 0 };
    v->arch->reset_pending = false;
}
