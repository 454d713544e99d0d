/* Event channels the hypervisor consumes (common/event/evtchn_xen.c): a port of
 * a domU offered to dom0, as a vpl011's console ring has. dom0 binds and
 * sends to it like any port, which runs the consumer instead of raising
 * the domU; the domU cannot send on it, close it, move it or read its
 * status (Xen 4.17's answers); reset leaves it alone, destruction closes
 * it. Domains and helpers: evtchn_env.c. */
#define EVTCHN_TEST_MAIN
#include "evtchn_env.c"

struct consumed {
    struct domain *d;
    evtchn_port_t port;
    unsigned int calls;
    uint32_t inflight;      /* the domain's, during the call */
    bool send_back;         /* the consumer answers with evtchn_send_xen */
};

static struct consumed seen;
static struct consumed seen2;

static void consumer(struct domain *d, evtchn_port_t port)
{
    seen.d = d;
    seen.port = port;
    seen.calls++;
    seen.inflight = __atomic_load_n(&d->evtchn->inflight, __ATOMIC_ACQUIRE);
    if (seen.send_back) {
        evtchn_send_xen(d, port);
    }
}

static void other_consumer(struct domain *d, evtchn_port_t port)
{
    seen2.d = d;
    seen2.port = port;
    seen2.calls++;
}

static int xsetup(void **state)
{
    memset(&seen, 0, sizeof(seen));
    memset(&seen2, 0, sizeof(seen2));
    return setup(state);
}

/* A hypervisor port of domU 1 for dom0, bound by dom0: (xen port, dom0's). */
static void bound_pair(evtchn_port_t *xp, uint32_t *dp)
{
    assert_int_equal(evtchn_alloc_xen_unbound(D(1U), 0U, consumer, xp), 0);
    assert_int_equal(bind_interdomain(0U, 1U, *xp, dp), 0);
    l2_clear_all(0U);
}

static void test_alloc_and_bind(void **state)
{
    evtchn_port_t xp = 0U;
    struct evtchn_status s;
    uint32_t dp;
    uint32_t gp;

    (void)state;
    assert_int_equal(evtchn_alloc_xen_unbound(D(1U), 0U, consumer, &xp), 0);
    assert_int_equal(xp, 1U);
    assert_int_equal(D(1U)->evtchn->xen_ports, 1U);
    /* The domU's own next port is another one. */
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, 0U, &gp), 0);
    assert_int_equal(gp, 2U);
    /* Status of it: -EACCES, for the domU and for dom0 alike. */
    assert_int_equal(evstatus(1U, DOMID_SELF, xp, &s), -EACCES);
    assert_int_equal(evstatus(0U, 1U, xp, &s), -EACCES);
    assert_int_equal(evstatus(1U, DOMID_SELF, 700U, &s), -EINVAL);
    /* Only the domain it was offered to binds it. */
    assert_int_equal(bind_interdomain(2U, 1U, xp, NULL), -EINVAL);
    assert_int_equal(bind_interdomain(0U, 1U, xp, &dp), 0);
    assert_int_equal(evstatus(0U, DOMID_SELF, dp, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_interdomain);
    assert_int_equal(s.u.interdomain.dom, 1U);
    assert_int_equal(s.u.interdomain.port, xp);
    /* Binding never raises the domU, nor runs the consumer. */
    assert_int_equal(fake_upcalls(V(1U, 0U)), 0U);
    assert_int_equal(seen.calls, 0U);
    /* DOMID_SELF and a domain not created yet are fine as remotes. */
    assert_int_equal(evtchn_alloc_xen_unbound(D(2U), DOMID_SELF, consumer, &xp), 0);
    assert_int_equal(evtchn_alloc_xen_unbound(D(2U), 42U, consumer, &xp), 0);
    assert_int_equal(D(2U)->evtchn->xen_ports, 2U);
}

static void test_send_runs_consumer(void **state)
{
    evtchn_port_t xp;
    evtchn_port_t xp2;
    uint32_t dp;
    uint32_t dp2;

    (void)state;
    bound_pair(&xp, &dp);
    assert_int_equal(evsend(0U, dp), 0);
    assert_int_equal(seen.calls, 1U);
    assert_ptr_equal(seen.d, D(1U));
    assert_int_equal(seen.port, xp);
    /* It runs while the domain's destruction is held off, and after. */
    assert_int_equal(seen.inflight, 1U);
    assert_int_equal(D(1U)->evtchn->inflight, 0U);
    /* The domU is not raised: nothing pending, no upcall. */
    assert_false(l2_pending(1U, xp));
    assert_int_equal(fake_upcalls(V(1U, 0U)), 0U);
    assert_int_equal(fake_upcalls(V(1U, 1U)), 0U);
    /* Every send runs it again (no pending bit to hold it back). */
    assert_int_equal(evsend(0U, dp), 0);
    assert_int_equal(seen.calls, 2U);
    /* Two kinds of consumer, each on its own port. */
    assert_int_equal(evtchn_alloc_xen_unbound(D(1U), 0U, other_consumer, &xp2), 0);
    assert_int_equal(bind_interdomain(0U, 1U, xp2, &dp2), 0);
    assert_int_equal(evsend(0U, dp2), 0);
    assert_int_equal(seen2.calls, 1U);
    assert_int_equal(seen2.port, xp2);
    assert_int_equal(seen.calls, 2U);
}

static void test_send_xen_raises_peer(void **state)
{
    evtchn_port_t xp;
    uint32_t dp;

    (void)state;
    /* Unbound: dropped. */
    assert_int_equal(evtchn_alloc_xen_unbound(D(1U), 0U, consumer, &xp), 0);
    evtchn_send_xen(D(1U), xp);
    assert_int_equal(fake_upcalls(V(0U, 0U)), 0U);
    assert_int_equal(bind_interdomain(0U, 1U, xp, &dp), 0);
    l2_clear_all(0U);
    evtchn_send_xen(D(1U), xp);
    assert_true(l2_pending(0U, dp));
    assert_int_equal(D(0U)->evtchn->inflight, 0U);
    /* Not the hypervisor's port, or no such port: nothing. */
    l2_clear_all(0U);
    evtchn_send_xen(D(0U), dp);
    evtchn_send_xen(D(1U), 900U);
    assert_false(l2_pending(1U, xp));
    assert_false(l2_pending(0U, dp));
    /* A consumer may answer on its port (no lock is held then). */
    seen.send_back = true;
    assert_int_equal(evsend(0U, dp), 0);
    assert_int_equal(seen.calls, 1U);
    assert_true(l2_pending(0U, dp));
}

static void test_guest_refused(void **state)
{
    evtchn_port_t xp;
    uint32_t dp;
    struct evtchn_reset r = { .dom = DOMID_SELF };

    (void)state;
    bound_pair(&xp, &dp);
    /* Xen 4.17: send, close and bind_vcpu -EINVAL; unmask is harmless. */
    assert_int_equal(evsend(1U, xp), -EINVAL);
    assert_int_equal(seen.calls, 0U);
    assert_false(l2_pending(0U, dp));
    assert_int_equal(evclose(1U, xp), -EINVAL);
    assert_int_equal(bind_vcpu(1U, xp, 1U), -EINVAL);
    assert_int_equal(bind_vcpu(1U, xp, 5U), -ENOENT);
    assert_int_equal(evunmask(1U, xp), 0);
    assert_int_equal(fake_upcalls(V(1U, 0U)), 0U);
    /* An unbound one too. */
    assert_int_equal(evtchn_alloc_xen_unbound(D(1U), 0U, consumer, &xp), 0);
    assert_int_equal(evsend(1U, xp), -EINVAL);
    assert_int_equal(evclose(1U, xp), -EINVAL);
    /* Reset closes the domU's ports but not these, and succeeds. */
    assert_int_equal(bind_ipi(1U, 0U, NULL), 0);
    assert_int_equal(evop(1U, EVTCHNOP_reset, &r, sizeof(r)), 0);
    assert_int_equal(D(1U)->evtchn->active, 2U);
    assert_int_equal(D(1U)->evtchn->xen_ports, 2U);
    assert_int_equal(evsend(0U, dp), 0);
    assert_int_equal(seen.calls, 1U);
    /* dom0 may reset a domain being built: the same. */
    D(1U)->state = DOMAIN_BUILDING;
    assert_int_equal(evreset(0U, 1U), 0);
    assert_int_equal(D(1U)->evtchn->active, 2U);
    D(1U)->state = DOMAIN_RUNNING;
}

static void test_peer_close_and_rebind(void **state)
{
    evtchn_port_t xp;
    uint32_t dp;

    (void)state;
    bound_pair(&xp, &dp);
    assert_true(evtchn_xen_port_bound(D(1U), xp));
    /* xenconsoled restarting: dom0 closes its end, the port waits for it
     * again and still belongs to the hypervisor; its consumer hears of it
     * (and finds it unbound). */
    assert_int_equal(evclose(0U, dp), 0);
    assert_int_equal(seen.calls, 1U);
    assert_int_equal(seen.port, xp);
    assert_false(evtchn_xen_port_bound(D(1U), xp));
    evtchn_send_xen(D(1U), xp);
    /* A send says whether anyone listened: nobody now. */
    assert_false(evtchn_send_xen_bound(D(1U), xp));
    assert_false(evtchn_port_is_pending(D(0U), dp));
    assert_int_equal(evclose(1U, xp), -EINVAL);
    assert_int_equal(bind_interdomain(0U, 1U, xp, &dp), 0);
    assert_true(evtchn_xen_port_bound(D(1U), xp));
    /* Bound again: the event reaches dom0's new end. */
    assert_true(evtchn_send_xen_bound(D(1U), xp));
    assert_true(evtchn_port_is_pending(D(0U), dp));
    assert_int_equal(evsend(0U, dp), 0);
    assert_int_equal(seen.calls, 2U);
}

static void test_free_xen_port(void **state)
{
    evtchn_port_t xp;
    uint32_t dp;
    uint32_t gp;
    struct evtchn_status s;

    (void)state;
    bound_pair(&xp, &dp);
    /* Not the hypervisor's, or no such port: left alone. */
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, 0U, &gp), 0);
    evtchn_free_xen_port(D(1U), gp);
    evtchn_free_xen_port(D(1U), 3000U);
    assert_int_equal(evstatus(1U, DOMID_SELF, gp, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_unbound);
    evtchn_free_xen_port(D(1U), xp);
    assert_int_equal(D(1U)->evtchn->xen_ports, 0U);
    assert_int_equal(D(1U)->evtchn->active, 1U);
    /* dom0's end is unbound now; its sends go nowhere. */
    assert_int_equal(evstatus(0U, DOMID_SELF, dp, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_unbound);
    assert_int_equal(s.u.unbound.dom, 1U);
    assert_int_equal(evsend(0U, dp), 0);
    assert_int_equal(seen.calls, 0U);
    /* The port is the domU's to use again, as an ordinary one. */
    assert_int_equal(evstatus(1U, DOMID_SELF, xp, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_closed);
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, 0U, &gp), 0);
    assert_int_equal(gp, xp);
    assert_int_equal(evclose(1U, gp), 0);
}

static void test_destroy_closes(void **state)
{
    evtchn_port_t xp;
    uint32_t dp;
    struct evtchn_status s;

    (void)state;
    bound_pair(&xp, &dp);
    kill_domain(1U);
    assert_int_equal(evstatus(0U, DOMID_SELF, dp, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_unbound);
    assert_int_equal(evsend(0U, dp), 0);
    assert_int_equal(seen.calls, 0U);
    /* The device's own teardown after that is harmless. */
    evtchn_free_xen_port(D(1U), xp);
    evtchn_send_xen(D(1U), xp);
    assert_int_equal(evtchn_alloc_xen_unbound(D(1U), 0U, consumer, &xp), -ESRCH);
}

static void test_exhaustion(void **state)
{
    evtchn_port_t xp;

    (void)state;
    while (bind_ipi(2U, 0U, NULL) == 0) {
    }
    assert_int_equal(evtchn_alloc_xen_unbound(D(2U), 0U, consumer, &xp), -ENOSPC);
    assert_int_equal(D(2U)->evtchn->xen_ports, 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_alloc_and_bind, xsetup, teardown),
        cmocka_unit_test_setup_teardown(test_send_runs_consumer, xsetup, teardown),
        cmocka_unit_test_setup_teardown(test_send_xen_raises_peer, xsetup, teardown),
        cmocka_unit_test_setup_teardown(test_guest_refused, xsetup, teardown),
        cmocka_unit_test_setup_teardown(test_peer_close_and_rebind, xsetup, teardown),
        cmocka_unit_test_setup_teardown(test_free_xen_port, xsetup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_closes, xsetup, teardown),
        cmocka_unit_test_setup_teardown(test_exhaustion, xsetup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
