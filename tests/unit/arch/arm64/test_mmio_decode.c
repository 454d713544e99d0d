/* What an emulated device access does (arch/arm64/mmio_decode.c): from a
 * syndrome with ISV set, and from the instruction word when the syndrome
 * has none. Only the post-indexed LDR/STR (immediate) of a general
 * register decodes, as on Xen 4.17; pairs, pre-indexed and plain offsets
 * (which have a syndrome), SIMD registers, sign-extending loads and the
 * unpredictable base-is-target form are refused. The instruction words
 * are the GNU assembler's encodings of the instructions named. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <asm/mmio_decode.h>
#include <proxenos/errno.h>

static void expect_refused(uint32_t insn)
{
    struct mmio_insn m = { .bytes = 77U };

    assert_int_equal(mmio_insn_decode(insn, &m), -EOPNOTSUPP);
    assert_int_equal(m.bytes, 77U);     /* left alone */
}

/* ldrsh x3, [x2] as the syndrome gives it (ISV, SAS 1, SSE, SRT 3, SF). */
static void test_syndrome_describes_access(void **state)
{
    struct mmio_insn m;

    (void)state;
    mmio_insn_from_syndrome(0x1638007U, &m);
    assert_int_equal(m.bytes, 2U);
    assert_true(m.sign_extend);
    assert_int_equal(m.rt, 3U);
    assert_true(m.rt64);
    assert_false(m.write);
    assert_false(m.writeback);
    /* str w1, [x0] */
    mmio_insn_from_syndrome(0x1810047U, &m);
    assert_int_equal(m.bytes, 4U);
    assert_true(m.write);
    assert_false(m.rt64);
    assert_int_equal(m.rt, 1U);
}

static void test_post_indexed_load_doubleword(void **state)
{
    struct mmio_insn m;

    (void)state;
    assert_int_equal(mmio_insn_decode(0xf8408441U, &m), 0);   /* ldr x1, [x2], #8 */
    assert_int_equal(m.bytes, 8U);
    assert_false(m.write);
    assert_int_equal(m.rt, 1U);
    assert_true(m.rt64);
    assert_false(m.sign_extend);
    assert_true(m.writeback);
    assert_int_equal(m.rn, 2U);
    assert_int_equal(m.offset, 8);
}

static void test_post_indexed_store_negative_offset(void **state)
{
    struct mmio_insn m;

    (void)state;
    assert_int_equal(mmio_insn_decode(0xb81fc483U, &m), 0);   /* str w3, [x4], #-4 */
    assert_int_equal(m.bytes, 4U);
    assert_true(m.write);
    assert_int_equal(m.rt, 3U);
    assert_false(m.rt64);
    assert_int_equal(m.rn, 4U);
    assert_int_equal(m.offset, -4);
}

/* Byte and halfword sizes, and the offsets at both ends of imm9. */
static void test_post_indexed_sizes_and_sp_base(void **state)
{
    struct mmio_insn m;

    (void)state;
    assert_int_equal(mmio_insn_decode(0x384014c5U, &m), 0);   /* ldrb w5, [x6], #1 */
    assert_int_equal(m.bytes, 1U);
    assert_int_equal(m.offset, 1);
    assert_int_equal(mmio_insn_decode(0x781007e7U, &m), 0);   /* strh w7, [sp], #-256 */
    assert_int_equal(m.bytes, 2U);
    assert_int_equal(m.rn, 31U);
    assert_int_equal(m.offset, -256);
    assert_int_equal(mmio_insn_decode(0xf84ff7e0U, &m), 0);   /* ldr x0, [sp], #255 */
    assert_int_equal(m.rn, 31U);
    assert_int_equal(m.rt, 0U);
    assert_int_equal(m.offset, 255);
    assert_int_equal(mmio_insn_decode(0xf800845fU, &m), 0);   /* str xzr, [x2], #8 */
    assert_int_equal(m.rt, 31U);
    assert_true(m.write);
}

static void test_other_instructions_are_refused(void **state)
{
    (void)state;
    expect_refused(0xa9400440U);    /* ldp x0, x1, [x2] */
    expect_refused(0xa9000440U);    /* stp x0, x1, [x2] */
    expect_refused(0x3cc10420U);    /* ldr q0, [x1], #16 */
    expect_refused(0xb8804441U);    /* ldrsw x1, [x2], #4 */
    expect_refused(0x38c01441U);    /* ldrsb w1, [x2], #1 */
    expect_refused(0xf8408c41U);    /* ldr x1, [x2, #8]! */
    expect_refused(0xf9400041U);    /* ldr x1, [x2] */
    expect_refused(0xf9800040U);    /* prfm pldl1keep, [x2] */
    expect_refused(0xd50b7e20U);    /* dc civac, x0 */
    expect_refused(0x00000000U);
}

/* ldr x1, [x1], #8: the architecture leaves the result open. */
static void test_base_equal_to_target_is_refused(void **state)
{
    (void)state;
    expect_refused(0xf8408421U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syndrome_describes_access),
        cmocka_unit_test(test_post_indexed_load_doubleword),
        cmocka_unit_test(test_post_indexed_store_negative_offset),
        cmocka_unit_test(test_post_indexed_sizes_and_sp_base),
        cmocka_unit_test(test_other_instructions_are_refused),
        cmocka_unit_test(test_base_equal_to_target_is_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
