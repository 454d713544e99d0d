/* The syndrome accessors (asm/esr.h) on ESR values of real instructions,
 * worked out from the Arm ARM's encodings: every field a trap decoder
 * reads, from the value the hardware reports. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <asm/esr.h>

/* str w1, [x0] to an unmapped page: stage-2 translation fault, level 3. */
static void test_store_word(void **state)
{
    uint64_t esr = 0x93810047ULL;
    uint32_t iss = esr_iss(esr);

    (void)state;
    assert_int_equal(esr_ec(esr), 0x24U);
    assert_true(esr_il32(esr));
    assert_true(abort_isv(iss));
    assert_int_equal(abort_access_bytes(iss), 4U);
    assert_false(abort_sign_extend(iss));
    assert_int_equal(abort_reg(iss), 1U);
    assert_false(abort_reg64(iss));
    assert_true(abort_write(iss));
    assert_false(abort_on_walk(iss));
    assert_int_equal(abort_fsc_kind(iss), FSC_TRANSLATION);
}

/* ldrsh x3, [x2]: a signed halfword into a 64-bit register. */
static void test_load_signed_halfword(void **state)
{
    uint32_t iss = esr_iss(0x93638007ULL);

    (void)state;
    assert_int_equal(abort_access_bytes(iss), 2U);
    assert_true(abort_sign_extend(iss));
    assert_int_equal(abort_reg(iss), 3U);
    assert_true(abort_reg64(iss));
    assert_false(abort_write(iss));
}

/* An instruction fetch whose stage-1 walk hit a hole: ISS has no ISV. */
static void test_fetch_on_walk(void **state)
{
    uint64_t esr = 0x82000084ULL;
    uint32_t iss = esr_iss(esr);

    (void)state;
    assert_int_equal(esr_ec(esr), 0x20U);
    assert_true(abort_on_walk(iss));
    assert_false(abort_isv(iss));
    assert_int_equal(abort_fsc_kind(iss), FSC_TRANSLATION);
    /* A permission fault at level 3 and an access flag fault at level 1. */
    assert_int_equal(abort_fsc_kind(0x0fU), FSC_PERMISSION);
    assert_int_equal(abort_fsc_kind(0x09U), FSC_ACCESS_FLAG);
}

/* dc civac x0 on a page stage 2 does not map: no ISV, CM and WnR set. */
static void test_cache_maintenance(void **state)
{
    uint32_t iss = esr_iss(0x92000147ULL);

    (void)state;
    assert_false(abort_isv(iss));
    assert_true(abort_cache_maint(iss));
    assert_true(abort_write(iss));
    assert_false(abort_cache_maint(esr_iss(0x93810047ULL)));
}

/* HPFAR_EL2.FIPA (bits [43:4]) holds the IPA's page number, IPA[51:12];
 * FAR gives the offset in the page. Bits outside FIPA are not address. */
static void test_abort_ipa(void **state)
{
    (void)state;
    assert_int_equal(abort_ipa(0x831fa0ULL, 0xffff0000031fa010ULL), 0x831fa010ULL);
    assert_int_equal(abort_ipa(0xf0000ffffffffff0ULL | 0xfULL, 0xffffffffffffffffULL),
                     0x000fffffffffffffULL);
}

/* mrs x5, pmcr_el0 (op0 3, op1 3, CRn 9, CRm 12, op2 0). */
static void test_sysreg_read(void **state)
{
    uint64_t esr = 0x6230e4b9ULL;
    struct sysreg_access r = sysreg_decode(esr_iss(esr));

    (void)state;
    assert_int_equal(esr_ec(esr), 0x18U);
    assert_int_equal(r.op0, 3U);
    assert_int_equal(r.op1, 3U);
    assert_int_equal(r.crn, 9U);
    assert_int_equal(r.crm, 12U);
    assert_int_equal(r.op2, 0U);
    assert_int_equal(r.reg, 5U);
    assert_true(r.read);
}

/* msr icc_sgi1r_el1, xzr (op0 3, op1 0, CRn 12, CRm 11, op2 5). */
static void test_sysreg_write_xzr(void **state)
{
    uint32_t iss = (3U << 20) | (5U << 17) | (0U << 14) | (12U << 10) | (31U << 5) | (11U << 1);
    struct sysreg_access r = sysreg_decode(iss);

    (void)state;
    assert_int_equal(r.op0, 3U);
    assert_int_equal(r.op1, 0U);
    assert_int_equal(r.crn, 12U);
    assert_int_equal(r.crm, 11U);
    assert_int_equal(r.op2, 5U);
    assert_int_equal(r.reg, 31U);
    assert_false(r.read);
}

/* hvc #0xea1 (Xen's hypercall tag), smc #0, wfi and wfe. */
static void test_calls_and_waits(void **state)
{
    (void)state;
    assert_int_equal(esr_ec(0x5a000ea1ULL), 0x16U);
    assert_int_equal(call_imm16(esr_iss(0x5a000ea1ULL)), 0xea1U);
    assert_int_equal(esr_ec(0x5e000000ULL), 0x17U);
    assert_int_equal(call_imm16(esr_iss(0x5e000000ULL)), 0U);
    assert_int_equal(esr_ec(0x06000001ULL), 0x01U);
    assert_true(wfx_is_wfe(esr_iss(0x06000001ULL)));
    assert_false(wfx_is_wfe(esr_iss(0x06000000ULL)));
    /* A 16-bit instruction (IL clear) and a zero syndrome. */
    assert_false(esr_il32(0x04000000ULL));
    assert_int_equal(esr_ec(0U), 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_word),
        cmocka_unit_test(test_load_signed_halfword),
        cmocka_unit_test(test_fetch_on_walk),
        cmocka_unit_test(test_cache_maintenance),
        cmocka_unit_test(test_abort_ipa),
        cmocka_unit_test(test_sysreg_read),
        cmocka_unit_test(test_sysreg_write_xzr),
        cmocka_unit_test(test_calls_and_waits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
