/* hvm_op: which HVM parameters a domain and dom0 may read and write, the
 * callback IRQ encoding, domain lookup and rights, bad buffers and
 * unknown operations. */
#include "test_pv_hcall_env.h"

#include <public/hvm_op.h>
#include <public/hvm_params.h>

#define ARG (GUEST_BASE + 0x100U)

static int setup(void **state)
{
    (void)state;
    env_setup();
    as(1U, 0U);
    return 0;
}

/* Run get/set param as the current caller (domain cd) and return rc. */
static long param(unsigned int cd, uint64_t op, uint16_t domid, uint32_t index, uint64_t *value)
{
    struct xen_hvm_param *p = garg(cd, 0x100U);
    long rc;

    p->domid = domid;
    p->pad = 0U;
    p->index = index;
    p->value = *value;
    rc = hc(do_hvm_op, op, ARG, 0U);
    *value = p->value;
    return rc;
}

/* dom0 reads its upcall interrupt in the architecture's encoding (the
 * host fake's: the number alone; arm64's is tested in
 * arch/arm64/test_evtchn_callback); a dom0less domU reads 0, as on Xen
 * 4.17 (only dom0's builder sets the parameter there). */
static void callback_irq_is_the_arch_encoding_for_dom0(void **state)
{
    uint64_t v = 1U;

    (void)state;
    as(0U, 0U);
    assert_int_equal(param(0U, HVMOP_get_param, 0x7ff0U, HVM_PARAM_CALLBACK_IRQ, &v), 0);
    assert_int_equal(v, 31U);
    doms[0].evtchn_irq = 20U;
    assert_int_equal(param(0U, HVMOP_get_param, 0U, HVM_PARAM_CALLBACK_IRQ, &v), 0);
    assert_int_equal(v, 20U);
    as(1U, 0U);
    assert_int_equal(param(1U, HVMOP_get_param, 0x7ff0U, HVM_PARAM_CALLBACK_IRQ, &v), 0);
    assert_int_equal(v, 0U);
}

static void guest_reads_but_may_not_write(void **state)
{
    static const uint32_t toolstack[] = {
        HVM_PARAM_CALLBACK_IRQ, HVM_PARAM_STORE_PFN, HVM_PARAM_STORE_EVTCHN,
        HVM_PARAM_CONSOLE_PFN, HVM_PARAM_CONSOLE_EVTCHN, HVM_PARAM_MONITOR_RING_PFN,
    };
    uint64_t v;

    (void)state;
    for (unsigned int i = 0U; i < sizeof(toolstack) / sizeof(toolstack[0]); i++) {
        v = 5U;
        assert_int_equal(param(1U, HVMOP_set_param, 0x7ff0U, toolstack[i], &v), -EPERM);
    }
    v = 0U;
    assert_int_equal(param(1U, HVMOP_get_param, 0x7ff0U, HVM_PARAM_MONITOR_RING_PFN, &v), -EPERM);
    /* Other indexes exist for Xen only, or not at all. */
    assert_int_equal(param(1U, HVMOP_get_param, 0x7ff0U, 3U, &v), -EINVAL);
    assert_int_equal(param(1U, HVMOP_set_param, 0x7ff0U, 3U, &v), -EINVAL);
    assert_int_equal(param(1U, HVMOP_get_param, 0x7ff0U, 39U, &v), -EINVAL);
    assert_int_equal(param(1U, HVMOP_get_param, 0x7ff0U, 0xffffffffU, &v), -EINVAL);
}

static void dom0_sets_store_for_domu(void **state)
{
    uint64_t v = 0x39001U;

    (void)state;
    as(0U, 0U);
    assert_int_equal(param(0U, HVMOP_set_param, 1U, HVM_PARAM_STORE_PFN, &v), 0);
    v = 0x99U;
    assert_int_equal(param(0U, HVMOP_set_param, 1U, HVM_PARAM_MONITOR_RING_PFN, &v), 0);
    v = 0U;
    assert_int_equal(param(0U, HVMOP_get_param, 1U, HVM_PARAM_MONITOR_RING_PFN, &v), 0);
    assert_int_equal(v, 0x99U);
    as(1U, 0U);
    v = 0U;
    assert_int_equal(param(1U, HVMOP_get_param, 0x7ff0U, HVM_PARAM_STORE_PFN, &v), 0);
    assert_int_equal(v, 0x39001U);
    /* A value dom0 set for the callback IRQ is what is read back. */
    as(0U, 0U);
    v = 0x0200000000000210ULL;
    assert_int_equal(param(0U, HVMOP_set_param, 1U, HVM_PARAM_CALLBACK_IRQ, &v), 0);
    assert_int_equal(param(0U, HVMOP_get_param, 1U, HVM_PARAM_CALLBACK_IRQ, &v), 0);
    assert_int_equal(v, 0x0200000000000210ULL);
}

static void lookup_and_rights(void **state)
{
    uint64_t v = 0U;

    (void)state;
    assert_int_equal(param(1U, HVMOP_get_param, 0U, HVM_PARAM_STORE_PFN, &v), -EPERM);
    assert_int_equal(param(1U, HVMOP_get_param, 9U, HVM_PARAM_STORE_PFN, &v), -ESRCH);
    assert_int_equal(param(1U, HVMOP_get_param, 0x7ff1U, HVM_PARAM_STORE_PFN, &v), -ESRCH);
    fake_guest_fault(ARG, 16U, false);
    assert_int_equal(hc(do_hvm_op, HVMOP_get_param, ARG, 0U), -EFAULT);
    fake_reset();
    setup(state);
    fake_guest_fault(ARG, 16U, true);     /* readable, not writable */
    v = 0U;
    assert_int_equal(param(1U, HVMOP_get_param, 0x7ff0U, HVM_PARAM_STORE_PFN, &v), -EFAULT);
}

static void other_operations(void **state)
{
    (void)state;
    assert_int_equal(hc(do_hvm_op, HVMOP_guest_request_vm_event, 0U, 0U), 0);
    assert_int_equal(hc(do_hvm_op, HVMOP_guest_request_vm_event, ARG, 0U), -EINVAL);
    assert_int_equal(hc(do_hvm_op, 2U, ARG, 0U), -ENOSYS);
    /* The operation is an unsigned long: upper bits are not ignored. */
    assert_int_equal(hc(do_hvm_op, (1ULL << 32) | HVMOP_get_param, ARG, 0U), -ENOSYS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(callback_irq_is_the_arch_encoding_for_dom0, setup),
        cmocka_unit_test_setup(guest_reads_but_may_not_write, setup),
        cmocka_unit_test_setup(dom0_sets_store_for_domu, setup),
        cmocka_unit_test_setup(lookup_and_rights, setup),
        cmocka_unit_test_setup(other_operations, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
