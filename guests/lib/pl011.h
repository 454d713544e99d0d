/*
 * Polled transmit and receive on a PL011 / SBSA generic UART (Xen's vpl011). No
 * set-up: the SBSA UART has no baud or enable registers to program, and
 * QEMU's PL011 transmits out of reset.
 */
#ifndef GUEST_PL011_H
#define GUEST_PL011_H

#include <stddef.h>
#include <stdint.h>

void pl011_write(uintptr_t base, const char *s, size_t n);
/* The next received byte, or -1 when the receive FIFO is empty. */
int pl011_getc(uintptr_t base);

#endif
