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

#include "fdt_builder.h"
#include <proxenos/dom0less_evtchn.h>
#include <proxenos/fdt.h>

#define AT_DOM0 (-1)        /* a node directly under /chosen */
#define NR_ENTRIES 3U       /* domA, domB, dom0 */

/* One xen,evtchn-v1 node: where it is, its name, phandle, port, peer. */
struct ec {
    int dom;                /* 0: domA, 1: domB, AT_DOM0 */
    const char *name;
    uint32_t phandle;
    uint32_t port;
    uint32_t peer;
};

struct tree {
    struct fb *b;
    struct fdt fdt;
    struct dom0less_evtchn_domain doms[NR_ENTRIES];
    struct dom0less_evtchn_links links;
    unsigned int bound;
};

static void put_ecs(struct fb *b, const struct ec *ecs, unsigned int nr, int dom)
{
    for (unsigned int i = 0U; i < nr; i++) {
        if (ecs[i].dom == dom) {
            fb_begin(b, ecs[i].name);
            fb_prop_str(b, "compatible", "xen,evtchn-v1");
            fb_prop_u32(b, "phandle", ecs[i].phandle);
            fb_prop_cells(b, "xen,evtchn", 2U, ecs[i].port, ecs[i].peer);
            fb_end(b);
        }
    }
}

/* / { chosen { [dom0's nodes] domA {...} domB {...} [dom0's nodes] } },
 * dom0's nodes first or last; bound with dom0's entry at /chosen (its
 * domain NULL when !dom0_built). */
static struct tree *bind_tree(const struct ec *ecs, unsigned int nr, bool dom0_first,
                              bool dom0_built)
{
    static const char *const names[2] = { "domA", "domB" };
    struct tree *t = calloc(1, sizeof(*t));
    int chosen;

    assert_non_null(t);
    t->b = fb_new();
    fb_begin(t->b, "");
    fb_begin(t->b, "chosen");
    if (dom0_first) {
        put_ecs(t->b, ecs, nr, AT_DOM0);
    }
    for (int k = 0; k < 2; k++) {
        fb_begin(t->b, names[k]);
        fb_prop_str(t->b, "compatible", "xen,domain");
        put_ecs(t->b, ecs, nr, k);
        fb_end(t->b);
    }
    if (!dom0_first) {
        put_ecs(t->b, ecs, nr, AT_DOM0);
    }
    fb_end(t->b);
    fb_end(t->b);
    fb_finish(t->b);
    assert_int_equal(fdt_check(&t->fdt, t->b->out, t->b->out_len), 0);
    chosen = fdt_path_offset(&t->fdt, "/chosen", 7U);
    assert_true(chosen >= 0);
    for (unsigned int k = 0U; k < 2U; k++) {
        char path[32];
        int n = snprintf(path, sizeof(path), "/chosen/%s", names[k]);

        t->doms[k].node = fdt_path_offset(&t->fdt, path, (size_t)n);
        assert_true(t->doms[k].node >= 0);
        t->doms[k].d = D(k + 1U);
        t->doms[k].failed = true;       /* the call must set each */
    }
    t->doms[2] = (struct dom0less_evtchn_domain){ chosen, dom0_built ? D(0U) : NULL, true };
    fake_log_clear();
    t->bound = dom0less_evtchn_bind(&t->fdt, t->doms, NR_ENTRIES, &t->links);
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

    (void)snprintf(D(0U)->name, sizeof(D(0U)->name), "dom0");
    (void)snprintf(D(1U)->name, sizeof(D(1U)->name), "domA");
    (void)snprintf(D(2U)->name, sizeof(D(2U)->name), "domB");
    return rc;
}

static void assert_interdomain(unsigned int id, uint32_t port, uint16_t rdom, uint32_t rport)
{
    struct evtchn_status s;

    assert_int_equal(evstatus(id, DOMID_SELF, port, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_interdomain);
    assert_int_equal(s.u.interdomain.dom, rdom);
    assert_int_equal(s.u.interdomain.port, rport);
}

static void assert_closed(unsigned int id, uint32_t port)
{
    struct evtchn_status s;
    long rc = evstatus(id, DOMID_SELF, port, &s);

    assert_true((rc == -EINVAL) || ((rc == 0) && (s.status == EVTCHNSTAT_closed)));
}

static void assert_logged(const char *text)
{
    if (!fake_log_contains(text)) {
        fail_msg("log lacks \"%s\":\n%s", text, fake_log());
    }
}

static void assert_failed(const struct tree *t, bool a, bool b)
{
    assert_int_equal(t->doms[0].failed, a);
    assert_int_equal(t->doms[1].failed, b);
    assert_false(t->doms[2].failed);        /* dom0: never */
}

static void clear_pending(unsigned int id, uint32_t port)
{
    D(id)->shared_info->evtchn_pending[port / 64U] &= ~(1UL << (port % 64U));
}

/* Sends both ways arrive: each end raised by the other's send. */
static void assert_delivery(unsigned int a, uint32_t pa, unsigned int b, uint32_t pb)
{
    clear_pending(a, pa);
    clear_pending(b, pb);
    assert_int_equal(evsend(a, pa), 0);
    assert_true(evtchn_port_is_pending(D(b), pb));
    assert_false(evtchn_port_is_pending(D(a), pa));
    assert_int_equal(evsend(b, pb), 0);
    assert_true(evtchn_port_is_pending(D(a), pa));
}

static const struct ec dom0_pair[] = {
    { AT_DOM0, "ec-dom0", 1U, 10U, 2U },
    { 0, "ec-a", 2U, 20U, 1U },
};

/* dom0's node before domA's: dom0's end is met first, domA's raised. */
static void test_dom0_end_first(void **state)
{
    struct tree *t;

    (void)state;
    t = bind_tree(dom0_pair, 2U, true, true);
    assert_int_equal(t->bound, 1U);
    assert_failed(t, false, false);
    assert_logged("dom0less: static event channel: dom0 port 10 <-> domA port 20");
    assert_interdomain(0U, 10U, 1U, 20U);
    assert_interdomain(1U, 20U, 0U, 10U);
    assert_false(evtchn_port_is_pending(D(0U), 10U));
    assert_true(evtchn_port_is_pending(D(1U), 20U));
    assert_delivery(0U, 10U, 1U, 20U);
    /* Recorded for a rebuild, in the order met. */
    assert_int_equal(t->links.n, 1U);
    assert_int_equal(t->links.link[0].dom[0], 0U);
    assert_int_equal(t->links.link[0].port[0], 10U);
    assert_int_equal(t->links.link[0].dom[1], 1U);
    assert_int_equal(t->links.link[0].port[1], 20U);
    free_tree(t);
}

/* dom0's node after the domains: domA's end is met first, dom0's raised. */
static void test_dom0_end_last(void **state)
{
    struct tree *t;

    (void)state;
    t = bind_tree(dom0_pair, 2U, false, true);
    assert_int_equal(t->bound, 1U);
    assert_failed(t, false, false);
    assert_logged("dom0less: static event channel: domA port 20 <-> dom0 port 10");
    assert_interdomain(0U, 10U, 1U, 20U);
    assert_interdomain(1U, 20U, 0U, 10U);
    assert_true(evtchn_port_is_pending(D(0U), 10U));
    assert_false(evtchn_port_is_pending(D(1U), 20U));
    assert_delivery(1U, 20U, 0U, 10U);
    assert_int_equal(t->links.n, 1U);
    assert_int_equal(t->links.link[0].dom[0], 1U);
    free_tree(t);
}

/* A /chosen node naming a phandle nobody has: reported by its path;
 * dom0 still starts and so does domA, whose own pair is good. */
static void test_dom0_node_peer_missing(void **state)
{
    const struct ec ecs[] = {
        { AT_DOM0, "ec-dom0", 1U, 10U, 0x63U },
        { 0, "ec-a", 2U, 20U, 3U },
        { 1, "ec-b", 3U, 30U, 2U },
    };
    struct tree *t;

    (void)state;
    t = bind_tree(ecs, 3U, true, true);
    assert_int_equal(t->bound, 1U);
    assert_logged("static event channel /chosen/ec-dom0 -> (none): no node has phandle 0x63");
    assert_failed(t, false, false);
    assert_closed(0U, 10U);
    assert_interdomain(1U, 20U, 2U, 30U);
    free_tree(t);
}

/* A domU node naming a /chosen node that names another: refused naming
 * both, the domU failed, dom0 not. */
static void test_dom0_node_names_another(void **state)
{
    const struct ec ecs[] = {
        { AT_DOM0, "ec-dom0", 1U, 10U, 3U },
        { 0, "ec-a", 2U, 20U, 1U },
        { 1, "ec-b", 3U, 30U, 1U },
    };
    struct tree *t;

    (void)state;
    t = bind_tree(ecs, 3U, false, true);
    assert_int_equal(t->bound, 1U);
    assert_logged("static event channel /chosen/domA/ec-a -> /chosen/ec-dom0: the peer's "
                  "xen,evtchn names another node");
    assert_failed(t, true, false);
    assert_interdomain(0U, 10U, 2U, 30U);
    free_tree(t);
}

/* Port 10 of dom0 in two /chosen nodes: the first pair is bound, the
 * second refused naming both nodes; its domU does not start, dom0 and
 * the domU of the first pair do. */
static void test_dom0_port_used_twice(void **state)
{
    const struct ec ecs[] = {
        { AT_DOM0, "ec-dom0-a", 1U, 10U, 3U },
        { AT_DOM0, "ec-dom0-b", 2U, 10U, 4U },
        { 0, "ec-a", 3U, 20U, 1U },
        { 1, "ec-b", 4U, 30U, 2U },
    };
    struct tree *t;

    (void)state;
    t = bind_tree(ecs, 4U, true, true);
    assert_int_equal(t->bound, 1U);
    assert_logged("static event channel /chosen/ec-dom0-b -> /chosen/domB/ec-b: port 10 of dom0 "
                  "is already in use");
    assert_failed(t, false, true);
    assert_interdomain(0U, 10U, 1U, 20U);
    assert_closed(2U, 30U);
    assert_int_equal(t->links.n, 1U);
    free_tree(t);
}

/* dom0's kernel given but its build failed: the domUs' channels to it are
 * reported and left unbound, the domUs not failed. */
static void test_dom0_not_built(void **state)
{
    struct tree *t;

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
    free_tree(t);
}

/* domB fails for another pair: its channel to dom0 does not fail dom0,
 * nor, through dom0, domA. */
static void test_failure_does_not_spread_through_dom0(void **state)
{
    const struct ec ecs[] = {
        { AT_DOM0, "ec-dom0-a", 1U, 10U, 3U },
        { AT_DOM0, "ec-dom0-b", 2U, 11U, 4U },
        { 0, "ec-a", 3U, 20U, 1U },
        { 1, "ec-b", 4U, 30U, 2U },
        { 1, "ec-bad", 5U, 31U, 0x63U },
    };
    struct tree *t;

    (void)state;
    t = bind_tree(ecs, 5U, true, true);
    assert_int_equal(t->bound, 2U);
    assert_logged("static event channel /chosen/domB/ec-bad -> (none): no node has phandle 0x63");
    assert_failed(t, false, true);
    assert_false(fake_log_contains("its static event channel peer"));
    assert_interdomain(0U, 10U, 1U, 20U);
    free_tree(t);
}

/* Without a dom0 entry, a domU naming a /chosen node is refused. */
static void test_dom0_end_without_dom0(void **state)
{
    struct tree *t;
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
    free_tree(t);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, name_domains, teardown)
    const struct CMUnitTest tests[] = {
        T(test_dom0_end_first),
        T(test_dom0_end_last),
        T(test_dom0_node_peer_missing),
        T(test_dom0_node_names_another),
        T(test_dom0_port_used_twice),
        T(test_dom0_not_built),
        T(test_failure_does_not_spread_through_dom0),
        T(test_dom0_end_without_dom0),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
