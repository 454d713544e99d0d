/* setvcpucontext and getvcpucontext (common/control/domctl_vcpu_context.c,
 * with the real arm64 register copy arch/arm64/vcpu_context.c): what libxl
 * sends to start a guest, the round trip, Xen 4.17's refusals, and the
 * domain paused around each copy. */
#include "control_env.h"

#define CTXT_OFF 0x2000U    /* where the context goes in dom0's RAM */
#define PSR_EL1H_DAIF 0x3c5U

static struct vcpu_guest_context *ctxt_in(void)
{
    struct vcpu_guest_context *c = garg(0U, CTXT_OFF);

    memset(c, 0, sizeof(*c));
    return c;
}

static struct xen_domctl *vctx(uint32_t cmd, domid_t dom, uint32_t vcpu, uint64_t ctxt)
{
    struct xen_domctl *op = domctl_in(0U, cmd, dom);

    op->u.vcpucontext.vcpu = vcpu;
    op->u.vcpucontext.ctxt = ctxt;
    return op;
}

/* As libxl: x0 = device tree, PC = kernel entry, EL1h with DAIF masked. */
static void libxl_start(struct vcpu_guest_context *c)
{
    c->flags = VGCF_online;
    c->user_regs.x0 = 0x47e00000U;
    c->user_regs.pc64 = 0x40200000U;
    c->user_regs.cpsr = PSR_EL1H_DAIF;
    c->sctlr = 0x00c50078U;
}

static void set_and_get(void **state)
{
    struct vcpu_guest_context *c = ctxt_in();
    struct vcpu_guest_context back;
    struct vcpu *v = &vcpus[1][1];

    (void)state;
    libxl_start(c);
    c->user_regs.x30 = 0x1e1eU;
    c->user_regs.sp_el1 = 0x5151U;
    c->user_regs.elr_el1 = 0xe1e1U;
    c->user_regs.spsr_el1 = 0x3c4U;
    c->ttbr0 = 0x1000U;
    c->ttbr1 = 0x2000U;
    c->ttbcr = 0x3000U;
    (void)vctx(XEN_DOMCTL_setvcpucontext, 1U, 1U, BUF_GVA + (CTXT_OFF - BUF_OFF));
    assert_int_equal(call_domctl(), 0);
    /* The registers, and online: queued to run once the domain may. */
    assert_int_equal(v->arch->regs.x[0], 0x47e00000U);
    assert_int_equal(v->arch->regs.x[30], 0x1e1eU);
    assert_int_equal(v->arch->regs.elr, 0x40200000U);
    assert_int_equal(v->arch->regs.spsr, PSR_EL1H_DAIF);
    assert_int_equal(v->arch->sys.sctlr_el1, 0x00c50078U);
    assert_int_equal(v->arch->sys.tcr_el1, 0x3000U);
    assert_int_equal(v->state, VCPU_RUNNABLE);
    assert_true(v->initialised);
    /* Paused around the copy, and unpaused after. */
    assert_int_equal(doms[1].pause_count, 0U);
    assert_true(fake_sched_calls(FAKE_SCHED_RECONSIDER, NULL) >= ENV_VCPUS);
    /* Read back whole. */
    memset(garg(0U, CTXT_OFF), 0xff, sizeof(back));
    (void)vctx(XEN_DOMCTL_getvcpucontext, 1U, 1U, BUF_GVA + (CTXT_OFF - BUF_OFF));
    assert_int_equal(call_domctl(), 0);
    memcpy(&back, garg(0U, CTXT_OFF), sizeof(back));
    assert_int_equal(back.flags, VGCF_online);
    assert_int_equal(back.user_regs.x0, 0x47e00000U);
    assert_int_equal(back.user_regs.x30, 0x1e1eU);
    assert_int_equal(back.user_regs.pc64, 0x40200000U);
    assert_int_equal(back.user_regs.cpsr, PSR_EL1H_DAIF);
    assert_int_equal(back.user_regs.spsr_el1, 0x3c4U);
    assert_int_equal(back.user_regs.sp_el1, 0x5151U);
    assert_int_equal(back.user_regs.elr_el1, 0xe1e1U);
    assert_int_equal(back.user_regs.spsr_fiq, 0U);
    assert_int_equal(back.pad, 0U);
    assert_int_equal(back.sctlr, 0x00c50078U);
    assert_int_equal(back.ttbr0, 0x1000U);
    assert_int_equal(back.ttbr1, 0x2000U);
    assert_int_equal(back.ttbcr, 0x3000U);
    /* Without VGCF_online the vCPU goes down. */
    c = ctxt_in();
    libxl_start(c);
    c->flags = 0U;
    (void)vctx(XEN_DOMCTL_setvcpucontext, 1U, 1U, BUF_GVA + (CTXT_OFF - BUF_OFF));
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(v->state, VCPU_OFFLINE);
    /* A null context resets it: nothing to read any more. */
    (void)vctx(XEN_DOMCTL_setvcpucontext, 1U, 1U, 0U);
    assert_int_equal(call_domctl(), 0);
    assert_false(v->initialised);
    assert_int_equal(v->arch->regs.x[0], 0U);
    /* The architectural reset (vcpu_reset.c): entry 0, EL1h with DAIF
     * masked, EL1 registers reset with vCPU 1's MPIDR. */
    assert_int_equal(v->arch->regs.elr, 0U);
    assert_int_equal(v->arch->regs.spsr, PSR_EL1H_DAIF);
    assert_int_equal(fake_vcpu_sysregs_calls(FAKE_SYSREGS_RESET), 1U);
    assert_int_equal(fake_vcpu_sysregs_last_vmpidr(), (1ULL << 31) | 1U);
    assert_int_equal(v->arch->sys.vmpidr_el2, (1ULL << 31) | 1U);
    assert_int_equal(v->arch->sys.sctlr_el1, 0U);     /* the fake's reset */
    (void)vctx(XEN_DOMCTL_getvcpucontext, 1U, 1U, BUF_GVA + (CTXT_OFF - BUF_OFF));
    assert_int_equal(call_domctl(), -ENODATA);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

/* setvcpucontext on dom1's vCPU 1 with PSTATE psr (and SPSR_EL1 spsr). */
static long set_psr(uint64_t psr, uint64_t spsr)
{
    struct vcpu_guest_context *c = ctxt_in();

    libxl_start(c);
    c->user_regs.cpsr = psr;
    c->user_regs.spsr_el1 = spsr;
    (void)vctx(XEN_DOMCTL_setvcpucontext, 1U, 1U, BUF_GVA + (CTXT_OFF - BUF_OFF));
    return call_domctl();
}

static void refusals(void **state)
{
    (void)state;
    /* AArch64 EL1h, EL1t, EL0t only, for PSTATE and a non-zero SPSR_EL1. */
    assert_int_equal(set_psr(0x3c5U, 0U), 0);
    assert_int_equal(set_psr(0x3c4U, 0U), 0);
    assert_int_equal(set_psr(0x3c0U, 0x3c5U), 0);
    assert_int_equal(set_psr(0x3c9U, 0U), -EINVAL);     /* EL2h */
    assert_int_equal(set_psr(0x3cdU, 0U), -EINVAL);     /* EL3h */
    assert_int_equal(set_psr(0x3d3U, 0U), -EINVAL);     /* AArch32 SVC */
    assert_int_equal(set_psr(0x3c5U, 0x3c8U), -EINVAL);
    assert_int_equal(vcpus[1][1].arch->regs.spsr, 0x3c0U);   /* nothing changed */
    /* vCPU past max_vcpus, the caller's own domain: -EINVAL. */
    (void)vctx(XEN_DOMCTL_setvcpucontext, 1U, ENV_VCPUS, BUF_GVA + (CTXT_OFF - BUF_OFF));
    assert_int_equal(call_domctl(), -EINVAL);
    (void)vctx(XEN_DOMCTL_getvcpucontext, 1U, ENV_VCPUS, BUF_GVA + (CTXT_OFF - BUF_OFF));
    assert_int_equal(call_domctl(), -EINVAL);
    (void)vctx(XEN_DOMCTL_setvcpucontext, 0U, 1U, BUF_GVA + (CTXT_OFF - BUF_OFF));
    assert_int_equal(call_domctl(), -EINVAL);
    (void)vctx(XEN_DOMCTL_getvcpucontext, 0U, 1U, BUF_GVA + (CTXT_OFF - BUF_OFF));
    assert_int_equal(call_domctl(), -EINVAL);
    assert_int_equal(doms[0].pause_count, 0U);
    /* Bad guest addresses: -EFAULT, nothing changed or paused. */
    (void)vctx(XEN_DOMCTL_setvcpucontext, 1U, 1U, UNMAPPED);
    assert_int_equal(call_domctl(), -EFAULT);
    (void)vctx(XEN_DOMCTL_getvcpucontext, 1U, 1U, UNMAPPED);
    assert_int_equal(call_domctl(), -EFAULT);
    assert_int_equal(doms[1].pause_count, 0U);
    /* Never given registers: no data. */
    (void)vctx(XEN_DOMCTL_getvcpucontext, 3U, 1U, BUF_GVA + (CTXT_OFF - BUF_OFF));
    assert_int_equal(call_domctl(), -ENODATA);
    /* No such domain; a domU may do neither. */
    (void)vctx(XEN_DOMCTL_setvcpucontext, 2U, 1U, BUF_GVA + (CTXT_OFF - BUF_OFF));
    assert_int_equal(call_domctl(), -ESRCH);
    as(1U, 0U);
    (void)domctl_in(1U, XEN_DOMCTL_getvcpucontext, 3U);
    assert_int_equal(call_domctl(), -EPERM);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(set_and_get, env_test_setup),
        cmocka_unit_test_setup(refusals, env_test_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
