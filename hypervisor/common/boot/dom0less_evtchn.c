/* Static event channels (Xen 4.17's xen,evtchn-v1 nodes): each child of a
 * xen,domain node with that compatible holds xen,evtchn = <local-port
 * peer-phandle>, and the peer, a node of another (or the same) domain,
 * names it back; a node directly under /chosen is dom0's end. Xen walks
 * /chosen's children in device-tree order (a dom0 end, or a domain whose
 * children it then walks), binds each pair when it meets its first node,
 * and panics on any error; we walk the same way, report a bad pair naming
 * both nodes, and leave its domUs (and the domUs connected to them)
 * unstarted. dom0 starts whatever its channels: it is the control domain,
 * and a domU refused for a bad pair is a configuration error it can read
 * in the log. Nodes with another compatible are skipped, as Xen does
 * (docs/static-config.md). */
#include <proxenos/dom0less_evtchn.h>
#include <proxenos/errno.h>
#include <proxenos/evtchn.h>
#include <proxenos/printk.h>

#define EVTCHN_COMPAT "xen,evtchn-v1"
#define PATH_LEN 128U
#define WHY_LEN 96U

/* One end as the device tree describes it. */
struct end {
    int node;
    int dom;                    /* index in doms, or -1 */
    uint32_t port;
    uint32_t peer_phandle;
};

struct pair_ctx {
    const struct fdt *fdt;
    struct dom0less_evtchn_domain *doms;
    unsigned int n;
    int chosen;                 /* the node of dom0's entry, if any */
    struct dom0less_evtchn_links *links;
};

static bool is_dom0(const struct pair_ctx *c, int dom)
{
    return (dom >= 0) && (c->doms[dom].node == c->chosen);
}

/* Whether the domain of this index was built (dom0's may have failed). */
static bool built(const struct pair_ctx *c, int dom)
{
    return (dom >= 0) && (c->doms[dom].d != NULL);
}

static int domain_index(const struct pair_ctx *c, int node)
{
    int parent = fdt_parent(c->fdt, node);

    for (unsigned int i = 0U; i < c->n; i++) {
        if ((parent >= 0) && (c->doms[i].node == parent)) {
            return (int)i;
        }
    }
    return -1;
}

/* Xen reads two cells and ignores any more; fewer is an error. */
static bool read_end(const struct pair_ctx *c, int node, struct end *e)
{
    uint32_t len = 0U;
    const uint8_t *v = fdt_getprop(c->fdt, node, "xen,evtchn", &len);

    e->node = node;
    e->dom = domain_index(c, node);
    e->port = 0U;
    e->peer_phandle = 0U;
    if ((v == NULL) || (len < 8U)) {
        return false;
    }
    e->port = fdt_be32(v);
    e->peer_phandle = fdt_be32(&v[4]);
    return true;
}

/* Whether e's xen,evtchn names node. */
static bool names(const struct pair_ctx *c, const struct end *e, int node)
{
    uint32_t ph = 0U;

    return ((fdt_getprop_u32(c->fdt, node, "phandle", &ph) == 0) ||
            (fdt_getprop_u32(c->fdt, node, "linux,phandle", &ph) == 0)) &&
           (ph == e->peer_phandle);
}

static const char *path_of(const struct fdt *fdt, int node, char buf[PATH_LEN])
{
    const char *name;

    if (node < 0) {
        return "(none)";
    }
    if (fdt_node_path(fdt, node, buf, PATH_LEN) >= 0) {
        return buf;
    }
    name = fdt_node_name(fdt, node);
    return (name != NULL) ? name : "?";
}

static void mark(const struct pair_ctx *c, int dom)
{
    if ((dom >= 0) && !is_dom0(c, dom)) {
        c->doms[dom].failed = true;
    }
}

/* Report a pair that cannot be bound, naming both nodes. */
static void report(const struct pair_ctx *c, const struct end *a, int b_node, const char *why)
{
    char pa[PATH_LEN];
    char pb[PATH_LEN];

    pr_err("dom0less: static event channel %s -> %s: %s\n", path_of(c->fdt, a->node, pa),
           path_of(c->fdt, b_node, pb), why);
}

/* Report it and fail the domUs of both ends. */
static void refuse(const struct pair_ctx *c, const struct end *a, int b_node, int b_dom,
                   const char *why)
{
    report(c, a, b_node, why);
    mark(c, a->dom);
    mark(c, b_dom);
}

/* Kept for the rebuilds (dom0less_evtchn_rebind.c). */
static void remember(const struct pair_ctx *c, const struct domain *da, uint32_t pa,
                     const struct domain *db, uint32_t pb)
{
    struct dom0less_evtchn_links *l = c->links;

    if (l == NULL) {
        return;
    }
    if (l->n >= DOM0LESS_EVTCHN_MAX_LINKS) {
        pr_warn("dom0less: static event channel: %s port %u <-> %s port %u: more than %u "
                "channels: not bound again after a reboot\n", da->name, pa, db->name, pb,
                DOM0LESS_EVTCHN_MAX_LINKS);
        return;
    }
    l->link[l->n] = (struct dom0less_evtchn_link){ { da->domain_id, db->domain_id },
                                                   { pa, pb } };
    l->n++;
}

/* Why evtchn_bind_static refused end e (domain d). */
static void port_error(int rc, const struct end *e, const struct domain *d, char why[WHY_LEN])
{
    if ((rc == -EBUSY) && (e->port == 0U)) {
        (void)snprintf(why, WHY_LEN, "port 0 of %s is reserved", d->name);
    } else if (rc == -EBUSY) {
        (void)snprintf(why, WHY_LEN, "port %u of %s is already in use", e->port, d->name);
    } else if (rc == -ENOSPC) {
        (void)snprintf(why, WHY_LEN, "port %u of %s is beyond its limit %u", e->port, d->name,
                       evtchn_max_port(d));
    } else if (rc == -EINVAL) {
        (void)snprintf(why, WHY_LEN, "both ends are port %u of %s", e->port, d->name);
    } else {
        (void)snprintf(why, WHY_LEN, "cannot bind port %u of %s (%d)", e->port, d->name, rc);
    }
}

static void bind_pair(const struct pair_ctx *c, const struct end *a, const struct end *b,
                      unsigned int *bound)
{
    struct domain *da = c->doms[a->dom].d;
    struct domain *db = c->doms[b->dom].d;
    unsigned int at = 0U;
    int rc = evtchn_bind_static(da, a->port, db, b->port, &at);
    char why[WHY_LEN];

    if (rc == 0) {
        pr_info("dom0less: static event channel: %s port %u <-> %s port %u\n", da->name,
                a->port, db->name, b->port);
        (*bound)++;
        remember(c, da, a->port, db, b->port);
        return;
    }
    port_error(rc, (at == 2U) ? b : a, (at == 2U) ? db : da, why);
    refuse(c, a, b->node, b->dom, why);
}

/* The xen,evtchn-v1 node a of a built domain: bind it to its peer unless
 * the pair was met before, from the peer's side. */
static void one_node(const struct pair_ctx *c, int node, unsigned int *bound)
{
    struct end a;
    struct end b;
    int peer;
    bool b_ok;

    if (!read_end(c, node, &a)) {
        refuse(c, &a, -1, -1, "xen,evtchn must be <local-port peer-phandle>");
        return;
    }
    peer = fdt_node_by_phandle(c->fdt, a.peer_phandle);
    if (peer < 0) {
        char why[WHY_LEN];

        (void)snprintf(why, WHY_LEN, "no node has phandle 0x%x", a.peer_phandle);
        refuse(c, &a, -1, -1, why);
        return;
    }
    b_ok = read_end(c, peer, &b);
    /* Met from the peer's side already: bound there, or reported. */
    if ((peer < node) && built(c, b.dom) && fdt_node_is_compatible(c->fdt, peer, EVTCHN_COMPAT) &&
        b_ok && names(c, &b, node)) {
        return;
    }
    if (peer == node) {
        refuse(c, &a, peer, -1, "the node names itself");
    } else if (!b_ok) {
        refuse(c, &a, peer, b.dom, "the peer has no xen,evtchn = <local-port peer-phandle>");
    } else if (!names(c, &b, node)) {
        refuse(c, &a, peer, b.dom, "the peer's xen,evtchn names another node");
    } else if ((b.dom < 0) && (fdt_node_depth(c->fdt, peer) == 2) &&
               fdt_node_name_is(c->fdt, fdt_parent(c->fdt, peer), "chosen")) {
        refuse(c, &a, peer, -1, "the peer is a dom0 end, but there is no dom0");
    } else if (b.dom < 0) {
        refuse(c, &a, peer, -1, "the peer is not in a dom0less domain that was built");
    } else if (!built(c, b.dom)) {
        /* dom0 failed: its domUs run without the channel, as they would
         * have run had it failed later. */
        report(c, &a, peer, "dom0 was not built: the channel is left unbound");
    } else {
        bind_pair(c, &a, &b, bound);
    }
}

/* Domains with a channel to a failed domain fail too, until none is
 * left: a guest never starts with a static peer that does not run. */
static void spread_failures(const struct pair_ctx *c)
{
    bool changed = true;

    while (changed) {
        changed = false;
        for (unsigned int i = 0U; i < c->n; i++) {
            if (!c->doms[i].failed) {
                continue;
            }
            for (int node = fdt_first_child(c->fdt, c->doms[i].node); node >= 0;
                 node = fdt_next_sibling(c->fdt, node)) {
                struct end a;
                struct end b;
                int peer;

                if (!fdt_node_is_compatible(c->fdt, node, EVTCHN_COMPAT) || !read_end(c, node, &a)) {
                    continue;
                }
                peer = fdt_node_by_phandle(c->fdt, a.peer_phandle);
                if ((peer >= 0) && read_end(c, peer, &b) && built(c, b.dom) &&
                    !is_dom0(c, b.dom) && !c->doms[b.dom].failed && names(c, &b, node)) {
                    pr_err("dom0less: %s: its static event channel peer %s does not start\n",
                           c->doms[b.dom].d->name, c->doms[i].d->name);
                    c->doms[b.dom].failed = true;
                    changed = true;
                }
            }
        }
    }
}

/* The entry whose node this is, or -1. */
static int entry_of(const struct pair_ctx *c, int node)
{
    for (unsigned int i = 0U; i < c->n; i++) {
        if (c->doms[i].node == node) {
            return (int)i;
        }
    }
    return -1;
}

unsigned int dom0less_evtchn_bind(const struct fdt *fdt, struct dom0less_evtchn_domain *doms,
                                  unsigned int n, struct dom0less_evtchn_links *links)
{
    struct pair_ctx c = { fdt, doms, n, fdt_path_offset(fdt, "/chosen", 7U), links };
    int dom0;
    unsigned int bound = 0U;

    if (c.chosen < 0) {
        c.chosen = -2;          /* no entry has it: nobody is dom0 */
    }
    dom0 = entry_of(&c, c.chosen);
    if (links != NULL) {
        links->n = 0U;
    }
    for (unsigned int i = 0U; i < n; i++) {
        doms[i].failed = false;
    }
    for (int child = (c.chosen >= 0) ? fdt_first_child(fdt, c.chosen) : -1; child >= 0;
         child = fdt_next_sibling(fdt, child)) {
        int i = entry_of(&c, child);

        if (built(&c, i)) {
            for (int node = fdt_first_child(fdt, child); node >= 0;
                 node = fdt_next_sibling(fdt, node)) {
                if (fdt_node_is_compatible(fdt, node, EVTCHN_COMPAT)) {
                    one_node(&c, node, &bound);
                }
            }
        } else if (built(&c, dom0) && fdt_node_is_compatible(fdt, child, EVTCHN_COMPAT)) {
            one_node(&c, child, &bound);
        } else {
            /* a domain that was not built, or another node */
        }
    }
    spread_failures(&c);
    return bound;
}
