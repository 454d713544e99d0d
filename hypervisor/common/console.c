/* printk, the console ring and console input routing. */
#include <proxenos/cmdline.h>
#include <proxenos/console.h>
#include <proxenos/errno.h>
#include <proxenos/keyhandler.h>
#include <proxenos/printk.h>
#include <proxenos/smp.h>
#include <proxenos/spinlock.h>
#include <proxenos/string.h>

#define LINE_PREFIX "(PXN) "
#define MAX_SINKS 16U
#define SWITCH_PRESSES 3U

static const struct console_driver *driver;
static spinlock_t console_lock = SPINLOCK_INIT;
static bool at_line_start = true;
/* The open line (if any) is a guest's raw output (dom0's console_io), not
 * the start of one of our own messages: ours then begin on a new line. */
static bool open_line_is_guest;
/* Messages above this level are kept in the ring but not printed. */
static int loglvl = LOG_INFO;

static char ring[CONFIG_CONRING_SIZE];
static size_t ring_prod;    /* total bytes ever written */
/* The oldest byte XEN_SYSCTL_readconsole still offers, as an index of the
 * same count (modulo 2^32, Xen's index width): moved on by a read with
 * "clear", and by new output once the ring has gone round past it. */
static uint32_t ring_cons;

/* Indexes are taken modulo 2^32 and then modulo the ring size: that is
 * the same slot only for a power-of-two size. */
_Static_assert((CONFIG_CONRING_SIZE & (CONFIG_CONRING_SIZE - 1)) == 0,
               "CONFIG_CONRING_SIZE must be a power of two");

struct input_sink {
    unsigned int id;
    const char *name;
    console_sink_fn fn;
};

static struct input_sink sinks[MAX_SINKS];
static unsigned int nr_sinks;
/* Guards sinks, nr_sinks and the focus (input arrives in interrupt context). */
static spinlock_t sinks_lock = SPINLOCK_INIT;
/* The focus is a domain id, not a table slot, as Xen's: a domain that is
 * rebuilt (reboot) registers again under the same id and keeps the input,
 * and sinks coming and going never move it to someone else. */
static bool focus_on_domain;
static unsigned int focus_id;
static char switch_char = 'a';
static bool keep_input_at_boot;
/* Bytes for a focused domain without a sink are dropped; say so once. */
static bool drop_reported;
/* Switch keys received in a row (only the UART interrupt touches it). */
static unsigned int switch_presses;

void console_set_driver(const struct console_driver *drv)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);

    driver = drv;
    spin_unlock_irqrestore(&console_lock, flags);
}

void console_set_loglvl(int level)
{
    loglvl = level;
}

void console_set_switch_char(char c)
{
    switch_char = c;
}

void console_set_keep_input_at_boot(bool keep)
{
    keep_input_at_boot = keep;
}

/* console_to_ring: dom0's own console output is kept in the ring too.
 * Off by default, as on Xen: xl dmesg in dom0 shows the hypervisor's and
 * the domUs' lines, not dom0's own (which would feed back into it). */
static bool dom0_to_ring;
PARAM_BOOL("console_to_ring", dom0_to_ring);

void console_set_dom0_to_ring(bool on)
{
    dom0_to_ring = on;
}

static void emit(char c, bool to_ring)
{
    if (to_ring) {
        ring[ring_prod % sizeof(ring)] = c;
        ring_prod++;
        if (((uint32_t)ring_prod - ring_cons) > (uint32_t)sizeof(ring)) {
            ring_cons = (uint32_t)ring_prod - (uint32_t)sizeof(ring);
        }
    }
    if (driver != NULL) {
        if (c == '\n') {
            driver->putc(driver, '\r');
        }
        driver->putc(driver, c);
    }
}

static void emit_line_text(const char *s, size_t n, bool prefix, bool to_ring)
{
    for (size_t i = 0U; i < n; i++) {
        if (prefix && at_line_start) {
            for (const char *p = LINE_PREFIX; *p != '\0'; p++) {
                emit(*p, to_ring);
            }
        }
        emit(s[i], to_ring);
        at_line_start = (s[i] == '\n');
    }
}

void console_write(const char *s, size_t n)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);

    emit_line_text(s, n, false, dom0_to_ring);
    open_line_is_guest = !at_line_start;
    spin_unlock_irqrestore(&console_lock, flags);
}

void console_write_line(const char *prefix, size_t plen, const char *text, size_t tlen)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);

    if (!at_line_start) {
        emit_line_text("\n", 1U, false, true);
    }
    emit_line_text(prefix, plen, false, true);
    emit_line_text(text, tlen, false, true);
    open_line_is_guest = false;
    spin_unlock_irqrestore(&console_lock, flags);
}

size_t console_ring_read(char *dst, size_t max)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);
    size_t have = MIN(ring_prod, sizeof(ring));
    size_t n = MIN(have, max);
    size_t start = ring_prod - n;

    for (size_t i = 0U; i < n; i++) {
        dst[i] = ring[(start + i) % sizeof(ring)];
    }
    spin_unlock_irqrestore(&console_lock, flags);
    return n;
}

void console_ring_indexes(uint32_t *cons, uint32_t *prod)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);

    *cons = ring_cons;
    *prod = (uint32_t)ring_prod;
    spin_unlock_irqrestore(&console_lock, flags);
}

size_t console_ring_copy(uint32_t from, char *dst, size_t max)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);
    uint32_t prod = (uint32_t)ring_prod;
    uint32_t oldest = prod - MIN(prod, (uint32_t)sizeof(ring));
    size_t n = 0U;

    /* Only bytes still in the ring: output since the caller looked may
     * have overwritten the slots it asked for. */
    if ((uint32_t)(from - oldest) < (uint32_t)(prod - oldest)) {
        n = MIN(max, (size_t)(prod - from));
    }
    for (size_t i = 0U; i < n; i++) {
        dst[i] = ring[(from + (uint32_t)i) % sizeof(ring)];
    }
    spin_unlock_irqrestore(&console_lock, flags);
    return n;
}

void console_ring_clear(uint32_t cons, uint32_t prod)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);

    ring_cons = ((prod - cons) > (uint32_t)sizeof(ring)) ? (prod - (uint32_t)sizeof(ring)) : cons;
    /* Output since prod may have gone round past it. */
    if (((uint32_t)ring_prod - ring_cons) > (uint32_t)sizeof(ring)) {
        ring_cons = (uint32_t)ring_prod - (uint32_t)sizeof(ring);
    }
    spin_unlock_irqrestore(&console_lock, flags);
}

void vprintk(enum log_level level, const char *fmt, va_list ap)
{
    char buf[512];
    int len = vsnprintf(buf, sizeof(buf), fmt, ap);
    size_t n = MIN((size_t)len, sizeof(buf) - 1U);
    unsigned long flags;

    if ((int)level > loglvl) {
        return;
    }
    flags = spin_lock_irqsave(&console_lock);
    if (open_line_is_guest && !at_line_start) {
        emit_line_text("\n", 1U, false, true);
    }
    emit_line_text(buf, n, true, true);
    open_line_is_guest = false;
    spin_unlock_irqrestore(&console_lock, flags);
}

void printk(enum log_level level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(level, fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    static char buf[512];
    va_list ap;

    arch_irq_disable();
    va_start(ap, fmt);
    (void)vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    /* The lock may be held by the code that failed: do not wait for it. */
    spin_lock_init(&console_lock);
    loglvl = LOG_DEBUG;
    if (!at_line_start) {
        emit_line_text("\n", 1U, true, true);
    }
    printk(LOG_ERR, "PANIC on CPU %u: %s\n", arch_cpu_id(), buf);
    printk(LOG_ERR, "System halted.\n");
    arch_halt();
}

/* ---- input ---- */

int console_register_input_sink(unsigned int id, const char *name, console_sink_fn fn)
{
    unsigned long flags = spin_lock_irqsave(&sinks_lock);
    unsigned int at = 0U;
    int rc = 0;

    /* One sink per domain: the first (its emulated UART) keeps the input;
     * a domain may try again later (dom0's PV console does, at run time). */
    for (unsigned int i = 0U; i < nr_sinks; i++) {
        if (sinks[i].id == id) {
            rc = -EEXIST;
        } else if (sinks[i].id < id) {
            at = i + 1U;
        } else {
            /* after id */
        }
    }
    if ((rc == 0) && (nr_sinks >= MAX_SINKS)) {
        rc = -ENOSPC;
    }
    if (rc == 0) {
        /* Domain id order, as Xen's CTRL-a cycle: hypervisor, dom0, dom1... */
        (void)memmove(&sinks[at + 1U], &sinks[at], (nr_sinks - at) * sizeof(sinks[0]));
        sinks[at] = (struct input_sink){ id, name, fn };
        nr_sinks++;
    }
    spin_unlock_irqrestore(&sinks_lock, flags);
    return rc;
}

void console_unregister_input_sink(unsigned int id)
{
    unsigned long flags = spin_lock_irqsave(&sinks_lock);

    for (unsigned int i = 0U; i < nr_sinks; i++) {
        if (sinks[i].id == id) {
            (void)memmove(&sinks[i], &sinks[i + 1U], (nr_sinks - i - 1U) * sizeof(sinks[0]));
            nr_sinks--;
            break;
        }
    }
    spin_unlock_irqrestore(&sinks_lock, flags);
}

static void announce_focus(const struct input_sink *to)
{
    /* Xen names the key as conswitch= gave it: 'CTRL-a'. */
    if (to == NULL) {
        pr_info("*** Serial input to Proxenos (type 'CTRL-%c' three times to switch input)\n",
                switch_char);
    } else {
        pr_info("*** Serial input to %s (type 'CTRL-%c' three times to switch input)\n",
                to->name, switch_char);
    }
}

/* The sink the focus names, copied out under the lock (it is called
 * without the lock: it may print). false: the hypervisor has the input, or
 * the focused domain has no sink at the moment (being rebuilt). */
static bool focused_sink_locked(struct input_sink *out)
{
    bool found = false;

    for (unsigned int i = 0U; focus_on_domain && (i < nr_sinks) && !found; i++) {
        if (sinks[i].id == focus_id) {
            *out = sinks[i];
            found = true;
        }
    }
    return found;
}

/* Hypervisor, then each domain in id order, then the hypervisor again. */
static void switch_focus(void)
{
    unsigned long flags = spin_lock_irqsave(&sinks_lock);
    struct input_sink to = { 0U, NULL, NULL };
    bool next_found = false;

    for (unsigned int i = 0U; (i < nr_sinks) && !next_found; i++) {
        if (!focus_on_domain || (sinks[i].id > focus_id)) {
            to = sinks[i];
            next_found = true;
        }
    }
    focus_on_domain = next_found;
    focus_id = to.id;
    drop_reported = false;
    spin_unlock_irqrestore(&sinks_lock, flags);
    announce_focus(next_found ? &to : NULL);
}

void console_endboot(void)
{
    unsigned long flags = spin_lock_irqsave(&sinks_lock);
    struct input_sink dom0 = { 0U, NULL, NULL };
    bool have_dom0 = (nr_sinks > 0U) && (sinks[0].id == 0U);

    if (have_dom0) {
        dom0 = sinks[0];
        /* conswitch=<c>x: Xen still says where the input is. */
        focus_on_domain = !keep_input_at_boot;
        focus_id = 0U;
    }
    spin_unlock_irqrestore(&sinks_lock, flags);
    if (have_dom0) {
        announce_focus(keep_input_at_boot ? NULL : &dom0);
    }
}

static void deliver(char c)
{
    unsigned long flags = spin_lock_irqsave(&sinks_lock);
    struct input_sink to = { 0U, NULL, NULL };
    bool on_domain = focus_on_domain;
    bool found = focused_sink_locked(&to);
    bool report = on_domain && !found && !drop_reported;

    if (report) {
        drop_reported = true;
    }
    spin_unlock_irqrestore(&sinks_lock, flags);
    if (found) {
        to.fn(to.id, c);
    } else if (!on_domain) {
        handle_keypress(c);
    } else if (report) {
        /* The domain is gone or being rebuilt: its input is lost, as on Xen. */
        pr_info("Cannot send input to domain %u: it has no console now\n", focus_id);
    } else {
        /* already reported */
    }
}

void console_receive(char c)
{
    /* CTRL-<switch_char> is switch_char & 0x1f. */
    char code = (char)((unsigned char)switch_char & 0x1fU);
    unsigned int held = switch_presses;

    if (c == code) {
        switch_presses++;
        if (switch_presses == SWITCH_PRESSES) {
            switch_presses = 0U;
            switch_focus();
        }
        return;
    }
    switch_presses = 0U;
    /* Fewer than three: the switch keys held back were meant for whoever
     * has the input (an editor's or a shell's Ctrl-a), as on Xen. */
    for (; held > 0U; held--) {
        deliver(code);
    }
    deliver(c);
}
