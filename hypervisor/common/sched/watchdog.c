/* Per-domain watchdogs: see <proxenos/domain_watchdog.h>. The timers live
 * in struct domain and run on CPU 0, as Xen's do; which ones a guest has
 * taken is a bitmap, changed under the domain's lock. */
#include <proxenos/domain.h>
#include <proxenos/domain_watchdog.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/printk.h>
#include <proxenos/spinlock.h>
#include <proxenos/timer.h>

#define WATCHDOG_CPU 0U

/* The guest did not re-arm in time. A domain already stopping (or being
 * destroyed) is left to what stops it. */
static void watchdog_expired(void *data)
{
    struct domain *d = data;
    domain_watchdog_fired_fn fired = READ_ONCE(d->watchdog_fired);

    if (READ_ONCE(d->dying) || (READ_ONCE(d->state) != DOMAIN_RUNNING) || (fired == NULL)) {
        return;
    }
    pr_info("Watchdog timer fired for domain %u\n", d->domain_id);
    fired(d, SHUTDOWN_watchdog);
}

void domain_watchdog_init(struct domain *d)
{
    d->watchdog_in_use = 0U;
    for (unsigned int i = 0U; i < DOMAIN_WATCHDOG_TIMERS; i++) {
        init_timer(&d->watchdog_timer[i], watchdog_expired, d, WATCHDOG_CPU);
    }
}

/* What Xen 4.17 returns when no watchdog is free: its -ENOSPC goes
 * through an unsigned 32-bit conditional, so the guest's x0 holds
 * 0xffffffe4, a positive value. Guests see the same here as on Xen. */
#define NONE_FREE ((long)(uint32_t)-ENOSPC)

/* Take the first free watchdog and arm it: its id, or NONE_FREE. */
static long take_watchdog(struct domain *d, s_time_t expires)
{
    for (unsigned int i = 0U; i < DOMAIN_WATCHDOG_TIMERS; i++) {
        if ((d->watchdog_in_use & (1U << i)) == 0U) {
            d->watchdog_in_use |= 1U << i;
            set_timer(&d->watchdog_timer[i], expires);
            return (long)i + 1L;
        }
    }
    return NONE_FREE;
}

long domain_watchdog_op(struct domain *d, uint32_t id, uint32_t timeout,
                        domain_watchdog_fired_fn fired)
{
    /* Xen arms even a new watchdog of timeout 0: it fires at once. */
    s_time_t expires = NOW() + SECONDS(timeout);
    unsigned long flags;
    unsigned int i;
    long rc = 0;

    if (id > DOMAIN_WATCHDOG_TIMERS) {
        return -EINVAL;
    }
    flags = spin_lock_irqsave(&d->lock);
    WRITE_ONCE(d->watchdog_fired, fired);
    if (id == 0U) {
        rc = take_watchdog(d, expires);
    } else {
        i = id - 1U;
        if ((d->watchdog_in_use & (1U << i)) == 0U) {
            rc = -EINVAL;
        } else if (timeout == 0U) {
            stop_timer(&d->watchdog_timer[i]);
            d->watchdog_in_use &= ~(1U << i);
        } else {
            set_timer(&d->watchdog_timer[i], expires);
        }
    }
    spin_unlock_irqrestore(&d->lock, flags);
    return rc;
}

void domain_watchdog_destroy(struct domain *d)
{
    for (unsigned int i = 0U; i < DOMAIN_WATCHDOG_TIMERS; i++) {
        kill_timer(&d->watchdog_timer[i]);
    }
    d->watchdog_in_use = 0U;
}
