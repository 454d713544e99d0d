/* Static event channels bound again when a dom0less domain is rebuilt
 * after a reboot (dom0less_evtchn_rebind.c, evtchn_rebind_static) on the
 * real event channels: the peer's end waits for the domain while it is
 * away and is reconnected as it is, the rebuilt end raised once; two
 * peers rebuilt one after the other reconnect; a channel within one
 * domain is bound anew; a peer that closed its end meanwhile is reported
 * and the domain runs without the channel. A reboot is played as the
 * reaper does it: the domain destroyed (its ports closed), made again
 * under the same id, its links bound again. The domains are
 * evtchn_env.c's: 0 (dom0), 1 and 2 (domUs). */
#define EVTCHN_TEST_MAIN
#include "evtchn_env.c"

#include "evtchn_tree.h"

static struct dom0less_evtchn_links links;

static int name_domains(void **state)
{
    memset(&links, 0, sizeof(links));
    return setup_named(state, "dom0", "domA", "domB");
}

/* What dom0less_evtchn_bind does and records for one pair at boot. */
static void boot_pair(unsigned int a, uint32_t pa, unsigned int b, uint32_t pb)
{
    unsigned int end = 9U;

    assert_int_equal(evtchn_bind_static(D(a), pa, D(b), pb, &end), 0);
    links.link[links.n] = (struct dom0less_evtchn_link){ { (domid_t)a, (domid_t)b },
                                                         { pa, pb } };
    links.n++;
}

static void reboot_out(unsigned int id)
{
    kill_domain(id);
}

static unsigned int reboot_in(unsigned int id, unsigned int nr_vcpus)
{
    make_domain(id, nr_vcpus, false);
    name_domain(id, (id == 1U) ? "domA" : "domB");
    fake_log_clear();
    return dom0less_evtchn_rebind(&links, D(id));
}

/* domA (port 20) has channels to dom0 (port 10) and domB (port 30) and
 * reboots: while it is away both peers' ends wait for it (a send there
 * is dropped, not refused); rebuilt, both are reconnected as they were,
 * domA's ends raised once, the peers' untouched. */
static void test_peers_reconnected(void **state)
{
    struct xmalloc_stats before;
    struct xmalloc_stats after;

    (void)state;
    boot_pair(0U, 10U, 1U, 20U);
    boot_pair(1U, 21U, 2U, 30U);
    reboot_out(1U);
    assert_status(0U, 10U, EVTCHNSTAT_unbound, 1U, 0U);
    assert_status(2U, 30U, EVTCHNSTAT_unbound, 1U, 0U);
    assert_int_equal(evsend(2U, 30U), 0);
    clear_pending(0U, 10U);
    clear_pending(2U, 30U);
    make_domain(1U, 2U, false);
    name_domain(1U, "domA");
    fake_log_clear();
    xmalloc_stats(&before);
    assert_int_equal(dom0less_evtchn_rebind(&links, D(1U)), 2U);
    xmalloc_stats(&after);
    /* The peers' ends are reused, and domA's ports lie in the bucket its
     * creation made (ports 0-63): nothing is allocated. */
    assert_int_equal(after.nr_allocs - before.nr_allocs, 0U);
    assert_logged("dom0less: domA: static event channel port 20 bound again to domain 0 port 10");
    assert_logged("dom0less: domA: static event channel port 21 bound again to domain 2 port 30");
    assert_pair_bound(0U, 10U, 1U, 20U);
    assert_pair_bound(1U, 21U, 2U, 30U);
    assert_true(evtchn_port_is_pending(D(1U), 20U));
    assert_true(evtchn_port_is_pending(D(1U), 21U));
    assert_false(evtchn_port_is_pending(D(0U), 10U));
    assert_false(evtchn_port_is_pending(D(2U), 30U));
    assert_delivery(0U, 10U, 1U, 20U);
    assert_delivery(2U, 30U, 1U, 21U);
    /* The same again: a second reboot reconnects as the first did. */
    reboot_out(1U);
    assert_int_equal(reboot_in(1U, 2U), 2U);
    assert_status(0U, 10U, EVTCHNSTAT_interdomain, 1U, 20U);
    assert_delivery(0U, 10U, 1U, 20U);
}

/* domA and domB reboot in the same pass (both destroyed, then rebuilt in
 * turn): domA's end waits for domB, and domB's rebuild connects both. */
static void test_both_ends_rebuilt(void **state)
{
    (void)state;
    boot_pair(1U, 21U, 2U, 30U);
    reboot_out(1U);
    reboot_out(2U);
    assert_int_equal(reboot_in(1U, 2U), 1U);
    assert_logged("dom0less: domA: static event channel port 21 waits for domain 2 port 30");
    assert_status(1U, 21U, EVTCHNSTAT_unbound, 2U, 0U);
    assert_int_equal(reboot_in(2U, 1U), 1U);
    assert_logged("dom0less: domB: static event channel port 30 bound again to domain 1 port 21");
    assert_pair_bound(1U, 21U, 2U, 30U);
    assert_delivery(1U, 21U, 2U, 30U);
}

/* A channel between two ports of domA: bound anew, from its first end. */
static void test_channel_within_the_domain(void **state)
{
    (void)state;
    boot_pair(1U, 3U, 1U, 4U);
    reboot_out(1U);
    assert_int_equal(reboot_in(1U, 2U), 1U);
    assert_pair_bound(1U, 3U, 1U, 4U);
    assert_delivery(1U, 3U, 1U, 4U);
}

/* dom0 closed its end while domA was away (or bound the port anew): the
 * channel is not bound again, domA's port is left free; domA's other
 * channel is reconnected. Likewise a port domA's rebuild already uses. */
static void test_peer_end_gone(void **state)
{
    evtchn_port_t port = 0U;

    (void)state;
    boot_pair(0U, 10U, 1U, 20U);
    boot_pair(2U, 30U, 1U, 1U);
    reboot_out(1U);
    assert_int_equal(evclose(0U, 10U), 0);
    make_domain(1U, 2U, false);
    name_domain(1U, "domA");
    /* Its rebuild took port 1 for something else first (xenstore). */
    assert_int_equal(evtchn_alloc_unbound(D(1U), 0U, &port), 0);
    assert_int_equal(port, 1U);
    fake_log_clear();
    assert_int_equal(dom0less_evtchn_rebind(&links, D(1U)), 0U);
    assert_logged("dom0less: domA: static event channel port 20 to domain 0 port 10 not bound "
                  "again: the peer's port no longer waits for it (-2)");
    assert_logged("dom0less: domA: static event channel port 1 to domain 2 port 30 not bound "
                  "again: port refused (-16)");
    assert_status(1U, 20U, EVTCHNSTAT_closed, 0U, 0U);
    assert_status(2U, 30U, EVTCHNSTAT_unbound, 1U, 0U);
}

/* The primitive alone: without event channels, and a dying peer. */
static void test_rebind_static_api(void **state)
{
    (void)state;
    boot_pair(1U, 21U, 2U, 30U);
    reboot_out(1U);
    make_domain(1U, 2U, false);
    D(2U)->evtchn->dying = true;
    assert_int_equal(evtchn_rebind_static(D(1U), 21U, 2U, D(2U), 30U), EVTCHN_STATIC_WAITING);
    D(2U)->evtchn->dying = false;
    assert_status(1U, 21U, EVTCHNSTAT_unbound, 2U, 0U);
    assert_int_equal(evtchn_rebind_static(D(1U), 21U, 2U, D(2U), 30U), -EBUSY);
    assert_int_equal(evtchn_rebind_static(D(1U), 1024U, 2U, D(2U), 30U), -ENOSPC);
    kill_domain(1U);
    assert_int_equal(evtchn_rebind_static(D(1U), 22U, 2U, D(2U), 30U), -ESRCH);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, name_domains, teardown)
    const struct CMUnitTest tests[] = {
        T(test_peers_reconnected),
        T(test_both_ends_rebuilt),
        T(test_channel_within_the_domain),
        T(test_peer_end_gone),
        T(test_rebind_static_api),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
