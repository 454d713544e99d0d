/* Guest console output on the hypervisor console, one line at a time with
 * a "(dN) " prefix, as Xen prints it, filtered to text a terminal shows
 * and limited per domain in lines a second (guest_console_rate=,
 * guest_console_burst=). Both ways a domU prints use it: the console_io
 * hypercall and the emulated PL011 (vpl011). The caller serialises calls
 * on one guest_console. */
#ifndef PROXENOS_GUEST_CONSOLE_H
#define PROXENOS_GUEST_CONSOLE_H

#include <proxenos/ratelimit.h>
#include <proxenos/types.h>

#define GUEST_CONSOLE_LINE 256U

/* The defaults of guest_console_rate= and guest_console_burst=. */
#define GUEST_CONSOLE_RATE  200U
#define GUEST_CONSOLE_BURST 1000U

struct guest_console {
    unsigned int domid;
    char line[GUEST_CONSOLE_LINE];
    unsigned int len;
    uint64_t line_bytes;        /* bytes the guest gave for the open line */
    struct ratelimit limit;
    bool suppressing;           /* over its limit: lines are dropped */
    uint64_t suppressed;        /* bytes dropped in this burst */
};

void guest_console_init(struct guest_console *gc, unsigned int domid);
void guest_console_putc(struct guest_console *gc, char c);
/* Print what is buffered (at shutdown or crash), and what was suppressed. */
void guest_console_flush(struct guest_console *gc);

/* Whether gc's output is printed now: false while a burst is suppressed,
 * so that the caller can drop what is left of a write unread. The first
 * call that finds the limit recovered prints the burst's count. */
bool guest_console_accepting(struct guest_console *gc);
/* n bytes of gc's output dropped unread, and with them the open line:
 * counted with the burst. */
void guest_console_drop(struct guest_console *gc, uint64_t n);

/* The limit guest consoles initialised from now on get (the command
 * line's values are set before any domain exists). */
void guest_console_set_limit(unsigned int rate, unsigned int burst);

#endif
