/*
 * The guest console: the device tree's UART (polled) or, without one,
 * Xen's HYPERVISOR_console_io hypercall. Each console_write is emitted
 * whole under a lock, so lines printed by different vCPUs never mix.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stddef.h>

#include "platform.h"

enum console_backend {
    CONSOLE_NONE,
    CONSOLE_UART,
    CONSOLE_XEN,
};

/*
 * Picks the backend: bootargs "console=uart" or "console=xen" force one,
 * otherwise the UART when the tree has one, else the hypercall.
 */
void console_init(const struct platform *p);

enum console_backend console_backend(void);
const char *console_backend_name(void);

void console_write(const char *s, size_t n);

/* From an exception handler: stop taking the lock (its holder may be the interrupted code). */
void console_panic_mode(void);

#endif
