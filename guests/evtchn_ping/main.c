/*
 * evtchn_ping: two domains talking through Xen's interdomain event
 * channels and a granted page. One binary, two roles from bootargs:
 *
 *   role=a peer=<domid of b> rounds=<n>   grants b a page (ref 8), allocates
 *                                         an unbound port for b (the first
 *                                         port: 1), answers each ping
 *   role=b peer=<domid of a> rounds=<n>   binds to a's port 1 (retrying until
 *                                         it exists), maps the grant into a
 *                                         free GPA (the first extended region),
 *                                         pings, copies the page with
 *                                         GNTTABOP_copy, unmaps, says bye, closes
 *
 * dom0less domUs get domain ids from 1 in device-tree order.
 */
#include "guest.h"
#include "evtchn.h"
#include "gnttab.h"
#include "hypercall.h"

#define SHARED_REF  8U
#define A_PORT      1U          /* Xen hands out port 1 first */
#define WAIT_MS     5000U

struct message {
    volatile uint32_t seq;
    char text[60];
};

static uint8_t page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static uint8_t copy_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));

static bool setup(const struct platform *p)
{
    if (!test_check("ping_hypervisor_node", p->has_hypervisor && (p->evtchn_intid != 0U),
                    "no /hypervisor node") ||
        !test_check("ping_gic", gic_init(p) == 0, "GIC init failed")) {
        return false;
    }
    irq_enable();
    return xen_expect("ping_shared_info", evtchn_setup(p), 0) &&
           xen_expect("ping_grant_frame", gnttab_setup(p), 0);
}

struct page_goal {
    const struct message *m;
    uint32_t seq;
    const char *text;           /* NULL: only the sequence number counts */
};

static bool text_is(const struct message *m, const char *what, uint32_t n);

static bool page_reached(const void *ctx)
{
    const struct page_goal *g = ctx;

    if (g->text == NULL) {
        return g->m->seq == g->seq;
    }
    return text_is(g->m, g->text, g->seq);
}

/*
 * Waits for the peer's message; the event only wakes us. Counting events
 * alone would not do: Xen also raises the new local port on bind_interdomain.
 */
static bool wait_page(const struct message *m, uint32_t seq, const char *text)
{
    struct page_goal g = { m, seq, text };

    return wait_until(page_reached, &g, WAIT_MS);
}

static bool text_is(const struct message *m, const char *what, uint32_t n)
{
    char want[sizeof(m->text)];

    (void)snprintf(want, sizeof(want), "%s %u", what, n);
    return strncmp(m->text, want, sizeof(want)) == 0;
}

static void role_a(uint16_t peer, uint32_t rounds)
{
    struct message *m = (struct message *)page;
    struct evtchn_status st;
    uint32_t port = 0U;
    uint32_t i;
    uint32_t bad = 0U;
    uint64_t t0;

    memset(page, 0, sizeof(page));
    gnttab_grant(SHARED_REF, peer, (uint64_t)(uintptr_t)page >> XEN_PAGE_SHIFT, false);
    if (!xen_expect("ping_a_alloc_unbound", evtchn_alloc_unbound(peer, &port), 0)) {
        return;
    }
    test_check("ping_a_first_port", port == A_PORT, "got port %u", port);
    evtchn_2l_mask(port, false);
    for (i = 1U; i <= rounds; i++) {
        /* the event must arrive too; not replying before it does keeps events from merging */
        if (!wait_page(m, i, NULL) || !evtchn_wait(port, i, WAIT_MS)) {
            break;
        }
        if (!text_is(m, "ping", i)) {
            bad++;
        }
        (void)snprintf(m->text, sizeof(m->text), "pong %u", i);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        (void)evtchn_send(port);
    }
    test_check("ping_a_pings", i > rounds, "only %u of %u pings arrived", i - 1U, rounds);
    test_check("ping_a_messages", bad == 0U, "%u messages wrong", bad);
    test_check("ping_a_bye", wait_page(m, 0xffffffffU, NULL), "no bye (seq 0x%x)", m->seq);
    test_check("ping_a_events", evtchn_wait(port, rounds + 1U, WAIT_MS), "%u events for %u messages",
               evtchn_count(port), rounds + 1U);
    test_check("ping_a_grant_unmapped",
               (gnttab_entries[SHARED_REF].flags & (GTF_reading | GTF_writing)) == 0U,
               "grant flags 0x%x", gnttab_entries[SHARED_REF].flags);
    gnttab_revoke(SHARED_REF);
    /* b closes its end after the bye: ours goes back to unbound */
    t0 = timer_now();
    do {
        (void)evtchn_get_status(XEN_DOMID_SELF, port, &st);
    } while ((st.status != EVTCHNSTAT_unbound) && (timer_now() - t0 < timer_us_to_ticks(WAIT_MS * 1000U)));
    test_check("ping_a_peer_closed", st.status == EVTCHNSTAT_unbound, "status %u", st.status);
    xen_expect("ping_a_close", evtchn_close(port), 0);
}

static uint64_t map_grant(const struct platform *p, uint16_t peer, uint32_t *handle)
{
    struct gnttab_map_grant_ref mg;
    uint64_t size = 0U;
    uint64_t gpa = gnttab_free_region(p, 1U, &size);
    long rc;

    printf("evtchn_ping b: mapping grant %u of dom%u at 0x%lx\n", SHARED_REF, peer, gpa);
    memset(&mg, 0, sizeof(mg));
    mg.host_addr = gpa;
    mg.flags = GNTMAP_host_map;
    mg.ref = SHARED_REF;
    mg.dom = peer;
    mg.status = 99;
    rc = hyp_gnttab_op(GNTTABOP_map_grant_ref, &mg, 1U);
    if (!test_check("ping_b_map_grant", (gpa != 0U) && (rc == 0) && (mg.status == GNTST_okay),
                    "gpa 0x%lx rc %ld status %d", gpa, rc, mg.status)) {
        return 0U;
    }
    *handle = mg.handle;
    return gpa;
}

static void ping_rounds(struct message *m, uint32_t port, uint32_t rounds)
{
    uint32_t i;
    uint32_t bad = 0U;

    for (i = 1U; i <= rounds; i++) {
        (void)snprintf(m->text, sizeof(m->text), "ping %u", i);
        m->seq = i;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        (void)evtchn_send(port);
        if (!wait_page(m, i, "pong") || !evtchn_wait(port, i, WAIT_MS)) {
            break;
        }
    }
    /* at least one event per pong (plus the one bind_interdomain raised) */
    if (!evtchn_wait(port, rounds, WAIT_MS)) {
        bad++;
    }
    test_check("ping_b_pongs", i > rounds, "only %u of %u pongs arrived", i - 1U, rounds);
    test_check("ping_b_events", bad == 0U, "%u events for %u pongs", evtchn_count(port), rounds);
}

static void copy_granted(uint16_t peer, const struct message *m)
{
    struct gnttab_copy c;
    int16_t status = 0;
    long rc;

    memset(&c, 0, sizeof(c));
    c.source.u.ref = SHARED_REF;
    c.source.domid = peer;
    c.dest.u.gmfn = (uint64_t)(uintptr_t)copy_page >> XEN_PAGE_SHIFT;
    c.dest.domid = XEN_DOMID_SELF;
    c.len = (uint16_t)sizeof(*m);
    c.flags = GNTCOPY_source_gref;
    rc = gnttab_copy_one(&c, &status);
    test_check("ping_b_grant_copy", (rc == 0) && (status == GNTST_okay) &&
               (memcmp(copy_page, (const void *)m, sizeof(*m)) == 0), "rc %ld status %d", rc, status);
}

static void role_b(const struct platform *p, uint16_t peer, uint32_t rounds)
{
    struct gnttab_unmap_grant_ref ug;
    struct message *m;
    uint32_t port = 0U;
    uint32_t handle = 0U;
    uint64_t gpa;
    uint64_t t0 = timer_now();
    long rc;

    do {
        rc = evtchn_bind_interdomain(peer, A_PORT, &port);
    } while ((rc != 0) && (timer_now() - t0 < timer_us_to_ticks(WAIT_MS * 1000U)));
    if (!xen_expect("ping_b_bind_interdomain", rc, 0)) {
        return;
    }
    evtchn_2l_mask(port, false);
    gpa = map_grant(p, peer, &handle);
    if (gpa == 0U) {
        return;
    }
    m = (struct message *)(uintptr_t)gpa;
    ping_rounds(m, port, rounds);
    copy_granted(peer, m);
    memset(&ug, 0, sizeof(ug));
    ug.host_addr = gpa;
    ug.handle = handle;
    ug.status = 99;
    rc = hyp_gnttab_op(GNTTABOP_unmap_grant_ref, &ug, 1U);
    test_check("ping_b_unmap_grant", (rc == 0) && (ug.status == GNTST_okay), "rc %ld status %d", rc, ug.status);
    rc = hyp_gnttab_op(GNTTABOP_unmap_grant_ref, &ug, 1U);
    test_check("ping_b_unmap_twice", (rc == 0) && (ug.status == GNTST_bad_handle), "rc %ld status %d",
               rc, ug.status);
    /* the bye goes through a's page by copy now that the mapping is gone */
    ((struct message *)copy_page)->seq = 0xffffffffU;
    {
        struct gnttab_copy c;
        int16_t status = 0;

        memset(&c, 0, sizeof(c));
        c.source.u.gmfn = (uint64_t)(uintptr_t)copy_page >> XEN_PAGE_SHIFT;
        c.source.domid = XEN_DOMID_SELF;
        c.dest.u.ref = SHARED_REF;
        c.dest.domid = peer;
        c.len = 4U;
        c.flags = GNTCOPY_dest_gref;
        rc = gnttab_copy_one(&c, &status);
        test_check("ping_b_copy_to_peer", (rc == 0) && (status == GNTST_okay), "rc %ld status %d", rc, status);
    }
    xen_expect("ping_b_send_bye", evtchn_send(port), 0);
    delay_ms(50U);
    xen_expect("ping_b_close", evtchn_close(port), 0);
}

void guest_main(const struct platform *p)
{
    char role[8];
    uint16_t peer = (uint16_t)bootarg_u64(p->bootargs, "peer", 0U);
    uint32_t rounds = (uint32_t)bootarg_u64(p->bootargs, "rounds", 10U);

    if (!bootarg_get(p->bootargs, "role", role, sizeof(role))) {
        role[0] = '\0';
    }
    printf("evtchn_ping %s: peer dom%u, %u rounds\n", role, peer, rounds);
    if (!setup(p)) {
        return;
    }
    if (strcmp(role, "a") == 0) {
        role_a(peer, rounds);
    } else if (strcmp(role, "b") == 0) {
        role_b(p, peer, rounds);
    } else {
        test_fail("ping_role", "bootargs need role=a or role=b");
    }
}
