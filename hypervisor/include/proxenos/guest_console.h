/* Guest console output on the hypervisor console, one line at a time with
 * a "(dN) " prefix, as Xen prints it. */
#ifndef PROXENOS_GUEST_CONSOLE_H
#define PROXENOS_GUEST_CONSOLE_H

#include <proxenos/types.h>

#define GUEST_CONSOLE_LINE 256U

struct guest_console {
    unsigned int domid;
    char line[GUEST_CONSOLE_LINE];
    unsigned int len;
};

void guest_console_init(struct guest_console *gc, unsigned int domid);
void guest_console_putc(struct guest_console *gc, char c);
/* Print what is buffered (at shutdown or crash). */
void guest_console_flush(struct guest_console *gc);

#endif
