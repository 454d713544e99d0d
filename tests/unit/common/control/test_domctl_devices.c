/* Device commands (common/control/domctl_devices.c): iomem_permission and
 * irq_permission, Xen's I/O capabilities that a caller can only hand on
 * from its own, with Xen 4.17's order of checks; vuart_op's refusals. */
#include "control_env.h"

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
    assert_int_equal(env_refs, 0U);
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
    assert_int_equal(env_refs, 0U);
}

static void vuart_op(void **state)
{
    struct xen_domctl *op;

    (void)state;
    op = domctl_in(0U, XEN_DOMCTL_vuart_op, 1U);
    op->u.vuart_op.pad[1] = 1U;
    assert_int_equal(call_domctl(), -EINVAL);
    op->u.vuart_op.pad[1] = 0U;
    op->u.vuart_op.cmd = 1U;
    assert_int_equal(call_domctl(), -EINVAL);
    /* Only while the domain is being built. */
    op->u.vuart_op.cmd = XEN_DOMCTL_VUART_OP_INIT;
    assert_int_equal(call_domctl(), -EPERM);
    doms[1].state = DOMAIN_BUILDING;
    assert_int_equal(call_domctl(), -EOPNOTSUPP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(iomem_permission, env_test_setup, teardown),
        cmocka_unit_test_setup_teardown(irq_permission, env_test_setup, teardown),
        cmocka_unit_test_setup_teardown(vuart_op, env_test_setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
