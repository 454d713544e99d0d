/* The hypervisor console: output from printk (and later guests) to one
 * physical console driver and a ring buffer; input from that driver to the
 * hypervisor's debug keys or to the domain that has the input focus. */
#ifndef PROXENOS_CONSOLE_H
#define PROXENOS_CONSOLE_H

#include <proxenos/types.h>

struct console_driver {
    const char *name;
    void (*putc)(const struct console_driver *drv, char c);
    void *priv;
    /* Receive again after console_input_stall(). Called from any CPU. */
    void (*rx_resume)(const struct console_driver *drv);
};

/* Make drv the physical console (replacing the early one). */
void console_set_driver(const struct console_driver *drv);

/* Called by console drivers for every character received. */
void console_receive(char c);

/* Input flow control, so that typing ahead of a busy domain loses nothing:
 * a driver takes a byte off the device only while console_input_ready();
 * otherwise it stops receiving (the bytes wait in the device, which holds
 * back the line) and calls console_input_stall(). A sink calls
 * console_input_drained() when its domain took bytes; the driver's
 * rx_resume then runs. A domain that takes nothing for
 * CONSOLE_INPUT_STALL_MS is not waited for any longer: its bytes are
 * dropped from then on, as Xen drops them, so that CTRL-a still reaches
 * the hypervisor. */
#define CONSOLE_INPUT_STALL_MS 500U
bool console_input_ready(void);
void console_input_stall(const struct console_driver *drv);
void console_input_drained(void);

/* Who receives console input besides the hypervisor: domains register a
 * sink when they are created (-EEXIST: the domain has one, -ENOSPC: the
 * table is full). CTRL-<switch char> three times moves the input along:
 * hypervisor, then each domain with a sink in id order, then back. The
 * input follows a domain id, so a domain rebuilt under the same id keeps
 * it. */
typedef void (*console_sink_fn)(unsigned int id, char c);
/* Bytes the sink can take now (NULL: it never runs out of room). */
typedef unsigned int (*console_room_fn)(unsigned int id);
int console_register_input_sink(unsigned int id, const char *name, console_sink_fn fn,
                                console_room_fn room);
void console_unregister_input_sink(unsigned int id);

/* End of boot, as Xen's console_endboot: when dom0 has a sink (its PV
 * console) the input moves to it, and the console says so. Without dom0
 * the input stays with the hypervisor's debug keys. */
void console_endboot(void);

/* dom0's raw output of a whole buffer, with the console lock held once;
 * kept in the ring only with console_to_ring on the command line. */
void console_write(const char *s, size_t n);

/* One line from a guest: prefix then text (which ends with '\n'), never
 * interleaved with other output. */
void console_write_line(const char *prefix, size_t plen, const char *text, size_t tlen);

/* Apply loglvl=/conswitch= style settings (parsed by console_params.c). */
void console_set_loglvl(int level);
void console_set_switch_char(char c);
void console_set_dom0_to_ring(bool on);
/* conswitch=<c>x: console_endboot leaves the input with the hypervisor. */
void console_set_keep_input_at_boot(bool keep);
/* Level above which guests' console_io output is dropped (guest_loglvl=). */
int console_guest_loglvl(void);

/* Number of bytes the ring holds and a copy of its newest bytes. */
size_t console_ring_read(char *dst, size_t max);

/* The ring as XEN_SYSCTL_readconsole sees it: byte indexes counting all
 * output ever written, modulo 2^32. cons is the oldest byte offered (see
 * console_ring_clear), prod one past the newest. */
void console_ring_indexes(uint32_t *cons, uint32_t *prod);
/* Copy up to max bytes from index from on (stopping at the newest byte)
 * into dst; returns how many, 0 when from is no longer in the ring. */
size_t console_ring_copy(uint32_t from, char *dst, size_t max);
/* A reader with "clear" read up to cons while the newest was prod: offer
 * nothing older from now on (or the oldest byte still held, if output
 * went round the ring past cons meanwhile), as Xen does. */
void console_ring_clear(uint32_t cons, uint32_t prod);

#endif
