/* The hypervisor's printf formatting (common/lib/vsnprintf.c), which
 * replaces the C library's in this test: each conversion with its flags,
 * width, precision and length modifier, the truncation rule (the return
 * value is what the whole output needs, the buffer always terminated),
 * and formats it does not know printed as written. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/printk.h>
#include <fake_arch.h>

static char out[128];

/* Formats into out through vsnprintf, which the compiler cannot fold. */
static int fmt_n(size_t size, const char *f, ...)
{
    va_list ap;
    int n;

    va_start(ap, f);
    n = vsnprintf(out, size, f, ap);
    va_end(ap);
    return n;
}

#define FMT(f, ...) (fmt_n(sizeof(out), (f), __VA_ARGS__), out)

static int setup(void **state)
{
    (void)state;
    fake_reset();
    memset(out, 'Z', sizeof(out));
    return 0;
}

static void signed_and_unsigned_decimal(void **state)
{
    (void)state;
    assert_string_equal(FMT("%d|%i|%u", -42, 17, 4000000000U), "-42|17|4000000000");
    assert_string_equal(FMT("%d", INT32_MIN), "-2147483648");
    assert_string_equal(FMT("%lld", (long long)INT64_MIN), "-9223372036854775808");
    assert_string_equal(FMT("%llu", (unsigned long long)UINT64_MAX), "18446744073709551615");
    assert_string_equal(FMT("%+d %+d % d", 5, -5, 7), "+5 -5  7");
    /* Precision 0 and value 0: no digits at all. */
    assert_string_equal(FMT("[%.0d]", 0), "[]");
    assert_string_equal(FMT("%.4d", -12), "-0012");
}

static void length_modifiers_narrow_and_widen(void **state)
{
    (void)state;
    /* hh and h keep the low 8 and 16 bits, with the sign for d. */
    assert_string_equal(FMT("%hhu %hhd", 0x1ff, 0xff), "255 -1");
    assert_string_equal(FMT("%hu %hd", 0x12345, 0xffff), "9029 -1");
    assert_string_equal(FMT("%lx", 0xdeadbeefcafeUL), "deadbeefcafe");
    assert_string_equal(FMT("%zu %td %jd", (size_t)3, (ptrdiff_t)-4, (intmax_t)5), "3 -4 5");
    assert_string_equal(FMT("%ld", -1L), "-1");
}

static void hex_octal_and_pointers(void **state)
{
    (void)state;
    assert_string_equal(FMT("%x %X", 0xabcU, 0xabcU), "abc ABC");
    assert_string_equal(FMT("%#x %#X %#o", 255U, 255U, 8U), "0xff 0XFF 010");
    /* A zero keeps its 0x (Xen's printk does the same; ISO C would not),
     * so that %p of NULL reads 0x0; with no digits there is no prefix. */
    assert_string_equal(FMT("%#x", 0U), "0x0");
    assert_string_equal(FMT("[%#.0x]", 0U), "[]");
    assert_string_equal(FMT("%o", 8U), "10");
    assert_string_equal(FMT("%p", (void *)(uintptr_t)0x1000U), "0x1000");
    assert_string_equal(FMT("%08x", 0x1fU), "0000001f");
    assert_string_equal(FMT("%#010x", 0x1fU), "0x0000001f");
}

static void width_and_alignment(void **state)
{
    (void)state;
    assert_string_equal(FMT("[%5d]", 42), "[   42]");
    assert_string_equal(FMT("[%-5d]", 42), "[42   ]");
    assert_string_equal(FMT("[%05d]", -42), "[-0042]");
    /* '-' wins over '0'; a precision turns zero padding off. */
    assert_string_equal(FMT("[%-05d]", 42), "[42   ]");
    assert_string_equal(FMT("[%06.3d]", 7), "[   007]");
    /* Width and precision from the arguments; a negative width left-aligns. */
    assert_string_equal(FMT("[%*d]", 4, 1), "[   1]");
    assert_string_equal(FMT("[%*d]", -4, 1), "[1   ]");
    assert_string_equal(FMT("[%.*s]", 2, "abcdef"), "[ab]");
}

static void strings_and_characters(void **state)
{
    (void)state;
    assert_string_equal(FMT("%s-%s", "pxn", ""), "pxn-");
    assert_string_equal(FMT("[%6s][%-6s]", "ab", "cd"), "[    ab][cd    ]");
    assert_string_equal(FMT("[%.3s]", "abcdef"), "[abc]");
    assert_string_equal(FMT("%s", (const char *)NULL), "(null)");
    assert_string_equal(FMT("%c%c[%3c]", 'o', 'k', 'x'), "ok[  x]");
    assert_string_equal(FMT("100%%", 0), "100%");
}

static void unknown_conversions_print_as_written(void **state)
{
    (void)state;
    assert_string_equal(FMT("a%qb", 0), "a%qb");
    /* A format cut short after '%' ends the output there. */
    assert_string_equal(FMT("end%", 0), "end");
    assert_string_equal(FMT("end%-5l", 0), "end");
}

static void truncation_keeps_the_needed_length(void **state)
{
    (void)state;
    /* The return value counts the whole output; the buffer holds what fits
     * and a terminator. */
    assert_int_equal(fmt_n(5U, "%s", "abcdefgh"), 8);
    assert_string_equal(out, "abcd");
    assert_int_equal(fmt_n(1U, "%d", 12345), 5);
    assert_string_equal(out, "");
    /* Size 0: nothing written at all. */
    out[0] = 'Q';
    assert_int_equal(fmt_n(0U, "%d", 7), 1);
    assert_int_equal(out[0], 'Q');
}

static void snprintf_matches_vsnprintf(void **state)
{
    char buf[16];

    (void)state;
    assert_int_equal(snprintf(buf, sizeof(buf), "d%u-%s", 3U, "x"), 4);
    assert_string_equal(buf, "d3-x");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(signed_and_unsigned_decimal, setup),
        cmocka_unit_test_setup(length_modifiers_narrow_and_widen, setup),
        cmocka_unit_test_setup(hex_octal_and_pointers, setup),
        cmocka_unit_test_setup(width_and_alignment, setup),
        cmocka_unit_test_setup(strings_and_characters, setup),
        cmocka_unit_test_setup(unknown_conversions_print_as_written, setup),
        cmocka_unit_test_setup(truncation_keeps_the_needed_length, setup),
        cmocka_unit_test_setup(snprintf_matches_vsnprintf, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
