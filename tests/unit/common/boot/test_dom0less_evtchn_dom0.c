/* dom0's ends of static event channels (xen,evtchn-v1 nodes directly
 * under /chosen, dom0less_evtchn.c) on the real event channels: a pair
 * bound whichever of its nodes comes first in the tree (the second end
 * met starts raised, as Xen's boot-time bind_interdomain leaves it), a
 * /chosen node whose peer is missing, a dom0 port used twice, a dom0 that
 * could not be built, and dom0 never failed nor spreading a failure; the
 * channels bound are recorded for the rebuilds. dom0 is evtchn_env.c's
 * domain 0, domA and domB its domains 1 and 2. */
#define EVTCHN_TEST_MAIN
#include "evtchn_env.c"

#include "evtchn_tree.h"

#define NR_ENTRIES 3U       /* domA, domB, dom0 */

/* / { chosen { [dom0's nodes] domA {...} domB {...} [dom0's nodes] } },
 * dom0's nodes first or last; bound with dom0's entry at /chosen (its
 * domain NULL when !dom0_built), the channels bound recorded. */
static struct ec_tree *bind_tree(const struct ec *ecs, unsigned int nr, bool dom0_first,
                                 bool dom0_built)
{
    static const char *const names[2] = { "domA", "domB" };
    struct ec_tree *t = ec_tree_new(ecs, nr, names, 2U, dom0_first);

    ec_tree_domain(t, 0U, "domA", D(1U));
    ec_tree_domain(t, 1U, "domB", D(2U));
    ec_tree_domain(t, 2U, NULL, dom0_built ? D(0U) : NULL);
    ec_tree_bind(t, NR_ENTRIES, true);
    return t;
}

static int name_domains(void **state)
{
    return setup_named(state, "dom0", "domA", "domB");
}

static void assert_failed(const struct ec_tree *t, bool a, bool b)
{
    assert_int_equal(t->doms[0].failed, a);
    assert_int_equal(t->doms[1].failed, b);
    assert_false(t->doms[2].failed);        /* dom0: never */
}

static const struct ec dom0_pair[] = {
    { EC_AT_DOM0, "ec-dom0", NULL, 1U, 2U, 10U, 2U },
    { 0, "ec-a", NULL, 2U, 2U, 20U, 1U },
};

/* dom0_pair bound, dom0's node first or last in the tree: the end met
 * first (line logs them in that order) is quiet and the other raised, as
 * Xen's boot-time bind_interdomain leaves them; sends arrive both ways; the
 * channel is recorded for a rebuild in the order met. */
static void check_dom0_pair(bool dom0_first, const char *line)
{
    const unsigned int first = dom0_first ? 0U : 1U;
    const unsigned int second = dom0_first ? 1U : 0U;
    const uint32_t port[2] = { 10U, 20U };      /* dom0's, domA's */
    struct ec_tree *t = bind_tree(dom0_pair, 2U, dom0_first, true);

    assert_int_equal(t->bound, 1U);
    assert_failed(t, false, false);
    assert_logged(line);
    assert_pair_bound(0U, 10U, 1U, 20U);
    assert_false(evtchn_port_is_pending(D(first), port[first]));
    assert_true(evtchn_port_is_pending(D(second), port[second]));
    assert_delivery(first, port[first], second, port[second]);
    assert_int_equal(t->links.n, 1U);
    assert_int_equal(t->links.link[0].dom[0], first);
    assert_int_equal(t->links.link[0].port[0], port[first]);
    assert_int_equal(t->links.link[0].dom[1], second);
    assert_int_equal(t->links.link[0].port[1], port[second]);
    ec_tree_free(t);
}

/* dom0's node before domA's: dom0's end is met first, domA's raised. */
static void test_dom0_end_first(void **state)
{
    (void)state;
    check_dom0_pair(true, "dom0less: static event channel: dom0 port 10 <-> domA port 20");
}

/* dom0's node after the domains: domA's end is met first, dom0's raised. */
static void test_dom0_end_last(void **state)
{
    (void)state;
    check_dom0_pair(false, "dom0less: static event channel: domA port 20 <-> dom0 port 10");
}

/* dom0's kernel given but its build failed: the domUs' channels to it are
 * reported and left unbound, the domUs not failed. */
static void test_dom0_not_built(void **state)
{
    struct ec_tree *t;

    (void)state;
    t = bind_tree(dom0_pair, 2U, false, false);
    assert_int_equal(t->bound, 0U);
    assert_logged("static event channel /chosen/domA/ec-a -> /chosen/ec-dom0: dom0 was not "
                  "built: the channel is left unbound");
    assert_int_equal(t->doms[0].failed, false);
    assert_int_equal(t->doms[1].failed, false);
    assert_closed(1U, 20U);
    assert_closed(0U, 10U);
    assert_int_equal(t->links.n, 0U);
    ec_tree_free(t);
}

/* Without a dom0 entry, a domU naming a /chosen node is refused. */
static void test_dom0_end_without_dom0(void **state)
{
    struct ec_tree *t;
    struct fdt *f;

    (void)state;
    t = bind_tree(dom0_pair, 2U, true, true);
    /* The same tree bound again without dom0's entry, on fresh domains. */
    f = &t->fdt;
    kill_domain(0U);
    kill_domain(1U);
    make_domain(0U, 2U, true);
    make_domain(1U, 2U, false);
    fake_log_clear();
    assert_int_equal(dom0less_evtchn_bind(f, t->doms, 2U, NULL), 0U);
    assert_logged("static event channel /chosen/domA/ec-a -> /chosen/ec-dom0: the peer is a dom0 "
                  "end, but there is no dom0");
    assert_true(t->doms[0].failed);
    ec_tree_free(t);
}

/* A tree with two domU pairs or more, one of them refused, and what must
 * come of it: the pairs bound, the line logged (and one not), the domUs
 * failed, an end bound and an end left closed, the channels recorded. */
struct dom0_case {
    const char *name;
    struct ec ecs[5];
    unsigned int nr;
    bool dom0_first;
    unsigned int bound;
    const char *logged;
    const char *not_logged;     /* NULL: not checked */
    bool failed[2];             /* domA, domB */
    struct { unsigned int id; uint32_t port; uint16_t rdom; uint32_t rport; } end;
    bool has_closed;
    struct { unsigned int id; uint32_t port; } closed;
    int nr_links;               /* -1: not checked */
};

static const struct dom0_case cases[] = {
    /* A /chosen node naming a phandle nobody has: reported by its path;
     * dom0 still starts and so does domA, whose own pair is good. */
    { "test_dom0_node_peer_missing",
      { { EC_AT_DOM0, "ec-dom0", NULL, 1U, 2U, 10U, 0x63U }, { 0, "ec-a", NULL, 2U, 2U, 20U, 3U },
        { 1, "ec-b", NULL, 3U, 2U, 30U, 2U } }, 3U, true, 1U,
      "static event channel /chosen/ec-dom0 -> (none): no node has phandle 0x63", NULL,
      { false, false }, { 1U, 20U, 2U, 30U }, true, { 0U, 10U }, -1 },
    /* A domU node naming a /chosen node that names another: refused naming
     * both, the domU failed, dom0 not. */
    { "test_dom0_node_names_another",
      { { EC_AT_DOM0, "ec-dom0", NULL, 1U, 2U, 10U, 3U }, { 0, "ec-a", NULL, 2U, 2U, 20U, 1U },
        { 1, "ec-b", NULL, 3U, 2U, 30U, 1U } }, 3U, false, 1U,
      "static event channel /chosen/domA/ec-a -> /chosen/ec-dom0: the peer's xen,evtchn names "
      "another node", NULL, { true, false }, { 0U, 10U, 2U, 30U }, false, { 0U, 0U }, -1 },
    /* Port 10 of dom0 in two /chosen nodes: the first pair is bound, the
     * second refused naming both nodes; its domU does not start, dom0 and
     * the domU of the first pair do. */
    { "test_dom0_port_used_twice",
      { { EC_AT_DOM0, "ec-dom0-a", NULL, 1U, 2U, 10U, 3U },
        { EC_AT_DOM0, "ec-dom0-b", NULL, 2U, 2U, 10U, 4U }, { 0, "ec-a", NULL, 3U, 2U, 20U, 1U },
        { 1, "ec-b", NULL, 4U, 2U, 30U, 2U } }, 4U, true, 1U,
      "static event channel /chosen/ec-dom0-b -> /chosen/domB/ec-b: port 10 of dom0 is already "
      "in use", NULL, { false, true }, { 0U, 10U, 1U, 20U }, true, { 2U, 30U }, 1 },
    /* domB fails for another pair: its channel to dom0 does not fail dom0,
     * nor, through dom0, domA. */
    { "test_failure_does_not_spread_through_dom0",
      { { EC_AT_DOM0, "ec-dom0-a", NULL, 1U, 2U, 10U, 3U },
        { EC_AT_DOM0, "ec-dom0-b", NULL, 2U, 2U, 11U, 4U }, { 0, "ec-a", NULL, 3U, 2U, 20U, 1U },
        { 1, "ec-b", NULL, 4U, 2U, 30U, 2U }, { 1, "ec-bad", NULL, 5U, 2U, 31U, 0x63U } }, 5U, true,
      2U, "static event channel /chosen/domB/ec-bad -> (none): no node has phandle 0x63",
      "its static event channel peer", { false, true }, { 0U, 10U, 1U, 20U }, false, { 0U, 0U },
      -1 },
};

static void test_dom0_case(void **state)
{
    const struct dom0_case *c = *state;
    struct ec_tree *t = bind_tree(c->ecs, c->nr, c->dom0_first, true);

    assert_int_equal(t->bound, c->bound);
    assert_logged(c->logged);
    if (c->not_logged != NULL) {
        assert_false(fake_log_contains(c->not_logged));
    }
    assert_failed(t, c->failed[0], c->failed[1]);
    assert_status(c->end.id, c->end.port, EVTCHNSTAT_interdomain, c->end.rdom, c->end.rport);
    if (c->has_closed) {
        assert_closed(c->closed.id, c->closed.port);
    }
    if (c->nr_links >= 0) {
        assert_int_equal(t->links.n, (unsigned int)c->nr_links);
    }
    ec_tree_free(t);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, name_domains, teardown)
    const struct CMUnitTest fixed[] = {
        T(test_dom0_end_first),
        T(test_dom0_end_last),
        T(test_dom0_not_built),
        T(test_dom0_end_without_dom0),
    };
#undef T
    EC_RUN_WITH_CASES(fixed, cases, test_dom0_case, name_domains);
}
