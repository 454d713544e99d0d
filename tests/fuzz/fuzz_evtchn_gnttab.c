/* libFuzzer target: the event-channel and grant-table state machines
 * across two domains (dom0 and a domU from domain_create() on the real
 * heap), driven through the real hypercall dispatcher by both sides.
 *
 * An input is a sequence of operations: event channels allocated unbound,
 * bound interdomain, sent, unmasked, closed, bound to VIRQs, reset; grant
 * entries written by a guest, grant tables set up, grants mapped and
 * unmapped, copied, and transfers (which Proxenos refuses). Ports and
 * handles are mostly ones earlier operations returned, sometimes anything.
 * After every operation the invariants are checked:
 *   - a port bound interdomain has a peer whose port points back at it;
 *   - a domain's count of ports in use is the number of ports not free;
 *   - a port just closed is free; a transfer never succeeds;
 *   - each domain holds as many grant mappings as the maps that
 *     succeeded minus the unmaps that did.
 * At the end every mapping is unmapped, both domains are destroyed, and
 * every page and heap object must be back. A violation traps. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <fake_arch.h>
#include <proxenos/domain.h>
#include <proxenos/domain_create.h>
#include <proxenos/arch/domain.h>
#include <proxenos/arch/mm.h>
#include <proxenos/gnttab.h>
#include <proxenos/hypercall.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/xen.h>
#include "evtchn_internal.h"

#include "fuzz_env.h"
#include "fuzz_input.h"

#define GUEST_RAM FUZZ_ENV_GUEST_RAM
#define PAGE(n) (GUEST_RAM + ((uint64_t)(n) << 12))
#define ARG PAGE(0)                 /* the operation's structure */
#define FRAME_LIST PAGE(1)          /* setup_table's output */
#define DATA_PAGE 2U                /* pages 2-5: what a guest grants */
#define MAP_PAGE 8U                 /* pages 8-11: where grants are mapped */
#define GRANT_PAGE 15U              /* grant table frame 0 */
#define NR_REFS 16U
#define MAX_OPS 48U
#define MAX_TRACKED 32U

/* GNTTABOP_transfer's argument (Xen's layout; Proxenos has no use for it
 * beyond refusing it, so the public header leaves it out). */
struct transfer_arg {
    uint64_t mfn;
    uint16_t domid;
    uint32_t ref;
    int16_t status;
};

struct side {
    struct domain *d;
    uint32_t ports[MAX_TRACKED];        /* returned to this side */
    unsigned int nr_ports;
    uint32_t handles[MAX_TRACKED];      /* its live grant mappings */
    uint64_t handle_addr[MAX_TRACKED];
    unsigned int nr_handles;
};

static struct side sides[2];

static struct domain *make(domid_t id, const char *name, bool privileged)
{
    struct domain *d = fuzz_env_domain(id, name, privileged);

    /* The guest's XENMEM_add_to_physmap of grant frame 0. */
    FUZZ_ASSERT(gnttab_map_frame(d, 0U, gfn(PAGE(GRANT_PAGE) >> 12)) == 0);
    return d;
}

static void put(struct side *s, uint64_t gpa, const void *p, size_t len)
{
    FUZZ_ASSERT(domain_copy_to_guest_phys(s->d, gpa, p, len) == 0);
}

static void get(struct side *s, uint64_t gpa, void *p, size_t len)
{
    paddr_t ma;

    /* Within one page: the structures here never straddle one. */
    FUZZ_ASSERT(arch_guest_ram_to_maddr(s->d, gpa, &ma) == 0);
    memcpy(p, arch_maddr_to_virt(ma), len);
}

static long call(struct side *s, uint64_t nr, uint64_t cmd, uint64_t arg, uint64_t count)
{
    struct hcall_args a = { { cmd, arg, count, 0U, 0U } };
    long rc;

    fake_guest_set_vcpu(s->d->vcpu[0]);
    rc = hypercall_dispatch(nr, &a);
    fake_guest_set_vcpu(NULL);
    return rc;
}

static void track_port(struct side *s, uint32_t port)
{
    if (s->nr_ports < MAX_TRACKED) {
        s->ports[s->nr_ports++] = port;
    } else {
        s->ports[port % MAX_TRACKED] = port;
    }
}

/* A port of s: mostly one it was given, else any small number. */
static uint32_t pick_port(struct fuzz_in *in, const struct side *s)
{
    uint8_t sel = fin_u8(in);

    if (((sel & 3U) != 0U) && (s->nr_ports != 0U)) {
        return s->ports[(sel >> 2) % s->nr_ports];
    }
    return (sel & 3U) == 0U ? fin_u16(in) % 80U : fin_u32(in);
}

static domid_t pick_dom(struct fuzz_in *in, const struct side *self, const struct side *other)
{
    switch (fin_u8(in) % 8U) {
    case 0U: return DOMID_SELF;
    case 1U: return self->d->domain_id;
    case 2U: return fin_u16(in);
    default: return other->d->domain_id;
    }
}

/* ---- Invariants ---------------------------------------------------------- */

static void check_ports(const struct domain *d)
{
    const struct evtchn_domain *ed = d->evtchn;
    uint32_t in_use = 0U;

    FUZZ_ASSERT(ed != NULL);
    for (uint32_t p = 1U; p < ed->valid_ports; p++) {
        const struct evtchn *c = evtchn_from_port(d, p);

        if ((c == NULL) || (c->state == ECS_FREE)) {
            continue;
        }
        in_use++;
        FUZZ_ASSERT(c->port == p);
        if (c->state == ECS_INTERDOMAIN) {
            const struct evtchn *peer;

            FUZZ_ASSERT(c->remote != NULL);
            peer = evtchn_from_port(c->remote, c->remote_port);
            FUZZ_ASSERT(peer != NULL);
            FUZZ_ASSERT(peer->state == ECS_INTERDOMAIN);
            FUZZ_ASSERT((peer->remote == d) && (peer->remote_port == p));
        }
    }
    FUZZ_ASSERT(in_use == ed->active);
}

static void check(void)
{
    for (unsigned int i = 0U; i < 2U; i++) {
        check_ports(sides[i].d);
        FUZZ_ASSERT(gnttab_maptrack_in_use(sides[i].d) == sides[i].nr_handles);
    }
}

/* ---- Operations ---------------------------------------------------------- */

static void op_evtchn(struct fuzz_in *in, struct side *s, struct side *o, uint8_t which)
{
    switch (which) {
    case 0U: {
        struct evtchn_alloc_unbound a = { pick_dom(in, s, o), pick_dom(in, o, s), 0U };

        put(s, ARG, &a, sizeof(a));
        if (call(s, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, ARG, 0U) == 0) {
            get(s, ARG, &a, sizeof(a));
            track_port(s, a.port);
        }
        break;
    }
    case 1U: {
        struct evtchn_bind_interdomain b = { pick_dom(in, o, s), pick_port(in, o), 0U };

        put(s, ARG, &b, sizeof(b));
        if (call(s, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, ARG, 0U) == 0) {
            get(s, ARG, &b, sizeof(b));
            track_port(s, b.local_port);
        }
        break;
    }
    case 2U: {
        struct evtchn_send x = { pick_port(in, s) };

        put(s, ARG, &x, sizeof(x));
        (void)call(s, __HYPERVISOR_event_channel_op, EVTCHNOP_send, ARG, 0U);
        break;
    }
    case 3U: {
        struct evtchn_close c = { pick_port(in, s) };

        put(s, ARG, &c, sizeof(c));
        if (call(s, __HYPERVISOR_event_channel_op, EVTCHNOP_close, ARG, 0U) == 0) {
            const struct evtchn *chn = evtchn_from_port(s->d, c.port);

            FUZZ_ASSERT((chn == NULL) || (chn->state == ECS_FREE));
        }
        break;
    }
    case 4U: {
        struct evtchn_unmask u = { pick_port(in, s) };

        put(s, ARG, &u, sizeof(u));
        (void)call(s, __HYPERVISOR_event_channel_op, EVTCHNOP_unmask, ARG, 0U);
        break;
    }
    case 5U: {
        struct evtchn_bind_virq v = { fin_u8(in) % 26U, fin_below(in, 3U), 0U };

        put(s, ARG, &v, sizeof(v));
        if (call(s, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, ARG, 0U) == 0) {
            get(s, ARG, &v, sizeof(v));
            track_port(s, v.port);
        }
        break;
    }
    default: {
        struct evtchn_reset r = { pick_dom(in, s, o) };

        put(s, ARG, &r, sizeof(r));
        if (call(s, __HYPERVISOR_event_channel_op, EVTCHNOP_reset, ARG, 0U) == 0) {
            s->nr_ports = 0U;
        }
        break;
    }
    }
}

static void op_grant(struct fuzz_in *in, struct side *s, struct side *o, uint8_t which)
{
    switch (which) {
    case 0U: {
        /* The guest writes one of its grant entries. */
        struct grant_entry_v1 e;
        uint32_t ref = fin_below(in, NR_REFS);

        e.flags = (uint16_t)(((fin_u8(in) & 7U) == 0U) ? fin_u16(in)
                             : (GTF_permit_access | ((fin_u8(in) & 1U) != 0U ? GTF_readonly : 0U)));
        e.domid = pick_dom(in, o, s);
        e.frame = (fin_u8(in) & 7U) == 0U ? fin_u32(in)
                                          : (uint32_t)(PAGE(DATA_PAGE + fin_below(in, 4U)) >> 12);
        put(s, PAGE(GRANT_PAGE) + ref * sizeof(e), &e, sizeof(e));
        break;
    }
    case 1U: {
        struct gnttab_setup_table t = { pick_dom(in, s, o), 1U + fin_below(in, 3U), 0, FRAME_LIST };

        put(s, ARG, &t, sizeof(t));
        (void)call(s, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, ARG, 1U);
        break;
    }
    case 2U: {
        struct gnttab_map_grant_ref m = { 0 };

        m.host_addr = PAGE(MAP_PAGE + fin_below(in, 4U));
        m.flags = GNTMAP_host_map | (((fin_u8(in) & 1U) != 0U) ? GNTMAP_readonly : 0U);
        m.ref = (fin_u8(in) & 7U) == 0U ? fin_u32(in) : fin_below(in, NR_REFS);
        m.dom = pick_dom(in, o, s);
        put(s, ARG, &m, sizeof(m));
        if (call(s, __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, ARG, 1U) == 0) {
            get(s, ARG, &m, sizeof(m));
            if ((m.status == GNTST_okay) && (s->nr_handles < MAX_TRACKED)) {
                s->handles[s->nr_handles] = m.handle;
                s->handle_addr[s->nr_handles] = m.host_addr;
                s->nr_handles++;
            } else if (m.status == GNTST_okay) {
                /* Untracked: undo it at once to keep the count true. */
                struct gnttab_unmap_grant_ref u = { m.host_addr, 0U, m.handle, 0 };

                put(s, ARG, &u, sizeof(u));
                FUZZ_ASSERT(call(s, __HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, ARG, 1U) == 0);
            } else {
                /* refused */
            }
        }
        break;
    }
    case 3U: {
        struct gnttab_unmap_grant_ref u = { 0 };
        unsigned int i = (s->nr_handles != 0U) ? fin_below(in, s->nr_handles) : 0U;
        bool tracked = (s->nr_handles != 0U) && ((fin_u8(in) & 7U) != 0U);

        u.handle = tracked ? s->handles[i] : fin_u32(in);
        u.host_addr = tracked ? s->handle_addr[i] : PAGE(MAP_PAGE + fin_below(in, 4U));
        put(s, ARG, &u, sizeof(u));
        if (call(s, __HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, ARG, 1U) == 0) {
            get(s, ARG, &u, sizeof(u));
            if (u.status == GNTST_okay) {
                /* A fuzzed handle may name a live mapping too. */
                for (i = 0U; (i < s->nr_handles) && (s->handles[i] != u.handle); i++) {
                }
                FUZZ_ASSERT(i < s->nr_handles);     /* no mapping we were not given */
                s->nr_handles--;
                s->handles[i] = s->handles[s->nr_handles];
                s->handle_addr[i] = s->handle_addr[s->nr_handles];
            }
        }
        break;
    }
    case 4U: {
        struct gnttab_copy c = { 0 };

        c.source.domid = pick_dom(in, o, s);
        c.source.u.ref = fin_below(in, NR_REFS);
        c.source.offset = fin_u16(in) % 4200U;
        c.dest.domid = DOMID_SELF;
        c.dest.u.gmfn = PAGE(DATA_PAGE + fin_below(in, 4U)) >> 12;
        c.dest.offset = fin_u16(in) % 4200U;
        c.len = fin_u16(in) % 4200U;
        c.flags = (uint16_t)(fin_u8(in) & 3U);
        put(s, ARG, &c, sizeof(c));
        (void)call(s, __HYPERVISOR_grant_table_op, GNTTABOP_copy, ARG, 1U);
        break;
    }
    default: {
        /* Proxenos refuses transfers, whatever the entry says. */
        struct transfer_arg t = { 0 };
        long rc;

        t.mfn = PAGE(DATA_PAGE) >> 12;
        t.domid = pick_dom(in, o, s);
        t.ref = fin_below(in, NR_REFS);
        put(s, ARG, &t, sizeof(t));
        rc = call(s, __HYPERVISOR_grant_table_op, GNTTABOP_transfer, ARG, 1U);
        get(s, ARG, &t, sizeof(t));
        FUZZ_ASSERT((rc != 0) || (t.status != GNTST_okay));
        break;
    }
    }
}

static void unmap_all(struct side *s)
{
    while (s->nr_handles != 0U) {
        struct gnttab_unmap_grant_ref u = { 0 };

        s->nr_handles--;
        u.handle = s->handles[s->nr_handles];
        u.host_addr = s->handle_addr[s->nr_handles];
        put(s, ARG, &u, sizeof(u));
        FUZZ_ASSERT(call(s, __HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, ARG, 1U) == 0);
        get(s, ARG, &u, sizeof(u));
        FUZZ_ASSERT(u.status == GNTST_okay);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in;

    fuzz_env_init_once();
    fuzz_env_begin();
    memset(sides, 0, sizeof(sides));
    sides[0].d = make(0U, "Domain-0", true);
    sides[1].d = make(1U, "domU", false);

    fin_init(&in, data, size);
    for (unsigned int n = 0U; (n < MAX_OPS) && !fin_done(&in); n++) {
        uint8_t op = fin_u8(&in);
        struct side *s = &sides[op & 1U];
        struct side *o = &sides[(op & 1U) ^ 1U];

        if ((op & 2U) == 0U) {
            op_evtchn(&in, s, o, (uint8_t)((op >> 2) % 7U));
        } else {
            op_grant(&in, s, o, (uint8_t)((op >> 2) % 6U));
        }
        check();
    }

    unmap_all(&sides[0]);
    unmap_all(&sides[1]);
    check();
    fuzz_env_end();
    return 0;
}
