/* Picks the console UART from the device tree as Xen does: console=dtuart
 * (the default) with dtuart=<path|alias>[:options], or stdout-path. */
#include <proxenos/bootinfo.h>
#include <proxenos/cmdline.h>
#include <proxenos/drivers/dt_uart.h>
#include <proxenos/drivers/pl011.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/string.h>

static char console_opt[64] = "dtuart";
PARAM_STRING("console", console_opt);
static char dtuart_opt[128] = "";
PARAM_STRING("dtuart", dtuart_opt);

static struct boot_uart uart;

/* console= is a comma-separated list; we drive only dtuart and none. */
static bool console_wants_dtuart(void)
{
    const char *p = console_opt;

    while (*p != '\0') {
        if (cmdline_strcmp(p, "dtuart") == 0) {
            return true;
        }
        p = strchr(p, ',');
        if (p == NULL) {
            break;
        }
        p++;
    }
    return false;
}

int dt_uart_console_init(const struct fdt *fdt)
{
    int rc;

    if (!console_wants_dtuart()) {
        pr_info("Console: console=%s, no UART console\n", console_opt);
        return -ENOENT;
    }
    rc = bootinfo_find_uart(fdt, dtuart_opt, pl011_compatibles, PL011_NR_COMPATIBLES, &uart);
    if (rc != 0) {
        pr_warn("Console: no usable UART for dtuart=\"%s\" (%d%s%s)\n", dtuart_opt, rc,
                (uart.compatible != NULL) ? ", compatible " : "",
                (uart.compatible != NULL) ? uart.compatible : "");
        return rc;
    }
    rc = pl011_console_init(uart.base, (size_t)uart.size);
    if (rc != 0) {
        return rc;
    }
    pr_info("Console: %s at 0x%llx (%.*s)\n", uart.compatible, (unsigned long long)uart.base,
            (int)uart.path_len, uart.path);
    return 0;
}

int dt_uart_console_enable_input(void)
{
    if ((uart.base == 0U) || !uart.has_irq) {
        return -ENODEV;
    }
    return pl011_console_enable_input(uart.intid);
}

int dt_uart_console_node(void)
{
    return (uart.base != 0U) ? uart.node : -1;
}

bool dt_uart_console_where(paddr_t *base, paddr_t *size, uint32_t *intid)
{
    if ((uart.base == 0U) || !uart.has_irq) {
        return false;
    }
    *base = uart.base;
    *size = uart.size;
    *intid = uart.intid;
    return true;
}
