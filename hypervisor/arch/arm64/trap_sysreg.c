/* Trapped MSR/MRS. SGI generation goes to the virtual GIC. Debug and PMU
 * registers (trapped through MDCR_EL2 so guests cannot observe or disturb
 * each other) read as zero and ignore writes. Anything else is undefined
 * for the guest. */
#include <asm/esr.h>
#include <asm/traps.h>
#include <asm/vgic.h>

static bool is_sgi_register(const struct sysreg_access *r)
{
    /* ICC_SGI1R_EL1 (op2 5), ICC_ASGI1R_EL1 (6), ICC_SGI0R_EL1 (7). */
    return (r->op0 == 3U) && (r->op1 == 0U) && (r->crn == 12U) && (r->crm == 11U) &&
           (r->op2 >= 5U);
}

static bool is_debug_or_pmu(const struct sysreg_access *r)
{
    if (r->op0 == 2U) {
        return true;    /* debug and trace system registers */
    }
    return (r->op0 == 3U) && (r->op1 == 3U) &&
           (((r->crn == 9U) && (r->crm >= 12U)) || (r->crn == 14U));
}

void trap_sysreg(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    struct sysreg_access r = sysreg_decode(t->iss);
    unsigned int rt = r.reg;
    bool read = r.read;
    uint64_t val = (rt == 31U) ? 0U : f->x[rt];

    if (is_sgi_register(&r) && !read) {
        /* Group 0 SGIs (op2 7) do not exist for a non-secure guest. */
        if ((r.op2 != 7U) && (vgic_emulate_sgi1r(v, val) != 0)) {
            inject_undef(v, f);
            return;
        }
    } else if (is_debug_or_pmu(&r)) {
        if (read && (rt != 31U)) {
            f->x[rt] = 0U;
        }
    } else {
        inject_undef(v, f);
        return;
    }
    advance_pc(f, t);
}
