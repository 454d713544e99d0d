/* The FIFO event-channel ABI: one 32-bit word per port in guest pages (the
 * event array), per vCPU a control block with a READY bit and a queue head
 * per priority. Pending, unmasked ports are appended to their queue by
 * writing the new port into the LINK field of the queue's tail word.
 *
 * Every word lives in guest memory and the guest changes it concurrently,
 * or maliciously: words are only touched with atomics, a compare-exchange
 * loop gives up after a fixed number of tries, and the hypervisor never
 * follows a LINK the guest wrote (it keeps each queue's tail itself). A
 * guest that scribbles over its own words can lose its own events; it
 * cannot make the hypervisor loop or access anything but its pinned
 * pages. */
#include "evtchn_internal.h"
#include <proxenos/errno.h>
#include <proxenos/nospec.h>
#include <proxenos/string.h>
#include <proxenos/xmalloc.h>

#define BIT(n) (1U << (n))
#define LINK_TRIES 4U

static bool word_test(const event_word_t *w, uint32_t bit)
{
    return (__atomic_load_n(w, __ATOMIC_ACQUIRE) & BIT(bit)) != 0U;
}

static bool word_test_and_set(event_word_t *w, uint32_t bit)
{
    return (__atomic_fetch_or(w, BIT(bit), __ATOMIC_SEQ_CST) & BIT(bit)) != 0U;
}

static void word_clear(event_word_t *w, uint32_t bit)
{
    (void)__atomic_fetch_and(w, ~BIT(bit), __ATOMIC_SEQ_CST);
}

/* The event word of port, NULL if the event array does not cover it. */
static event_word_t *word_from_port(const struct domain *d, uint32_t port)
{
    const struct evtchn_fifo_domain *f = d->evtchn->fifo;
    uint64_t p;

    if ((f == NULL) || (port >= f->nr_words)) {
        return NULL;
    }
    p = array_index_nospec(port, f->nr_words);
    return &((event_word_t *)f->page[p / EVTCHN_FIFO_WORDS_PER_PAGE].va)
        [p % EVTCHN_FIFO_WORDS_PER_PAGE];
}

/* 1: LINK set; 0: the word is no longer LINKED (the guest consumed it);
 * -1: the word changed under us (*w holds its new value). */
static int try_set_link(event_word_t *word, event_word_t *w, uint32_t link)
{
    event_word_t expected = *w;
    event_word_t desired;

    if ((expected & BIT(EVTCHN_FIFO_LINKED)) == 0U) {
        return 0;
    }
    desired = (expected & ~(BIT(EVTCHN_FIFO_BUSY) | EVTCHN_FIFO_LINK_MASK)) | link;
    if (__atomic_compare_exchange_n(word, &expected, desired, false, __ATOMIC_SEQ_CST,
                                    __ATOMIC_SEQ_CST)) {
        return 1;
    }
    *w = expected;
    return -1;
}

/* Point the tail word at link if it is still LINKED. The guest may only
 * mask, unmask, clear PENDING or unlink a linked word; BUSY holds off its
 * unmasking, so a well-behaved guest makes a few tries enough. A guest
 * that keeps changing the word loses the event. */
static bool set_link(event_word_t *word, uint32_t link)
{
    event_word_t w = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    int ret = try_set_link(word, &w, link);

    if (ret >= 0) {
        return ret == 1;
    }
    (void)word_test_and_set(word, EVTCHN_FIFO_BUSY);
    w = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0U; i < LINK_TRIES; i++) {
        ret = try_set_link(word, &w, link);
        if (ret >= 0) {
            if (ret == 0) {
                word_clear(word, EVTCHN_FIFO_BUSY);
            }
            return ret == 1;
        }
    }
    word_clear(word, EVTCHN_FIFO_BUSY);
    return true;
}

void evtchn_fifo_set_pending(struct domain *d, struct vcpu *v, struct evtchn *chn,
                             struct evtchn_notify *n)
{
    event_word_t *word = word_from_port(d, chn->port);
    struct evtchn_vcpu *ev = v->evtchn;
    struct evtchn_fifo_queue *q;
    struct evtchn_fifo_queue *old_q;
    const struct vcpu *old_v;
    bool linked = true;

    if (word == NULL) {
        /* No page for it yet: raised when expand_array adds one. */
        chn->fifo_pending = true;
        return;
    }
    if (!word_test_and_set(word, EVTCHN_FIFO_PENDING)) {
        evtchn_notify_poll(n);
    }
    /* No control block for v yet: nothing to link into, and a guest must
     * not unmask before it has one. The event stays PENDING in its word,
     * as on Xen, so the guest's unmask once v is set up delivers it. */
    if (ev->cb == NULL) {
        return;
    }
    q = &ev->queue[array_index_nospec(chn->priority, EVTCHN_FIFO_MAX_QUEUES)];
    old_v = evtchn_domain_vcpu(d, chn->last_vcpu);
    old_q = (old_v != NULL)
        ? &old_v->evtchn->queue[array_index_nospec(chn->last_priority, EVTCHN_FIFO_MAX_QUEUES)]
        : q;

    if (!word_test(word, EVTCHN_FIFO_MASKED) && !word_test_and_set(word, EVTCHN_FIFO_LINKED)) {
        /* It was the old queue's tail: that queue is empty now, and must
         * not link anything after it. */
        if (old_q->tail == chn->port) {
            old_q->tail = 0U;
        }
        if (old_q != q) {
            chn->last_vcpu = (uint16_t)v->vcpu_id;
            chn->last_priority = chn->priority;
        }
        linked = false;
        if (q->tail != 0U) {
            event_word_t *tail_word = word_from_port(d, q->tail);

            if (tail_word != NULL) {
                linked = set_link(tail_word, chn->port);
            }
        }
        if (!linked) {
            __atomic_store_n(q->head, chn->port, __ATOMIC_RELEASE);
        }
        q->tail = chn->port;
    }
    if (!linked && !word_test_and_set(&ev->cb->ready, chn->priority)) {
        evtchn_notify_upcall(n, v);
    }
}

void evtchn_fifo_clear_pending(struct domain *d, const struct evtchn *chn)
{
    event_word_t *word = word_from_port(d, chn->port);

    /* The guest unlinks words that are no longer pending itself. */
    if (word != NULL) {
        word_clear(word, EVTCHN_FIFO_PENDING);
    }
}

void evtchn_fifo_unmask(struct domain *d, struct evtchn *chn, struct evtchn_notify *n)
{
    struct vcpu *v = evtchn_domain_vcpu(d, chn->notify_vcpu);
    event_word_t *word = word_from_port(d, chn->port);

    if ((word == NULL) || (v == NULL)) {
        return;
    }
    word_clear(word, EVTCHN_FIFO_MASKED);
    if (word_test(word, EVTCHN_FIFO_PENDING)) {
        evtchn_fifo_set_pending(d, v, chn, n);
    }
}

bool evtchn_fifo_is_pending(const struct domain *d, const struct evtchn *chn)
{
    const event_word_t *word = word_from_port(d, chn->port);

    return (word != NULL) && word_test(word, EVTCHN_FIFO_PENDING);
}

bool evtchn_fifo_is_busy(const struct domain *d, const struct evtchn *chn)
{
    const event_word_t *word = word_from_port(d, chn->port);

    return (word != NULL) && word_test(word, EVTCHN_FIFO_LINKED);
}

event_word_t evtchn_fifo_word(const struct domain *d, const struct evtchn *chn)
{
    const event_word_t *word = word_from_port(d, chn->port);

    return (word != NULL) ? __atomic_load_n(word, __ATOMIC_ACQUIRE) : 0U;
}

bool evtchn_fifo_is_masked(const struct domain *d, const struct evtchn *chn)
{
    const event_word_t *word = word_from_port(d, chn->port);

    return (word == NULL) || word_test(word, EVTCHN_FIFO_MASKED);
}

static void reset_queues(struct evtchn_vcpu *ev)
{
    for (uint32_t i = 0U; i < EVTCHN_FIFO_MAX_QUEUES; i++) {
        ev->queue[i].head = NULL;
        ev->queue[i].tail = 0U;
    }
}

static int map_control_block(struct domain *d, struct vcpu *v, uint64_t gfn_nr, uint32_t offset)
{
    struct evtchn_vcpu *ev = v->evtchn;
    int rc;

    if (ev->cb != NULL) {
        return -EINVAL;
    }
    rc = guest_page_get(d, gfn(gfn_nr), &ev->cb_page);
    if (rc != 0) {
        return rc;
    }
    ev->cb = (struct evtchn_fifo_control_block *)((uint8_t *)ev->cb_page.va + offset);
    for (uint32_t i = 0U; i < EVTCHN_FIFO_MAX_QUEUES; i++) {
        ev->queue[i].head = &ev->cb->head[i];
    }
    return 0;
}

/* Ports bound under the 2-level ABI keep their pending state (raised once
 * the event array covers them) and get the default priority. */
static void take_over_2l_ports(struct domain *d)
{
    uint32_t end = d->evtchn->valid_ports;

    if (end > EVTCHN_2L_NR_CHANNELS) {
        end = EVTCHN_2L_NR_CHANNELS;
    }
    for (uint32_t port = 1U; port < end; port++) {
        struct evtchn *chn = evtchn_from_port(d, port);

        if (evtchn_2l_is_pending(d, chn)) {
            chn->fifo_pending = true;
        }
        chn->priority = (uint8_t)EVTCHN_FIFO_PRIORITY_DEFAULT;
    }
}

int evtchn_fifo_init_control(struct domain *d, struct evtchn_init_control *ic)
{
    struct vcpu *v;
    uint32_t offset = ic->offset;
    unsigned long flags;
    int rc;

    ic->link_bits = (uint8_t)EVTCHN_FIFO_LINK_BITS;
    v = evtchn_domain_vcpu(d, ic->vcpu);
    if (v == NULL) {
        return -ENOENT;
    }
    /* Inside one page, 8-byte aligned. */
    if (offset > (PAGE_SIZE - sizeof(struct evtchn_fifo_control_block))) {
        return -EINVAL;
    }
    offset = (uint32_t)array_index_nospec(offset,
                                          PAGE_SIZE - sizeof(struct evtchn_fifo_control_block) + 1U);
    if ((offset & 7U) != 0U) {
        return -EINVAL;
    }

    flags = evtchn_lock(d);
    if (d->evtchn->fifo == NULL) {
        struct evtchn_fifo_domain *f = d->evtchn->fifo_spare;

        if (f != NULL) {
            d->evtchn->fifo_spare = NULL;
        } else {
            f = xzalloc_obj(struct evtchn_fifo_domain);
        }

        if (f == NULL) {
            rc = -ENOMEM;
        } else {
            for (uint32_t i = 0U; i < d->max_vcpus; i++) {
                reset_queues(d->vcpu[i]->evtchn);
            }
            rc = map_control_block(d, v, ic->control_gfn, offset);
            if (rc == 0) {
                take_over_2l_ports(d);
                d->evtchn->fifo = f;
            } else {
                /* Kept: a static domain may try again. */
                d->evtchn->fifo_spare = f;
            }
        }
    } else {
        rc = map_control_block(d, v, ic->control_gfn, offset);
    }
    evtchn_unlock(d, flags);
    return rc;
}

/* A port raised while its word had no page, raised again now that it has
 * one: evtchn_set_pending with the FIFO ABI known to be d's (the
 * dispatcher, evtchn_abi.c, sits above this file). */
static void raise_again(struct domain *d, struct evtchn *chn, struct evtchn_notify *n)
{
    struct vcpu *v = evtchn_domain_vcpu(d, chn->notify_vcpu);

    if ((v != NULL) && evtchn_usable(chn)) {
        evtchn_fifo_set_pending(d, v, chn, n);
    }
}

int evtchn_fifo_expand_array(struct domain *d, const struct evtchn_expand_array *ea)
{
    struct evtchn_fifo_domain *f;
    struct evtchn_notify n;
    unsigned long flags;
    uint32_t first;
    int rc;

    evtchn_notify_init(&n, d);
    flags = evtchn_lock(d);
    f = d->evtchn->fifo;
    if (f == NULL) {
        rc = -EOPNOTSUPP;
    } else if ((f->nr_words / EVTCHN_FIFO_WORDS_PER_PAGE) >= EVTCHN_FIFO_MAX_PAGES) {
        rc = -ENOSPC;
    } else {
        first = f->nr_words;
        rc = guest_page_get(d, gfn(ea->array_gfn), &f->page[first / EVTCHN_FIFO_WORDS_PER_PAGE]);
        if (rc == 0) {
            f->nr_words = first + EVTCHN_FIFO_WORDS_PER_PAGE;
            for (uint32_t port = first; port < f->nr_words; port++) {
                struct evtchn *chn = evtchn_from_port(d, port);

                if (chn == NULL) {
                    break;
                }
                if (chn->fifo_pending) {
                    chn->fifo_pending = false;
                    raise_again(d, chn, &n);
                }
            }
        }
    }
    evtchn_unlock(d, flags);
    evtchn_notify_flush(&n);
    return rc;
}

void evtchn_fifo_destroy(struct domain *d)
{
    struct evtchn_fifo_domain *f = d->evtchn->fifo;

    for (uint32_t i = 0U; i < d->max_vcpus; i++) {
        struct evtchn_vcpu *ev = d->vcpu[i]->evtchn;

        guest_page_put(&ev->cb_page);
        ev->cb = NULL;
        reset_queues(ev);
    }
    if (f != NULL) {
        for (uint32_t i = 0U; i < EVTCHN_FIFO_MAX_PAGES; i++) {
            guest_page_put(&f->page[i]);
        }
        d->evtchn->fifo = NULL;
        if (!d->evtchn->dying && (d->evtchn->fifo_spare == NULL)) {
            /* EVTCHNOP_reset: kept, so a static domain can go back to
             * FIFO without allocating. */
            (void)memset(f, 0, sizeof(*f));
            d->evtchn->fifo_spare = f;
        } else {
            xfree(f);
        }
    }
    if (d->evtchn->dying) {
        xfree(d->evtchn->fifo_spare);
        d->evtchn->fifo_spare = NULL;
    }
}

int evtchn_fifo_prealloc(struct domain *d)
{
    if (d->evtchn->fifo_spare == NULL) {
        d->evtchn->fifo_spare = xzalloc_obj(struct evtchn_fifo_domain);
    }
    return (d->evtchn->fifo_spare == NULL) ? -ENOMEM : 0;
}
