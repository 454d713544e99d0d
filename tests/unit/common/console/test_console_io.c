/* console_io: dom0's raw output, a domU's prefixed lines, restarts of long
 * writes, a domU's write past its rate limit dropped unread (dom0's never
 * limited), typed input through CONSOLEIO_read with VIRQ_CONSOLE, and bad
 * commands and buffers. */
#include "test_pv_hcall_env.h"

#include <proxenos/console.h>
#include <proxenos/console_io.h>
#include <proxenos/evtchn.h>
#include <proxenos/guest_console.h>
#include "fake_console_api.h"
#include "fake_evtchn.h"

#define ARG (GUEST_BASE + 0x100U)

/* ---- The neighbours: the console's side is fake_console_api.c's, the
 * event channels fake_evtchn.c's ------------------------------------------ */

/* VIRQ_CONSOLE sent to domain id; the console sends no other VIRQ. */
static unsigned int console_virqs(domid_t id)
{
    for (unsigned int virq = 0U; virq < NR_VIRQS; virq++) {
        if (virq != VIRQ_CONSOLE) {
            assert_int_equal(fake_virqs_sent(id, virq), 0U);
        }
    }
    return fake_virqs_sent(id, VIRQ_CONSOLE);
}

static size_t raw_len(void)
{
    size_t n;

    (void)fake_console_raw(&n);
    return n;
}

static size_t lines_len(void)
{
    size_t n;

    (void)fake_console_lines(&n);
    return n;
}

static int setup(void **state)
{
    (void)state;
    env_setup();
    fake_console_api_reset();
    fake_evtchn_reset();
    guest_console_set_limit(GUEST_CONSOLE_RATE, GUEST_CONSOLE_BURST);
    as(0U, 0U);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (unsigned int d = 0U; d < ENV_DOMS; d++) {
        console_io_domain_destroy(&doms[d]);
    }
    return 0;
}

static long cio(uint64_t cmd, uint64_t count, uint64_t buf)
{
    return hc(do_console_io, cmd, count, buf);
}

static void dom0_output_is_raw(void **state)
{
    (void)state;
    memcpy(garg(0U, 0x100U), "hello\r\nwor", 10U);
    assert_int_equal(cio(CONSOLEIO_write, 10U, ARG), 0);
    assert_int_equal(raw_len(), 10U);
    assert_memory_equal(fake_console_raw(NULL), "hello\r\nwor", 10U);
    assert_int_equal(lines_len(), 0U);
    /* dom0 takes input: its sink was registered on first use, once. */
    assert_int_equal(cio(CONSOLEIO_write, 0U, ARG), 0);
    assert_int_equal(fake_sinks_registered(), 1U);
    assert_ptr_equal(fake_sink(0U, NULL), console_io_receive);
}

static void domu_output_is_prefixed_lines(void **state)
{
    (void)state;
    as(1U, 0U);
    memcpy(garg(1U, 0x100U), "abc\ndef", 7U);
    assert_int_equal(cio(CONSOLEIO_write, 7U, ARG), 0);
    assert_string_equal(fake_console_lines(NULL), "(d1) abc\n");
    memcpy(garg(1U, 0x100U), "gh\n", 3U);
    assert_int_equal(cio(CONSOLEIO_write, 3U, ARG), 0);
    assert_string_equal(fake_console_lines(NULL), "(d1) abc\n(d1) defgh\n");
    assert_int_equal(raw_len(), 0U);
    /* No console_input flag: no input sink for it. */
    assert_int_equal(fake_sinks_registered(), 0U);
}

static void destroy_flushes_partial_line(void **state)
{
    (void)state;
    as(1U, 0U);
    doms[1].console_input = true;
    memcpy(garg(1U, 0x100U), "tail", 4U);
    assert_int_equal(cio(CONSOLEIO_write, 4U, ARG), 0);
    assert_int_equal(lines_len(), 0U);
    assert_int_equal(fake_sinks_registered(), 1U);
    console_io_domain_destroy(&doms[1]);
    assert_string_equal(fake_console_lines(NULL), "(d1) tail");
    assert_int_equal(fake_sinks_removed(), 1U);
}

static void long_write_restarts(void **state)
{
    struct hcall_args a = { { CONSOLEIO_write, 5000U, ARG, 0U, 0U } };
    long rc;
    unsigned int rounds = 0U;

    (void)state;
    memset(garg(0U, 0x100U), 'z', 5000U);
    do {
        rc = do_console_io(&a);
        rounds++;
    } while ((rc == -ERESTART) && (rounds < 10U));
    assert_int_equal(rc, 0);
    assert_true(rounds > 1U);
    assert_int_equal(raw_len(), 5000U);
    /* The high half of the count register is not part of the count. */
    fake_console_raw_clear();
    assert_int_equal(cio(CONSOLEIO_write, (1ULL << 32) | 3U, ARG), 0);
    assert_int_equal(raw_len(), 3U);
}

/* A write issued as a guest issues it: again while it restarts. The
 * number of invocations it took goes to *rounds. */
static long write_all(uint64_t count, uint64_t buf, unsigned int *rounds)
{
    struct hcall_args a = { { CONSOLEIO_write, count, buf, 0U, 0U } };
    long rc;

    *rounds = 0U;
    do {
        rc = do_console_io(&a);
        (*rounds)++;
    } while ((rc == -ERESTART) && (*rounds < 100000U));
    return rc;
}

static void a_gigabyte_past_the_limit_returns_at_once(void **state)
{
    unsigned int rounds;

    (void)state;
    /* 10 lines a second (100 ms each), 3 at once. */
    guest_console_set_limit(10U, 3U);
    as(1U, 0U);
    for (unsigned int i = 0U; i < 1000U; i++) {
        memcpy(garg(1U, 0x100U + (2U * i)), "y\n", 2U);
    }
    /* 1 GiB from a domain with 32 KiB of RAM: the first chunk (127 bytes)
     * is read, its first 3 lines printed and the rest of its lines
     * dropped; the rest of the write is dropped unread (reading it would
     * fault), in one invocation, and the write succeeds as on Xen. */
    assert_int_equal(write_all(1ULL << 30, ARG, &rounds), 0);
    assert_int_equal(rounds, 1U);
    assert_string_equal(fake_console_lines(NULL), "(d1) y\n(d1) y\n(d1) y\n");
    assert_int_equal(write_all(1ULL << 30, ARG, &rounds), 0);
    assert_int_equal(rounds, 1U);
    /* Not yet half the bucket back: a short write is dropped too. */
    fake_advance(149000000);
    memcpy(garg(1U, 0x100U), "ok\n", 3U);
    assert_int_equal(cio(CONSOLEIO_write, 3U, ARG), 0);
    assert_int_equal(lines_len(), 21U);
    /* 150 ms: the burst's count is said once, and output resumes on a
     * line of its own (the chunk's unfinished "y" went with the rest of
     * its write). Dropped: 2 GiB less the 6 bytes printed, and the first
     * "ok\n". */
    fake_advance(1000000);
    assert_int_equal(cio(CONSOLEIO_write, 3U, ARG), 0);
    assert_string_equal(fake_console_lines(NULL),
                        "(d1) y\n(d1) y\n(d1) y\n"
                        "(d1) ... 2147483645 bytes suppressed.\n(d1) ok\n");
}

static void dom0_is_not_limited(void **state)
{
    (void)state;
    guest_console_set_limit(10U, 3U);
    for (unsigned int i = 0U; i < 1000U; i++) {
        memcpy(garg(0U, 0x100U + (2U * i)), "y\n", 2U);
    }
    /* 1000 lines, far past a burst of 3: all printed, as they come. */
    assert_int_equal(cio(CONSOLEIO_write, 2000U, ARG), 0);
    assert_int_equal(raw_len(), 2000U);
    assert_int_equal(lines_len(), 0U);
}

static void write_fault(void **state)
{
    (void)state;
    fake_guest_fault(GUEST_BASE + PAGE_SIZE, PAGE_SIZE, false);
    memset(garg(0U, 0x100U), 'q', 300U);
    assert_int_equal(cio(CONSOLEIO_write, 300U, GUEST_BASE + PAGE_SIZE - 10U), -EFAULT);
    assert_int_equal(cio(CONSOLEIO_write, 1U, 0x1000U), -EFAULT);
}

static void input_reaches_read_and_raises_virq(void **state)
{
    char *out = garg(0U, 0x100U);

    (void)state;
    assert_int_equal(console_io_domain_init(&doms[0]), 0);
    assert_int_equal(fake_sinks_registered(), 1U);
    assert_int_equal(cio(CONSOLEIO_read, 16U, ARG), 0);
    console_io_receive(0U, 'l');
    console_io_receive(0U, 's');
    console_io_receive(0U, '\r');
    assert_int_equal(console_virqs(0U), 3U);
    /* The console's flow control sees the room left, and each read that
     * took bytes tells it that there is more. */
    assert_int_equal(fake_sink_room(0U)(0U), CONSOLE_IO_RX_SIZE - 3U);
    assert_int_equal(cio(CONSOLEIO_read, 2U, ARG), 2);
    assert_memory_equal(out, "ls", 2U);
    assert_int_equal(fake_console_drained(), 1U);
    assert_int_equal(fake_sink_room(0U)(0U), CONSOLE_IO_RX_SIZE - 1U);
    assert_int_equal(cio(CONSOLEIO_read, 16U, ARG), 1);
    assert_int_equal(out[0], '\r');
    assert_int_equal(cio(CONSOLEIO_read, 16U, ARG), 0);
    assert_int_equal(fake_console_drained(), 2U);
}

static void full_ring_drops_but_notifies(void **state)
{
    char *out = garg(0U, 0x100U);

    (void)state;
    assert_int_equal(console_io_domain_init(&doms[0]), 0);
    for (unsigned int i = 0U; i < CONSOLE_IO_RX_SIZE + 10U; i++) {
        console_io_receive(0U, (char)('a' + (i % 26U)));
    }
    assert_int_equal(console_virqs(0U), CONSOLE_IO_RX_SIZE + 10U);
    /* The ring wraps: read across its end in one call. */
    assert_int_equal(cio(CONSOLEIO_read, 100U, ARG), 100);
    console_io_receive(0U, '#');
    assert_int_equal(cio(CONSOLEIO_read, 4096U, ARG), CONSOLE_IO_RX_SIZE - 100U + 1U);
    assert_int_equal(out[CONSOLE_IO_RX_SIZE - 100U], '#');
}

static void read_errors(void **state)
{
    (void)state;
    assert_int_equal(console_io_domain_init(&doms[0]), 0);
    assert_int_equal(cio(CONSOLEIO_read, 0x80000000U, ARG), -E2BIG);
    console_io_receive(0U, 'x');
    fake_guest_fault(ARG, 1U, true);
    assert_int_equal(cio(CONSOLEIO_read, 1U, ARG), -EFAULT);
    /* The byte stays for a later read. */
    assert_int_equal(cio(CONSOLEIO_read, 1U, GUEST_BASE + PAGE_SIZE), 1);
    /* Input for an unknown domain or one without a PV console goes nowhere. */
    console_io_receive(7U, 'y');
    console_io_receive(0x7ff0U, 'y');
    console_io_receive(1U, 'y');
    assert_int_equal(console_virqs(1U), 0U);
}

static void vpl011_keeps_its_input(void **state)
{
    (void)state;
    fake_sink_answer(-EEXIST);
    assert_int_equal(console_io_domain_init(&doms[0]), 0);
    assert_int_equal(console_io_domain_init(&doms[0]), 0);
    assert_int_equal(fake_sinks_registered(), 1U);
}

static void bad_command(void **state)
{
    (void)state;
    assert_int_equal(cio(2U, 1U, ARG), -ENOSYS);
    assert_int_equal(cio(0xffffffffU, 1U, ARG), -ENOSYS);
    as(1U, 0U);
    assert_int_equal(cio(2U, 1U, ARG), -ENOSYS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(dom0_output_is_raw, setup, teardown),
        cmocka_unit_test_setup_teardown(domu_output_is_prefixed_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(destroy_flushes_partial_line, setup, teardown),
        cmocka_unit_test_setup_teardown(long_write_restarts, setup, teardown),
        cmocka_unit_test_setup_teardown(a_gigabyte_past_the_limit_returns_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(dom0_is_not_limited, setup, teardown),
        cmocka_unit_test_setup_teardown(write_fault, setup, teardown),
        cmocka_unit_test_setup_teardown(input_reaches_read_and_raises_virq, setup, teardown),
        cmocka_unit_test_setup_teardown(full_ring_drops_but_notifies, setup, teardown),
        cmocka_unit_test_setup_teardown(read_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(vpl011_keeps_its_input, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_command, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
