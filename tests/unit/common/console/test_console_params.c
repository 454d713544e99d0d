/* The console options of Xen's command line (common/console/console_params.c),
 * parsed by the real parser and applied to the real console:
 * loglvl=<level>[/<level>] filters what printk puts in the ring,
 * guest_loglvl= is kept for guests' output, conswitch=<c>[x] changes the
 * input switch key, sync_console is accepted; a bad value is rejected and
 * leaves the setting as it was. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/cmdline.h>
#include <proxenos/console.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <fake_arch.h>
#include "fake_console_api.h"

static char ring_text[8192];
static uint32_t ring_mark;

/* What the console put in its ring since the previous call (the setup
 * starts the count). */
static const char *ring(void)
{
    uint32_t cons;
    uint32_t prod;
    size_t n = console_ring_copy(ring_mark, ring_text, sizeof(ring_text) - 1U);

    ring_text[n] = '\0';
    console_ring_indexes(&cons, &prod);
    ring_mark = prod;
    return ring_text;
}

static bool ring_has(const char *needle)
{
    return strstr(ring_text, needle) != NULL;
}

static void print_each_level(void)
{
    pr_err("lvl-err\n");
    pr_warn("lvl-warn\n");
    pr_info("lvl-info\n");
    pr_debug("lvl-debug\n");
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_console_api_reset();
    (void)ring();
    return 0;
}

static void loglvl_filters_the_ring(void **state)
{
    (void)state;
    assert_int_equal(cmdline_parse("loglvl=warning"), 0);
    print_each_level();
    (void)ring();
    assert_true(ring_has("lvl-err"));
    assert_true(ring_has("lvl-warn"));
    assert_false(ring_has("lvl-info"));

    /* The rate-limited level after '/' is checked but changes nothing. */
    assert_int_equal(cmdline_parse("loglvl=all/info"), 0);
    print_each_level();
    (void)ring();
    assert_true(ring_has("lvl-debug"));

    assert_int_equal(cmdline_parse("loglvl=none"), 0);
    print_each_level();
    assert_string_equal(ring(), "");

    assert_int_equal(cmdline_parse("loglvl=info"), 0);
    print_each_level();
    (void)ring();
    assert_true(ring_has("lvl-info"));
    assert_false(ring_has("lvl-debug"));
}

static void bad_levels_are_rejected(void **state)
{
    static const char *const bad[] = {
        "loglvl=loud", "loglvl=", "loglvl=info/loud", "loglvl=info/info/info",
        "loglvl=inf", "loglvl=errors",
    };

    (void)state;
    assert_int_equal(cmdline_parse("loglvl=error"), 0);
    for (unsigned int i = 0U; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(cmdline_parse(bad[i]), -EINVAL);
    }
    /* Still error only: none of them applied. */
    (void)ring();
    print_each_level();
    (void)ring();
    assert_true(ring_has("lvl-err"));
    assert_false(ring_has("lvl-warn"));
    assert_int_equal(cmdline_parse("loglvl=info"), 0);
}

static void guest_loglvl_is_kept_for_guests(void **state)
{
    (void)state;
    /* Xen's default: guests' warnings and errors. */
    assert_int_equal(console_guest_loglvl(), LOG_WARNING);
    assert_int_equal(cmdline_parse("guest_loglvl=debug/warning"), 0);
    assert_int_equal(console_guest_loglvl(), LOG_DEBUG);
    assert_int_equal(cmdline_parse("guest_loglvl=noisy"), -EINVAL);
    assert_int_equal(console_guest_loglvl(), LOG_DEBUG);
    assert_int_equal(cmdline_parse("guest_loglvl=none"), 0);
    assert_int_equal(console_guest_loglvl(), -1);
    assert_int_equal(cmdline_parse("guest_loglvl=warning"), 0);
    assert_int_equal(console_guest_loglvl(), LOG_WARNING);
}

static void conswitch_changes_the_switch_key(void **state)
{
    (void)state;
    assert_int_equal(cmdline_parse("conswitch=b"), 0);
    /* Ctrl-b three times moves the input (no domain: back to Proxenos),
     * and the message names the new key. */
    console_receive('\x02');
    console_receive('\x02');
    console_receive('\x02');
    (void)ring();
    assert_true(ring_has("Serial input to Proxenos (type 'CTRL-b' three times"));
    /* Ctrl-a is now an ordinary key, handed to the debug keys. */
    console_receive('\x01');
    assert_string_equal(fake_keys(NULL), "\x01");

    /* The trailing x is accepted. */
    assert_int_equal(cmdline_parse("conswitch=cx"), 0);
    console_receive('\x03');
    console_receive('\x03');
    console_receive('\x03');
    (void)ring();
    assert_true(ring_has("'CTRL-c'"));
    assert_int_equal(cmdline_parse("conswitch=a"), 0);
}

static void bad_switch_keys_are_rejected(void **state)
{
    static const char *const bad[] = {
        "conswitch=B", "conswitch=1", "conswitch=bb", "conswitch=bxx", "conswitch=",
    };

    (void)state;
    for (unsigned int i = 0U; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(cmdline_parse(bad[i]), -EINVAL);
    }
    /* Still Ctrl-a. */
    console_receive('\x01');
    console_receive('\x01');
    console_receive('\x01');
    (void)ring();
    assert_true(ring_has("'CTRL-a'"));
}

static void sync_console_is_a_boolean(void **state)
{
    (void)state;
    assert_int_equal(cmdline_parse("sync_console"), 0);
    assert_int_equal(cmdline_parse("sync_console=0"), 0);
    assert_int_equal(cmdline_parse("sync_console=maybe"), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(loglvl_filters_the_ring, setup),
        cmocka_unit_test_setup(bad_levels_are_rejected, setup),
        cmocka_unit_test_setup(guest_loglvl_is_kept_for_guests, setup),
        cmocka_unit_test_setup(conswitch_changes_the_switch_key, setup),
        cmocka_unit_test_setup(bad_switch_keys_are_rejected, setup),
        cmocka_unit_test_setup(sync_console_is_a_boolean, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
