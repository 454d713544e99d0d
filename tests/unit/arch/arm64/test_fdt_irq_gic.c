/* GIC interrupt specifiers (arch/arm64/fdt_irq_gic.c) as fdt_irq() reads
 * them through the common lookup of the interrupt parent: SPIs, PPIs and
 * their extended ranges, the 4-cell GICv3 form, and what is refused, on a
 * built tree and on QEMU's virt DTB. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/arch/fdt_irq.h>
#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include "fdt_builder.h"
#include "fdt_sample_tree.h"

static void test_interrupts(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    int uart = path(fdt, "serial0");
    uint32_t intid = 0;
    uint32_t flags = 0;

    /* <0 5 4>: SPI 5 = INTID 37, level high. Parent from the root. */
    assert_int_equal(fdt_irq(fdt, uart, 0, &intid, &flags), 0);
    assert_int_equal(intid, 37);
    assert_int_equal(flags, 4);
    /* <1 3 8>: PPI 3 = INTID 19. */
    assert_int_equal(fdt_irq(fdt, uart, 1, &intid, &flags), 0);
    assert_int_equal(intid, 19);
    assert_int_equal(flags, 8);
    /* Extended SPI 7 and extended PPI 1. */
    assert_int_equal(fdt_irq(fdt, uart, 2, &intid, &flags), 0);
    assert_int_equal(intid, 4096 + 7);
    assert_int_equal(fdt_irq(fdt, uart, 3, &intid, &flags), 0);
    assert_int_equal(intid, 1056 + 1);
    /* Type 4 does not exist; SPI 988 would be INTID 1020 (special). */
    assert_int_equal(fdt_irq(fdt, uart, 4, &intid, &flags), -EINVAL);
    assert_int_equal(fdt_irq(fdt, uart, 5, &intid, &flags), -EINVAL);
    assert_int_equal(fdt_irq(fdt, uart, 6, &intid, &flags), -ENOENT);

    /* The GIC's own maintenance interrupt: PPI 9 = INTID 25. */
    assert_int_equal(fdt_irq(fdt, path(fdt, "/gic@8000000"), 0, &intid, &flags), 0);
    assert_int_equal(intid, 25);

    assert_int_equal(fdt_irq(fdt, path(fdt, "/chosen"), 0, &intid, &flags), -ENOENT);
    /* Parent is not an interrupt controller / has 2 cells. */
    assert_int_equal(fdt_irq(fdt, path(fdt, "/notctrl/dev"), 0, &intid, &flags), -EOPNOTSUPP);
    assert_int_equal(fdt_irq(fdt, path(fdt, "/twocell/dev"), 0, &intid, &flags), -EOPNOTSUPP);
}


static void test_decode_directly(void **state)
{
    /* <1 9 4 0>: the 4-cell GICv3 form, partition cell ignored. */
    static const uint8_t four[] = { 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 4, 0, 0, 0, 0 };
    uint32_t intid = 0;
    uint32_t flags = 0;

    (void)state;
    assert_int_equal(arch_fdt_irq_decode(four, sizeof(four), 4, 0, &intid, &flags), 0);
    assert_int_equal(intid, 25);
    assert_int_equal(flags, 4);
    assert_int_equal(arch_fdt_irq_decode(four, sizeof(four), 4, 1, &intid, &flags), -ENOENT);
    /* Not whole entries of 3 cells; cell counts a GIC never has. */
    assert_int_equal(arch_fdt_irq_decode(four, sizeof(four), 3, 0, &intid, &flags), -EINVAL);
    assert_int_equal(arch_fdt_irq_decode(four, sizeof(four), 2, 0, &intid, &flags), -EOPNOTSUPP);
    assert_int_equal(arch_fdt_irq_decode(four, sizeof(four), 1, 0, &intid, &flags), -EOPNOTSUPP);
    /* PPI 16 does not exist. */
    {
        static const uint8_t ppi16[] = { 0, 0, 0, 1, 0, 0, 0, 16, 0, 0, 0, 4 };

        assert_int_equal(arch_fdt_irq_decode(ppi16, sizeof(ppi16), 3, 0, &intid, &flags),
                         -EINVAL);
    }
}

static void test_qemu_virt_uart(void **state)
{
    size_t len;
    uint8_t *blob = fb_load_fixture("qemu-virt.dtb", &len);
    struct fdt fdt;
    int uart;
    uint32_t intid;
    uint32_t flags;

    (void)state;
    assert_int_equal(fdt_check(&fdt, blob, len), 0);
    uart = fdt_path_offset(&fdt, "/pl011@9000000", 14);
    assert_true(uart >= 0);
    assert_int_equal(fdt_irq(&fdt, uart, 0, &intid, &flags), 0);
    assert_int_equal(intid, 33);
    assert_int_equal(flags, 4);
    free(blob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_interrupts, good_setup, good_teardown),
        cmocka_unit_test(test_decode_directly),
        cmocka_unit_test(test_qemu_virt_uart),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
