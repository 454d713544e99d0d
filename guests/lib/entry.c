#include "guest.h"

/* Filled once on the boot vCPU, read-only afterwards. */
static struct platform plat;

void guest_boot(const void *dtb, uintptr_t load_addr)
{
    int rc = platform_probe(&plat, dtb);

    /* without a readable tree there is no UART: console_init falls back to Xen's hypercall */
    console_init(&plat);
    timer_init(&plat);
    __asm__ volatile("msr daifclr, #4" : : : "memory");     /* SErrors in */
    plat.load_addr = (uint64_t)load_addr;
    if (rc != 0) {
        printf("guest: no readable device tree at %p (error %d)\n", dtb, rc);
        test_fail("boot", "device tree unreadable");
    } else {
        guest_main(&plat);
    }
    test_finish();
}
