/* A domain's RAM over the architecture's guest RAM banks (guest_ram.c), on
 * the host fake's two banks (3 GiB at 1 GiB, 1016 GiB at 8 GiB): the first
 * bank fills before the second; more than the banks hold is refused; the
 * last frame follows the layout. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/guest_ram.h>
#include <proxenos/lib.h>

#define BANK0_BASE 0x40000000ULL
#define BANK0_SIZE GiB(3)
#define BANK1_BASE 0x200000000ULL
#define BANK1_SIZE GiB(1016)

static void layout_fills_banks_in_order(void **state)
{
    uint64_t size[GUEST_RAM_MAX_BANKS];

    (void)state;
    assert_int_equal(guest_ram_layout(MiB(256), size), 1U);
    assert_int_equal(size[0], MiB(256));
    assert_int_equal(size[1], 0U);
    assert_int_equal(guest_ram_layout(BANK0_SIZE, size), 1U);
    assert_int_equal(size[0], BANK0_SIZE);
    assert_int_equal(guest_ram_layout(BANK0_SIZE + MiB(1), size), 2U);
    assert_int_equal(size[0], BANK0_SIZE);
    assert_int_equal(size[1], MiB(1));
    assert_int_equal(guest_ram_layout(BANK0_SIZE + BANK1_SIZE, size), 2U);
    /* Nothing, or more than the banks hold: no layout. */
    assert_int_equal(guest_ram_layout(0U, size), 0U);
    assert_int_equal(guest_ram_layout(BANK0_SIZE + BANK1_SIZE + 1U, size), 0U);
    assert_int_equal(size[2], 0U);
    assert_int_equal(size[3], 0U);
}

static void last_frame_follows_the_layout(void **state)
{
    (void)state;
    assert_int_equal(guest_ram_last_gfn(0U), 0U);
    assert_int_equal(guest_ram_last_gfn(1U), BANK0_BASE >> PAGE_SHIFT);
    assert_int_equal(guest_ram_last_gfn(BANK0_SIZE >> PAGE_SHIFT),
                     ((BANK0_BASE + BANK0_SIZE) >> PAGE_SHIFT) - 1U);
    assert_int_equal(guest_ram_last_gfn((BANK0_SIZE >> PAGE_SHIFT) + 1U),
                     BANK1_BASE >> PAGE_SHIFT);
    /* Past both banks: their last frame. */
    assert_int_equal(guest_ram_last_gfn(UINT64_MAX),
                     ((BANK1_BASE + BANK1_SIZE) >> PAGE_SHIFT) - 1U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layout_fills_banks_in_order),
        cmocka_unit_test(last_frame_follows_the_layout),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
