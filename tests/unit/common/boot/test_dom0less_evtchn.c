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

#include "fdt_builder.h"
#include <proxenos/dom0less_evtchn.h>
#include <proxenos/fdt.h>

#define NR_TREE_DOMS 4U     /* domA, domB, domC (built) and lost (not built) */
#define DOM0_END (-1)       /* a node directly under /chosen */

static const char *const dom_names[NR_TREE_DOMS] = { "domA", "domB", "domC", "lost" };

/* One xen,evtchn-v1 node of the tree. */
struct ec {
    int dom;                /* index in dom_names, or DOM0_END */
    const char *name;
    const char *compat;     /* NULL: "xen,evtchn-v1" */
    uint32_t phandle;
    uint32_t cells;         /* of xen,evtchn: 2 normally */
    uint32_t port;
    uint32_t peer;          /* phandle */
};

struct tree {
    struct fb *b;
    struct fdt fdt;
    struct dom0less_evtchn_domain doms[3];
    unsigned int bound;
};

static void put_ec(struct fb *b, const struct ec *e)
{
    uint8_t v[12];

    fb_begin(b, e->name);
    fb_prop_str(b, "compatible", (e->compat != NULL) ? e->compat : "xen,evtchn-v1");
    if (e->phandle != 0U) {
        fb_prop_u32(b, "phandle", e->phandle);
    }
    fb_put32(&v[0], e->port);
    fb_put32(&v[4], e->peer);
    fb_put32(&v[8], 0xdeadU);
    fb_prop(b, "xen,evtchn", v, (size_t)e->cells * 4U);
    fb_end(b);
}

/* Build / { chosen { domA {...} domB {...} domC {...} lost {...} ... } },
 * bind with domA, domB, domC as domains 1, 2, 0, and return the result. */
static struct tree *bind_tree(const struct ec *ecs, unsigned int nr)
{
    struct tree *t = calloc(1, sizeof(*t));
    struct domain *const dom_of[3] = { D(1U), D(2U), D(0U) };
    int chosen;
    int node;

    assert_non_null(t);
    t->b = fb_new();
    fb_begin(t->b, "");
    fb_begin(t->b, "chosen");
    for (unsigned int k = 0U; k < NR_TREE_DOMS; k++) {
        fb_begin(t->b, dom_names[k]);
        fb_prop_str(t->b, "compatible", "xen,domain");
        for (unsigned int i = 0U; i < nr; i++) {
            if (ecs[i].dom == (int)k) {
                put_ec(t->b, &ecs[i]);
            }
        }
        fb_end(t->b);
    }
    for (unsigned int i = 0U; i < nr; i++) {
        if (ecs[i].dom == DOM0_END) {
            put_ec(t->b, &ecs[i]);
        }
    }
    fb_end(t->b);
    fb_end(t->b);
    fb_finish(t->b);
    assert_int_equal(fdt_check(&t->fdt, t->b->out, t->b->out_len), 0);
    chosen = fdt_first_child(&t->fdt, fdt_root(&t->fdt));
    node = fdt_first_child(&t->fdt, chosen);
    for (unsigned int k = 0U; k < 3U; k++) {
        t->doms[k].node = node;
        t->doms[k].d = dom_of[k];
        t->doms[k].failed = true;       /* the call must set each */
        node = fdt_next_sibling(&t->fdt, node);
    }
    fake_log_clear();
    t->bound = dom0less_evtchn_bind(&t->fdt, t->doms, 3U, NULL);
    return t;
}

static void free_tree(struct tree *t)
{
    free(t->b);
    free(t);
}

static int name_domains(void **state)
{
    int rc = setup(state);

    (void)snprintf(D(1U)->name, sizeof(D(1U)->name), "domA");
    (void)snprintf(D(2U)->name, sizeof(D(2U)->name), "domB");
    (void)snprintf(D(0U)->name, sizeof(D(0U)->name), "domC");
    return rc;
}

static void assert_status(unsigned int id, uint32_t port, uint32_t status, uint16_t rdom,
                          uint32_t rport)
{
    struct evtchn_status s;

    assert_int_equal(evstatus(id, DOMID_SELF, port, &s), 0);
    assert_int_equal(s.status, status);
    if (status == EVTCHNSTAT_interdomain) {
        assert_int_equal(s.u.interdomain.dom, rdom);
        assert_int_equal(s.u.interdomain.port, rport);
    }
}

/* A port of a domain without storage that far reads back closed too. */
static void assert_unbound(unsigned int id, uint32_t port)
{
    struct evtchn_status s;
    long rc = evstatus(id, DOMID_SELF, port, &s);

    assert_true((rc == -EINVAL) || ((rc == 0) && (s.status == EVTCHNSTAT_closed)));
}

static void assert_failed(const struct tree *t, bool a, bool b, bool c)
{
    assert_int_equal(t->doms[0].failed, a);
    assert_int_equal(t->doms[1].failed, b);
    assert_int_equal(t->doms[2].failed, c);
}

static void assert_logged(const char *text)
{
    if (!fake_log_contains(text)) {
        fail_msg("log lacks \"%s\":\n%s", text, fake_log());
    }
}

static void clear_pending(unsigned int id, uint32_t port)
{
    D(id)->shared_info->evtchn_pending[port / 64U] &= ~(1UL << (port % 64U));
}

static void test_good_pair_bound_both_ways(void **state)
{
    const struct ec ecs[] = {
        { 0, "ec-a", NULL, 1U, 2U, 5U, 2U },
        { 1, "ec-b", NULL, 2U, 2U, 7U, 1U },
    };
    struct tree *t;

    (void)state;
    t = bind_tree(ecs, 2U);
    assert_int_equal(t->bound, 1U);
    assert_failed(t, false, false, false);
    assert_logged("static event channel: domA port 5 <-> domB port 7");
    assert_status(1U, 5U, EVTCHNSTAT_interdomain, 2U, 7U);
    assert_status(2U, 7U, EVTCHNSTAT_interdomain, 1U, 5U);
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
    free_tree(t);
}

static void test_pair_within_one_domain(void **state)
{
    const struct ec ecs[] = {
        { 0, "ec-1", NULL, 1U, 2U, 3U, 2U },
        { 0, "ec-2", NULL, 2U, 2U, 4U, 1U },
    };
    struct tree *t;

    (void)state;
    t = bind_tree(ecs, 2U);
    assert_int_equal(t->bound, 1U);
    assert_failed(t, false, false, false);
    assert_status(1U, 3U, EVTCHNSTAT_interdomain, 1U, 4U);
    assert_status(1U, 4U, EVTCHNSTAT_interdomain, 1U, 3U);
    free_tree(t);
}

static void test_port_used_twice(void **state)
{
    const struct ec ecs[] = {
        { 0, "ec-a1", NULL, 1U, 2U, 5U, 2U },
        { 1, "ec-b1", NULL, 2U, 2U, 7U, 1U },
        { 0, "ec-a2", NULL, 3U, 2U, 5U, 4U },
        { 2, "ec-c2", NULL, 4U, 2U, 8U, 3U },
    };
    struct tree *t;

    (void)state;
    t = bind_tree(ecs, 4U);
    assert_int_equal(t->bound, 1U);
    assert_logged("static event channel /chosen/domA/ec-a2 -> /chosen/domC/ec-c2: port 5 of "
                  "domA is already in use");
    assert_failed(t, true, true, true);
    assert_status(1U, 5U, EVTCHNSTAT_interdomain, 2U, 7U);
    assert_unbound(0U, 8U);
    free_tree(t);
}

static void test_xenstore_port_taken(void **state)
{
    const struct ec ecs[] = {
        { 0, "ec-a", NULL, 1U, 2U, 1U, 2U },
        { 1, "ec-b", NULL, 2U, 2U, 7U, 1U },
    };
    evtchn_port_t xs = 0U;
    struct tree *t;

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
    assert_unbound(2U, 7U);
    free_tree(t);
}

static void test_peer_compatible_not_required(void **state)
{
    /* Xen reads the peer's xen,evtchn whatever its compatible. */
    const struct ec ecs[] = {
        { 0, "ec-a", NULL, 1U, 2U, 5U, 2U },
        { 1, "ec-b", "xen,evtchn", 2U, 2U, 7U, 1U },
    };
    struct tree *t;

    (void)state;
    t = bind_tree(ecs, 2U);
    assert_int_equal(t->bound, 1U);
    assert_failed(t, false, false, false);
    assert_status(2U, 7U, EVTCHNSTAT_interdomain, 1U, 5U);
    free_tree(t);
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
      { { 0, "ec-a", NULL, 1U, 2U, 5U, 2U }, { DOM0_END, "ec-dom0", NULL, 2U, 2U, 9U, 1U } }, 2U,
      0U, { true, false, false },
      { "/chosen/domA/ec-a -> /chosen/ec-dom0: the peer is a dom0 end, but there is no dom0",
        NULL }, false, { { 0U, 0U } }, 0U },
    { "test_peer_domain_not_built",
      { { 1, "ec-b", NULL, 1U, 2U, 7U, 2U }, { 3, "ec-lost", NULL, 2U, 2U, 9U, 1U } }, 2U, 0U,
      { false, true, false },
      { "/chosen/domB/ec-b -> /chosen/lost/ec-lost: the peer is not in a dom0less domain that "
        "was built", NULL }, false, { { 0U, 0U } }, 0U },
};

#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

static void test_bind_case(void **state)
{
    const struct bind_case *c = *state;
    struct tree *t = bind_tree(c->ecs, c->nr);

    assert_int_equal(t->bound, c->bound);
    for (unsigned int i = 0U; (i < 2U) && (c->logged[i] != NULL); i++) {
        assert_logged(c->logged[i]);
    }
    if (c->quiet) {
        assert_string_equal(fake_log(), "");
    }
    assert_failed(t, c->failed[0], c->failed[1], c->failed[2]);
    for (unsigned int i = 0U; i < c->nr_unbound; i++) {
        assert_unbound(c->unbound[i].id, c->unbound[i].port);
    }
    free_tree(t);
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
    assert_status(2U, 1023U, EVTCHNSTAT_unbound, 0U, 0U);
    kill_domain(2U);
    assert_status(1U, 11U, EVTCHNSTAT_unbound, 0U, 0U);
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
    struct CMUnitTest tests[(sizeof(fixed) / sizeof(fixed[0])) + NR_CASES];
    size_t n = 0U;

    for (size_t i = 0U; i < (sizeof(fixed) / sizeof(fixed[0])); i++) {
        tests[n++] = fixed[i];
    }
    /* Each case its own test, named as it was when each had a function. */
    for (size_t i = 0U; i < NR_CASES; i++) {
        tests[n++] = (struct CMUnitTest){ cases[i].name, test_bind_case, name_domains, teardown,
                                          (void *)&cases[i] };
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
