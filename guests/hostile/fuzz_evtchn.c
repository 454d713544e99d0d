/*
 * Event channel calls on our own domain with fields near their limits:
 * ports around the 2-level and FIFO maxima, vCPUs around our count, VIRQs
 * around the table's end, FIFO control blocks at offsets that leave no
 * room, array pages that are not ours.
 */
#include "hostile.h"

#include <public/event_channel.h>

#define FIFO_MAX_PORTS (1U << 17)

static uint32_t any_port(struct hctx *c)
{
    switch (rnd_below(c, 6U)) {
    case 0U: return rnd_below(c, 16U);
    case 1U: return (uint32_t)rnd_near(c, EVTCHN_2L_NR_CHANNELS);
    case 2U: return (uint32_t)rnd_near(c, FIFO_MAX_PORTS);
    case 3U: return 0xffffffffU - rnd_below(c, 4U);
    default: return rnd_below(c, 80U);
    }
}

static uint32_t any_vcpu(struct hctx *c)
{
    return rnd_chance(c, 4U) ? (uint32_t)rnd_near(c, henv.nr_vcpus) : rnd_below(c, henv.nr_vcpus);
}

static long fifo_call(struct hctx *c, uint32_t cmd, uint64_t a)
{
    void *b;

    if (cmd == EVTCHNOP_init_control) {
        struct evtchn_init_control *ic;

        a = arg_addr(c, &b, sizeof(*ic));
        ic = b;
        ic->control_gfn = wild_gfn(c);
        ic->offset = (uint32_t)rnd_near(c, XEN_PAGE_SIZE - 64U);
        ic->vcpu = any_vcpu(c);
    } else {
        struct evtchn_expand_array *ea;

        a = arg_addr(c, &b, sizeof(*ea));
        ea = b;
        ea->array_gfn = wild_gfn(c);
    }
    return hyp_evtchn_op(cmd, (void *)(uintptr_t)a);
}

long fuzz_evtchn(struct hctx *c)
{
    uint32_t cmd = rnd_below(c, 16U);
    uint32_t *w;
    void *b;
    uint64_t a = arg_addr(c, &b, 32U);

    w = b;
    switch (cmd) {
    case EVTCHNOP_alloc_unbound: {
        struct evtchn_alloc_unbound *u = b;

        u->dom = any_domid(c);
        u->remote_dom = any_domid(c);
        break;
    }
    case EVTCHNOP_bind_interdomain: {
        struct evtchn_bind_interdomain *bi = b;

        bi->remote_dom = any_domid(c);
        bi->remote_port = any_port(c);
        break;
    }
    case EVTCHNOP_bind_virq:
        w[0] = (uint32_t)rnd_near(c, 24U);
        w[1] = any_vcpu(c);
        break;
    case EVTCHNOP_bind_ipi:
    case EVTCHNOP_bind_vcpu:
    case EVTCHNOP_set_priority:
        w[0] = (cmd == EVTCHNOP_bind_ipi) ? any_vcpu(c) : any_port(c);
        w[1] = (cmd == EVTCHNOP_bind_vcpu) ? any_vcpu(c) : (uint32_t)rnd_near(c, 15U);
        break;
    case EVTCHNOP_status: {
        struct evtchn_status *st = b;

        st->dom = any_domid(c);
        st->port = any_port(c);
        break;
    }
    case EVTCHNOP_reset:
        /* closes all our ports: only now and then, so that some live long */
        if (!rnd_chance(c, 16U)) {
            return 0;
        }
        ((struct evtchn_reset *)b)->dom = rnd_chance(c, 2U) ? XEN_DOMID_SELF : any_domid(c);
        break;
    case EVTCHNOP_init_control:
    case EVTCHNOP_expand_array:
        return fifo_call(c, cmd, a);
    default:    /* close, send, unmask, and the unknown and removed commands */
        w[0] = any_port(c);
        break;
    }
    return hyp_evtchn_op(cmd, (void *)(uintptr_t)a);
}
