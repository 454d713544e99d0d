/* See fake_dt_uart.h. */
#include "fake_dt_uart.h"

#include <proxenos/drivers/dt_uart.h>

static struct {
    uint64_t base;
    uint64_t size;
    uint32_t intid;
    int node;
} uart;

void fake_dt_uart_reset(void)
{
    uart.base = 0U;
    uart.size = 0U;
    uart.intid = 0U;
    uart.node = -1;
}

void fake_dt_uart_set(uint64_t base, uint64_t size, uint32_t intid, int node)
{
    uart.base = base;
    uart.size = size;
    uart.intid = intid;
    uart.node = node;
}

__attribute__((weak)) int dt_uart_console_node(void)
{
    return (uart.base != 0U) ? uart.node : -1;
}

__attribute__((weak)) bool dt_uart_console_where(paddr_t *base, paddr_t *size, uint32_t *intid)
{
    if ((uart.base == 0U) || (uart.intid == 0U)) {
        return false;
    }
    *base = uart.base;
    *size = uart.size;
    *intid = uart.intid;
    return true;
}
