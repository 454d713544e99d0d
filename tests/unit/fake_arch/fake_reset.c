/* One call to put every fake back to its start-of-test state. */
#include <fake_arch.h>
#include "fake_internal.h"

void fake_reset(void)
{
    fake_console_reset();
    fake_cpu_reset();
    fake_time_reset();
    fake_mm_reset();
    fake_irq_reset();
    fake_guest_reset();
    fake_vuart_reset();
    fake_dm_irq_reset();
    fake_domain_reset();
    fake_domain_fdt_reset();
    fake_dom0less_reset();
}
