/* The console's input routing: the Ctrl-a cycle over the hypervisor and
 * the domains' sinks, dom0 taking the input at the end of boot (or not,
 * without dom0 or with conswitch=<c>x), switch keys short of three given
 * to whoever has the input, and a domain rebuilt under its id keeping it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/console.h>
#include <proxenos/keyhandler.h>
#include <proxenos/errno.h>
#include "fake_console_api.h"

#define CTRL_A '\x01'

/* Every byte delivered, as "<who>:<byte>" with who 'h' for the debug keys
 * or the domain id's digit. */
static char got[256];
static size_t got_len;

static void record(char who, char c)
{
    assert_true(got_len + 2U <= sizeof(got) - 1U);
    got[got_len] = who;
    got[got_len + 1U] = c;
    got_len += 2U;
    got[got_len] = '\0';
}

/* handle_keypress is fake_console_api.c's, which calls this. */
static void key(char k)
{
    record('h', k);
}

static void sink(unsigned int id, char c)
{
    record((char)('0' + id), c);
}

static void type(const char *s)
{
    for (; *s != '\0'; s++) {
        console_receive(*s);
    }
}

static void switch_input(void)
{
    type("\x01\x01\x01");
}

/* The console's newest output (its ring), NUL-terminated. */
static char out[4096];

static const char *output(void)
{
    size_t n = console_ring_read(out, sizeof(out) - 1U);

    out[n] = '\0';
    return out;
}

static unsigned int count(const char *hay, const char *needle)
{
    unsigned int n = 0U;

    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

static const unsigned int ids[] = { 0U, 1U, 2U, 3U };

static int setup(void **state)
{
    (void)state;
    /* The console keeps its state: take every sink out, bring the input
     * back to the hypervisor by cycling until it says so. */
    for (unsigned int i = 0U; i < 8U; i++) {
        console_unregister_input_sink(i);
    }
    console_set_switch_char('a');
    console_set_keep_input_at_boot(false);
    switch_input();
    got_len = 0U;
    got[0] = '\0';
    fake_console_api_reset();
    fake_set_key_hook(key);
    return 0;
}

static void register_domains(unsigned int first, unsigned int n)
{
    static const char *names[] = { "dom0", "domU1", "domU2", "domU3" };

    for (unsigned int i = first; i < first + n; i++) {
        assert_int_equal(console_register_input_sink(ids[i], names[i], sink), 0);
    }
}

static void test_no_dom0_keeps_the_hypervisor(void **state)
{
    (void)state;
    register_domains(1U, 2U);
    const char *before = output();
    size_t lines = count(before, "*** Serial input");

    console_endboot();
    assert_int_equal(count(output(), "*** Serial input"), lines);
    type("q");
    assert_string_equal(got, "hq");
}

static void test_dom0_takes_the_input_at_boot(void **state)
{
    (void)state;
    register_domains(0U, 3U);
    console_endboot();
    assert_non_null(strstr(output(),
        "*** Serial input to dom0 (type 'CTRL-a' three times to switch input)\n"));
    type("ls");
    assert_string_equal(got, "0l0s");
}

static void test_cycle_in_domain_order(void **state)
{
    (void)state;
    /* Registered out of order: the cycle still goes by id. */
    register_domains(2U, 1U);
    register_domains(0U, 2U);
    console_endboot();
    switch_input();
    assert_non_null(strstr(output(), "*** Serial input to domU1 "));
    type("a");
    switch_input();
    type("b");
    switch_input();
    assert_non_null(strstr(output(), "*** Serial input to Proxenos (type 'CTRL-a'"));
    type("c");
    switch_input();
    type("d");
    assert_string_equal(got, "1a2bhc0d");
}

static void test_fewer_than_three_are_delivered(void **state)
{
    (void)state;
    register_domains(0U, 1U);
    console_endboot();
    /* A shell's Ctrl-a (start of line) then a key: both reach dom0. */
    type("\x01x\x01\x01y");
    assert_string_equal(got, "0\x01" "0x0\x01" "0\x01" "0y");
    /* Four in a row: three switch, the fourth waits for what follows. */
    got_len = 0U;
    type("\x01\x01\x01\x01z");
    assert_string_equal(got, "h\x01hz");
}

static void test_conswitch_x_keeps_the_hypervisor(void **state)
{
    (void)state;
    register_domains(0U, 2U);
    console_set_keep_input_at_boot(true);
    console_endboot();
    assert_non_null(strstr(output(), "*** Serial input to Proxenos (type 'CTRL-a'"));
    type("h");
    switch_input();
    type("i");
    assert_string_equal(got, "hh0i");
}

static void test_other_switch_char(void **state)
{
    (void)state;
    register_domains(1U, 1U);
    console_set_switch_char('b');
    type("\x02\x02\x02" "e\x01");
    assert_non_null(strstr(output(), "*** Serial input to domU1 (type 'CTRL-b'"));
    assert_string_equal(got, "1e1\x01");
}

static void test_rebuilt_domain_keeps_the_input(void **state)
{
    (void)state;
    register_domains(1U, 2U);
    switch_input();
    type("a");
    /* domU1 reboots: destroyed, then built again under the same id. */
    console_unregister_input_sink(1U);
    type("lost");
    assert_non_null(strstr(output(), "Cannot send input to domain 1"));
    register_domains(1U, 1U);
    type("b");
    assert_string_equal(got, "1a1b");
    /* While it is away the cycle moves on from its id. */
    console_unregister_input_sink(1U);
    switch_input();
    type("c");
    assert_string_equal(got, "1a1b2c");
}

/* Xen's default (no console_to_ring): dom0's own output reaches the serial
 * line but not the ring that xl dmesg reads back into dom0; a domU's line
 * and the hypervisor's own do. */
static void test_dom0_output_stays_out_of_the_ring(void **state)
{
    static const char dom0_text[] = "dom0-raw-output-xyz\n";
    static const char domu_text[] = "domu-line-xyz\n";

    (void)state;
    console_set_dom0_to_ring(false);
    console_write(dom0_text, sizeof(dom0_text) - 1U);
    console_write_line("(d1) ", 5U, domu_text, sizeof(domu_text) - 1U);
    assert_int_equal(count(output(), "dom0-raw-output-xyz"), 0);
    assert_int_equal(count(output(), "(d1) domu-line-xyz\n"), 1);
}

static void test_register_errors(void **state)
{
    (void)state;
    register_domains(1U, 1U);
    assert_int_equal(console_register_input_sink(1U, "again", sink), -EEXIST);
    for (unsigned int i = 2U; i < 17U; i++) {
        assert_int_equal(console_register_input_sink(i, "many", sink), 0);
    }
    assert_int_equal(console_register_input_sink(20U, "full", sink), -ENOSPC);
    for (unsigned int i = 8U; i < 17U; i++) {
        console_unregister_input_sink(i);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_no_dom0_keeps_the_hypervisor, setup),
        cmocka_unit_test_setup(test_dom0_takes_the_input_at_boot, setup),
        cmocka_unit_test_setup(test_cycle_in_domain_order, setup),
        cmocka_unit_test_setup(test_fewer_than_three_are_delivered, setup),
        cmocka_unit_test_setup(test_conswitch_x_keeps_the_hypervisor, setup),
        cmocka_unit_test_setup(test_other_switch_char, setup),
        cmocka_unit_test_setup(test_rebuilt_domain_keeps_the_input, setup),
        cmocka_unit_test_setup(test_dom0_output_stays_out_of_the_ring, setup),
        cmocka_unit_test_setup(test_register_errors, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
