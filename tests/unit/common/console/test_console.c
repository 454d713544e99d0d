/* The console's input routing: the Ctrl-a cycle over the hypervisor and
 * the domains' sinks, dom0 taking the input at the end of boot (or not,
 * without dom0 or with conswitch=<c>x), switch keys short of three given
 * to whoever has the input, a domain rebuilt under its id keeping it, and
 * the flow control that holds typed-ahead bytes in the UART until the
 * focused domain has room for them (or stops reading for too long). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/console.h>
#include <proxenos/keyhandler.h>
#include <proxenos/errno.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
#include <fake_arch.h>
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

/* A UART as uart_pl011.c drives it: bytes wait in its FIFO; its interrupt
 * takes them while the console is ready, else masks itself and stalls;
 * rx_resume unmasks it, and bytes still waiting raise it again. */
static char uart_fifo[64];
static size_t uart_head, uart_len;
static bool uart_masked;
static unsigned int uart_resumes;

static void uart_interrupt(void);

static void uart_rx_resume(const struct console_driver *drv)
{
    (void)drv;
    uart_resumes++;
    uart_masked = false;
    uart_interrupt();
}

static const struct console_driver uart = { "test-uart", NULL, NULL, uart_rx_resume };

static void uart_interrupt(void)
{
    while (!uart_masked && (uart_head < uart_len)) {
        if (!console_input_ready()) {
            uart_masked = true;
            console_input_stall(&uart);
            break;
        }
        console_receive(uart_fifo[uart_head]);
        uart_head++;
    }
}

static void uart_type(const char *s)
{
    size_t n = strlen(s);

    assert_true(uart_len + n <= sizeof(uart_fifo));
    memcpy(&uart_fifo[uart_len], s, n);
    uart_len += n;
    uart_interrupt();
}

/* A domain's input buffer of SMALL_ROOM bytes, which its guest empties
 * when the test says so. */
#define SMALL_ROOM 4U
static unsigned int held;

static void small_sink(unsigned int id, char c)
{
    if (held < SMALL_ROOM) {
        held++;
        record((char)('0' + id), c);
    } else {
        record('!', c);     /* dropped */
    }
}

static unsigned int small_room(unsigned int id)
{
    (void)id;
    return SMALL_ROOM - held;
}

static void guest_reads(unsigned int n)
{
    held -= n;
    console_input_drained();
}

static int setup(void **state)
{
    (void)state;
    /* No stall left over from an earlier test. */
    uart_masked = true;
    console_input_drained();
    uart_head = 0U;
    uart_len = 0U;
    uart_masked = false;
    uart_resumes = 0U;
    held = 0U;
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
        assert_int_equal(console_register_input_sink(ids[i], names[i], sink, NULL), 0);
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
    assert_int_equal(console_register_input_sink(1U, "again", sink, NULL), -EEXIST);
    for (unsigned int i = 2U; i < 17U; i++) {
        assert_int_equal(console_register_input_sink(i, "many", sink, NULL), 0);
    }
    assert_int_equal(console_register_input_sink(20U, "full", sink, NULL), -ENOSPC);
    for (unsigned int i = 8U; i < 17U; i++) {
        console_unregister_input_sink(i);
    }
}

/* Typing ahead of a domain loses nothing: what does not fit waits in the
 * UART, which receives again as the guest reads. */
static void test_input_waits_for_room(void **state)
{
    (void)state;
    assert_int_equal(console_register_input_sink(1U, "domU1", small_sink, small_room), 0);
    switch_input();
    assert_true(console_input_ready());
    uart_type("abcdef");
    assert_string_equal(got, "1a1b1c1d");
    assert_true(uart_masked);
    assert_false(console_input_ready());
    guest_reads(1U);
    assert_int_equal(uart_resumes, 1U);
    assert_string_equal(got, "1a1b1c1d1e");
    guest_reads(4U);
    assert_string_equal(got, "1a1b1c1d1e1f");
    assert_false(uart_masked);
    /* Nothing stalled: a read resumes nothing. */
    guest_reads(2U);
    assert_int_equal(uart_resumes, 2U);
    assert_int_equal(uart_len, uart_head);
}

/* Switch keys held back are delivered with the next byte: the console
 * waits until there is room for all of them. */
static void test_held_switch_keys_need_room(void **state)
{
    (void)state;
    assert_int_equal(console_register_input_sink(1U, "domU1", small_sink, small_room), 0);
    switch_input();
    uart_type("abc\x01\x01x");
    assert_string_equal(got, "1a1b1c");
    assert_true(uart_masked);   /* 1 free: the second key and x need 2 */
    guest_reads(1U);
    assert_true(uart_masked);   /* 2 free: the two keys and x need 3 */
    guest_reads(1U);
    assert_string_equal(got, "1a1b1c1\x01" "1\x01" "1x");
}

/* A domain that reads nothing for CONSOLE_INPUT_STALL_MS is not waited
 * for: its bytes are dropped and the switch keys reach the hypervisor;
 * once it reads again it is waited for again. */
static void test_stalled_domain_is_not_waited_for(void **state)
{
    (void)state;
    timer_subsys_init();
    assert_int_equal(console_register_input_sink(1U, "domU1", small_sink, small_room), 0);
    switch_input();
    uart_type("abcdef");
    assert_true(uart_masked);
    fake_advance(MILLISECS(CONSOLE_INPUT_STALL_MS) - 1);
    timer_interrupt();
    do_softirq();
    assert_true(uart_masked);
    fake_advance(1);
    timer_interrupt();
    do_softirq();
    assert_false(uart_masked);
    assert_string_equal(got, "1a1b1c1d!e!f");
    uart_type("\x01\x01\x01q");
    assert_string_equal(got, "1a1b1c1d!e!fhq");
    /* Back to the domain: it is waited for again. */
    switch_input();
    uart_type("g");
    assert_true(uart_masked);
    guest_reads(4U);
    uart_type("hijkl");
    assert_string_equal(got, "1a1b1c1d!e!fhq1g1h1i1j");
    assert_true(uart_masked);
    guest_reads(4U);
    assert_string_equal(got, "1a1b1c1d!e!fhq1g1h1i1j1k1l");
    assert_false(uart_masked);
}

/* The hypervisor's keys and a sink without a limit are always ready. */
static void test_without_limit_always_ready(void **state)
{
    (void)state;
    assert_true(console_input_ready());
    register_domains(1U, 1U);
    switch_input();
    assert_true(console_input_ready());
    uart_type("xyz");
    assert_string_equal(got, "1x1y1z");
    assert_false(uart_masked);
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
        cmocka_unit_test_setup(test_input_waits_for_room, setup),
        cmocka_unit_test_setup(test_held_switch_keys_need_room, setup),
        cmocka_unit_test_setup(test_stalled_domain_is_not_waited_for, setup),
        cmocka_unit_test_setup(test_without_limit_always_ready, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
