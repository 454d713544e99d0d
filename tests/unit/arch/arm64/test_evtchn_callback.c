/* HVM_PARAM_CALLBACK_IRQ on arm64 (evtchn_callback.c): type PPI in the top
 * byte, the active-low level flag, the domain's upcall INTID in the low
 * byte, as Xen's dom0 builder writes it and Linux reads it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/arch/evtchn.h>

static void ppi_encoding(void **state)
{
    (void)state;
    /* The guest layout's PPI, and dom0's on QEMU's virt board. */
    assert_int_equal(arch_evtchn_callback_via(31U), 0x020000000000021fULL);
    assert_int_equal(arch_evtchn_callback_via(16U), 0x0200000000000210ULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ppi_encoding),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
