/* Static event channels from xen,evtchn-v1 nodes (dom0less_evtchn.c) on
 * the real event channels: a good pair bound both ways and usable, and
 * each way a pair is refused (one-sided, a phandle to nothing, a port used
 * twice, beyond the domU limit, port 0, a short property, a dom0 end, a
 * peer outside the built domains), with both nodes named and the domains
 * failed, also those connected to a failed one. Nodes with another
 * compatible are skipped. The domains are evtchn_env.c's: 0 (privileged),
 * 1 and 2 (domUs, max_evtchn_port 1023). */
#define EVTCHN_TEST_MAIN
#include "evtchn_env.c"

#include "evtchn_tree.h"

#define NR_TREE_DOMS 4U     /* domA, domB, domC (built) and lost (not built) */

static const char *const dom_names[NR_TREE_DOMS] = { "domA", "domB", "domC", "lost" };

/* Build / { chosen { domA {...} domB {...} domC {...} lost {...} ... } },
 * bind with domA, domB, domC as domains 1, 2, 0, and return the result. */
static struct ec_tree *bind_tree(const struct ec *ecs, unsigned int nr)
{
    struct ec_tree *t = ec_tree_new(ecs, nr, dom_names, NR_TREE_DOMS, false);

    ec_tree_domain(t, 0U, "domA", D(1U));
    ec_tree_domain(t, 1U, "domB", D(2U));
    ec_tree_domain(t, 2U, "domC", D(0U));
    ec_tree_bind(t, 3U, false);
    return t;
}

static int name_domains(void **state)
{
    return setup_named(state, "domC", "domA", "domB");
}

static void assert_failed(const struct ec_tree *t, bool a, bool b, bool c)
{
    assert_int_equal(t->doms[0].failed, a);
    assert_int_equal(t->doms[1].failed, b);
    assert_int_equal(t->doms[2].failed, c);
}

static void test_good_pair_bound_both_ways(void **state)
{
    const struct ec ecs[] = {
        { 0, "ec-a", NULL, 1U, 2U, 5U, 2U },
        { 1, "ec-b", NULL, 2U, 2U, 7U, 1U },
    };
    struct ec_tree *t;

    (void)state;
    t = bind_tree(ecs, 2U);
    assert_int_equal(t->bound, 1U);
    assert_failed(t, false, false, false);
    assert_logged("static event channel: domA port 5 <-> domB port 7");
    assert_pair_bound(1U, 5U, 2U, 7U);
    /* As Xen's boot-time bind_interdomain: the second end starts raised. */
    assert_false(evtchn_port_is_pending(D(1U), 5U));
    assert_true(evtchn_port_is_pending(D(2U), 7U));
    assert_int_equal(marks(2U, 0U), 1U);
    clear_pending(2U, 7U);
    assert_int_equal(evsend(1U, 5U), 0);
    assert_true(evtchn_port_is_pending(D(2U), 7U));
    assert_int_equal(evsend(2U, 7U), 0);
    assert_true(evtchn_port_is_pending(D(1U), 5U));
    assert_int_equal(marks(1U, 0U), 1U);
    ec_tree_free(t);
}

static void test_pair_within_one_domain(void **state)
{
    const struct ec ecs[] = {
        { 0, "ec-1", NULL, 1U, 2U, 3U, 2U },
        { 0, "ec-2", NULL, 2U, 2U, 4U, 1U },
    };
    struct ec_tree *t;

    (void)state;
    t = bind_tree(ecs, 2U);
    assert_int_equal(t->bound, 1U);
    assert_failed(t, false, false, false);
    assert_pair_bound(1U, 3U, 1U, 4U);
    ec_tree_free(t);
}

static void test_port_used_twice(void **state)
{
    const struct ec ecs[] = {
        { 0, "ec-a1", NULL, 1U, 2U, 5U, 2U },
        { 1, "ec-b1", NULL, 2U, 2U, 7U, 1U },
        { 0, "ec-a2", NULL, 3U, 2U, 5U, 4U },
        { 2, "ec-c2", NULL, 4U, 2U, 8U, 3U },
    };
    struct ec_tree *t;

    (void)state;
    t = bind_tree(ecs, 4U);
    assert_int_equal(t->bound, 1U);
    assert_logged("static event channel /chosen/domA/ec-a2 -> /chosen/domC/ec-c2: port 5 of "
                  "domA is already in use");
    assert_failed(t, true, true, true);
    assert_status(1U, 5U, EVTCHNSTAT_interdomain, 2U, 7U);
    assert_closed(0U, 8U);
    ec_tree_free(t);
}

static void test_xenstore_port_taken(void **state)
{
    const struct ec ecs[] = {
        { 0, "ec-a", NULL, 1U, 2U, 1U, 2U },
        { 1, "ec-b", NULL, 2U, 2U, 7U, 1U },
    };
    evtchn_port_t xs = 0U;
    struct ec_tree *t;

    (void)state;
    /* What dom0less_build's setup_xenstore did for xen,enhanced "enabled". */
    assert_int_equal(evtchn_alloc_unbound(D(1U), 0U, &xs), 0);
    assert_int_equal(xs, 1U);
    t = bind_tree(ecs, 2U);
    assert_int_equal(t->bound, 0U);
    assert_logged("/chosen/domA/ec-a -> /chosen/domB/ec-b: port 1 of domA is already in use");
    assert_failed(t, true, true, false);
    assert_status(1U, 1U, EVTCHNSTAT_unbound, 0U, 0U);
    /* The refusal left the other end free. */
    assert_closed(2U, 7U);
    ec_tree_free(t);
}

static void test_peer_compatible_not_required(void **state)
{
    /* Xen reads the peer's xen,evtchn whatever its compatible. */
    const struct ec ecs[] = {
        { 0, "ec-a", NULL, 1U, 2U, 5U, 2U },
        { 1, "ec-b", "xen,evtchn", 2U, 2U, 7U, 1U },
    };
    struct ec_tree *t;

    (void)state;
    t = bind_tree(ecs, 2U);
    assert_int_equal(t->bound, 1U);
    assert_failed(t, false, false, false);
    assert_status(2U, 7U, EVTCHNSTAT_interdomain, 1U, 5U);
    ec_tree_free(t);
}

/* A tree bound and what must come of it: the pairs bound, the domains
 * failed, the lines logged (or none at all), the ports left unbound. */
struct bind_case {
    const char *name;
    struct ec ecs[3];
    unsigned int nr;
    unsigned int bound;
    bool failed[3];             /* domA, domB, domC */
    const char *logged[2];      /* up to two lines, NULL after the last */
    bool quiet;                 /* nothing at all is logged */
    struct { unsigned int id; uint32_t port; } unbound[2];
    unsigned int nr_unbound;
};

static const struct bind_case cases[] = {
    /* ec-a names ec-b, but ec-b and ec-c name each other: ec-b <-> ec-c
     * is a good pair, but domB does not start, so neither can domC with a
     * channel to it. */
    { "test_one_sided",
      { { 0, "ec-a", NULL, 1U, 2U, 5U, 2U }, { 1, "ec-b", NULL, 2U, 2U, 7U, 3U },
        { 2, "ec-c", NULL, 3U, 2U, 9U, 2U } }, 3U, 1U, { true, true, true },
      { "static event channel /chosen/domA/ec-a -> /chosen/domB/ec-b: the peer's "
        "xen,evtchn names another node",
        "domC: its static event channel peer domB does not start" },
      false, { { 1U, 5U } }, 1U },
    { "test_phandle_to_nothing",
      { { 0, "ec-a", NULL, 1U, 2U, 5U, 0x63U }, { 1, "ec-b", NULL, 2U, 2U, 7U, 1U } }, 2U, 0U,
      { true, true, false },
      { "static event channel /chosen/domA/ec-a -> (none): no node has phandle 0x63",
        "static event channel /chosen/domB/ec-b -> /chosen/domA/ec-a: the peer's "
        "xen,evtchn names another node" }, false, { { 2U, 7U } }, 1U },
    { "test_port_beyond_limit",
      { { 0, "ec-a", NULL, 1U, 2U, 5U, 2U }, { 1, "ec-b", NULL, 2U, 2U, 1024U, 1U } }, 2U, 0U,
      { true, true, false },
      { "/chosen/domA/ec-a -> /chosen/domB/ec-b: port 1024 of domB is beyond its limit 1023",
        NULL }, false, { { 1U, 5U } }, 1U },
    { "test_port_zero_reserved",
      { { 0, "ec-a", NULL, 1U, 2U, 0U, 2U }, { 1, "ec-b", NULL, 2U, 2U, 7U, 1U } }, 2U, 0U,
      { true, true, false },
      { "/chosen/domA/ec-a -> /chosen/domB/ec-b: port 0 of domA is reserved", NULL }, false,
      { { 0U, 0U } }, 0U },
    { "test_same_port_both_ends",
      { { 0, "ec-1", NULL, 1U, 2U, 6U, 2U }, { 0, "ec-2", NULL, 2U, 2U, 6U, 1U } }, 2U, 0U,
      { true, false, false },
      { "/chosen/domA/ec-1 -> /chosen/domA/ec-2: both ends are port 6 of domA", NULL }, false,
      { { 1U, 6U } }, 1U },
    { "test_node_names_itself",
      { { 1, "ec-b", NULL, 2U, 2U, 7U, 2U } }, 1U, 0U, { false, true, false },
      { "/chosen/domB/ec-b -> /chosen/domB/ec-b: the node names itself", NULL }, false,
      { { 0U, 0U } }, 0U },
    /* Xen 4.17's prose says "xen,evtchn"; its code skips such nodes. */
    { "test_other_compatible_skipped",
      { { 0, "ec-a", "xen,evtchn", 1U, 2U, 5U, 2U }, { 1, "ec-b", "xen,evtchn", 2U, 2U, 7U, 1U } },
      2U, 0U, { false, false, false }, { NULL }, true, { { 1U, 5U }, { 2U, 7U } }, 2U },
    { "test_short_property",
      { { 0, "ec-a", NULL, 1U, 1U, 5U, 2U }, { 1, "ec-b", NULL, 2U, 2U, 7U, 1U } }, 2U, 0U,
      { true, true, false },
      { "static event channel /chosen/domA/ec-a -> (none): xen,evtchn must be "
        "<local-port peer-phandle>", "/chosen/domB/ec-b -> /chosen/domA/ec-a: the peer has no "
        "xen,evtchn" }, false, { { 0U, 0U } }, 0U },
    /* Three cells: Xen reads the first two. */
    { "test_longer_property_read_as_xen",
      { { 0, "ec-a", NULL, 1U, 3U, 5U, 2U }, { 1, "ec-b", NULL, 2U, 2U, 7U, 1U } }, 2U, 1U,
      { false, false, false }, { NULL }, false, { { 0U, 0U } }, 0U },
    { "test_dom0_end_without_dom0_refused",
      { { 0, "ec-a", NULL, 1U, 2U, 5U, 2U }, { EC_AT_DOM0, "ec-dom0", NULL, 2U, 2U, 9U, 1U } },
      2U, 0U, { true, false, false },
      { "/chosen/domA/ec-a -> /chosen/ec-dom0: the peer is a dom0 end, but there is no dom0",
        NULL }, false, { { 0U, 0U } }, 0U },
    { "test_peer_domain_not_built",
      { { 1, "ec-b", NULL, 1U, 2U, 7U, 2U }, { 3, "ec-lost", NULL, 2U, 2U, 9U, 1U } }, 2U, 0U,
      { false, true, false },
      { "/chosen/domB/ec-b -> /chosen/lost/ec-lost: the peer is not in a dom0less domain that "
        "was built", NULL }, false, { { 0U, 0U } }, 0U },
};

static void test_bind_case(void **state)
{
    const struct bind_case *c = *state;
    struct ec_tree *t = bind_tree(c->ecs, c->nr);

    assert_int_equal(t->bound, c->bound);
    for (unsigned int i = 0U; (i < 2U) && (c->logged[i] != NULL); i++) {
        assert_logged(c->logged[i]);
    }
    if (c->quiet) {
        assert_string_equal(fake_log(), "");
    }
    assert_failed(t, c->failed[0], c->failed[1], c->failed[2]);
    for (unsigned int i = 0U; i < c->nr_unbound; i++) {
        assert_closed(c->unbound[i].id, c->unbound[i].port);
    }
    ec_tree_free(t);
}

static void test_bind_static_api(void **state)
{
    unsigned int end = 9U;

    (void)state;
    assert_int_equal(evtchn_max_port(D(1U)), 1023U);
    assert_int_equal(evtchn_bind_static(D(1U), 10U, D(2U), 1023U, &end), 0);
    assert_int_equal(end, 0U);
    assert_int_equal(evtchn_bind_static(D(1U), 11U, D(2U), 10U, &end), 0);
    assert_int_equal(evtchn_bind_static(D(2U), 12U, D(1U), 10U, &end), -EBUSY);
    assert_int_equal(end, 2U);
    assert_int_equal(evtchn_bind_static(D(2U), 1024U, D(1U), 12U, &end), -ENOSPC);
    assert_int_equal(end, 1U);
    assert_int_equal(evtchn_bind_static(D(1U), 12U, D(1U), 12U, &end), -EINVAL);
    /* Closing one end leaves the other unbound, waiting for it, as any
     * interdomain channel. */
    assert_int_equal(evclose(1U, 10U), 0);
    assert_status(2U, 1023U, EVTCHNSTAT_unbound, 1U, 0U);
    kill_domain(2U);
    assert_status(1U, 11U, EVTCHNSTAT_unbound, 2U, 0U);
    assert_int_equal(evtchn_bind_static(D(1U), 13U, D(2U), 5U, &end), -ESRCH);
    assert_int_equal(end, 2U);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, name_domains, teardown)
    const struct CMUnitTest fixed[] = {
        T(test_good_pair_bound_both_ways),
        T(test_pair_within_one_domain),
        T(test_port_used_twice),
        T(test_xenstore_port_taken),
        T(test_peer_compatible_not_required),
        T(test_bind_static_api),
    };
#undef T
    EC_RUN_WITH_CASES(fixed, cases, test_bind_case, name_domains);
}
