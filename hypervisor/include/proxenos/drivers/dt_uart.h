#ifndef PROXENOS_DRIVERS_DT_UART_H
#define PROXENOS_DRIVERS_DT_UART_H

#include <proxenos/fdt.h>

/* Find the UART chosen by console=/dtuart= and make it the console. */
int dt_uart_console_init(const struct fdt *fdt);
/* Take its receive interrupt (after the interrupt controller is up). */
int dt_uart_console_enable_input(void);
/* The console UART's device-tree node (hidden from dom0), or -1. */
int dt_uart_console_node(void);
/* Where the console UART is and its interrupt (a GIC INTID): what a
 * direct-mapped domain's emulated UART copies, as on Xen 4.17. False when
 * there is no console UART or it has no interrupt. */
bool dt_uart_console_where(paddr_t *base, paddr_t *size, uint32_t *intid);

#endif
