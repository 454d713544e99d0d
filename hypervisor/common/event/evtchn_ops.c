/* Event channels: the EVTCHNOP_* sub-operations once their argument is
 * copied in. Error codes and their order follow Xen 4.17 (with Xen's
 * default XSM policy: acting on another domain needs privilege, i.e.
 * dom0). */
#include "evtchn_internal.h"
#include <proxenos/errno.h>
#include <proxenos/evtchn.h>
#include <proxenos/nospec.h>

/* Xen on Arm: a pirq is below nr_pirqs (NR_IRQS, 1024) or -EINVAL; below
 * it, Arm never has the pirq structure, so binding fails with -ENOMEM. */
#define EVTCHN_ARM_NR_PIRQS 1024U

/* EVTCHNOP_reset closes this many ports per hypercall before it lets
 * other work run (-ERESTART). */
#define RESET_BATCH 1024U

bool evtchn_virq_is_global(uint32_t virq)
{
    switch (virq) {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    default:
        /* Everything else, the arch VIRQs included on Arm. */
        return true;
    }
}

struct domain *evtchn_domain_by_any_id(struct domain *cur, uint16_t id)
{
    struct domain *d = domain_get_any(cur, id);

    if ((d != NULL) && (d->evtchn == NULL)) {
        domain_put_any(cur, d);
        d = NULL;
    }
    return d;
}

/* Xen's default policy for "the caller acts on d". */
static bool may_act_on(const struct domain *cur, const struct domain *d)
{
    return (cur == d) || cur->is_privileged;
}

/* An unbound port of d that remote may bind; allowed: whether the caller
 * may act on d (checked once the port exists, as Xen's XSM hook is). The
 * port or a negative error. */
static int alloc_unbound(struct domain *d, domid_t remote, bool allowed)
{
    unsigned long flags = evtchn_lock(d);
    int port = evtchn_get_free_port(d);

    if ((port >= 0) && !allowed) {
        port = -EPERM;
    } else if (port >= 0) {
        struct evtchn *chn = evtchn_from_port(d, (uint32_t)port);

        evtchn_bind_port(d, chn, (uint8_t)ECS_UNBOUND, 0U);
        chn->remote_domid = remote;
    } else {
        /* no free port: port holds the error */
    }
    evtchn_unlock(d, flags);
    return port;
}

int evtchn_op_alloc_unbound(struct domain *cur, struct evtchn_alloc_unbound *a)
{
    struct domain *d = evtchn_domain_by_any_id(cur, a->dom);
    domid_t remote = (a->remote_dom == (uint16_t)DOMID_SELF) ? cur->domain_id : a->remote_dom;
    int port;

    if (d == NULL) {
        return -ESRCH;
    }
    port = alloc_unbound(d, remote, may_act_on(cur, d));
    domain_put_any(cur, d);
    if (port < 0) {
        return port;
    }
    a->port = (uint32_t)port;
    return 0;
}

int evtchn_alloc_unbound(struct domain *d, domid_t remote_dom, evtchn_port_t *port)
{
    /* The hypervisor has no domain id of its own: DOMID_SELF is d. */
    domid_t remote = (remote_dom == (domid_t)DOMID_SELF) ? d->domain_id : remote_dom;
    int p;

    if (d->evtchn == NULL) {
        return -ESRCH;
    }
    p = alloc_unbound(d, remote, true);
    if (p < 0) {
        return p;
    }
    *port = (evtchn_port_t)p;
    return 0;
}

unsigned long evtchn_lock_pair(struct domain *a, struct domain *b)
{
    unsigned long flags;

    if (a == b) {
        return evtchn_lock(a);
    }
    if (a->domain_id < b->domain_id) {
        flags = evtchn_lock(a);
        spin_lock(&b->evtchn->lock);
    } else {
        flags = evtchn_lock(b);
        spin_lock(&a->evtchn->lock);
    }
    return flags;
}

void evtchn_unlock_pair(struct domain *a, struct domain *b, unsigned long flags)
{
    if (a == b) {
        evtchn_unlock(a, flags);
    } else if (a->domain_id < b->domain_id) {
        spin_unlock(&b->evtchn->lock);
        evtchn_unlock(a, flags);
    } else {
        spin_unlock(&a->evtchn->lock);
        evtchn_unlock(b, flags);
    }
}

int evtchn_op_bind_interdomain(struct domain *ld, struct evtchn_bind_interdomain *b)
{
    struct domain *rd = evtchn_domain_by_any_id(ld, b->remote_dom);
    struct evtchn_notify n;
    unsigned long flags;
    int lport;
    int rc = 0;

    if (rd == NULL) {
        return -ESRCH;
    }
    evtchn_notify_init(&n, ld);
    flags = evtchn_lock_pair(ld, rd);
    lport = evtchn_get_free_port(ld);
    if (lport < 0) {
        rc = lport;
    } else {
        struct evtchn *lchn = evtchn_from_port(ld, (uint32_t)lport);
        struct evtchn *rchn = rd->evtchn->dying ? NULL : evtchn_from_port(rd, b->remote_port);

        if ((rchn == NULL) || (rchn->state != (uint8_t)ECS_UNBOUND) ||
            (rchn->remote_domid != ld->domain_id)) {
            rc = -EINVAL;
        } else {
            evtchn_bind_port(ld, lchn, (uint8_t)ECS_INTERDOMAIN, 0U);
            lchn->remote = rd;
            lchn->remote_port = b->remote_port;
            rchn->state = (uint8_t)ECS_INTERDOMAIN;
            rchn->remote = ld;
            rchn->remote_port = (uint32_t)lport;
            /* The peer may have sent while its port was unbound: raise
             * the new port once so nothing is lost. */
            evtchn_set_pending(ld, lchn->notify_vcpu, lchn, &n);
            b->local_port = (uint32_t)lport;
        }
    }
    evtchn_unlock_pair(ld, rd, flags);
    evtchn_notify_flush(&n);
    domain_put_any(ld, rd);
    return rc;
}

int evtchn_op_bind_virq(struct domain *d, struct evtchn_bind_virq *b)
{
    struct vcpu *v;
    uint32_t virq = b->virq;
    unsigned long flags;
    int port;
    int rc = 0;

    if (virq >= (uint32_t)NR_VIRQS) {
        return -EINVAL;
    }
    virq = (uint32_t)array_index_nospec(virq, NR_VIRQS);
    if (evtchn_virq_is_global(virq) && (b->vcpu != 0U)) {
        return -EINVAL;
    }
    v = evtchn_domain_vcpu(d, b->vcpu);
    if (v == NULL) {
        return -ENOENT;
    }
    flags = evtchn_lock(d);
    if (v->evtchn->virq_to_port[virq] != 0U) {
        rc = -EEXIST;
    } else {
        port = evtchn_get_free_port(d);
        if (port < 0) {
            rc = port;
        } else {
            struct evtchn *chn = evtchn_from_port(d, (uint32_t)port);

            evtchn_bind_port(d, chn, (uint8_t)ECS_VIRQ, (uint16_t)v->vcpu_id);
            chn->virq = (uint8_t)virq;
            v->evtchn->virq_to_port[virq] = (uint32_t)port;
            b->port = (uint32_t)port;
        }
    }
    evtchn_unlock(d, flags);
    return rc;
}

int evtchn_op_bind_ipi(struct domain *d, struct evtchn_bind_ipi *b)
{
    const struct vcpu *v = evtchn_domain_vcpu(d, b->vcpu);
    unsigned long flags;
    int port;
    int rc = 0;

    if (v == NULL) {
        return -ENOENT;
    }
    flags = evtchn_lock(d);
    port = evtchn_get_free_port(d);
    if (port < 0) {
        rc = port;
    } else {
        evtchn_bind_port(d, evtchn_from_port(d, (uint32_t)port), (uint8_t)ECS_IPI,
                         (uint16_t)v->vcpu_id);
        b->port = (uint32_t)port;
    }
    evtchn_unlock(d, flags);
    return rc;
}

int evtchn_op_bind_pirq(struct domain *d, const struct evtchn_bind_pirq *b)
{
    unsigned long flags;
    int rc;

    if (b->pirq >= EVTCHN_ARM_NR_PIRQS) {
        return -EINVAL;
    }
    /* Xen takes a port first, then finds no pirq structure and frees it. */
    flags = evtchn_lock(d);
    rc = evtchn_get_free_port(d);
    evtchn_unlock(d, flags);
    return (rc < 0) ? rc : -ENOMEM;
}

int evtchn_close_port(struct domain *d, evtchn_port_t port, bool guest)
{
    unsigned long flags;
    struct domain *peer = evtchn_lock_with_peer(d, port, &flags);
    struct evtchn *chn = evtchn_from_port(d, port);
    struct evtchn_notify n;
    int rc = 0;

    evtchn_notify_init(&n, d);
    if ((chn == NULL) || (guest && evtchn_is_xen(chn))) {
        rc = -EINVAL;
    } else {
        switch (chn->state) {
        case ECS_UNBOUND:
        case ECS_IPI:
            evtchn_free_port(d, chn);
            break;
        case ECS_VIRQ: {
            uint32_t vid = evtchn_virq_is_global(chn->virq) ? 0U : chn->notify_vcpu;
            struct vcpu *v = evtchn_domain_vcpu(d, vid);

            if (v != NULL) {
                v->evtchn->virq_to_port[array_index_nospec(chn->virq, NR_VIRQS)] = 0U;
            }
            evtchn_free_port(d, chn);
            break;
        }
        case ECS_INTERDOMAIN: {
            struct domain *rd = (peer != NULL) ? peer : d;
            struct evtchn *rchn = evtchn_from_port(rd, chn->remote_port);

            evtchn_free_port(d, chn);
            /* The other end waits for a new partner: us again. */
            if (rchn != NULL) {
                rchn->state = (uint8_t)ECS_UNBOUND;
                rchn->remote = NULL;
                rchn->remote_domid = d->domain_id;
                if (evtchn_is_xen(rchn)) {
                    /* Its device learns that nobody listens any more. */
                    n.d = rd;
                    evtchn_notify_consumer(&n, rchn);
                }
            }
            break;
        }
        default:
            rc = -EINVAL;   /* free or reserved */
            break;
        }
    }
    evtchn_unlock_with_peer(d, peer, flags);
    evtchn_notify_flush(&n);
    return rc;
}

int evtchn_op_send(struct domain *ld, evtchn_port_t port)
{
    unsigned long flags;
    struct domain *peer = evtchn_lock_with_peer(ld, port, &flags);
    struct evtchn *chn = evtchn_from_port(ld, port);
    struct evtchn_notify n;
    int rc = 0;

    evtchn_notify_init(&n, ld);
    if ((chn == NULL) || evtchn_is_xen(chn)) {
        rc = -EINVAL;   /* the hypervisor sends on its own ports */
    } else if (chn->state == (uint8_t)ECS_INTERDOMAIN) {
        struct domain *rd = (peer != NULL) ? peer : ld;
        struct evtchn *rchn = evtchn_from_port(rd, chn->remote_port);

        n.d = rd;
        if ((rchn != NULL) && evtchn_is_xen(rchn)) {
            evtchn_notify_consumer(&n, rchn);
        } else if (rchn != NULL) {
            evtchn_set_pending(rd, rchn->notify_vcpu, rchn, &n);
        } else {
            /* the peer's port has no storage: cannot happen while bound */
        }
    } else if (chn->state == (uint8_t)ECS_IPI) {
        evtchn_set_pending(ld, chn->notify_vcpu, chn, &n);
    } else if (chn->state == (uint8_t)ECS_UNBOUND) {
        /* Nobody listens yet: dropped, as Xen does. */
    } else {
        rc = -EINVAL;
    }
    evtchn_unlock_with_peer(ld, peer, flags);
    evtchn_notify_flush(&n);
    return rc;
}

int evtchn_op_status(struct domain *cur, struct evtchn_status *s)
{
    struct domain *d = evtchn_domain_by_any_id(cur, s->dom);
    const struct evtchn *chn;
    unsigned long flags;
    int rc = 0;

    if (d == NULL) {
        return -ESRCH;
    }
    flags = evtchn_lock(d);
    chn = evtchn_from_port(d, s->port);
    if (chn == NULL) {
        rc = -EINVAL;
    } else if (evtchn_is_xen(chn)) {
        rc = -EACCES;   /* Xen's answer, asked before the privilege */
    } else if (!may_act_on(cur, d)) {
        rc = -EPERM;
    } else {
        switch (chn->state) {
        case ECS_UNBOUND:
            s->status = EVTCHNSTAT_unbound;
            s->u.unbound.dom = chn->remote_domid;
            break;
        case ECS_INTERDOMAIN:
            s->status = EVTCHNSTAT_interdomain;
            s->u.interdomain.dom = chn->remote->domain_id;
            s->u.interdomain.port = chn->remote_port;
            break;
        case ECS_VIRQ:
            s->status = EVTCHNSTAT_virq;
            s->u.virq = chn->virq;
            break;
        case ECS_IPI:
            s->status = EVTCHNSTAT_ipi;
            break;
        default:
            s->status = EVTCHNSTAT_closed;  /* free or reserved */
            break;
        }
        s->vcpu = chn->notify_vcpu;
    }
    evtchn_unlock(d, flags);
    domain_put_any(cur, d);
    return rc;
}

int evtchn_op_bind_vcpu(struct domain *d, evtchn_port_t port, uint32_t vcpu_id)
{
    const struct vcpu *v = evtchn_domain_vcpu(d, vcpu_id);
    struct evtchn *chn;
    unsigned long flags;
    int rc = 0;

    if (v == NULL) {
        return -ENOENT;
    }
    flags = evtchn_lock(d);
    chn = evtchn_from_port(d, port);
    if ((chn == NULL) || evtchn_is_xen(chn)) {
        rc = -EINVAL;
    } else if ((chn->state == (uint8_t)ECS_UNBOUND) ||
               (chn->state == (uint8_t)ECS_INTERDOMAIN) ||
               ((chn->state == (uint8_t)ECS_VIRQ) && evtchn_virq_is_global(chn->virq))) {
        chn->notify_vcpu = (uint16_t)v->vcpu_id;
    } else {
        rc = -EINVAL;
    }
    evtchn_unlock(d, flags);
    return rc;
}

int evtchn_op_unmask(struct domain *d, evtchn_port_t port)
{
    struct evtchn_notify n;
    struct evtchn *chn;
    unsigned long flags;
    int rc = 0;

    evtchn_notify_init(&n, d);
    flags = evtchn_lock(d);
    chn = evtchn_from_port(d, port);
    if (chn == NULL) {
        rc = -EINVAL;
    } else {
        evtchn_unmask_port(d, chn, &n);
    }
    evtchn_unlock(d, flags);
    evtchn_notify_flush(&n);
    return rc;
}

int evtchn_op_set_priority(struct domain *d, evtchn_port_t port, uint32_t priority)
{
    struct evtchn *chn;
    unsigned long flags;
    int rc = 0;

    flags = evtchn_lock(d);
    chn = evtchn_from_port(d, port);
    if (chn == NULL) {
        rc = -EINVAL;
    } else if (d->evtchn->fifo == NULL) {
        rc = -ENOSYS;
    } else if (!evtchn_usable(chn)) {
        rc = -EACCES;
    } else if (priority > EVTCHN_FIFO_PRIORITY_MIN) {
        rc = -EINVAL;
    } else {
        /* Future events use the new queue; a linked one stays where it is. */
        chn->priority = (uint8_t)priority;
    }
    evtchn_unlock(d, flags);
    return rc;
}

int evtchn_op_reset(struct domain *cur, struct domain *d, bool resuming)
{
    struct evtchn_domain *ed = d->evtchn;
    unsigned long flags;
    uint32_t port;
    uint32_t done = 0U;
    int rc = 0;

    /* Another domain only while its controller holds it paused, which
     * here means still being built. */
    if ((d != cur) && (d->state != DOMAIN_BUILDING)) {
        return -EINVAL;
    }
    flags = evtchn_lock(d);
    if (resuming) {
        port = ed->reset_next;
    } else {
        port = (ed->reset_next == 0U) ? 1U : 0U;
    }
    if (port > ed->reset_next) {
        ed->reset_next = port;
    }
    evtchn_unlock(d, flags);
    if (port == 0U) {
        return -EBUSY;
    }

    /* The hypervisor's ports stay: the guest cannot close them (nor
     * does a reset), so they do not count as left to close. */
    while ((port < __atomic_load_n(&ed->valid_ports, __ATOMIC_ACQUIRE)) &&
           (__atomic_load_n(&ed->active, __ATOMIC_ACQUIRE) >
            __atomic_load_n(&ed->xen_ports, __ATOMIC_ACQUIRE))) {
        int crc = evtchn_close_port(d, port, true);

        (void)crc;  /* -EINVAL: the port was free or the hypervisor's */
        port++;
        done++;
        if (done >= RESET_BATCH) {
            flags = evtchn_lock(d);
            ed->reset_next = port;
            evtchn_unlock(d, flags);
            return -ERESTART;
        }
    }

    flags = evtchn_lock(d);
    ed->reset_next = 0U;
    if (ed->active > ed->xen_ports) {
        rc = -EAGAIN;   /* bound again while we closed */
    } else if (ed->fifo != NULL) {
        evtchn_fifo_destroy(d);
    } else {
        /* already 2-level */
    }
    evtchn_unlock(d, flags);
    return rc;
}
