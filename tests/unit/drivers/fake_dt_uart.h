/* A stand-in for drivers/dt_uart.c's console UART as other code asks
 * about it (dt_uart_console_where, dt_uart_console_node), for host tests
 * of what copies the host UART (a direct-mapped domain's vpl011): the UART
 * is what the test set, none after a reset. Weak, as every fake. Link it
 * by naming ../tests/unit/drivers/fake_dt_uart.c in a test's -src, and
 * call fake_dt_uart_reset() in each test's setup. */
#ifndef FAKE_DT_UART_H
#define FAKE_DT_UART_H

#include <stdint.h>

/* No console UART. */
void fake_dt_uart_reset(void);
/* The console UART is at base (size bytes, node node) with GIC INTID
 * intid; intid 0: it has no interrupt. */
void fake_dt_uart_set(uint64_t base, uint64_t size, uint32_t intid, int node);

#endif
