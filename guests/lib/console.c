#include <stdbool.h>
#include <stdint.h>

#include "bootargs.h"
#include "console.h"
#include "pl011.h"
#include "spinlock.h"
#include "string.h"
#include "sysreg.h"
#include "xen.h"

static enum console_backend backend = CONSOLE_NONE;
static uintptr_t uart_base;
static struct spinlock lock = SPINLOCK_INIT;
static volatile bool panic_mode;

void console_init(const struct platform *p)
{
    char want[8];

    backend = p->has_uart ? CONSOLE_UART : CONSOLE_XEN;
    uart_base = (uintptr_t)p->uart_base;
    if (bootarg_get(p->bootargs, "console", want, sizeof(want))) {
        if ((strcmp(want, "uart") == 0) && p->has_uart) {
            backend = CONSOLE_UART;
        } else if (strcmp(want, "xen") == 0) {
            backend = CONSOLE_XEN;
        } else {
            /* unknown or impossible choice: keep the default */
        }
    }
}

enum console_backend console_backend(void)
{
    return backend;
}

const char *console_backend_name(void)
{
    if (backend == CONSOLE_UART) {
        return "uart";
    }
    return (backend == CONSOLE_XEN) ? "xen" : "none";
}

static void emit(const char *s, size_t n)
{
    if (backend == CONSOLE_UART) {
        pl011_write(uart_base, s, n);
    } else if (backend == CONSOLE_XEN) {
        size_t done = 0U;

        /*
         * Xen 4.17 answers 0 once it has taken everything; a positive
         * answer is read as a partial count, a negative one as an error.
         */
        while (done < n) {
            long rc = xen_console_write(&s[done], (uint64_t)(n - done));

            if (rc < 0) {
                break;
            }
            if ((rc == 0) || ((size_t)rc >= (n - done))) {
                done = n;
            } else {
                done += (size_t)rc;
            }
        }
    } else {
        /* no console yet: output is dropped */
    }
}

void console_write(const char *s, size_t n)
{
    uint64_t daif;

    if (panic_mode) {
        emit(s, n);
        return;
    }
    /* IRQs off while holding the lock: a handler that prints must not spin on it */
    daif = SYSREG_READ(daif);
    irq_disable();
    spin_lock(&lock);
    emit(s, n);
    spin_unlock(&lock);
    SYSREG_WRITE(daif, daif);
}

void console_panic_mode(void)
{
    panic_mode = true;
}
