/* The 2-level event-channel ABI: one pending and one mask bit per port in
 * the shared info page (4096 ports), and per vCPU a selector word telling
 * which pending word to look at. The guest changes these bits at any time,
 * so every update is an atomic read-modify-write. */
#include "evtchn_internal.h"

#define BITS_PER_WORD 64U

static bool test_bit(const xen_ulong_t *w, uint32_t bit)
{
    return (__atomic_load_n(w, __ATOMIC_ACQUIRE) & (1UL << bit)) != 0U;
}

static bool test_and_set_bit(xen_ulong_t *w, uint32_t bit)
{
    uint64_t m = 1UL << bit;

    return (__atomic_fetch_or(w, m, __ATOMIC_SEQ_CST) & m) != 0U;
}

static bool test_and_clear_bit(xen_ulong_t *w, uint32_t bit)
{
    uint64_t m = 1UL << bit;

    return (__atomic_fetch_and(w, ~m, __ATOMIC_SEQ_CST) & m) != 0U;
}

/* Whether the port has bits (shared info present, port in range). */
static bool port_ok(const struct domain *d, const struct evtchn *chn)
{
    return (d->shared_info != NULL) && (chn->port < EVTCHN_2L_NR_CHANNELS);
}

void evtchn_2l_set_pending(struct domain *d, struct vcpu *v, const struct evtchn *chn,
                           struct evtchn_notify *n)
{
    struct shared_info *si = d->shared_info;
    uint32_t word = chn->port / BITS_PER_WORD;
    uint32_t bit = chn->port % BITS_PER_WORD;

    if (!port_ok(d, chn) || test_and_set_bit(&si->evtchn_pending[word], bit)) {
        return;
    }
    /* Order: pending, then mask, then selector, as the guest reads them
     * the other way round. */
    if (!test_bit(&si->evtchn_mask[word], bit) &&
        !test_and_set_bit(&v->vcpu_info->evtchn_pending_sel, word)) {
        evtchn_notify_upcall(n, v);
    }
    evtchn_notify_poll(n);
}

void evtchn_2l_clear_pending(struct domain *d, const struct evtchn *chn)
{
    if (port_ok(d, chn)) {
        (void)test_and_clear_bit(&d->shared_info->evtchn_pending[chn->port / BITS_PER_WORD],
                                 chn->port % BITS_PER_WORD);
    }
}

void evtchn_2l_unmask(struct domain *d, const struct evtchn *chn, struct evtchn_notify *n)
{
    struct shared_info *si = d->shared_info;
    struct vcpu *v = evtchn_domain_vcpu(d, chn->notify_vcpu);
    uint32_t word = chn->port / BITS_PER_WORD;
    uint32_t bit = chn->port % BITS_PER_WORD;

    if (!port_ok(d, chn) || (v == NULL)) {
        return;
    }
    if (test_and_clear_bit(&si->evtchn_mask[word], bit) &&
        test_bit(&si->evtchn_pending[word], bit) &&
        !test_and_set_bit(&v->vcpu_info->evtchn_pending_sel, word)) {
        evtchn_notify_upcall(n, v);
    }
}

bool evtchn_2l_is_pending(const struct domain *d, const struct evtchn *chn)
{
    return port_ok(d, chn) &&
           test_bit(&d->shared_info->evtchn_pending[chn->port / BITS_PER_WORD],
                    chn->port % BITS_PER_WORD);
}

bool evtchn_2l_is_masked(const struct domain *d, const struct evtchn *chn)
{
    return !port_ok(d, chn) ||
           test_bit(&d->shared_info->evtchn_mask[chn->port / BITS_PER_WORD],
                    chn->port % BITS_PER_WORD);
}

bool evtchn_2l_selector_set(const struct vcpu *v, const struct evtchn *chn)
{
    return (v != NULL) && (v->vcpu_info != NULL) &&
           test_bit(&v->vcpu_info->evtchn_pending_sel, chn->port / BITS_PER_WORD);
}
