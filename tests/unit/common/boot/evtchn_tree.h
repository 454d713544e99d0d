/* What the three static event channel tests share (test_dom0less_evtchn,
 * test_dom0less_evtchn_dom0, test_dom0less_evtchn_rebind): a builder for
 * / { chosen { ... } } with xen,evtchn-v1 nodes in xen,domain nodes and
 * directly under /chosen (dom0's ends), the bind of such a tree, the
 * domains named as the log lines name them, the checks of a port's
 * status and of delivery both ways, and main()'s run of a table of cases,
 * each row its own named test.
 *
 * Included after evtchn_env.c (with EVTCHN_TEST_MAIN defined): these
 * helpers use its domains, hypercall wrappers and set-up, which are
 * static to the including test, so this is a header of static helpers
 * rather than a file linked beside the test. */
#ifndef TEST_EVTCHN_TREE_H
#define TEST_EVTCHN_TREE_H

#include "fdt_builder.h"
#include <proxenos/dom0less_evtchn.h>
#include <proxenos/fdt.h>

#define EC_AT_DOM0  (-1)    /* a node directly under /chosen: dom0's end */
#define EC_MAX_DOMS 3U      /* the entries a tree is bound with */

/* One xen,evtchn-v1 node of the tree. */
struct ec {
    int dom;                /* index in the tree's domain names, or EC_AT_DOM0 */
    const char *name;
    const char *compat;     /* NULL: "xen,evtchn-v1" */
    uint32_t phandle;       /* 0: none */
    uint32_t cells;         /* of xen,evtchn: 2 normally */
    uint32_t port;
    uint32_t peer;          /* phandle */
};

struct ec_tree {
    struct fb *b;
    struct fdt fdt;
    struct dom0less_evtchn_domain doms[EC_MAX_DOMS];
    struct dom0less_evtchn_links links;
    unsigned int bound;
};

HELPER void ec_put(struct fb *b, const struct ec *e)
{
    uint8_t v[12];

    fb_begin(b, e->name);
    fb_prop_str(b, "compatible", (e->compat != NULL) ? e->compat : "xen,evtchn-v1");
    if (e->phandle != 0U) {
        fb_prop_u32(b, "phandle", e->phandle);
    }
    /* A third cell is there to be ignored (or cut off by a short cells). */
    fb_put32(&v[0], e->port);
    fb_put32(&v[4], e->peer);
    fb_put32(&v[8], 0xdeadU);
    fb_prop(b, "xen,evtchn", v, (size_t)e->cells * 4U);
    fb_end(b);
}

/* The nodes of ecs placed at dom (an index, or EC_AT_DOM0), in table order. */
HELPER void ec_put_at(struct fb *b, const struct ec *ecs, unsigned int nr, int dom)
{
    for (unsigned int i = 0U; i < nr; i++) {
        if (ecs[i].dom == dom) {
            ec_put(b, &ecs[i]);
        }
    }
}

/* / { chosen { [dom0's nodes] names[0] {...} ... [dom0's nodes] } }, dom0's
 * nodes first or last, checked; its domain entries are for the test to set
 * (ec_tree_domain) before ec_tree_bind. */
HELPER struct ec_tree *ec_tree_new(const struct ec *ecs, unsigned int nr,
                                   const char *const *names, unsigned int nr_names,
                                   bool dom0_first)
{
    struct ec_tree *t = calloc(1, sizeof(*t));

    assert_non_null(t);
    t->b = fb_new();
    fb_begin(t->b, "");
    fb_begin(t->b, "chosen");
    if (dom0_first) {
        ec_put_at(t->b, ecs, nr, EC_AT_DOM0);
    }
    for (unsigned int k = 0U; k < nr_names; k++) {
        fb_begin(t->b, names[k]);
        fb_prop_str(t->b, "compatible", "xen,domain");
        ec_put_at(t->b, ecs, nr, (int)k);
        fb_end(t->b);
    }
    if (!dom0_first) {
        ec_put_at(t->b, ecs, nr, EC_AT_DOM0);
    }
    fb_end(t->b);
    fb_end(t->b);
    fb_finish(t->b);
    assert_int_equal(fdt_check(&t->fdt, t->b->out, t->b->out_len), 0);
    return t;
}

/* Entry k: the node /chosen/<name> (NULL: /chosen itself, dom0's entry)
 * built as d, marked failed so that the bind must set it. */
HELPER void ec_tree_domain(struct ec_tree *t, unsigned int k, const char *name, struct domain *d)
{
    char path[32];
    int n = snprintf(path, sizeof(path), "/chosen%s%s", (name != NULL) ? "/" : "",
                     (name != NULL) ? name : "");

    assert_true((n > 0) && ((size_t)n < sizeof(path)));
    t->doms[k].node = fdt_path_offset(&t->fdt, path, (size_t)n);
    assert_true(t->doms[k].node >= 0);
    t->doms[k].d = d;
    t->doms[k].failed = true;
}

/* dom0less_evtchn_bind on the first nr entries, on a clear log; the
 * channels bound recorded in t->links when record. */
HELPER void ec_tree_bind(struct ec_tree *t, unsigned int nr, bool record)
{
    fake_log_clear();
    t->bound = dom0less_evtchn_bind(&t->fdt, t->doms, nr, record ? &t->links : NULL);
}

HELPER void ec_tree_free(struct ec_tree *t)
{
    free(t->b);
    free(t);
}

HELPER void name_domain(unsigned int id, const char *name)
{
    (void)snprintf(D(id)->name, sizeof(D(id)->name), "%s", name);
}

/* evtchn_env.c's set-up, then domains 0, 1 and 2 named as given. */
HELPER int setup_named(void **state, const char *n0, const char *n1, const char *n2)
{
    int rc = setup(state);

    name_domain(0U, n0);
    name_domain(1U, n1);
    name_domain(2U, n2);
    return rc;
}

/* Port of domain id as EVTCHNOP_status reads it: interdomain to rport of
 * rdom, unbound waiting for rdom, or closed. */
HELPER void assert_status(unsigned int id, uint32_t port, uint32_t status, uint16_t rdom,
                          uint32_t rport)
{
    struct evtchn_status s;

    assert_int_equal(evstatus(id, DOMID_SELF, port, &s), 0);
    assert_int_equal(s.status, status);
    if (status == EVTCHNSTAT_interdomain) {
        assert_int_equal(s.u.interdomain.dom, rdom);
        assert_int_equal(s.u.interdomain.port, rport);
    } else if (status == EVTCHNSTAT_unbound) {
        assert_int_equal(s.u.unbound.dom, rdom);
    } else {
        /* closed: nothing more */
    }
}

/* Port pa of a and port pb of b bound to each other, read from both ends. */
HELPER void assert_pair_bound(unsigned int a, uint32_t pa, unsigned int b, uint32_t pb)
{
    assert_status(a, pa, EVTCHNSTAT_interdomain, (uint16_t)b, pb);
    assert_status(b, pb, EVTCHNSTAT_interdomain, (uint16_t)a, pa);
}

/* Port of domain id closed; one beyond the domain's storage is refused,
 * which says as much. */
HELPER void assert_closed(unsigned int id, uint32_t port)
{
    struct evtchn_status s;
    long rc = evstatus(id, DOMID_SELF, port, &s);

    assert_true((rc == -EINVAL) || ((rc == 0) && (s.status == EVTCHNSTAT_closed)));
}

HELPER void assert_logged(const char *text)
{
    if (!fake_log_contains(text)) {
        fail_msg("log lacks \"%s\":\n%s", text, fake_log());
    }
}

HELPER void clear_pending(unsigned int id, uint32_t port)
{
    D(id)->shared_info->evtchn_pending[port / 64U] &= ~(1UL << (port % 64U));
}

/* Sends both ways arrive: each end raised by the other's send, and only
 * the other's. */
HELPER void assert_delivery(unsigned int a, uint32_t pa, unsigned int b, uint32_t pb)
{
    clear_pending(a, pa);
    clear_pending(b, pb);
    assert_int_equal(evsend(a, pa), 0);
    assert_true(evtchn_port_is_pending(D(b), pb));
    assert_false(evtchn_port_is_pending(D(a), pa));
    assert_int_equal(evsend(b, pb), 0);
    assert_true(evtchn_port_is_pending(D(a), pa));
}

/* main()'s end: runs the fixed tests, then one test per row of the table
 * cases, each row its own test named by its name member (as it was when
 * each case had a function) with the row as its state; the rows with
 * setup_fn and evtchn_env.c's teardown. */
#define EC_RUN_WITH_CASES(fixed, cases, fn, setup_fn)                                              \
    do {                                                                                           \
        struct CMUnitTest tests_[(sizeof(fixed) / sizeof((fixed)[0])) +                            \
                                 (sizeof(cases) / sizeof((cases)[0]))];                            \
        size_t n_ = 0U;                                                                            \
                                                                                                   \
        for (size_t i_ = 0U; i_ < (sizeof(fixed) / sizeof((fixed)[0])); i_++) {                    \
            tests_[n_++] = (fixed)[i_];                                                            \
        }                                                                                          \
        for (size_t i_ = 0U; i_ < (sizeof(cases) / sizeof((cases)[0])); i_++) {                    \
            tests_[n_++] = (struct CMUnitTest){ (cases)[i_].name, (fn), (setup_fn), teardown,      \
                                                (void *)&(cases)[i_] };                            \
        }                                                                                          \
        return cmocka_run_group_tests(tests_, NULL, NULL);                                         \
    } while (0)

#endif
