/* The 'e' debug key (common/event/evtchn_keys.c): for every domain with
 * event channels, its ABI and ports in use, each vCPU's upcall state (and
 * FIFO queues), then one line per bound port in Xen's shape
 * "port [pending/masked/selector or FIFO link]: s=<state> n=<vCPU>
 * x=<consumer>" with the peer (d=, p=) or the VIRQ (v=). */
#define EVTCHN_TEST_MAIN
#include "evtchn_env.c"
#include <proxenos/keyhandler.h>

extern const struct keyhandler __keyhandler_start[], __keyhandler_end[];

#define CB_PAGE    1U      /* domain 1's FIFO control blocks */
#define ARRAY_PAGE 4U      /* and its event array */

static int keys_setup(void **state)
{
    (void)setup(state);
    keyhandler_set_table(__keyhandler_start, __keyhandler_end);
    return 0;
}

/* The log holds the line made of fmt and its arguments. */
static void expect_line(const char *fmt, ...)
{
    char line[160];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (!fake_log_contains(line)) {
        fail_msg("no line \"%s\" in:\n%s", line, fake_log());
    }
}

static void two_level_ports_and_vcpus(void **state)
{
    uint32_t unbound;
    uint32_t local;
    uint32_t remote;
    uint32_t virq;
    uint32_t ipi;

    (void)state;
    /* dom2: a port left for dom0 to bind. */
    assert_int_equal(alloc_unbound(2U, DOMID_SELF, 0U, &unbound), 0);
    /* dom1 <-> dom0, then a send from dom0: pending in dom1. */
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, 0U, &local), 0);
    assert_int_equal(bind_interdomain(0U, 1U, local, &remote), 0);
    assert_int_equal(evsend(0U, remote), 0);
    /* dom1: a per-vCPU VIRQ and an IPI to vCPU 1, masked. */
    assert_int_equal(bind_virq(1U, VIRQ_TIMER, 0U, &virq), 0);
    assert_int_equal(bind_ipi(1U, 1U, &ipi), 0);
    l2_set_mask(1U, ipi, true);

    fake_log_clear();
    handle_keypress('e');
    expect_line("'e' pressed -> dump evtchn info");
    expect_line("Event channel information for domain 0 (2-level ABI, 1 ports in use):");
    expect_line("Event channel information for domain 1 (2-level ABI, 3 ports in use):");
    expect_line("Event channel information for domain 2 (2-level ABI, 1 ports in use):");
    /* dom1's vCPU 0 has the upcall and word 0's selector bit. */
    expect_line("  vCPU 0: upcall pending 1, selector 0x1\n");
    expect_line("    %4u [1/0/1]: s=3 n=0 x=0 d=0 p=%u\n", local, remote);
    /* Binding marks the binder's port pending, as Xen does. */
    expect_line("    %4u [1/0/1]: s=3 n=0 x=0 d=1 p=%u\n", remote, local);
    /* The third column is the selector bit of the port's word: the VIRQ
     * shares word 0 with the pending port. */
    expect_line("    %4u [0/0/1]: s=5 n=0 x=0 v=%u\n", virq, (unsigned int)VIRQ_TIMER);
    expect_line("    %4u [0/1/0]: s=6 n=1 x=0\n", ipi);
    expect_line("    %4u [0/0/0]: s=2 n=0 x=0 d=0\n", unbound);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void a_domain_without_event_channels_is_skipped(void **state)
{
    (void)state;
    evtchn_domain_destroy(D(2U));
    handle_keypress('e');
    assert_true(fake_log_contains("information for domain 1 "));
    assert_false(fake_log_contains("information for domain 2 "));
    /* The teardown's destroy finds nothing more to do. */
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static long fifo_op(unsigned int id, uint64_t cmd, void *arg, size_t len)
{
    return evop(id, cmd, arg, len);
}

static void fifo_queues_and_links(void **state)
{
    struct evtchn_init_control ic = { .control_gfn = GFN(CB_PAGE), .offset = 0U, .vcpu = 0U };
    struct evtchn_expand_array ea = { .array_gfn = GFN(ARRAY_PAGE) };
    uint32_t first;
    uint32_t second;
    uint32_t peer1;
    uint32_t peer2;

    (void)state;
    assert_int_equal(fifo_op(1U, EVTCHNOP_init_control, &ic, sizeof(ic)), 0);
    assert_int_equal(fifo_op(1U, EVTCHNOP_expand_array, &ea, sizeof(ea)), 0);
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, 0U, &first), 0);
    assert_int_equal(bind_interdomain(0U, 1U, first, &peer1), 0);
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, 0U, &second), 0);
    assert_int_equal(bind_interdomain(0U, 1U, second, &peer2), 0);
    /* Two events on vCPU 0's default queue (priority 7): the first at the
     * head, linked to the second, which is the tail. */
    assert_int_equal(evsend(0U, peer1), 0);
    assert_int_equal(evsend(0U, peer2), 0);

    fake_log_clear();
    handle_keypress('e');
    expect_line("Event channel information for domain 1 (FIFO ABI, 2 ports in use):");
    expect_line("  vCPU 0: FIFO ready 0x80, queue head/tail: 7:%u/%u\n", first, second);
    /* vCPU 1 has no control block: no FIFO line for it. */
    assert_false(fake_log_contains("  vCPU 1: FIFO"));
    expect_line("    %4u [1/0/l %u]: s=3 n=0 x=0 d=0 p=%u\n", first, second, peer1);
    expect_line("    %4u [1/0/l 0]: s=3 n=0 x=0 d=0 p=%u\n", second, peer2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(two_level_ports_and_vcpus, keys_setup, teardown),
        cmocka_unit_test_setup_teardown(a_domain_without_event_channels_is_skipped, keys_setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(fifo_queues_and_links, keys_setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
