/* Guest output is buffered per domain and printed a whole line at a time,
 * so lines of different domains never mix mid-line.
 *
 * Hostile output costs little: only printable ASCII and tab reach the
 * terminal (Xen 4.17 strips the rest of console_io output too, but for
 * Latin-1 0xa0-0xff), and each domain may print guest_console_rate lines
 * a second with bursts of guest_console_burst. Past that its lines are
 * dropped and counted until the bucket is half full again; then one
 * "(dN) ... N bytes suppressed." line tells how much the burst lost.
 * Xen 4.17, where guest_loglvl asks for a limit, has one bucket for all
 * guests (10 lines, then one per 5 s): one bucket per domain keeps a
 * flooding domain from silencing its neighbours. The hypervisor's own
 * messages and dom0's output (console_io.c) do not come here and are
 * never limited. */
#include <proxenos/cmdline.h>
#include <proxenos/console.h>
#include <proxenos/guest_console.h>
#include <proxenos/printk.h>
#include <proxenos/timer.h>

static unsigned int guest_console_rate = GUEST_CONSOLE_RATE;
static unsigned int guest_console_burst = GUEST_CONSOLE_BURST;
PARAM_UINT("guest_console_rate", guest_console_rate);
PARAM_UINT("guest_console_burst", guest_console_burst);

void guest_console_set_limit(unsigned int rate, unsigned int burst)
{
    guest_console_rate = rate;
    guest_console_burst = burst;
}

void guest_console_init(struct guest_console *gc, unsigned int domid)
{
    gc->domid = domid;
    gc->len = 0U;
    gc->line_bytes = 0U;
    gc->suppressing = false;
    gc->suppressed = 0U;
    ratelimit_init(&gc->limit, guest_console_rate, guest_console_burst, NOW());
}

static void print_prefixed(const struct guest_console *gc, const char *text, size_t len)
{
    char prefix[16];
    int n = snprintf(prefix, sizeof(prefix), "(d%u) ", gc->domid);

    console_write_line(prefix, (size_t)n, text, len);
}

/* The burst is over: say once how much of it was dropped. */
static void end_burst(struct guest_console *gc)
{
    char msg[64];
    int n;

    if (gc->suppressed != 0U) {
        n = snprintf(msg, sizeof(msg), "... %llu bytes suppressed.\n",
                     (unsigned long long)gc->suppressed);
        print_prefixed(gc, msg, (size_t)n);
    }
    gc->suppressing = false;
    gc->suppressed = 0U;
}

bool guest_console_accepting(struct guest_console *gc)
{
    if (gc->suppressing && ratelimit_recovered(&gc->limit, NOW())) {
        end_burst(gc);
    }
    return !gc->suppressing;
}

void guest_console_drop(struct guest_console *gc, uint64_t n)
{
    /* The open line goes too: its end may be in what is dropped, and
     * whatever comes next must not be printed as its continuation. */
    gc->suppressing = true;
    gc->suppressed += gc->line_bytes + n;
    gc->len = 0U;
    gc->line_bytes = 0U;
}

/* The open line is complete: print it if the limit allows, else count it. */
static void emit_line(struct guest_console *gc)
{
    if (guest_console_accepting(gc) && ratelimit_take(&gc->limit, NOW())) {
        print_prefixed(gc, gc->line, gc->len);
    } else {
        guest_console_drop(gc, 0U);
    }
    gc->len = 0U;
    gc->line_bytes = 0U;
}

void guest_console_flush(struct guest_console *gc)
{
    if (gc->len != 0U) {
        emit_line(gc);
    }
    /* The domain stops or goes: its last burst is not left untold. */
    if (gc->suppressing) {
        end_burst(gc);
    }
}

/* What a terminal shows as text: everything else (C0 and C1 controls,
 * DEL, bytes of other encodings) could move its cursor, change its
 * settings or answer back, so it never leaves the hypervisor. */
static bool is_text(unsigned char c)
{
    return ((c >= 0x20U) && (c <= 0x7eU)) || (c == (unsigned char)'\t');
}

void guest_console_putc(struct guest_console *gc, char c)
{
    unsigned char b = (unsigned char)c;

    gc->line_bytes++;
    if (b == (unsigned char)'\n') {
        gc->line[gc->len] = '\n';
        gc->len++;
        emit_line(gc);
        return;
    }
    if (!is_text(b)) {
        return;
    }
    gc->line[gc->len] = c;
    gc->len++;
    if (gc->len >= (GUEST_CONSOLE_LINE - 1U)) {
        gc->line[gc->len] = '\n';
        gc->len++;
        emit_line(gc);
    }
}
