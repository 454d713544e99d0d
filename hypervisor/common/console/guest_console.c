/* Guest output is buffered per domain and printed a whole line at a time,
 * so lines of different domains never mix mid-line. */
#include <proxenos/console.h>
#include <proxenos/guest_console.h>
#include <proxenos/printk.h>

void guest_console_init(struct guest_console *gc, unsigned int domid)
{
    gc->domid = domid;
    gc->len = 0U;
}

void guest_console_flush(struct guest_console *gc)
{
    char prefix[16];
    int n;

    if (gc->len == 0U) {
        return;
    }
    n = snprintf(prefix, sizeof(prefix), "(d%u) ", gc->domid);
    console_write_line(prefix, (size_t)n, gc->line, gc->len);
    gc->len = 0U;
}

void guest_console_putc(struct guest_console *gc, char c)
{
    if (c == '\r') {
        return;
    }
    if (c == '\n') {
        if (gc->len < GUEST_CONSOLE_LINE) {
            gc->line[gc->len] = '\n';
            gc->len++;
        }
        guest_console_flush(gc);
        return;
    }
    /* Non-printable bytes are shown as '.' so guests cannot drive the
     * operator's terminal. */
    if ((c < ' ') && (c != '\t')) {
        c = '.';
    }
    gc->line[gc->len] = c;
    gc->len++;
    if (gc->len >= (GUEST_CONSOLE_LINE - 1U)) {
        gc->line[gc->len] = '\n';
        gc->len++;
        guest_console_flush(gc);
    }
}
