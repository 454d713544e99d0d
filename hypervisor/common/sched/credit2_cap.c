/* credit2's caps, as Xen 4.17 enforces them, and the toolstack's view of
 * its parameters.
 *
 * A capped domain has a budget: cap% of a period (credit2_cap_period_ms,
 * 10 ms) of CPU time, refilled every period. Each of its vCPUs takes a
 * quota from it before running (at most the budget over the number of
 * vCPUs) and is charged for the time it runs; one that finds the budget
 * spent is parked, queued nowhere, until the refill. What a vCPU leaves
 * unused when it stops goes back to the domain. */
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/smp.h>
#include "credit2.h"

static s_time_t period(void)
{
    return MILLISECS(c2_opt_cap_period_ms);
}

/* svc, off the parked list, may be queued again (its CPU's lock held). */
static void requeue(struct sched_pool *p, struct c2_vcpu *svc)
{
    const struct vcpu *v = svc->v;
    unsigned int t;

    if ((v->state != VCPU_RUNNABLE) || svc->on_runq || (svc->rqd == NULL) ||
        (sched_pcpu(v->processor)->curr == v)) {
        return;
    }
    c2_set_counted(svc, true, NOW());
    c2_runq_insert(svc);
    t = c2_runq_tickle(p, svc, NOW());
    if (t != NR_CPUS) {
        sched_tickle(t);
    }
}

/* Unpark every parked vCPU of sdom, each under its CPU's lock. */
static void unpark_all(struct c2_dom *sdom)
{
    for (;;) {
        unsigned long flags = spin_lock_irqsave(&sdom->budget_lock);
        struct c2_vcpu *svc = sdom->parked;
        unsigned long vflags;
        spinlock_t *l;

        spin_unlock_irqrestore(&sdom->budget_lock, flags);
        if (svc == NULL) {
            return;
        }
        l = sched_lock_vcpu(svc->v, &vflags);
        if (svc->parked) {
            c2_unpark(svc);
            requeue(sdom->pool, svc);
        }
        spin_unlock_irqrestore(l, vflags);
    }
}

static void replenish(void *data)
{
    struct c2_dom *sdom = data;
    unsigned long flags;
    s_time_t now = NOW();
    bool refill;

    if (__atomic_load_n(&sdom->cap, __ATOMIC_ACQUIRE) == 0U) {
        return;     /* the cap went while this fired: no more periods */
    }
    flags = spin_lock_irqsave(&sdom->budget_lock);

    do {
        sdom->next_repl += period();
        sdom->budget += sdom->tot_budget;
    } while (sdom->next_repl <= now);
    refill = (sdom->budget > 0);
    if (refill) {
        sdom->budget = MIN(sdom->budget, sdom->tot_budget);
    }
    spin_unlock_irqrestore(&sdom->budget_lock, flags);
    if (refill) {
        unpark_all(sdom);
    }
    set_timer(&sdom->repl_timer, sdom->next_repl);
}

void c2_dom_init(struct c2_dom *sdom)
{
    uint64_t cpus = sched_pool_online_cpus(sdom->pool);
    /* The replenishment timer runs on a CPU of the pool; in a pool that
     * has none yet, on this one, which is online (the pool's first CPU
     * would be a guess that might never come up). */
    unsigned int cpu = (cpus != 0U) ? (unsigned int)__builtin_ctzll(cpus) : arch_cpu_id();

    spin_lock_init(&sdom->budget_lock);
    init_timer(&sdom->repl_timer, replenish, sdom, cpu);
}

void c2_dom_fini(struct c2_dom *sdom)
{
    kill_timer(&sdom->repl_timer);
}

static void park(struct c2_vcpu *svc)
{
    svc->parked = true;
    if (svc->on_runq) {
        c2_runq_remove(svc);
    }
    c2_set_counted(svc, false, NOW());
    svc->parked_next = svc->sdom->parked;
    svc->sdom->parked = svc;
}

bool c2_grab_budget(struct c2_vcpu *svc)
{
    struct c2_dom *sdom = svc->sdom;

    if (svc->budget > 0) {
        return true;
    }
    spin_lock(&sdom->budget_lock);
    /* What it overran is the domain's debt. */
    sdom->budget += svc->budget;
    if (sdom->budget > 0) {
        svc->budget = MIN(svc->budget_quota, sdom->budget);
        sdom->budget -= svc->budget;
    } else {
        svc->budget = 0;
        park(svc);
    }
    spin_unlock(&sdom->budget_lock);
    return svc->budget > 0;
}

void c2_unpark(struct c2_vcpu *svc)
{
    struct c2_dom *sdom = svc->sdom;
    struct c2_vcpu **pp = &sdom->parked;

    spin_lock(&sdom->budget_lock);
    while (*pp != NULL) {
        if (*pp == svc) {
            *pp = svc->parked_next;
            break;
        }
        pp = &(*pp)->parked_next;
    }
    svc->parked_next = NULL;
    svc->parked = false;
    spin_unlock(&sdom->budget_lock);
}

void c2_return_budget(struct sched_pool *p, unsigned int cpu, struct c2_vcpu *svc)
{
    struct c2_dom *sdom = svc->sdom;
    struct c2_vcpu *woken = NULL;

    spin_lock(&sdom->budget_lock);
    sdom->budget += svc->budget;
    svc->budget = 0;
    if (sdom->budget > 0) {
        /* A sibling parked on this run queue may use it now; those on
         * other queues wait for the refill (their locks are not ours). */
        struct c2_vcpu **pp = &sdom->parked;

        while (*pp != NULL) {
            struct c2_vcpu *s = *pp;

            if (c2_rqd(p, s->v->processor) == c2_rqd(p, cpu)) {
                *pp = s->parked_next;
                s->parked = false;
                s->parked_next = woken;
                woken = s;
            } else {
                pp = &s->parked_next;
            }
        }
    }
    spin_unlock(&sdom->budget_lock);
    while (woken != NULL) {
        struct c2_vcpu *s = woken;

        woken = s->parked_next;
        s->parked_next = NULL;
        requeue(p, s);
    }
}

/* ---- The toolstack ------------------------------------------------------ */

static void set_weight(struct c2_dom *sdom, uint16_t weight)
{
    struct domain *d = sdom->d;
    unsigned int old = sdom->weight;

    sdom->weight = weight;
    for (unsigned int i = 0U; (d->vcpu != NULL) && (i < d->max_vcpus); i++) {
        struct vcpu *v = d->vcpu[i];
        unsigned long flags;
        spinlock_t *l;

        if ((v == NULL) || (v->sched_priv == NULL)) {
            continue;
        }
        l = sched_lock_vcpu(v, &flags);
        c2_vcpu(v)->weight = weight;
        if (c2_vcpu(v)->rqd != NULL) {
            c2_update_max_weight(c2_vcpu(v)->rqd, weight, old);
        }
        spin_unlock_irqrestore(l, flags);
    }
}

static void enable_cap(struct c2_dom *sdom, uint16_t cap)
{
    struct domain *d = sdom->d;
    unsigned long flags = spin_lock_irqsave(&sdom->budget_lock);
    bool was_capped = (sdom->cap != 0U);
    s_time_t quota;

    sdom->tot_budget = (period() * (s_time_t)cap) / 100;
    quota = MAX(sdom->tot_budget / (s_time_t)MAX(sdom->nr_vcpus, 1U), C2_MIN_TIMER);
    if (!was_capped) {
        sdom->budget = sdom->tot_budget;
        sdom->next_repl = NOW() + period();
    }
    spin_unlock_irqrestore(&sdom->budget_lock, flags);
    for (unsigned int i = 0U; (d->vcpu != NULL) && (i < d->max_vcpus); i++) {
        struct vcpu *v = d->vcpu[i];
        struct c2_vcpu *svc;
        unsigned long vflags;
        spinlock_t *l;

        if ((v == NULL) || (v->sched_priv == NULL)) {
            continue;
        }
        l = sched_lock_vcpu(v, &vflags);
        svc = c2_vcpu(v);
        svc->budget_quota = quota;
        if (!was_capped) {
            if ((sched_pcpu(v->processor)->curr == v) && (svc->rqd != NULL)) {
                /* Charge what it ran uncapped first: only what follows
                 * counts against the budget it must now take. */
                c2_burn_credits(svc->rqd, svc, NOW());
                sched_tickle(v->processor);
            }
            svc->budget = 0;
        }
        spin_unlock_irqrestore(l, vflags);
    }
    __atomic_store_n(&sdom->cap, cap, __ATOMIC_RELEASE);
    if (!was_capped) {
        set_timer(&sdom->repl_timer, sdom->next_repl);
    }
}

static void disable_cap(struct c2_dom *sdom)
{
    struct domain *d = sdom->d;

    __atomic_store_n(&sdom->cap, 0U, __ATOMIC_RELEASE);
    stop_timer(&sdom->repl_timer);
    for (unsigned int i = 0U; (d->vcpu != NULL) && (i < d->max_vcpus); i++) {
        struct vcpu *v = d->vcpu[i];
        unsigned long flags;
        spinlock_t *l;

        if ((v == NULL) || (v->sched_priv == NULL)) {
            continue;
        }
        l = sched_lock_vcpu(v, &flags);
        c2_vcpu(v)->budget = C2_BUDGET_UNLIMITED;
        c2_vcpu(v)->budget_quota = 0;
        spin_unlock_irqrestore(l, flags);
    }
    unpark_all(sdom);
}

long c2_adjust(struct sched_pool *p, struct domain *d, struct xen_domctl_scheduler_op *op)
{
    struct c2_pool *prv = c2_pool(p);
    struct c2_dom *sdom = d->sched_dom_priv;
    long rc = 0;

    if (op->cmd == XEN_DOMCTL_SCHEDOP_getinfo) {
        op->u.credit2.weight = sdom->weight;
        op->u.credit2.cap = sdom->cap;
        return 0;
    }
    if (op->cmd != XEN_DOMCTL_SCHEDOP_putinfo) {
        return -EINVAL;     /* putvcpuinfo and getvcpuinfo too, as on Xen */
    }
    /* One change at a time: the pool lock orders them. */
    {
        unsigned long flags = spin_lock_irqsave(&prv->lock);

        if (op->u.credit2.weight != 0U) {
            set_weight(sdom, op->u.credit2.weight);
        }
        if (op->u.credit2.cap != 0U) {
            if ((uint32_t)op->u.credit2.cap > (100U * sdom->nr_vcpus)) {
                rc = -EINVAL;   /* the weight above stays, as on Xen */
            } else {
                enable_cap(sdom, op->u.credit2.cap);
            }
        } else if (sdom->cap != 0U) {
            disable_cap(sdom);
        } else {
            /* no cap, none asked */
        }
        spin_unlock_irqrestore(&prv->lock, flags);
    }
    return rc;
}

long c2_adjust_global(struct sched_pool *p, struct xen_sysctl_scheduler_op *op)
{
    struct c2_pool *prv = c2_pool(p);
    uint32_t want = op->u.sched_credit2.ratelimit_us;

    if (op->cmd == XEN_SYSCTL_SCHEDOP_putinfo) {
        if ((want != 0U) &&
            ((want > XEN_SYSCTL_SCHED_RATELIMIT_MAX) || (want < XEN_SYSCTL_SCHED_RATELIMIT_MIN))) {
            return -EINVAL;
        }
        if ((prv->ratelimit_us == 0U) && (want != 0U)) {
            pr_info("Enabling context switch rate limiting\n");
        } else if ((prv->ratelimit_us != 0U) && (want == 0U)) {
            pr_info("Disabling context switch rate limiting\n");
        } else {
            /* a new limit, or still none */
        }
        __atomic_store_n(&prv->ratelimit_us, want, __ATOMIC_RELAXED);
    } else if (op->cmd != XEN_SYSCTL_SCHEDOP_getinfo) {
        return -EINVAL;
    } else {
        /* getinfo: below */
    }
    op->u.sched_credit2.ratelimit_us = __atomic_load_n(&prv->ratelimit_us, __ATOMIC_RELAXED);
    return 0;
}
