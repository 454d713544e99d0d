/* The PV console of the console_io hypercall: per-domain output line
 * buffers and, for a domain that takes console input without an emulated
 * UART (dom0), the ring CONSOLEIO_read drains. */
#ifndef PROXENOS_CONSOLE_IO_H
#define PROXENOS_CONSOLE_IO_H

#include <proxenos/domain.h>

/* Bytes of typed input a domain's ring holds (Xen's SERIAL_RX_SIZE). */
#define CONSOLE_IO_RX_SIZE 128U

/* Give d its PV console and, if d takes console input (dom0, or
 * d->console_input) and has no other input sink (a vpl011), make it the
 * target of the Ctrl-a cycle. Idempotent; the first console_io hypercall
 * of d calls it too. 0 or -ENOSPC (table of domains full). */
int console_io_domain_init(struct domain *d);
/* Print d's unfinished output line and drop its PV console. */
void console_io_domain_destroy(struct domain *d);

/* Input sink: c typed while the input focus is domain domid. */
void console_io_receive(unsigned int domid, char c);

#endif
