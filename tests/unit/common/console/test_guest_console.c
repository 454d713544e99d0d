/* A guest's console output (common/console/guest_console.c), as Xen
 * prints it: buffered per domain and printed a whole line at a time with
 * a "(d<id>) " prefix, CR, control bytes, DEL and bytes above 0x7f
 * stripped, a line too long for the buffer cut into full lines, and what
 * is left printed at a flush (shutdown or crash). Then its rate limit: a
 * burst of lines, then lines dropped and counted until the bucket is half
 * full, one "... N bytes suppressed." line per burst. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/guest_console.h>
#include <fake_arch.h>
#include "fake_console_api.h"

static struct guest_console gc;

static void put(const char *s)
{
    for (; *s != '\0'; s++) {
        guest_console_putc(&gc, *s);
    }
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_console_api_reset();
    guest_console_set_limit(GUEST_CONSOLE_RATE, GUEST_CONSOLE_BURST);
    guest_console_init(&gc, 7U);
    return 0;
}

/* gc again, limited to `rate` lines a second in bursts of `burst`. */
static void limit(unsigned int rate, unsigned int burst)
{
    guest_console_set_limit(rate, burst);
    guest_console_init(&gc, 7U);
}

static void whole_lines_with_the_domain_prefix(void **state)
{
    (void)state;
    put("hello");
    /* Nothing until the line ends. */
    assert_string_equal(fake_console_lines(NULL), "");
    put(" world\r\nsecond\n");
    assert_string_equal(fake_console_lines(NULL), "(d7) hello world\n(d7) second\n");
}

static void only_text_reaches_the_console(void **state)
{
    char want[160];
    size_t at = 0U;

    (void)state;
    put("a\x1b[2Jb\tc\x80\x7f\xff\x9b\x07" "d\n");
    assert_string_equal(fake_console_lines(NULL), "(d7) a[2Jb\tcd\n");
    /* Every byte value once: what is left is 0x20-0x7e and the tab. */
    fake_console_api_reset();
    for (unsigned int b = 0U; b < 256U; b++) {
        if (b != (unsigned int)'\n') {
            guest_console_putc(&gc, (char)b);
        }
    }
    guest_console_putc(&gc, '\n');
    at += (size_t)snprintf(want, sizeof(want), "(d7) \t");
    for (unsigned int b = 0x20U; b <= 0x7eU; b++) {
        want[at++] = (char)b;
    }
    want[at++] = '\n';
    want[at] = '\0';
    assert_string_equal(fake_console_lines(NULL), want);
}

static void long_lines_are_cut(void **state)
{
    char want[2U * GUEST_CONSOLE_LINE];
    size_t at = 0U;

    (void)state;
    for (unsigned int i = 0U; i < GUEST_CONSOLE_LINE + 10U; i++) {
        guest_console_putc(&gc, 'x');
    }
    guest_console_putc(&gc, '\n');
    /* A full buffer's worth (its last byte the added newline), then the
     * rest as a line of its own. */
    at += (size_t)snprintf(&want[at], sizeof(want) - at, "(d7) ");
    memset(&want[at], 'x', GUEST_CONSOLE_LINE - 1U);
    at += GUEST_CONSOLE_LINE - 1U;
    want[at++] = '\n';
    at += (size_t)snprintf(&want[at], sizeof(want) - at, "(d7) ");
    memset(&want[at], 'x', 11U);
    at += 11U;
    want[at++] = '\n';
    want[at] = '\0';
    assert_string_equal(fake_console_lines(NULL), want);
}

static void a_flush_prints_what_is_left(void **state)
{
    (void)state;
    guest_console_flush(&gc);
    assert_string_equal(fake_console_lines(NULL), "");
    put("no newline");
    guest_console_flush(&gc);
    assert_string_equal(fake_console_lines(NULL), "(d7) no newline");
    /* Nothing twice. */
    guest_console_flush(&gc);
    assert_string_equal(fake_console_lines(NULL), "(d7) no newline");
}

static unsigned int count_lines(const char *s)
{
    unsigned int n = 0U;

    for (; *s != '\0'; s++) {
        n += (*s == '\n') ? 1U : 0U;
    }
    return n;
}

static void a_flood_is_cut_to_its_burst_and_told_once(void **state)
{
    (void)state;
    /* 10 lines a second (100 ms each), 4 at once. */
    limit(10U, 4U);
    for (unsigned int i = 0U; i < 10U; i++) {
        put("line\r\n");
    }
    assert_string_equal(fake_console_lines(NULL),
                        "(d7) line\n(d7) line\n(d7) line\n(d7) line\n");
    assert_false(guest_console_accepting(&gc));
    /* One line's credit back is not enough to resume: half the burst is. */
    fake_advance(100000000);
    put("x\n");
    assert_int_equal(count_lines(fake_console_lines(NULL)), 4U);
    fake_advance(100000000);
    put("back\n");
    /* Six lines of 6 bytes (CR counted) and "x\n" were dropped. */
    assert_string_equal(fake_console_lines(NULL),
                        "(d7) line\n(d7) line\n(d7) line\n(d7) line\n"
                        "(d7) ... 38 bytes suppressed.\n(d7) back\n");
    /* The next burst starts afresh: one more line fits, then a new count. */
    put("one\n");
    put("two\n");
    fake_console_api_reset();
    fake_advance(200000000);
    assert_true(guest_console_accepting(&gc));
    assert_string_equal(fake_console_lines(NULL), "(d7) ... 4 bytes suppressed.\n");
    assert_true(guest_console_accepting(&gc));
    assert_string_equal(fake_console_lines(NULL), "(d7) ... 4 bytes suppressed.\n");
}

static void bytes_dropped_unread_are_counted(void **state)
{
    (void)state;
    limit(10U, 2U);
    assert_true(guest_console_accepting(&gc));
    /* A writer over the limit drops the rest of its write itself. */
    put("a\nb\nc\n");
    assert_false(guest_console_accepting(&gc));
    guest_console_drop(&gc, 1ULL << 30);
    fake_advance(100000000);
    assert_true(guest_console_accepting(&gc));
    assert_string_equal(fake_console_lines(NULL),
                        "(d7) a\n(d7) b\n(d7) ... 1073741826 bytes suppressed.\n");
}

static void a_flush_tells_what_was_suppressed(void **state)
{
    (void)state;
    limit(10U, 1U);
    put("kept\nlost\npartial");
    guest_console_flush(&gc);
    /* "lost\n" and the unfinished line: the limit holds to the end. */
    assert_string_equal(fake_console_lines(NULL), "(d7) kept\n(d7) ... 12 bytes suppressed.\n");
    assert_false(gc.suppressing);
    assert_int_equal(gc.suppressed, 0U);
}

static void a_neighbour_keeps_printing(void **state)
{
    struct guest_console other;

    (void)state;
    limit(10U, 2U);
    guest_console_init(&other, 8U);
    for (unsigned int i = 0U; i < 100U; i++) {
        put("flood\n");
    }
    guest_console_putc(&other, 'n');
    guest_console_putc(&other, '\n');
    assert_string_equal(fake_console_lines(NULL), "(d7) flood\n(d7) flood\n(d8) n\n");
    assert_true(guest_console_accepting(&other));
}

static void rate_zero_is_no_limit(void **state)
{
    (void)state;
    limit(0U, 1U);
    /* Far past a burst of one, at one instant. */
    for (unsigned int i = 0U; i < 500U; i++) {
        put("z\n");
    }
    assert_int_equal(count_lines(fake_console_lines(NULL)), 500U);
    assert_true(guest_console_accepting(&gc));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(whole_lines_with_the_domain_prefix, setup),
        cmocka_unit_test_setup(only_text_reaches_the_console, setup),
        cmocka_unit_test_setup(long_lines_are_cut, setup),
        cmocka_unit_test_setup(a_flush_prints_what_is_left, setup),
        cmocka_unit_test_setup(a_flood_is_cut_to_its_burst_and_told_once, setup),
        cmocka_unit_test_setup(bytes_dropped_unread_are_counted, setup),
        cmocka_unit_test_setup(a_flush_tells_what_was_suppressed, setup),
        cmocka_unit_test_setup(a_neighbour_keeps_printing, setup),
        cmocka_unit_test_setup(rate_zero_is_no_limit, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
