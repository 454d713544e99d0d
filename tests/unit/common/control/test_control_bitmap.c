/* CPU masks through struct xenctl_bitmap (common/control/control_bitmap.c)
 * with Xen's rules for a caller's bitmap of another size: whole bytes both
 * sides have, zeros for the caller's extra bytes, its bits past nr_bits
 * ignored on the way in. */
#include "control_env.h"

#include "control.h"

static struct xenctl_bitmap map(uint64_t off, uint32_t bits)
{
    struct xenctl_bitmap b = { GUEST_BASE + off, bits };

    return b;
}

static void out(void **state)
{
    uint8_t *g = garg(0U, BUF_OFF);
    struct xenctl_bitmap b;

    (void)state;
    memset(g, 0xee, 200U);
    /* 12 CPU ids into 100 bits: 2 bytes of mask, 11 of zeros. */
    b = map(BUF_OFF, 100U);
    assert_int_equal(control_bitmap_to_guest(&b, 0xfff5U, 12U), 0);
    assert_int_equal(g[0], 0xf5U);
    assert_int_equal(g[1], 0x0fU);     /* bits past 12 dropped */
    for (unsigned int i = 2U; i < 13U; i++) {
        assert_int_equal(g[i], 0U);
    }
    assert_int_equal(g[13], 0xeeU);
    /* Into 3 bits: the whole first byte, as Xen copies bytes. */
    memset(g, 0xee, 4U);
    b = map(BUF_OFF, 3U);
    assert_int_equal(control_bitmap_to_guest(&b, 0xffU, 8U), 0);
    assert_int_equal(g[0], 0xffU);
    assert_int_equal(g[1], 0xeeU);
    /* 64 CPUs, and more zero bytes than one block. */
    b = map(BUF_OFF, 8U * 150U);
    assert_int_equal(control_bitmap_to_guest(&b, ~0ULL, 64U), 0);
    assert_int_equal(g[7], 0xffU);
    assert_int_equal(g[8], 0U);
    assert_int_equal(g[149], 0U);
    /* A zero-bit bitmap is never touched. */
    b = map(UNMAPPED - GUEST_BASE, 0U);
    assert_int_equal(control_bitmap_to_guest(&b, 1U, 4U), 0);
    b = map(UNMAPPED - GUEST_BASE, 8U);
    assert_int_equal(control_bitmap_to_guest(&b, 1U, 4U), -EFAULT);
    /* The zeros must be writable too. */
    b = map((ENV_PAGES * PAGE_SIZE) - 1U, 16U);
    assert_int_equal(control_bitmap_to_guest(&b, 1U, 4U), -EFAULT);
}

static void in(void **state)
{
    uint8_t *g = garg(0U, BUF_OFF);
    struct xenctl_bitmap b;
    uint64_t m = 0U;

    (void)state;
    g[0] = 0xffU;
    g[1] = 0xffU;
    /* Bits past the caller's nr_bits are not its. */
    b = map(BUF_OFF, 5U);
    assert_int_equal(control_bitmap_from_guest(&b, 16U, &m), 0);
    assert_int_equal(m, 0x1fU);
    /* Nor past ours. */
    b = map(BUF_OFF, 16U);
    assert_int_equal(control_bitmap_from_guest(&b, 4U, &m), 0);
    assert_int_equal(m, 0x0fU);
    b = map(BUF_OFF, 1000U);
    assert_int_equal(control_bitmap_from_guest(&b, 12U, &m), 0);
    assert_int_equal(m, 0xfffU);
    b = map(BUF_OFF, 0U);
    assert_int_equal(control_bitmap_from_guest(&b, 12U, &m), 0);
    assert_int_equal(m, 0U);
    b = map(UNMAPPED - GUEST_BASE, 8U);
    assert_int_equal(control_bitmap_from_guest(&b, 12U, &m), -EFAULT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(out, env_test_setup),
        cmocka_unit_test_setup(in, env_test_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
