/* The console's output (common/console/console.c): every printk line is
 * prefixed "(PXN) " and kept in the ring; the physical driver gets every
 * character, with CR before each LF; a guest's unfinished line is closed
 * before a message of ours; the ring keeps its last CONFIG_CONRING_SIZE
 * bytes and moves the oldest index XEN_SYSCTL_readconsole offers past
 * what it overwrote; panic() prints the reason and halts, whatever the
 * log level. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/console.h>
#include <proxenos/printk.h>
#include <fake_arch.h>
#include "fake_console_api.h"

static char wire[8192];
static size_t wire_len;

/* The physical console: what a UART would send. */
static void uart_putc(const struct console_driver *drv, char c)
{
    (void)drv;
    assert_true(wire_len < sizeof(wire) - 1U);
    wire[wire_len] = c;
    wire_len++;
    wire[wire_len] = '\0';
}

static const struct console_driver uart = { "test-uart", uart_putc, NULL, NULL };

static char ring_text[CONFIG_CONRING_SIZE + 1];
static uint32_t mark;

/* What went into the ring since the last call. */
static const char *ring_since(void)
{
    uint32_t cons;
    uint32_t prod;
    size_t n = console_ring_copy(mark, ring_text, CONFIG_CONRING_SIZE);

    ring_text[n] = '\0';
    console_ring_indexes(&cons, &prod);
    mark = prod;
    return ring_text;
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_console_api_reset();
    console_set_loglvl(LOG_INFO);
    console_set_dom0_to_ring(false);
    console_set_driver(NULL);
    /* Close any open line, then start counting. */
    pr_info("\n");
    (void)ring_since();
    wire_len = 0U;
    wire[0] = '\0';
    return 0;
}

static void the_driver_gets_every_line_with_cr_lf(void **state)
{
    (void)state;
    console_set_driver(&uart);
    pr_info("one %d\ntwo", 1);
    pr_info(" still two\n");
    assert_string_equal(wire, "(PXN) one 1\r\n(PXN) two still two\r\n");
    assert_string_equal(ring_since(), "(PXN) one 1\n(PXN) two still two\n");
    /* Without a driver, output goes to the ring only. */
    console_set_driver(NULL);
    pr_info("quiet\n");
    assert_string_equal(ring_since(), "(PXN) quiet\n");
    assert_int_equal(wire_len, strlen("(PXN) one 1\r\n(PXN) two still two\r\n"));
}

static void a_guest_line_is_closed_before_ours(void **state)
{
    (void)state;
    console_set_dom0_to_ring(true);
    console_set_driver(&uart);
    /* dom0's raw output, no newline yet: our message starts a new line. */
    console_write("dom0 says", 9U);
    pr_warn("hypervisor\n");
    assert_string_equal(ring_since(), "dom0 says\n(PXN) hypervisor\n");
    /* A domU's prefixed line does the same. */
    console_write("partial", 7U);
    console_write_line("(d1) ", 5U, "hello\n", 6U);
    assert_string_equal(ring_since(), "partial\n(d1) hello\n");
    assert_string_equal(wire, "dom0 says\r\n(PXN) hypervisor\r\npartial\r\n(d1) hello\r\n");
    /* dom0's own output stays out of the ring unless asked. */
    console_set_dom0_to_ring(false);
    console_write("not kept\n", 9U);
    assert_string_equal(ring_since(), "");
}

static void the_ring_keeps_its_last_bytes(void **state)
{
    char line[64];
    uint32_t cons;
    uint32_t prod;
    uint32_t start;

    (void)state;
    console_ring_indexes(&cons, &start);
    /* Clearing what was read moves the oldest index up. */
    console_ring_clear(start, start);
    console_ring_indexes(&cons, &prod);
    assert_int_equal(cons, start);
    /* Twice the ring's size of output. */
    memset(line, 'x', sizeof(line) - 2U);
    line[sizeof(line) - 2U] = '\n';
    line[sizeof(line) - 1U] = '\0';
    for (unsigned int i = 0U; i < (2U * CONFIG_CONRING_SIZE) / 64U; i++) {
        pr_info("%s", line);
    }
    console_ring_indexes(&cons, &prod);
    assert_true(prod - start >= 2U * CONFIG_CONRING_SIZE);
    /* The oldest index offered moved with the overwritten bytes. */
    assert_int_equal(prod - cons, CONFIG_CONRING_SIZE);
    /* Bytes gone round are not copied; the newest are. */
    assert_int_equal(console_ring_copy(start, ring_text, 16U), 0U);
    assert_int_equal(console_ring_copy(prod - 8U, ring_text, 16U), 8U);
    assert_memory_equal(ring_text, "xxxxxxx\n", 8U);
    assert_int_equal(console_ring_read(ring_text, 4U), 4U);
    assert_memory_equal(ring_text, "xxx\n", 4U);
    /* A clear of an older range than the ring holds keeps the ring's. */
    console_ring_clear(start, prod);
    console_ring_indexes(&cons, &prod);
    assert_int_equal(prod - cons, CONFIG_CONRING_SIZE);
    mark = prod;
}

static void panic_prints_the_reason_and_halts(void **state)
{
    (void)state;
    console_set_loglvl(-1);
    console_set_driver(&uart);
    /* An open line is closed first. */
    console_write("half", 4U);
    fake_expect_panic(panic("out of %s", "luck"));
    assert_int_equal(fake_panic_count(), 0U);   /* the real panic, not the fake */
    assert_string_equal(ring_since(), "\n(PXN) PANIC on CPU 0: out of luck\n(PXN) System halted.\n");
    assert_non_null(strstr(wire, "PANIC on CPU 0: out of luck\r\n"));
    /* The log level is all from then on. */
    pr_debug("after\n");
    assert_string_equal(ring_since(), "(PXN) after\n");
}

static void levels_above_the_log_level_are_dropped(void **state)
{
    (void)state;
    console_set_loglvl(LOG_WARNING);
    pr_info("info\n");
    pr_err("err\n");
    assert_string_equal(ring_since(), "(PXN) err\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(the_driver_gets_every_line_with_cr_lf, setup),
        cmocka_unit_test_setup(a_guest_line_is_closed_before_ours, setup),
        cmocka_unit_test_setup(the_ring_keeps_its_last_bytes, setup),
        cmocka_unit_test_setup(panic_prints_the_reason_and_halts, setup),
        cmocka_unit_test_setup(levels_above_the_log_level_are_dropped, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
