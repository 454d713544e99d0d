/* Trapped MSR/MRS. SGI generation goes to the virtual GIC. Debug and PMU
 * registers (trapped through MDCR_EL2 so guests cannot observe or disturb
 * each other) read as zero and ignore writes. Anything else is undefined
 * for the guest. */
#include <asm/traps.h>
#include <asm/vgic.h>

#define ISS_READ 1U

struct sysreg_id {
    unsigned int op0, op1, crn, crm, op2;
};

static struct sysreg_id decode(uint32_t iss)
{
    return (struct sysreg_id){
        .op0 = (iss >> 20) & 3U,
        .op2 = (iss >> 17) & 7U,
        .op1 = (iss >> 14) & 7U,
        .crn = (iss >> 10) & 0xfU,
        .crm = (iss >> 1) & 0xfU,
    };
}

static bool is_sgi_register(const struct sysreg_id *r)
{
    /* ICC_SGI1R_EL1 (op2 5), ICC_ASGI1R_EL1 (6), ICC_SGI0R_EL1 (7). */
    return (r->op0 == 3U) && (r->op1 == 0U) && (r->crn == 12U) && (r->crm == 11U) &&
           (r->op2 >= 5U);
}

static bool is_debug_or_pmu(const struct sysreg_id *r)
{
    if (r->op0 == 2U) {
        return true;    /* debug and trace system registers */
    }
    return (r->op0 == 3U) && (r->op1 == 3U) &&
           (((r->crn == 9U) && (r->crm >= 12U)) || (r->crn == 14U));
}

void trap_sysreg(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    struct sysreg_id r = decode(t->iss);
    unsigned int rt = (t->iss >> 5) & 0x1fU;
    bool read = (t->iss & ISS_READ) != 0U;
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
