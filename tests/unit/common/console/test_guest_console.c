/* A guest's console output (common/console/guest_console.c), as Xen
 * prints it: buffered per domain and printed a whole line at a time with
 * a "(d<id>) " prefix, CR dropped, control bytes (and bytes above 0x7f)
 * shown as '.', a line too long for the buffer cut into full lines, and
 * what is left printed at a flush (shutdown or crash). */
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
    guest_console_init(&gc, 7U);
    return 0;
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

static void control_bytes_are_shown_as_dots(void **state)
{
    (void)state;
    put("a\x1b[2Jb\tc\x80\n");
    assert_string_equal(fake_console_lines(NULL), "(d7) a.[2Jb\tc.\n");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(whole_lines_with_the_domain_prefix, setup),
        cmocka_unit_test_setup(control_bytes_are_shown_as_dots, setup),
        cmocka_unit_test_setup(long_lines_are_cut, setup),
        cmocka_unit_test_setup(a_flush_prints_what_is_left, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
