/* HVC and SMC from guests. HVC #0 and SMC #0 are SMCCC calls (PSCI and
 * the Arm architecture calls); HVC #0xEA1 is a Xen hypercall. */
#include <asm/esr.h>
#include <asm/traps.h>
#include <public/arch-arm.h>
#include <proxenos/errno.h>
#include <proxenos/hypercall.h>

#define SMCCC_NOT_SUPPORTED 0xffffffffffffffffULL

/* What a debug build leaves in argument registers a hypercall consumed, so
 * that a guest relying on them surviving fails here rather than on Xen
 * (which does the same). */
#define HCALL_CLOBBER 0xdeadbeefULL

static void smccc_call(struct vcpu *v, struct trap_frame *f)
{
    if (!vsmccc_handle(v, f)) {
        f->x[0] = SMCCC_NOT_SUPPORTED;
    }
}

/* Returns true when the guest must execute the HVC again: a long
 * hypercall stopped part-way and stored its progress in the arguments. */
static bool xen_hypercall(struct trap_frame *f)
{
    uint64_t nr = f->x[16];
    struct hcall_args args = { { f->x[0], f->x[1], f->x[2], f->x[3], f->x[4] } };
    long rc = hypercall_dispatch(nr, &args);

    if (rc == -ERESTART) {
        for (unsigned int i = 0U; i < 5U; i++) {
            f->x[i] = args.a[i];
        }
        return true;
    }
    f->x[0] = (uint64_t)(int64_t)rc;
#ifdef CONFIG_DEBUG
    /* Only debug builds pay for this; see HCALL_CLOBBER. */
    if (rc != -ENOSYS) {
        for (unsigned int i = 1U; i < hypercall_nr_args(nr); i++) {
            f->x[i] = HCALL_CLOBBER;
        }
        f->x[16] = HCALL_CLOBBER;
    }
#endif
    return false;
}

bool hvc_call(struct vcpu *v, struct trap_frame *f, uint32_t imm, bool *rewind)
{
    *rewind = false;
    if (imm == XEN_HYPERCALL_TAG) {
        *rewind = xen_hypercall(f);
    } else if (imm == 0U) {
        smccc_call(v, f);
    } else {
        return false;
    }
    return true;
}

void trap_hvc(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    bool rewind;

    /* The preferred return address of HVC is already the next instruction;
     * a continuation steps back onto the HVC. */
    if (!hvc_call(v, f, call_imm16(t->iss), &rewind)) {
        inject_undef(v, f);
    } else if (rewind) {
        f->elr -= 4U;
    } else {
        /* done */
    }
}

void trap_smc(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    /* A trapped SMC returns to the SMC itself: step over it. */
    advance_pc(f, t);
    if (call_imm16(t->iss) == 0U) {
        smccc_call(v, f);
    } else {
        f->x[0] = SMCCC_NOT_SUPPORTED;
    }
}
