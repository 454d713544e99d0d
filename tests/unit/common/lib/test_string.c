/* The freestanding string functions (common/lib/string.c), built here
 * under pxn_* names (test_string.mk) so that every call below reaches
 * them: word and byte paths of the copies and fills, overlap in memmove,
 * bytes compared as unsigned char, and the bounds of the n-limited
 * functions. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/string.h>
#include <fake_arch.h>

/* 8-byte aligned storage, so that offsets into it choose the path. */
static _Alignas(8) unsigned char a[64];
static _Alignas(8) unsigned char b[64];

static void fill_pattern(unsigned char *p, size_t n, unsigned char first)
{
    for (size_t i = 0U; i < n; i++) {
        p[i] = (unsigned char)(first + i);
    }
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    for (size_t i = 0U; i < sizeof(a); i++) {
        a[i] = 0xeeU;
        b[i] = 0U;
    }
    return 0;
}

static void memcpy_copies_aligned_and_unaligned(void **state)
{
    (void)state;
    /* Aligned alike: 19 bytes are two words and three bytes. */
    fill_pattern(b, 19U, 1U);
    assert_ptr_equal(memcpy(a, b, 19U), a);
    for (size_t i = 0U; i < 19U; i++) {
        assert_int_equal(a[i], i + 1U);
    }
    assert_int_equal(a[19], 0xeeU);

    /* Misaligned destination: all bytes, nothing past the end. */
    assert_ptr_equal(memcpy(&a[33], b, 11U), &a[33]);
    assert_int_equal(a[32], 0xeeU);
    for (size_t i = 0U; i < 11U; i++) {
        assert_int_equal(a[33U + i], i + 1U);
    }
    assert_int_equal(a[44], 0xeeU);

    /* Nothing to copy. */
    assert_ptr_equal(memcpy(a, b, 0U), a);
    assert_int_equal(a[0], 1U);
}

static void memmove_handles_overlap_both_ways(void **state)
{
    (void)state;
    /* Destination above the source, overlapping: copied from the end. */
    fill_pattern(a, 20U, 10U);
    assert_ptr_equal(memmove(&a[3], a, 17U), &a[3]);
    for (size_t i = 0U; i < 17U; i++) {
        assert_int_equal(a[3U + i], 10U + i);
    }
    assert_int_equal(a[2], 12U);

    /* Destination below the source: a forward copy is right. */
    fill_pattern(a, 20U, 10U);
    assert_ptr_equal(memmove(a, &a[5], 15U), a);
    for (size_t i = 0U; i < 15U; i++) {
        assert_int_equal(a[i], 15U + i);
    }
    assert_int_equal(a[15], 25U);

    /* Disjoint, destination above the end of the source. */
    fill_pattern(a, 8U, 1U);
    (void)memmove(&a[40], a, 8U);
    assert_int_equal(a[40], 1U);
    assert_int_equal(a[47], 8U);
}

static void memset_fills_with_the_low_byte(void **state)
{
    (void)state;
    /* Aligned: words then a tail; only the low 8 bits of c count. */
    assert_ptr_equal(memset(a, 0x1ab, 21U), a);
    for (size_t i = 0U; i < 21U; i++) {
        assert_int_equal(a[i], 0xabU);
    }
    assert_int_equal(a[21], 0xeeU);

    /* Misaligned start. */
    assert_ptr_equal(memset(&a[41], 0, 9U), &a[41]);
    assert_int_equal(a[40], 0xeeU);
    for (size_t i = 41U; i < 50U; i++) {
        assert_int_equal(a[i], 0U);
    }
    assert_int_equal(a[50], 0xeeU);
}

static void memcmp_compares_unsigned_bytes(void **state)
{
    static const unsigned char lo[] = { 1U, 2U, 0x7fU, 9U };
    static const unsigned char hi[] = { 1U, 2U, 0x80U, 0U };

    (void)state;
    assert_int_equal(memcmp(lo, hi, 2U), 0);
    /* 0x80 is above 0x7f as unsigned char, whatever follows. */
    assert_int_equal(memcmp(lo, hi, 4U), -1);
    assert_int_equal(memcmp(hi, lo, 4U), 1);
    assert_int_equal(memcmp(lo, hi, 0U), 0);
}

static void memchr_finds_the_first_within_n(void **state)
{
    static const unsigned char s[] = { 'x', 'A', 'y', 'A', 0xffU };

    (void)state;
    assert_ptr_equal(memchr(s, 'A', sizeof(s)), &s[1]);
    /* c is converted to unsigned char. */
    assert_ptr_equal(memchr(s, 0x141, sizeof(s)), &s[1]);
    assert_ptr_equal(memchr(s, -1, sizeof(s)), &s[4]);
    /* Only the first n bytes are looked at. */
    assert_null(memchr(s, 'A', 1U));
    assert_null(memchr(s, 'z', sizeof(s)));
}

static void strlen_and_strnlen(void **state)
{
    (void)state;
    assert_int_equal(strlen(""), 0U);
    assert_int_equal(strlen("proxenos"), 8U);
    assert_int_equal(strnlen("proxenos", 3U), 3U);
    assert_int_equal(strnlen("pxn", 10U), 3U);
    assert_int_equal(strnlen("pxn", 0U), 0U);
}

static void strcmp_and_strncmp(void **state)
{
    (void)state;
    assert_int_equal(strcmp("abc", "abc"), 0);
    assert_int_equal(strcmp("abc", "abd"), -1);
    assert_int_equal(strcmp("abd", "abc"), 1);
    /* A prefix sorts first: its NUL is below any character. */
    assert_int_equal(strcmp("ab", "abc"), -1);
    assert_int_equal(strcmp("abc", "ab"), 1);
    /* Characters above 0x7f compare as unsigned. */
    assert_int_equal(strcmp("\x80", "\x7f"), 1);
    /* n bounds the comparison; nothing after a shared NUL is read. */
    assert_int_equal(strncmp("abcX", "abcY", 3U), 0);
    assert_int_equal(strncmp("abcX", "abcY", 4U), -1);
    assert_int_equal(strncmp("ab\0X", "ab\0Y", 4U), 0);
    assert_int_equal(strncmp("a", "b", 0U), 0);
}

static void strchr_finds_characters_and_the_end(void **state)
{
    static const char s[] = "key=value";

    (void)state;
    assert_ptr_equal(strchr(s, '='), &s[3]);
    assert_ptr_equal(strchr(s, 'e'), &s[1]);
    /* The terminator itself can be searched for. */
    assert_ptr_equal(strchr(s, '\0'), &s[9]);
    assert_null(strchr(s, '/'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(memcpy_copies_aligned_and_unaligned, setup),
        cmocka_unit_test_setup(memmove_handles_overlap_both_ways, setup),
        cmocka_unit_test_setup(memset_fills_with_the_low_byte, setup),
        cmocka_unit_test_setup(memcmp_compares_unsigned_bytes, setup),
        cmocka_unit_test_setup(memchr_finds_the_first_within_n, setup),
        cmocka_unit_test_setup(strlen_and_strnlen, setup),
        cmocka_unit_test_setup(strcmp_and_strncmp, setup),
        cmocka_unit_test_setup(strchr_finds_characters_and_the_end, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
