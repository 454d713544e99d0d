/* Event channels, the bottom layer: port storage, locking, and the
 * notifications collected under the locks and delivered after. The ABIs
 * (evtchn_2l.c, evtchn_fifo.c) build on this file; choosing between them
 * and handing ports out is evtchn_abi.c's, the per-domain life cycle
 * evtchn_domain.c's, so calls between the files go one way. See
 * evtchn_internal.h. */
#include "evtchn_internal.h"
#include <proxenos/arch/cpu.h>
#include <proxenos/domain_pv.h>
#include <proxenos/errno.h>
#include <proxenos/evtchn.h>
#include <proxenos/nospec.h>
#include <proxenos/sched.h>
#include <proxenos/xmalloc.h>

_Static_assert(sizeof(struct evtchn) <= 32U, "a bucket of ports is 2 KiB");
_Static_assert(sizeof(struct evtchn_status) == 24U, "evtchn_status layout");
_Static_assert(sizeof(struct evtchn_init_control) == 24U, "evtchn_init_control layout");
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12U, "bind_interdomain layout");
_Static_assert(sizeof(struct evtchn_fifo_control_block) == 72U, "control block layout");

/* ---- Locking ------------------------------------------------------------- */

unsigned long evtchn_lock(struct domain *d)
{
    return spin_lock_irqsave(&d->evtchn->lock);
}

void evtchn_unlock(struct domain *d, unsigned long flags)
{
    spin_unlock_irqrestore(&d->evtchn->lock, flags);
}

/* While d's lock is held and the port is connected to peer, peer cannot
 * finish its destruction (closing the port needs d's lock), so peer may
 * be dereferenced. */
struct domain *evtchn_lock_with_peer(struct domain *d, evtchn_port_t port,
                                     unsigned long *flags)
{
    struct domain *peer = NULL;
    bool done = false;

    while (!done) {
        const struct evtchn *chn;

        *flags = evtchn_lock(d);
        chn = evtchn_from_port(d, port);
        if ((chn == NULL) || (chn->state != (uint8_t)ECS_INTERDOMAIN) || (chn->remote == d)) {
            done = true;
        } else if (chn->remote->domain_id > d->domain_id) {
            peer = chn->remote;
            spin_lock(&peer->evtchn->lock);
            done = true;
        } else if (spin_trylock(&chn->remote->evtchn->lock)) {
            peer = chn->remote;
            done = true;
        } else {
            /* The peer's lock ranks first: back off and let its holder go. */
            evtchn_unlock(d, *flags);
            arch_cpu_relax();
        }
    }
    return peer;
}

void evtchn_unlock_with_peer(struct domain *d, struct domain *peer, unsigned long flags)
{
    if (peer != NULL) {
        spin_unlock(&peer->evtchn->lock);
    }
    evtchn_unlock(d, flags);
}

/* ---- Port storage -------------------------------------------------------- */

struct evtchn *evtchn_from_port(const struct domain *d, evtchn_port_t port)
{
    const struct evtchn_domain *ed = d->evtchn;
    uint64_t p;
    struct evtchn **grp;

    if ((ed == NULL) || (port >= ed->valid_ports)) {
        return NULL;
    }
    p = array_index_nospec(port, ed->valid_ports);
    grp = ed->group[p / EVTCHN_GROUP_PORTS];
    return &grp[(p % EVTCHN_GROUP_PORTS) / EVTCHN_BUCKET_PORTS][p % EVTCHN_BUCKET_PORTS];
}

struct vcpu *evtchn_domain_vcpu(const struct domain *d, uint32_t vcpu_id)
{
    if ((d->vcpu == NULL) || (vcpu_id >= d->max_vcpus)) {
        return NULL;
    }
    return d->vcpu[array_index_nospec(vcpu_id, d->max_vcpus)];
}

uint32_t evtchn_abi_max_ports(const struct domain *d)
{
    return (d->evtchn->fifo != NULL) ? EVTCHN_FIFO_NR_CHANNELS : EVTCHN_2L_NR_CHANNELS;
}

bool evtchn_usable(const struct evtchn *chn)
{
    return chn->state > (uint8_t)ECS_RESERVED;
}

/* One more bucket at valid_ports (its group made if needed). */
int evtchn_grow_storage(struct evtchn_domain *ed)
{
    uint32_t first = ed->valid_ports;
    uint32_t g = first / EVTCHN_GROUP_PORTS;
    struct evtchn *bucket;

    if (g >= EVTCHN_NR_GROUPS) {
        return -ENOSPC;
    }
    if (ed->group[g] == NULL) {
        ed->group[g] = xzalloc_array(struct evtchn *, EVTCHN_GROUP_BUCKETS);
        if (ed->group[g] == NULL) {
            return -ENOMEM;
        }
    }
    bucket = xzalloc_array(struct evtchn, EVTCHN_BUCKET_PORTS);
    if (bucket == NULL) {
        return -ENOMEM;
    }
    for (uint32_t i = 0U; i < EVTCHN_BUCKET_PORTS; i++) {
        bucket[i].port = first + i;
        bucket[i].priority = (uint8_t)EVTCHN_FIFO_PRIORITY_DEFAULT;
    }
    ed->group[g][(first % EVTCHN_GROUP_PORTS) / EVTCHN_BUCKET_PORTS] = bucket;
    ed->valid_ports = first + EVTCHN_BUCKET_PORTS;
    return 0;
}

/* ---- Delivery ------------------------------------------------------------ */

void evtchn_notify_init(struct evtchn_notify *n, struct domain *d)
{
    n->d = d;
    for (uint32_t i = 0U; i < (uint32_t)ARRAY_SIZE(n->mark); i++) {
        n->mark[i] = 0U;
    }
    n->consumer = NULL;
    n->consumer_port = 0U;
    n->poll = false;
    n->held = false;
}

/* Called with n->d's lock held: from here until the flush, n->d's
 * destruction waits for us. */
static void notify_hold(struct evtchn_notify *n)
{
    if (!n->held) {
        (void)__atomic_add_fetch(&n->d->evtchn->inflight, 1U, __ATOMIC_ACQ_REL);
        n->held = true;
    }
}

void evtchn_notify_upcall(struct evtchn_notify *n, const struct vcpu *v)
{
    notify_hold(n);
    n->mark[v->vcpu_id / 64U] |= 1UL << (v->vcpu_id % 64U);
}

void evtchn_notify_poll(struct evtchn_notify *n)
{
    notify_hold(n);
    n->poll = true;
}

/* ---- Hypervisor consumers (evtchn_xen.c binds their ports) ----------------- */

#define NR_CONSUMERS 4U

static evtchn_consumer_fn consumers[NR_CONSUMERS];

/* fn's index + 1, entered on first use; 0 when the table is full. Lock
 * free: two CPUs entering different functions race for a slot with a
 * compare-exchange and the loser moves on. */
uint8_t evtchn_consumer_index(evtchn_consumer_fn fn)
{
    for (uint32_t i = 0U; i < NR_CONSUMERS; i++) {
        evtchn_consumer_fn expected = NULL;

        (void)__atomic_compare_exchange_n(&consumers[i], &expected, fn, false,
                                          __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
        if (__atomic_load_n(&consumers[i], __ATOMIC_ACQUIRE) == fn) {
            return (uint8_t)(i + 1U);
        }
    }
    return 0U;
}

evtchn_consumer_fn evtchn_consumer_of(const struct evtchn *chn)
{
    uint32_t i = (uint32_t)chn->xen_consumer - 1U;

    /* Only ever set from evtchn_consumer_index(): in range. */
    return (i < NR_CONSUMERS) ? __atomic_load_n(&consumers[i], __ATOMIC_ACQUIRE) : NULL;
}

void evtchn_notify_consumer(struct evtchn_notify *n, const struct evtchn *chn)
{
    notify_hold(n);
    n->consumer = evtchn_consumer_of(chn);
    n->consumer_port = chn->port;
}

void evtchn_notify_flush(struct evtchn_notify *n)
{
    struct domain *d = n->d;

    if (!n->held) {
        return;
    }
    /* Still held: d's destruction (and with it the consumer's state) waits
     * until the consumer has returned. */
    if (n->consumer != NULL) {
        n->consumer(d, n->consumer_port);
    }
    for (uint32_t i = 0U; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];

        if ((n->mark[i / 64U] & (1UL << (i % 64U))) != 0U) {
            vcpu_mark_events_pending(v);
        }
        /* SCHEDOP_poll: any newly pending port ends the poll (the guest
         * looks again and polls anew if it was not its port). */
        if (n->poll && __atomic_exchange_n(&v->polling, false, __ATOMIC_ACQ_REL)) {
            vcpu_wake(v);
        }
    }
    n->held = false;
    (void)__atomic_sub_fetch(&d->evtchn->inflight, 1U, __ATOMIC_ACQ_REL);
}

bool evtchn_port_is_valid(struct domain *d, evtchn_port_t port)
{
    bool valid;
    unsigned long flags;

    if (d->evtchn == NULL) {
        return false;
    }
    flags = evtchn_lock(d);
    valid = evtchn_from_port(d, port) != NULL;
    evtchn_unlock(d, flags);
    return valid;
}

/* ---- Storage teardown ------------------------------------------------------ */

void evtchn_free_storage(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;

    for (uint32_t g = 0U; g < EVTCHN_NR_GROUPS; g++) {
        if (ed->group[g] != NULL) {
            for (uint32_t b = 0U; b < EVTCHN_GROUP_BUCKETS; b++) {
                xfree(ed->group[g][b]);
            }
            xfree(ed->group[g]);
            ed->group[g] = NULL;
        }
    }
    if (d->vcpu != NULL) {
        for (uint32_t i = 0U; i < d->max_vcpus; i++) {
            if (d->vcpu[i] != NULL) {
                xfree(d->vcpu[i]->evtchn);
                d->vcpu[i]->evtchn = NULL;
            }
        }
    }
    xfree(ed);
    d->evtchn = NULL;
}
