/* The earliest console: the UART named by CONFIG_EARLY_UART_PL011 (as Xen's
 * early printk), used before the device tree is read and whenever the
 * device tree cannot be trusted.
 *
 * early_wrong_el() runs with the MMU off at whatever address we were loaded:
 * it must use only PC-relative references (no pointers stored in data). */
#include <asm/arm64.h>
#include <asm/memlayout.h>
#include <proxenos/console.h>
#include <proxenos/drivers/pl011.h>

#if CONFIG_EARLY_UART_PL011 != 0
static void raw_puts(uintptr_t base, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '\n') {
            pl011_raw_putc(base, '\r');
        }
        pl011_raw_putc(base, *s);
    }
}
#endif

void early_wrong_el(uint64_t el, paddr_t dtb)
{
    (void)dtb;
#if CONFIG_EARLY_UART_PL011 != 0
    {
        char num[2] = { (char)('0' + (el & 3U)), '\0' };

        raw_puts(CONFIG_EARLY_UART_PL011, "(PXN) FATAL: entered at EL");
        raw_puts(CONFIG_EARLY_UART_PL011, num);
        raw_puts(CONFIG_EARLY_UART_PL011,
                 "; Proxenos must be started at EL2 (QEMU: -M virt,virtualization=on)\n");
    }
#else
    (void)el;
#endif
    halt_forever();
}

#if CONFIG_EARLY_UART_PL011 != 0
#define EARLY_UART_VA (FIXMAP_VIRT_BASE + (FIXMAP_EARLY_UART * 0x1000UL))

static void early_putc(const struct console_driver *drv, char c)
{
    (void)drv;
    pl011_raw_putc(EARLY_UART_VA, c);
}

static const struct console_driver early_console = { "early-pl011", early_putc, NULL, NULL };

void early_console_enable(void)
{
    console_set_driver(&early_console);
}
#else
void early_console_enable(void)
{
}
#endif
