/* ARM PL011 (and SBSA generic) UART as the hypervisor console. */
#ifndef PROXENOS_DRIVERS_PL011_H
#define PROXENOS_DRIVERS_PL011_H

#include <proxenos/types.h>

/* The device-tree compatibles this driver drives. */
#define PL011_NR_COMPATIBLES 2U
extern const char *const pl011_compatibles[PL011_NR_COMPATIBLES];

/* Map the UART and make it the console (polled output). */
int pl011_console_init(paddr_t base, size_t size);

/* Take the UART's receive interrupt so typed characters reach
 * console_receive(); needs the interrupt controller. */
int pl011_console_enable_input(unsigned int irq);

/* Busy-wait output on a UART at a given (virtual or, with the MMU off,
 * physical) address: for the earliest messages and for panics. */
void pl011_raw_putc(uintptr_t base, char c);

#endif
