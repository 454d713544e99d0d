/* The domain list and how long a domain lives.
 *
 * The list holds one reference to each domain on it and every lookup adds
 * one, so a domain found by id stays in memory until its finder lets go,
 * even if it is destroyed meanwhile. Destroying takes the domain off the
 * list and marks it dying first (lookups fail from then on), then drops
 * the list's reference. Freeing stops vCPUs, waits for event deliveries
 * and takes allocator locks, which a hypercall in the middle of its work
 * must not do: when domain_put() drops the last reference, the domain is
 * queued and CPU 0 frees it from a timer. */
#include "domain_internal.h"
#include <proxenos/errno.h>
#include <proxenos/timer.h>

static struct domain *domain_list;
static spinlock_t domlist_lock = SPINLOCK_INIT;

/* Domains whose last reference went, linked by next_in_list (they are off
 * the domain list), until free_timer frees them. */
static struct domain *free_queue;
static spinlock_t free_lock = SPINLOCK_INIT;
static struct timer free_timer;
static bool free_timer_ready;

static void free_timer_fn(void *data)
{
    (void)data;
    domain_free_queued();
}

static void ref_get(struct domain *d)
{
    (void)__atomic_add_fetch(&d->refcnt, 1U, __ATOMIC_RELAXED);
}

bool domain_ref_drop(struct domain *d)
{
    /* Release: our last uses of d happen before the free; acquire: the
     * freer sees everyone else's. */
    return __atomic_sub_fetch(&d->refcnt, 1U, __ATOMIC_ACQ_REL) == 0U;
}

int domain_list_add(struct domain *d)
{
    unsigned long flags = spin_lock_irqsave(&domlist_lock);
    struct domain **pp = &domain_list;
    int rc = 0;

    if (!free_timer_ready) {
        /* The first domain is created on CPU 0 at boot. */
        init_timer(&free_timer, free_timer_fn, NULL, 0U);
        free_timer_ready = true;
    }
    while ((*pp != NULL) && ((*pp)->domain_id < d->domain_id)) {
        pp = &(*pp)->next_in_list;
    }
    if ((*pp != NULL) && ((*pp)->domain_id == d->domain_id)) {
        rc = -EEXIST;
    } else {
        __atomic_store_n(&d->refcnt, 1U, __ATOMIC_RELAXED);
        d->dying = false;
        d->next_in_list = *pp;
        *pp = d;
    }
    spin_unlock_irqrestore(&domlist_lock, flags);
    return rc;
}

void domain_unlist(struct domain *d)
{
    unsigned long flags = spin_lock_irqsave(&domlist_lock);
    struct domain **pp = &domain_list;

    d->dying = true;
    while (*pp != NULL) {
        if (*pp == d) {
            *pp = d->next_in_list;
            break;
        }
        pp = &(*pp)->next_in_list;
    }
    d->next_in_list = NULL;
    spin_unlock_irqrestore(&domlist_lock, flags);
}

struct domain *domain_get_by_id(domid_t id)
{
    unsigned long flags = spin_lock_irqsave(&domlist_lock);
    struct domain *d = domain_list;

    while ((d != NULL) && (d->domain_id != id)) {
        d = d->next_in_list;
    }
    if ((d != NULL) && d->dying) {
        d = NULL;
    }
    if (d != NULL) {
        ref_get(d);
    }
    spin_unlock_irqrestore(&domlist_lock, flags);
    return d;
}

struct domain *domain_get_next(struct domain *prev)
{
    unsigned long flags = spin_lock_irqsave(&domlist_lock);
    struct domain *d = domain_list;

    /* By id, not by prev's link: prev may have left the list. */
    while ((d != NULL) && ((prev != NULL) && (d->domain_id <= prev->domain_id))) {
        d = d->next_in_list;
    }
    if (d != NULL) {
        ref_get(d);
    }
    spin_unlock_irqrestore(&domlist_lock, flags);
    if (prev != NULL) {
        domain_put(prev);
    }
    return d;
}

unsigned int domain_count(void)
{
    unsigned long flags = spin_lock_irqsave(&domlist_lock);
    unsigned int n = 0U;

    for (const struct domain *d = domain_list; d != NULL; d = d->next_in_list) {
        n++;
    }
    spin_unlock_irqrestore(&domlist_lock, flags);
    return n;
}

void domain_put(struct domain *d)
{
    unsigned long flags;

    if (!domain_ref_drop(d)) {
        return;
    }
    flags = spin_lock_irqsave(&free_lock);
    d->next_in_list = free_queue;
    free_queue = d;
    spin_unlock_irqrestore(&free_lock, flags);
    set_timer(&free_timer, NOW());
}

void domain_free_queued(void)
{
    for (;;) {
        unsigned long flags = spin_lock_irqsave(&free_lock);
        struct domain *d = free_queue;

        if (d != NULL) {
            free_queue = d->next_in_list;
        }
        spin_unlock_irqrestore(&free_lock, flags);
        if (d == NULL) {
            break;
        }
        domain_free(d);
    }
}
