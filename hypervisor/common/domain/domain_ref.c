/* The domain list and how long a domain lives.
 *
 * The list holds one reference to each domain on it and every lookup adds
 * one, so a domain found by id stays in memory until its finder lets go,
 * even if it is destroyed meanwhile. Destroying takes the domain off the
 * list and marks it dying first (lookups fail from then on), then drops
 * the list's reference. Freeing stops vCPUs, waits for event deliveries
 * and takes allocator locks, which a hypercall in the middle of its work
 * must not do: when domain_put() drops the last reference, the domain is
 * queued and CPU 0 frees it from a timer. Freeing is domain.c's: this file
 * sits below it (everything that holds a reference calls domain_put()), so
 * it names no function of domain.c; the timer's function is handed in.
 *
 * A destroyed domain also goes on a second list, of dying domains, until
 * it is freed: the toolstack still sees it there (flagged dying) and does
 * not give its id to a new domain while it is in memory, as on Xen. A
 * lookup there takes a reference only while the count is not 0 (the last
 * one may be on its way to the free queue). */
#include "domain_internal.h"
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/timer.h>

static struct domain *domain_list;
/* Dying domains still in memory, by id, linked by next_dying. */
static struct domain *dying_list;
static spinlock_t domlist_lock = SPINLOCK_INIT;

/* Domains whose last reference went, linked by next_in_list (they are off
 * the domain list), until free_timer's function (domain.c's) frees them. */
static struct domain *free_queue;
static spinlock_t free_lock = SPINLOCK_INIT;
static struct timer free_timer;
static bool free_timer_ready;

static void ref_get(struct domain *d)
{
    (void)__atomic_add_fetch(&d->refcnt, 1U, __ATOMIC_RELAXED);
}

/* A reference unless the count already reached 0 (the domain is being
 * freed: as good as gone). */
static bool ref_get_live(struct domain *d)
{
    uint32_t old = __atomic_load_n(&d->refcnt, __ATOMIC_RELAXED);

    do {
        if (old == 0U) {
            return false;
        }
    } while (!__atomic_compare_exchange_n(&d->refcnt, &old, old + 1U, false, __ATOMIC_RELAXED,
                                          __ATOMIC_RELAXED));
    return true;
}

bool domain_ref_drop(struct domain *d)
{
    /* Release: our last uses of d happen before the free; acquire: the
     * freer sees everyone else's. */
    return __atomic_sub_fetch(&d->refcnt, 1U, __ATOMIC_ACQ_REL) == 0U;
}

int domain_list_add(struct domain *d, void (*free_fn)(void *data))
{
    unsigned long flags = spin_lock_irqsave(&domlist_lock);
    struct domain **pp = &domain_list;
    int rc = 0;

    if (!free_timer_ready) {
        /* The first domain is created on CPU 0 at boot. */
        init_timer(&free_timer, free_fn, NULL, 0U);
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

bool domain_unlist(struct domain *d)
{
    unsigned long flags = spin_lock_irqsave(&domlist_lock);
    struct domain **pp = &domain_list;

    bool listed = false;

    /* (A domain never listed, or already unlisted, stays as it is.) */
    d->dying = true;
    while (*pp != NULL) {
        if (*pp == d) {
            *pp = d->next_in_list;
            listed = true;
            break;
        }
        pp = &(*pp)->next_in_list;
    }
    d->next_in_list = NULL;
    if (listed) {
        pp = &dying_list;
        while ((*pp != NULL) && ((*pp)->domain_id <= d->domain_id)) {
            pp = &(*pp)->next_dying;
        }
        d->next_dying = *pp;
        *pp = d;
    }
    spin_unlock_irqrestore(&domlist_lock, flags);
    return listed;
}

void domain_forget(struct domain *d)
{
    unsigned long flags = spin_lock_irqsave(&domlist_lock);
    struct domain **pp = &dying_list;

    while ((*pp != NULL) && (*pp != d)) {
        pp = &(*pp)->next_dying;
    }
    if (*pp == d) {
        *pp = d->next_dying;
    }
    d->next_dying = NULL;
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

/* The dying domain with id that is still referenced, with a reference
 * (NULL: none). Under the list lock. */
static struct domain *dying_get_locked(domid_t id)
{
    for (struct domain *d = dying_list; d != NULL; d = d->next_dying) {
        if ((d->domain_id == id) && ref_get_live(d)) {
            return d;
        }
    }
    return NULL;
}

struct domain *domain_get_by_id_dying(domid_t id)
{
    struct domain *d = domain_get_by_id(id);
    unsigned long flags;

    if (d == NULL) {
        flags = spin_lock_irqsave(&domlist_lock);
        d = dying_get_locked(id);
        spin_unlock_irqrestore(&domlist_lock, flags);
    }
    return d;
}

/* The first domain of the live list or of the dying list (dying) with an
 * id above prev_id (any id if first); on the dying list, only one whose
 * count is not 0 yet. Under the list lock. */
static struct domain *first_above(struct domain *list, bool dying, bool first, domid_t prev_id)
{
    struct domain *d = list;

    while ((d != NULL) && ((!first && (d->domain_id <= prev_id)) ||
                           (dying && (__atomic_load_n(&d->refcnt, __ATOMIC_RELAXED) == 0U)))) {
        d = dying ? d->next_dying : d->next_in_list;
    }
    return d;
}

struct domain *domain_get_next_dying(struct domain *prev)
{
    unsigned long flags = spin_lock_irqsave(&domlist_lock);
    domid_t prev_id = (prev != NULL) ? prev->domain_id : 0U;
    struct domain *live = first_above(domain_list, false, prev == NULL, prev_id);
    struct domain *dead = first_above(dying_list, true, prev == NULL, prev_id);
    struct domain *d = live;

    if ((dead != NULL) && ((live == NULL) || (dead->domain_id < live->domain_id))) {
        d = dead;
    }
    /* The count may have reached 0 since first_above() looked. */
    if ((d != NULL) && !ref_get_live(d)) {
        d = NULL;
    }
    spin_unlock_irqrestore(&domlist_lock, flags);
    if (prev != NULL) {
        domain_put(prev);
    }
    return d;
}

bool domain_id_in_use(domid_t id)
{
    unsigned long flags = spin_lock_irqsave(&domlist_lock);
    bool used = false;

    for (const struct domain *d = domain_list; (d != NULL) && !used; d = d->next_in_list) {
        used = (d->domain_id == id);
    }
    for (const struct domain *d = dying_list; (d != NULL) && !used; d = d->next_dying) {
        used = (d->domain_id == id);
    }
    spin_unlock_irqrestore(&domlist_lock, flags);
    return used;
}

unsigned int domain_count_in_memory(void)
{
    unsigned long flags = spin_lock_irqsave(&domlist_lock);
    unsigned int n = 0U;

    for (const struct domain *d = domain_list; d != NULL; d = d->next_in_list) {
        n++;
    }
    for (const struct domain *d = dying_list; d != NULL; d = d->next_dying) {
        n++;
    }
    spin_unlock_irqrestore(&domlist_lock, flags);
    return n;
}

void domain_dump_dying(void)
{
    unsigned long flags = spin_lock_irqsave(&domlist_lock);
    unsigned int n = 0U;

    for (const struct domain *d = dying_list; d != NULL; d = d->next_dying) {
        pr_info("Dying domain %u (%s): %u references, %llu pages\n", d->domain_id, d->name,
                __atomic_load_n(&d->refcnt, __ATOMIC_RELAXED), (unsigned long long)d->tot_pages);
        n++;
    }
    spin_unlock_irqrestore(&domlist_lock, flags);
    pr_info("Domains in memory: %u live, %u dying\n", domain_count(), n);
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

struct domain *domain_free_queue_pop(void)
{
    unsigned long flags = spin_lock_irqsave(&free_lock);
    struct domain *d = free_queue;

    if (d != NULL) {
        free_queue = d->next_in_list;
    }
    spin_unlock_irqrestore(&free_lock, flags);
    return d;
}
