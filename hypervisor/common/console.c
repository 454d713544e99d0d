/* printk, the console ring and console input routing. */
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
/* Messages above this level are kept in the ring but not printed. */
static int loglvl = LOG_INFO;

static char ring[CONFIG_CONRING_SIZE];
static size_t ring_prod;    /* total bytes ever written */

struct input_sink {
    unsigned int id;
    const char *name;
    console_sink_fn fn;
};

static struct input_sink sinks[MAX_SINKS];
static unsigned int nr_sinks;
/* Guards sinks, nr_sinks and focus (input arrives in interrupt context). */
static spinlock_t sinks_lock = SPINLOCK_INIT;
/* 0: the hypervisor; n > 0: sinks[n - 1]. */
static unsigned int focus;
static char switch_char = 'a';
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

static void emit(char c)
{
    ring[ring_prod % sizeof(ring)] = c;
    ring_prod++;
    if (driver != NULL) {
        if (c == '\n') {
            driver->putc(driver, '\r');
        }
        driver->putc(driver, c);
    }
}

static void emit_line_text(const char *s, size_t n, bool prefix)
{
    for (size_t i = 0U; i < n; i++) {
        if (prefix && at_line_start) {
            for (const char *p = LINE_PREFIX; *p != '\0'; p++) {
                emit(*p);
            }
        }
        emit(s[i]);
        at_line_start = (s[i] == '\n');
    }
}

void console_write(const char *s, size_t n)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);

    emit_line_text(s, n, false);
    spin_unlock_irqrestore(&console_lock, flags);
}

void console_write_line(const char *prefix, size_t plen, const char *text, size_t tlen)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);

    if (!at_line_start) {
        emit_line_text("\n", 1U, false);
    }
    emit_line_text(prefix, plen, false);
    emit_line_text(text, tlen, false);
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
    emit_line_text(buf, n, true);
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
        emit_line_text("\n", 1U, true);
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
        if (focus > at) {
            focus++;    /* the input stays where it was */
        }
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
            if (focus > nr_sinks) {
                focus = 0U;
            }
            break;
        }
    }
    spin_unlock_irqrestore(&sinks_lock, flags);
}

static void announce_focus(const struct input_sink *to)
{
    char c = (char)(switch_char - 'a' + 'A');

    if (to == NULL) {
        pr_info("*** Serial input to Proxenos (type 'CTRL-%c' three times to switch input)\n", c);
    } else {
        pr_info("*** Serial input to %s (type 'CTRL-%c' three times to switch input)\n",
                to->name, c);
    }
}

void console_receive(char c)
{
    unsigned long flags;
    struct input_sink to = { 0U, NULL, NULL };
    bool switched = false;

    /* CTRL-<switch_char> is switch_char & 0x1f. */
    if (c == (char)((unsigned char)switch_char & 0x1fU)) {
        switch_presses++;
        if (switch_presses != SWITCH_PRESSES) {
            return;
        }
        switch_presses = 0U;
        switched = true;
    } else {
        switch_presses = 0U;
    }
    /* Sinks come and go at run time: copy the one in focus, then call it
     * without the lock (it may print). */
    flags = spin_lock_irqsave(&sinks_lock);
    if (switched) {
        focus = (focus + 1U) % (nr_sinks + 1U);
    }
    if (focus != 0U) {
        to = sinks[focus - 1U];
    }
    spin_unlock_irqrestore(&sinks_lock, flags);
    if (switched) {
        announce_focus((to.fn != NULL) ? &to : NULL);
    } else if (to.fn == NULL) {
        handle_keypress(c);
    } else {
        to.fn(to.id, c);
    }
}
