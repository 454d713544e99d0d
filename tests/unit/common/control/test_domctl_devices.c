/* Device commands (common/control/domctl_devices.c): iomem_permission and
 * irq_permission, Xen's I/O capabilities that a caller can only hand on
 * from its own, with Xen 4.17's order of checks; vuart_op's checks and
 * what it hands the architecture and answers (the UART itself is
 * fake_vuart's here; tests/unit/arch/arm64/test_vpl011.c has the real
 * one). */
#include "control_env.h"

#include <fake_vuart.h>
#include <proxenos/rangeset.h>

static long iomem(domid_t dom, uint64_t first, uint64_t nr, bool allow)
{
    struct xen_domctl *op = domctl_in(0U, XEN_DOMCTL_iomem_permission, dom);

    op->u.iomem_permission.first_mfn = first;
    op->u.iomem_permission.nr_mfns = nr;
    op->u.iomem_permission.allow_access = allow ? 1U : 0U;
    return call_domctl();
}

static int teardown(void **state)
{
    (void)state;
    for (unsigned int d = 0U; d < ENV_DOMS; d++) {
        rangeset_destroy(&doms[d].iomem_caps);
        rangeset_destroy(&doms[d].irq_caps);
    }
    return 0;
}

static void iomem_permission(void **state)
{
    struct xen_domctl *op;

    (void)state;
    /* dom0 holds frames 0x9000-0x90ff (its devices). */
    assert_int_equal(rangeset_add(&doms[0].iomem_caps, 0x9000U, 0x90ffU), 0);
    assert_int_equal(iomem(1U, 0x9010U, 0x10U, true), 0);
    assert_true(rangeset_contains(&doms[1].iomem_caps, 0x9010U, 0x901fU));
    assert_false(rangeset_contains(&doms[1].iomem_caps, 0x9010U, 0x9020U));
    /* Not what dom0 does not hold itself, even in part. */
    assert_int_equal(iomem(1U, 0x90f0U, 0x20U, true), -EPERM);
    assert_int_equal(iomem(1U, 0x100000U, 1U, true), -EPERM);
    /* Taking back part of it splits the range. */
    assert_int_equal(iomem(1U, 0x9014U, 2U, false), 0);
    assert_true(rangeset_contains(&doms[1].iomem_caps, 0x9010U, 0x9013U));
    assert_false(rangeset_contains(&doms[1].iomem_caps, 0x9014U, 0x9014U));
    assert_true(rangeset_contains(&doms[1].iomem_caps, 0x9016U, 0x901fU));
    /* A range that wraps: -EINVAL, before anything else. Xen's end is
     * first + nr - 1, so 0 frames from 0 mean all of them. */
    assert_int_equal(iomem(1U, UINT64_MAX, 2U, true), -EINVAL);
    assert_int_equal(iomem(1U, 5U, 0U, true), -EINVAL);
    assert_int_equal(iomem(1U, 0U, 0U, true), -EPERM);
    assert_int_equal(iomem(2U, 0x9000U, 1U, true), -ESRCH);
    /* A domU: the wrap check first, then -EPERM. */
    as(1U, 0U);
    op = domctl_in(1U, XEN_DOMCTL_iomem_permission, 1U);
    op->u.iomem_permission.first_mfn = 5U;
    assert_int_equal(call_domctl(), -EINVAL);
    op->u.iomem_permission.nr_mfns = 1U;
    op->u.iomem_permission.allow_access = 1U;
    assert_int_equal(call_domctl(), -EPERM);
    assert_false(rangeset_contains(&doms[1].iomem_caps, 5U, 5U));
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static long irq(domid_t dom, uint32_t pirq, bool allow)
{
    struct xen_domctl *op = domctl_in(0U, XEN_DOMCTL_irq_permission, dom);

    op->u.irq_permission.pirq = pirq;
    op->u.irq_permission.allow_access = allow ? 1U : 0U;
    return call_domctl();
}

static void irq_permission(void **state)
{
    struct xen_domctl *op;

    (void)state;
    /* dom0 holds no interrupt here: Xen's checks, then -EPERM. */
    assert_int_equal(irq(1U, 40U, true), -EPERM);
    assert_int_equal(irq(1U, 1024U, true), -EINVAL);
    assert_int_equal(irq(1U, 0U, true), -EPERM);
    /* Once it holds one, it may hand it on and take it back. */
    assert_int_equal(rangeset_add(&doms[0].irq_caps, 40U, 47U), 0);
    assert_int_equal(irq(1U, 40U, true), 0);
    assert_true(rangeset_contains(&doms[1].irq_caps, 40U, 40U));
    assert_int_equal(irq(1U, 48U, true), -EPERM);
    assert_int_equal(irq(1U, 40U, false), 0);
    assert_false(rangeset_contains(&doms[1].irq_caps, 40U, 40U));
    /* A domU: the number is checked before the privilege, as on Xen. */
    as(1U, 0U);
    op = domctl_in(1U, XEN_DOMCTL_irq_permission, 1U);
    op->u.irq_permission.pirq = 2000U;
    assert_int_equal(call_domctl(), -EINVAL);
    op->u.irq_permission.pirq = 40U;
    assert_int_equal(call_domctl(), -EPERM);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

/* A vuart_op INIT block as libxl writes it for domain dom. */
static struct xen_domctl *vuart_in(domid_t dom)
{
    struct xen_domctl *op = domctl_in(0U, XEN_DOMCTL_vuart_op, dom);

    op->u.vuart_op.cmd = XEN_DOMCTL_VUART_OP_INIT;
    op->u.vuart_op.type = XEN_DOMCTL_VUART_TYPE_VPL011;
    op->u.vuart_op.gfn = 0x39000U;      /* in GUEST_MAGIC_BASE's area */
    op->u.vuart_op.console_domid = 0U;
    op->u.vuart_op.evtchn = 0xdeadU;
    return op;
}

static void vuart_op_checks(void **state)
{
    struct fake_vuart_call call;
    struct xen_domctl *op;

    (void)state;
    doms[1].state = DOMAIN_BUILDING;
    /* Xen's order: padding, command, still being built, each refusal
     * before the architecture is asked; then the type, which is the
     * architecture's to accept. */
    op = vuart_in(1U);
    op->u.vuart_op.pad[1] = 1U;
    op->u.vuart_op.cmd = 1U;
    op->u.vuart_op.type = 1U;
    doms[1].state = DOMAIN_RUNNING;
    assert_int_equal(call_domctl(), -EINVAL);
    op->u.vuart_op.pad[1] = 0U;
    op->u.vuart_op.pad[0] = 0x80U;
    assert_int_equal(call_domctl(), -EINVAL);
    op->u.vuart_op.pad[0] = 0U;
    assert_int_equal(call_domctl(), -EINVAL);           /* cmd 1 */
    op->u.vuart_op.cmd = XEN_DOMCTL_VUART_OP_INIT;
    assert_int_equal(call_domctl(), -EPERM);            /* running */
    assert_int_equal(fake_vuart_calls(NULL), 0U);
    doms[1].state = DOMAIN_BUILDING;
    fake_vuart_answer(-EOPNOTSUPP, 9U);
    assert_int_equal(call_domctl(), -EOPNOTSUPP);       /* type 1 */
    assert_int_equal(fake_vuart_calls(&call), 1U);
    assert_int_equal(call.type, 1U);
    assert_int_equal(op->u.vuart_op.evtchn, 0xdeadU);   /* nothing copied back */
    fake_vuart_answer(0, 5U);
    /* No such domain; not the control domain. */
    op = vuart_in(2U);
    assert_int_equal(call_domctl(), -ESRCH);
    as(1U, 0U);
    domctl_in(1U, XEN_DOMCTL_vuart_op, 1U);
    assert_int_equal(call_domctl(), -EPERM);
    assert_int_equal(fake_vuart_calls(NULL), 1U);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void vuart_op_init(void **state)
{
    struct fake_vuart_call call;
    struct xen_domctl *op;

    (void)state;
    doms[2].state = DOMAIN_BUILDING;
    op = vuart_in(3U);
    op->u.vuart_op.console_domid = 7U;
    fake_vuart_answer(0, 3U);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(fake_vuart_calls(&call), 1U);
    assert_ptr_equal(call.d, &doms[2]);
    assert_int_equal(call.type, XEN_DOMCTL_VUART_TYPE_VPL011);
    assert_int_equal(call.ring, 0x39000U);
    assert_int_equal(call.backend, 7U);
    /* The port comes back in the block; the rest as it was. */
    assert_int_equal(op->u.vuart_op.evtchn, 3U);
    assert_int_equal(op->u.vuart_op.gfn, 0x39000U);
    assert_int_equal(op->u.vuart_op.console_domid, 7U);
    /* The architecture's refusals (a second INIT, a page that is not the
     * domain's RAM: -EINVAL) are the answer, with nothing copied back. */
    op = vuart_in(3U);
    fake_vuart_answer(-EINVAL, 9U);
    assert_int_equal(call_domctl(), -EINVAL);
    assert_int_equal(op->u.vuart_op.evtchn, 0xdeadU);
    fake_vuart_answer(-ENOSPC, 9U);
    assert_int_equal(call_domctl(), -ENOSPC);
    assert_int_equal(op->u.vuart_op.evtchn, 0xdeadU);
    assert_int_equal(fake_vuart_calls(NULL), 3U);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(iomem_permission, env_test_setup, teardown),
        cmocka_unit_test_setup_teardown(irq_permission, env_test_setup, teardown),
        cmocka_unit_test_setup_teardown(vuart_op_checks, env_test_setup, teardown),
        cmocka_unit_test_setup_teardown(vuart_op_init, env_test_setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
