/* printk and the console ring (input is routed by console_input.c). */
#include <proxenos/cmdline.h>
#include <proxenos/console.h>
#include <proxenos/printk.h>
#include <proxenos/smp.h>
#include <proxenos/spinlock.h>

#define LINE_PREFIX "(PXN) "

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
