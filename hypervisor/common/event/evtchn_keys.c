/* The 'e' debug key: every domain's bound ports and, per vCPU, what its
 * upcall path holds. When a guest waits for an event that never comes,
 * this tells a port left masked or unlinked from an upcall the guest has
 * not taken. Lines follow Xen's dump ("port [p/m/s]: s= n= x= ..."). */
#include <proxenos/keyhandler.h>
#include <proxenos/printk.h>
#include "evtchn_internal.h"

/* Xen's third column: the 2-level selector bit, or FIFO's LINKED flag
 * and link. */
static void dump_port(const struct domain *d, const struct evtchn *chn)
{
    const struct vcpu *v = evtchn_domain_vcpu(d, chn->notify_vcpu);
    unsigned int pending = evtchn_is_pending(d, chn) ? 1U : 0U;
    unsigned int masked = evtchn_is_masked(d, chn) ? 1U : 0U;
    char third[24];
    char tail[32];

    if (d->evtchn->fifo != NULL) {
        event_word_t w = evtchn_fifo_word(d, chn);

        (void)snprintf(third, sizeof(third), "%c %u",
                       ((w & (1U << EVTCHN_FIFO_LINKED)) != 0U) ? 'l' : '-',
                       (unsigned int)(w & EVTCHN_FIFO_LINK_MASK));
    } else {
        (void)snprintf(third, sizeof(third), "%u", evtchn_2l_selector_set(v, chn) ? 1U : 0U);
    }
    /* What the state adds: the peer, or the VIRQ. */
    if (chn->state == ECS_UNBOUND) {
        (void)snprintf(tail, sizeof(tail), " d=%u", chn->remote_domid);
    } else if (chn->state == ECS_INTERDOMAIN) {
        (void)snprintf(tail, sizeof(tail), " d=%u p=%u", chn->remote->domain_id, chn->remote_port);
    } else if (chn->state == ECS_VIRQ) {
        (void)snprintf(tail, sizeof(tail), " v=%u", chn->virq);
    } else {
        tail[0] = '\0';
    }
    pr_info("    %4u [%u/%u/%s]: s=%u n=%u x=%u%s\n", chn->port, pending, masked, third,
            chn->state, chn->notify_vcpu, chn->xen_consumer, tail);
}

static void dump_vcpus(const struct domain *d)
{
    for (uint32_t i = 0U; i < d->max_vcpus; i++) {
        const struct vcpu *v = d->vcpu[i];
        const struct evtchn_fifo_control_block *cb = v->evtchn->cb;

        if (v->vcpu_info == NULL) {
            continue;
        }
        pr_info("  vCPU %u: upcall pending %u, selector 0x%llx%s\n", i,
                (unsigned int)v->vcpu_info->evtchn_upcall_pending,
                (unsigned long long)v->vcpu_info->evtchn_pending_sel,
                v->polling ? ", polling" : "");
        if ((d->evtchn->fifo != NULL) && (cb != NULL)) {
            char queues[EVTCHN_FIFO_MAX_QUEUES * 24U];
            size_t at = 0U;

            queues[0] = '\0';
            for (uint32_t q = 0U; q < EVTCHN_FIFO_MAX_QUEUES; q++) {
                if ((cb->head[q] != 0U) || (v->evtchn->queue[q].tail != 0U)) {
                    int n = snprintf(&queues[at], sizeof(queues) - at, " %u:%u/%u", q,
                                     cb->head[q], v->evtchn->queue[q].tail);

                    at += ((n > 0) && ((size_t)n < (sizeof(queues) - at))) ? (size_t)n : 0U;
                }
            }
            pr_info("  vCPU %u: FIFO ready 0x%x, queue head/tail:%s\n", i, cb->ready,
                    (at == 0U) ? " none" : queues);
        }
    }
}

static void dump_domain(struct domain *d)
{
    unsigned long flags;

    if (d->evtchn == NULL) {
        return;
    }
    flags = evtchn_lock(d);
    pr_info("Event channel information for domain %u (%s ABI, %u ports in use):\n",
            d->domain_id, (d->evtchn->fifo != NULL) ? "FIFO" : "2-level", d->evtchn->active);
    dump_vcpus(d);
    pr_info("    port [p/m/s]\n");
    for (uint32_t port = 1U; port < d->evtchn->valid_ports; port++) {
        const struct evtchn *chn = evtchn_from_port(d, port);

        if ((chn != NULL) && (chn->state != ECS_FREE)) {
            dump_port(d, chn);
        }
    }
    evtchn_unlock(d, flags);
}

static void dump_evtchn_info(char key)
{
    (void)key;
    for (struct domain *d = domain_get_next(NULL); d != NULL; d = domain_get_next(d)) {
        dump_domain(d);
    }
}
KEYHANDLER('e', dump_evtchn_info, "dump evtchn info");
