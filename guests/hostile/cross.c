/*
 * Calls aimed at the sibling domain. Each must be refused: a domU may not
 * bind to ports the sibling did not offer it, map or copy the sibling's
 * grants that name another domain, copy its frames without a grant, change
 * or read its memory reservation, its event channels, its grant table or
 * its parameters, or shut it down. Every success is counted by the call's
 * name; the test requires none.
 */
#include "hostile.h"

#define SIB_PORTS 16U       /* the sibling's live ports are among the first few */
#define SIB_REFS  32U       /* and its grants among the first refs */

uint32_t cross_success[CROSS_NR];

static const char *const names[CROSS_NR] = {
    [CROSS_BIND_INTERDOMAIN] = "bind_interdomain",
    [CROSS_EVTCHN_STATUS] = "evtchn_status",
    [CROSS_ALLOC_UNBOUND] = "alloc_unbound_in_sibling",
    [CROSS_EVTCHN_RESET] = "evtchn_reset",
    [CROSS_GRANT_MAP] = "grant_map",
    [CROSS_COPY_FROM_REF] = "copy_from_ref",
    [CROSS_COPY_FROM_GMFN] = "copy_from_gmfn",
    [CROSS_COPY_TO_REF] = "copy_to_ref",
    [CROSS_COPY_TO_GMFN] = "copy_to_gmfn",
    [CROSS_SETUP_TABLE] = "setup_table",
    [CROSS_QUERY_SIZE] = "query_size",
    [CROSS_RESERVATION] = "reservation",
    [CROSS_RESERVATION_READ] = "reservation_read",
    [CROSS_ADD_TO_PHYSMAP] = "add_to_physmap",
    [CROSS_FOREIGN_MAP] = "foreign_map",
    [CROSS_REMOVE_FROM_PHYSMAP] = "remove_from_physmap",
    [CROSS_ACQUIRE_RESOURCE] = "acquire_resource",
    [CROSS_EXCHANGE] = "exchange",
    [CROSS_REMOTE_SHUTDOWN] = "remote_shutdown",
    [CROSS_HVM_PARAM] = "hvm_param",
};

const char *cross_name(enum cross_op op)
{
    return ((uint32_t)op < CROSS_NR) ? names[op] : "?";
}

bool cross_count(struct hctx *c, enum cross_op op, bool succeeded)
{
    c->cross_tries++;
    if (succeeded) {
        (void)__atomic_fetch_add(&cross_success[op], 1U, __ATOMIC_RELAXED);
    }
    return succeeded;
}

/* The sibling's RAM starts where ours does (Xen's guest layout). */
static uint64_t sibling_gfn(struct hctx *c)
{
    return (henv.ram_base >> XEN_PAGE_SHIFT) + rnd_below(c, 0x4000U);
}

static void cross_evtchn(struct hctx *c, void *b, uint64_t a)
{
    switch (rnd_below(c, 4U)) {
    case 0U: {
        struct evtchn_bind_interdomain *bi = b;
        long rc;

        bi->remote_dom = henv.sibling;
        bi->remote_port = rnd_below(c, SIB_PORTS);
        rc = hyp_evtchn_op(EVTCHNOP_bind_interdomain, (void *)(uintptr_t)a);
        cross_count(c, CROSS_BIND_INTERDOMAIN, rc == 0);
        break;
    }
    case 1U: {
        struct evtchn_status *st = b;

        st->dom = henv.sibling;
        st->port = rnd_below(c, SIB_PORTS);
        cross_count(c, CROSS_EVTCHN_STATUS, hyp_evtchn_op(EVTCHNOP_status, (void *)(uintptr_t)a) == 0);
        break;
    }
    case 2U: {
        struct evtchn_alloc_unbound *u = b;

        u->dom = henv.sibling;
        u->remote_dom = rnd_chance(c, 2U) ? henv.self : henv.sibling;
        cross_count(c, CROSS_ALLOC_UNBOUND, hyp_evtchn_op(EVTCHNOP_alloc_unbound, (void *)(uintptr_t)a) == 0);
        break;
    }
    default:
        ((struct evtchn_reset *)b)->dom = henv.sibling;
        cross_count(c, CROSS_EVTCHN_RESET, hyp_evtchn_op(EVTCHNOP_reset, (void *)(uintptr_t)a) == 0);
        break;
    }
}

static void cross_copy(struct hctx *c, struct gnttab_copy *cp, uint64_t a)
{
    bool from = rnd_chance(c, 2U);
    bool by_ref = rnd_chance(c, 2U);
    struct gnttab_copy_ptr *theirs = from ? &cp->source : &cp->dest;
    struct gnttab_copy_ptr *ours = from ? &cp->dest : &cp->source;
    long rc;

    ours->u.gmfn = (uint64_t)(uintptr_t)c->build >> XEN_PAGE_SHIFT;
    ours->domid = XEN_DOMID_SELF;
    ours->offset = 0U;
    theirs->u.gmfn = by_ref ? rnd_below(c, SIB_REFS) : sibling_gfn(c);
    theirs->domid = henv.sibling;
    theirs->offset = (uint16_t)rnd_below(c, XEN_PAGE_SIZE);
    cp->len = (uint16_t)(1U + rnd_below(c, XEN_PAGE_SIZE - theirs->offset));
    cp->flags = by_ref ? (from ? GNTCOPY_source_gref : GNTCOPY_dest_gref) : 0U;
    rc = hyp_gnttab_op(GNTTABOP_copy, (void *)(uintptr_t)a, 1U);
    cross_count(c, from ? (by_ref ? CROSS_COPY_FROM_REF : CROSS_COPY_FROM_GMFN)
                        : (by_ref ? CROSS_COPY_TO_REF : CROSS_COPY_TO_GMFN),
                (rc == 0) && (cp->status == GNTST_okay));
}

static void cross_gnttab(struct hctx *c, void *b, uint64_t a)
{
    switch (rnd_below(c, 4U)) {
    case 0U: {
        struct gnttab_map_grant_ref *m = b;
        long rc;

        m->host_addr = (henv.ext_base >> XEN_PAGE_SHIFT) + 100U + rnd_below(c, 16U);
        m->host_addr <<= XEN_PAGE_SHIFT;
        m->flags = GNTMAP_host_map | (rnd_chance(c, 2U) ? GNTMAP_readonly : 0U);
        m->ref = rnd_below(c, SIB_REFS);
        m->dom = henv.sibling;
        m->status = 0x7fff;
        rc = hyp_gnttab_op(GNTTABOP_map_grant_ref, (void *)(uintptr_t)a, 1U);
        cross_count(c, CROSS_GRANT_MAP, (rc == 0) && (m->status == GNTST_okay));
        break;
    }
    case 1U:
        cross_copy(c, b, a);
        break;
    case 2U: {
        struct gnttab_setup_table *s = b;

        s->dom = henv.sibling;
        s->nr_frames = 1U + rnd_below(c, 2U);
        s->frame_list = hc_ptr(build_slot(c, 2U * 8U));
        s->status = 0x7fff;
        (void)hyp_gnttab_op(GNTTABOP_setup_table, (void *)(uintptr_t)a, 1U);
        cross_count(c, CROSS_SETUP_TABLE, s->status == GNTST_okay);
        break;
    }
    default: {
        struct gnttab_query_size *q = b;

        q->dom = henv.sibling;
        q->status = 0x7fff;
        (void)hyp_gnttab_op(GNTTABOP_query_size, (void *)(uintptr_t)a, 1U);
        cross_count(c, CROSS_QUERY_SIZE, q->status == GNTST_okay);
        break;
    }
    }
}

long fuzz_cross(struct hctx *c)
{
    void *b;
    uint64_t a;

    /* room for the largest structure built in it (an exchange) */
    (void)arg_addr(c, &b, CROSS_BUF_SIZE);
    a = hc_ptr(b);      /* always a real buffer: a fault would hide a success */
    switch (rnd_below(c, 4U)) {
    case 0U: cross_evtchn(c, b, a); break;
    case 1U: cross_gnttab(c, b, a); break;
    case 2U: cross_memory(c, b, a); break;
    default: cross_control(c, b, a); break;
    }
    /* what came of it is in cross_success; as a call it counts as refused */
    return -XEN_EPERM;
}
