/* Command line: Xen 4.17's option syntax and value rules, problem reports,
 * the PARAM_* declaration macros and the helpers for custom parsers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/cmdline.h>
#include <proxenos/errno.h>
#include <fake_arch.h>

/* ---- Variables, a table over them, and a recording reporter ------------- */

static bool b1;
static uint8_t u8;
static uint16_t u16;
static uint32_t u32;
static int32_t i32;
static uint64_t u64;
static uint64_t sz;
static uint32_t sz32;
static char str[8];

static char custom_seen[64];
static unsigned int custom_calls;
static int custom_rc;

static int custom_parser(const char *value)
{
    snprintf(custom_seen, sizeof(custom_seen), "%s", value);
    custom_calls++;
    return custom_rc;
}

static const struct cmdline_param table[] = {
    { .name = "flag", .type = PARAM_TYPE_BOOL, .len = sizeof(b1), .var = &b1 },
    { .name = "u8", .type = PARAM_TYPE_UINT, .len = sizeof(u8), .var = &u8 },
    { .name = "u16", .type = PARAM_TYPE_UINT, .len = sizeof(u16), .var = &u16 },
    { .name = "u32", .type = PARAM_TYPE_UINT, .len = sizeof(u32), .var = &u32 },
    { .name = "i32", .type = PARAM_TYPE_UINT, .len = sizeof(i32), .var = &i32 },
    { .name = "u64", .type = PARAM_TYPE_UINT, .len = sizeof(u64), .var = &u64 },
    { .name = "mem", .type = PARAM_TYPE_SIZE, .len = sizeof(sz), .var = &sz },
    { .name = "mem32", .type = PARAM_TYPE_SIZE, .len = sizeof(sz32), .var = &sz32 },
    { .name = "name", .type = PARAM_TYPE_STRING, .len = sizeof(str), .var = str },
    { .name = "custom", .type = PARAM_TYPE_CUSTOM, .parse = custom_parser },
    { .name = "legacy", .type = PARAM_TYPE_IGNORE },
    /* One name, two owners: both are set. */
    { .name = "shared", .type = PARAM_TYPE_UINT, .len = sizeof(u16), .var = &u16 },
    { .name = "shared", .type = PARAM_TYPE_UINT, .len = sizeof(u32), .var = &u32 },
};

#define NR_REPORTS 16
static struct {
    char key[64];
    char value[64];
    bool unknown;
    int rc;
} reports[NR_REPORTS];
static unsigned int nr_reports;

static void record(const char *key, const char *value, int rc)
{
    if (nr_reports < NR_REPORTS) {
        snprintf(reports[nr_reports].key, sizeof(reports[0].key), "%s", key);
        snprintf(reports[nr_reports].value, sizeof(reports[0].value), "%s",
                 (value != NULL) ? value : "");
        reports[nr_reports].unknown = (value == NULL);
        reports[nr_reports].rc = rc;
    }
    nr_reports++;
}

static int parse(const char *line)
{
    return cmdline_parse_params(line, table, table + ARRAY_SIZE(table), record);
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    b1 = false;
    u8 = 0;
    u16 = 0;
    u32 = 0;
    i32 = 0;
    u64 = 0;
    sz = 0;
    sz32 = 0;
    memset(str, 0, sizeof(str));
    memset(custom_seen, 0, sizeof(custom_seen));
    custom_calls = 0;
    custom_rc = 0;
    memset(reports, 0, sizeof(reports));
    nr_reports = 0;
    return 0;
}

static void expect_report(unsigned int i, const char *key, const char *value, int rc)
{
    assert_true(i < nr_reports);
    assert_string_equal(reports[i].key, key);
    if (value == NULL) {
        assert_true(reports[i].unknown);
    } else {
        assert_false(reports[i].unknown);
        assert_string_equal(reports[i].value, value);
    }
    assert_int_equal(reports[i].rc, rc);
}

/* ---- Booleans ----------------------------------------------------------- */

static void test_bool_words(void **state)
{
    static const char *const yes[] = { "1", "on", "yes", "true", "enable" };
    static const char *const no[] = { "0", "no", "off", "false", "disable" };
    char line[64];

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        b1 = false;
        snprintf(line, sizeof(line), "flag=%s", yes[i]);
        assert_int_equal(parse(line), 0);
        assert_true(b1);
        b1 = true;
        snprintf(line, sizeof(line), "flag=%s", no[i]);
        assert_int_equal(parse(line), 0);
        assert_false(b1);
    }
    assert_int_equal(nr_reports, 0);
}

static void test_bool_bare_and_negated(void **state)
{
    (void)state;
    assert_int_equal(parse("flag"), 0);
    assert_true(b1);
    assert_int_equal(parse("no-flag"), 0);
    assert_false(b1);
    /* "no-flag=X" inverts X, as Xen's code does. */
    assert_int_equal(parse("no-flag=no"), 0);
    assert_true(b1);
    assert_int_equal(parse("no-flag=yes"), 0);
    assert_false(b1);
    assert_int_equal(nr_reports, 0);
}

static void test_bool_bad_value(void **state)
{
    (void)state;
    b1 = true;
    assert_int_equal(parse("flag=maybe"), -EINVAL);
    assert_true(b1);
    expect_report(0, "flag", "maybe", -EINVAL);
    assert_int_equal(parse("flag=Yes"), -EINVAL);   /* case matters */
    assert_true(b1);
    assert_int_equal(nr_reports, 2);
    /* An empty value counts as a bare name (Xen): true. */
    b1 = false;
    assert_int_equal(parse("flag="), 0);
    assert_true(b1);
}

/* ---- Integers ----------------------------------------------------------- */

static void test_integers(void **state)
{
    (void)state;
    assert_int_equal(parse("u32=4096 u16=0x1f u8=017 u64=0xffffffffffffffff"), 0);
    assert_int_equal(u32, 4096);
    assert_int_equal(u16, 0x1f);
    assert_int_equal(u8, 15);                       /* leading 0: octal */
    assert_int_equal(u64, UINT64_MAX);
    assert_int_equal(parse("u8=0"), 0);
    assert_int_equal(u8, 0);
    assert_int_equal(parse("i32=-5"), 0);
    assert_int_equal(i32, -5);
    /* A negative value fits if its signed counterpart does (Xen). */
    assert_int_equal(parse("u8=-1"), 0);
    assert_int_equal(u8, 0xff);
    assert_int_equal(nr_reports, 0);
}

static void test_integer_errors(void **state)
{
    (void)state;
    u8 = 7;
    assert_int_equal(parse("u8=256"), -EOVERFLOW);
    assert_int_equal(u8, 7);
    assert_int_equal(parse("u8=-129"), -EOVERFLOW);
    assert_int_equal(u8, 7);
    assert_int_equal(parse("u8=12abc"), -EINVAL);
    assert_int_equal(parse("u8=09"), -EINVAL);       /* not octal */
    assert_int_equal(parse("u8=0x"), -EINVAL);
    assert_int_equal(parse("u8="), -EINVAL);
    assert_int_equal(parse("u8"), -EINVAL);          /* no value at all */
    assert_int_equal(parse("no-u8"), -EINVAL);
    assert_int_equal(parse("u64=18446744073709551616"), -EOVERFLOW);
    assert_int_equal(u8, 7);
    assert_int_equal(u64, 0);
    assert_int_equal(nr_reports, 9);
    expect_report(0, "u8", "256", -EOVERFLOW);
    expect_report(7, "no-u8", "", -EINVAL);
}

/* ---- Sizes -------------------------------------------------------------- */

static void test_sizes(void **state)
{
    static const struct {
        const char *text;
        uint64_t bytes;
    } cases[] = {
        { "512M", 512ULL << 20 }, { "512m", 512ULL << 20 }, { "1G", 1ULL << 30 },
        { "2g", 2ULL << 30 }, { "3T", 3ULL << 40 }, { "4k", 4096 }, { "4K", 4096 },
        { "100b", 100 }, { "100B", 100 },
        { "100", 100ULL << 10 },                    /* no suffix: KiB, like Xen */
        { "0x10M", 16ULL << 20 }, { "0", 0 },
    };
    char line[64];

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        snprintf(line, sizeof(line), "mem=%s", cases[i].text);
        assert_int_equal(parse(line), 0);
        assert_int_equal(sz, cases[i].bytes);
    }
    assert_int_equal(nr_reports, 0);
}

static void test_size_errors(void **state)
{
    (void)state;
    sz = 1;
    sz32 = 2;
    assert_int_equal(parse("mem=1Q"), -EINVAL);
    assert_int_equal(parse("mem=1MB"), -EINVAL);     /* one suffix only */
    assert_int_equal(parse("mem=-1M"), -EINVAL);     /* sizes are not negative */
    assert_int_equal(parse("mem=20000000T"), -EOVERFLOW);
    assert_int_equal(parse("mem32=4G"), -EOVERFLOW); /* does not fit 32 bits */
    assert_int_equal(parse("mem=M"), -EINVAL);
    assert_int_equal(sz, 1);
    assert_int_equal(sz32, 2);
    assert_int_equal(nr_reports, 6);
    assert_int_equal(parse("mem32=4095M"), 0);
    assert_int_equal(sz32, 4095U << 20);
}

/* ---- Strings, custom parsers, ignored options --------------------------- */

static void test_strings(void **state)
{
    (void)state;
    assert_int_equal(parse("name=abc"), 0);
    assert_string_equal(str, "abc");
    assert_int_equal(parse("name=1234567"), 0);      /* 7 + NUL fills the buffer */
    assert_string_equal(str, "1234567");
    assert_int_equal(parse("name=12345678"), -E2BIG);
    assert_string_equal(str, "1234567");
    expect_report(0, "name", "12345678", -E2BIG);
    assert_int_equal(parse("name=a=b"), 0);          /* only the first '=' splits */
    assert_string_equal(str, "a=b");
    assert_int_equal(parse("name"), 0);
    assert_string_equal(str, "");
    assert_int_equal(parse("no-name"), -EINVAL);
}

static void test_custom(void **state)
{
    (void)state;
    assert_int_equal(parse("custom=a,b:c"), 0);
    assert_string_equal(custom_seen, "a,b:c");
    assert_int_equal(parse("custom"), 0);
    assert_string_equal(custom_seen, "");
    assert_int_equal(parse("no-custom"), 0);
    assert_string_equal(custom_seen, "no");
    assert_int_equal(custom_calls, 3);
    /* "no-custom=x" never reaches the parser. */
    assert_int_equal(parse("no-custom=x"), -EINVAL);
    assert_int_equal(custom_calls, 3);
    custom_rc = -ERANGE;
    assert_int_equal(parse("custom=zzz"), -ERANGE);
    expect_report(1, "custom", "zzz", -ERANGE);
}

static void test_ignored_and_shared(void **state)
{
    (void)state;
    assert_int_equal(parse("legacy legacy=whatever no-legacy"), 0);
    assert_int_equal(nr_reports, 0);
    assert_int_equal(parse("shared=300"), 0);
    assert_int_equal(u16, 300);
    assert_int_equal(u32, 300);
    /* Too big for one owner: the other is still set, the error reported. */
    assert_int_equal(parse("shared=70000"), -EOVERFLOW);
    assert_int_equal(u16, 300);
    assert_int_equal(u32, 70000);
    assert_int_equal(nr_reports, 1);
}

/* ---- Line splitting and unknown options --------------------------------- */

static void test_unknown_is_reported_not_fatal(void **state)
{
    (void)state;
    assert_int_equal(parse("u32=1 bogus=3 flag nope u16=2"), -EINVAL);
    assert_int_equal(u32, 1);
    assert_true(b1);
    assert_int_equal(u16, 2);
    assert_int_equal(nr_reports, 2);
    expect_report(0, "bogus", NULL, -EINVAL);
    expect_report(1, "nope", NULL, -EINVAL);
    /* "no-" of an unknown name is unknown under its full name. */
    assert_int_equal(parse("no-bogus"), -EINVAL);
    expect_report(2, "no-bogus", NULL, -EINVAL);
    /* Names match exactly. */
    assert_int_equal(parse("Flag u-32=1"), -EINVAL);
    assert_int_equal(nr_reports, 5);
}

static void test_separators(void **state)
{
    (void)state;
    assert_int_equal(parse(NULL), 0);
    assert_int_equal(parse(""), 0);
    assert_int_equal(parse("   \t\n  "), 0);
    assert_int_equal(parse("  u32=7\tu16=8\r\nflag  "), 0);
    assert_int_equal(u32, 7);
    assert_int_equal(u16, 8);
    assert_true(b1);
    assert_int_equal(nr_reports, 0);
}

static void test_option_too_long(void **state)
{
    char line[CMDLINE_MAX_OPTION + 64];

    (void)state;
    strcpy(line, "name=");
    memset(&line[5], 'x', CMDLINE_MAX_OPTION);
    strcpy(&line[5 + CMDLINE_MAX_OPTION], " u32=9");
    assert_int_equal(parse(line), -E2BIG);
    assert_int_equal(u32, 9);                        /* parsing went on */
    assert_string_equal(str, "");                    /* nothing was cut and stored */
    expect_report(0, "name", "", -E2BIG);
    assert_int_equal(nr_reports, 1);
}

static void test_printk_reporter(void **state)
{
    (void)state;
    fake_console_quiet(true);
    assert_int_equal(cmdline_parse_params("nosuch u8=999 u8=3", table,
                                          table + ARRAY_SIZE(table), NULL), -EOVERFLOW);
    assert_true(fake_log_contains("parameter \"nosuch\" unknown!"));
    assert_true(fake_log_contains("parameter \"u8\" has invalid value \"999\", rc=-75!"));
    assert_int_equal(u8, 3);
}

/* ---- Declaration macros ------------------------------------------------- */

static bool opt_macro_bool;
static unsigned int opt_macro_uint;
static uint64_t opt_macro_size;
static char opt_macro_str[16];
static int opt_macro_custom(const char *value)
{
    return (strcmp(value, "good") == 0) ? 0 : -EINVAL;
}

PARAM_BOOL("macro_bool", opt_macro_bool);
PARAM_UINT("macro_uint", opt_macro_uint);
PARAM_SIZE("macro_size", opt_macro_size);
PARAM_STRING("macro_str", opt_macro_str);
PARAM_CUSTOM("macro_custom", opt_macro_custom);
/* Both on one line: the descriptor's name carries the line number. */
PARAM_IGNORE("macro_ignored"); static const struct cmdline_param *const macro_ignored = &PARAM_CAT_(cmdline_param_ignore_, __LINE__);

static int parse_one(const struct cmdline_param *p, const char *line)
{
    return cmdline_parse_params(line, p, p + 1, record);
}

static void test_declaration_macros(void **state)
{
    (void)state;
    assert_string_equal(cmdline_param_opt_macro_bool.name, "macro_bool");
    assert_int_equal(cmdline_param_opt_macro_bool.type, PARAM_TYPE_BOOL);
    assert_int_equal(cmdline_param_opt_macro_bool.len, sizeof(bool));
    assert_int_equal(cmdline_param_opt_macro_uint.len, sizeof(unsigned int));
    assert_int_equal(cmdline_param_opt_macro_str.len, 16);
    assert_ptr_equal(cmdline_param_opt_macro_str.var, opt_macro_str);
    assert_ptr_equal(cmdline_param_opt_macro_custom.parse, opt_macro_custom);

    assert_int_equal(parse_one(&cmdline_param_opt_macro_bool, "macro_bool"), 0);
    assert_true(opt_macro_bool);
    assert_int_equal(parse_one(&cmdline_param_opt_macro_uint, "macro_uint=0x40"), 0);
    assert_int_equal(opt_macro_uint, 64);
    assert_int_equal(parse_one(&cmdline_param_opt_macro_size, "macro_size=2M"), 0);
    assert_int_equal(opt_macro_size, 2U << 20);
    assert_int_equal(parse_one(&cmdline_param_opt_macro_str, "macro_str=dtuart"), 0);
    assert_string_equal(opt_macro_str, "dtuart");
    assert_int_equal(parse_one(&cmdline_param_opt_macro_custom, "macro_custom=good"), 0);
    assert_int_equal(parse_one(&cmdline_param_opt_macro_custom, "macro_custom=bad"), -EINVAL);
    assert_int_equal(macro_ignored->type, PARAM_TYPE_IGNORE);
    assert_int_equal(parse_one(macro_ignored, "macro_ignored=1"), 0);
    assert_int_equal(nr_reports, 1);    /* only macro_custom=bad */
}

/* ---- Helpers for custom parsers ----------------------------------------- */

static void test_helpers(void **state)
{
    const char *end = NULL;
    uint64_t v = 0;
    const char *list = "verbose,no-debug,force=off,forced";

    (void)state;
    assert_int_equal(cmdline_parse_bool("enable", NULL), 1);
    assert_int_equal(cmdline_parse_bool("offx", NULL), -EINVAL);
    assert_int_equal(cmdline_parse_bool("offx", &"offx"[3]), 0);    /* bounded by e */

    assert_int_equal(cmdline_parse_boolean("verbose", list, &list[7]), 1);
    assert_int_equal(cmdline_parse_boolean("debug", &list[8], &list[16]), 0);
    assert_int_equal(cmdline_parse_boolean("force", &list[17], &list[26]), 0);
    assert_int_equal(cmdline_parse_boolean("force", &list[27], NULL), -ENOENT);
    assert_int_equal(cmdline_parse_boolean("debug", list, &list[7]), -ENOENT);
    assert_int_equal(cmdline_parse_boolean("x", "x=maybe", NULL), -EINVAL);
    assert_int_equal(cmdline_parse_boolean("x", "no-x=0", NULL), 1);

    assert_int_equal(cmdline_strcmp("hvc,foo", "hvc"), 0);
    assert_int_equal(cmdline_strcmp("hvc:1", "hvc"), 0);
    assert_int_equal(cmdline_strcmp("hvc", "hvc"), 0);
    assert_int_equal(cmdline_strcmp("hvc=1", "hvc"), 0);
    assert_int_equal(cmdline_strcmp("hvc;x", "hvc"), 0);
    assert_int_not_equal(cmdline_strcmp("hvcx", "hvc"), 0);
    assert_int_not_equal(cmdline_strcmp("hv", "hvc"), 0);

    assert_int_equal(cmdline_parse_uint("123,rest", &end, &v), 0);
    assert_int_equal(v, 123);
    assert_string_equal(end, ",rest");
    assert_int_equal(cmdline_parse_uint("x", &end, &v), -EINVAL);
    assert_int_equal(cmdline_parse_size("64M,x", &end, &v), 0);
    assert_int_equal(v, 64ULL << 20);
    assert_string_equal(end, ",x");
    assert_int_equal(cmdline_parse_size("7", NULL, &v), 0);
    assert_int_equal(v, 7ULL << 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_bool_words, setup),
        cmocka_unit_test_setup(test_bool_bare_and_negated, setup),
        cmocka_unit_test_setup(test_bool_bad_value, setup),
        cmocka_unit_test_setup(test_integers, setup),
        cmocka_unit_test_setup(test_integer_errors, setup),
        cmocka_unit_test_setup(test_sizes, setup),
        cmocka_unit_test_setup(test_size_errors, setup),
        cmocka_unit_test_setup(test_strings, setup),
        cmocka_unit_test_setup(test_custom, setup),
        cmocka_unit_test_setup(test_ignored_and_shared, setup),
        cmocka_unit_test_setup(test_unknown_is_reported_not_fatal, setup),
        cmocka_unit_test_setup(test_separators, setup),
        cmocka_unit_test_setup(test_option_too_long, setup),
        cmocka_unit_test_setup(test_printk_reporter, setup),
        cmocka_unit_test_setup(test_declaration_macros, setup),
        cmocka_unit_test_setup(test_helpers, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
