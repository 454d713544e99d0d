/* The guests' wall clock: one value for the machine, copied into every
 * shared info page under Xen's version protocol (odd while it changes). */
#include <proxenos/wallclock.h>
#include <proxenos/spinlock.h>

#define NSEC_PER_SEC 1000000000ULL

static spinlock_t wc_lock = SPINLOCK_INIT;
static uint64_t wc_sec;
static uint32_t wc_nsec;

static void publish_locked(struct domain *d)
{
    struct shared_info *s = d->shared_info;
    uint32_t ver;

    if (s == NULL) {
        return;
    }
    ver = __atomic_load_n(&s->wc_version, __ATOMIC_RELAXED);
    __atomic_store_n(&s->wc_version, (ver + 1U) | 1U, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    s->wc_sec = (uint32_t)wc_sec;
    s->wc_nsec = wc_nsec;
    s->wc_sec_hi = (uint32_t)(wc_sec >> 32);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&s->wc_version, ((ver + 1U) | 1U) + 1U, __ATOMIC_RELAXED);
}

void wallclock_domain_init(struct domain *d)
{
    unsigned long flags = spin_lock_irqsave(&wc_lock);

    publish_locked(d);
    spin_unlock_irqrestore(&wc_lock, flags);
}

void wallclock_set(uint64_t secs, uint32_t nsecs, uint64_t system_time)
{
    /* Time of day at system time 0; arithmetic wraps as Xen's does. */
    uint64_t x = (secs * NSEC_PER_SEC) + (uint64_t)nsecs - system_time;
    unsigned long flags = spin_lock_irqsave(&wc_lock);

    wc_sec = x / NSEC_PER_SEC;
    wc_nsec = (uint32_t)(x % NSEC_PER_SEC);
    for (struct domain *d = domain_get_next(NULL); d != NULL; d = domain_get_next(d)) {
        publish_locked(d);
    }
    spin_unlock_irqrestore(&wc_lock, flags);
}
