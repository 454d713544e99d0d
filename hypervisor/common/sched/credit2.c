/* credit2: Xen 4.17's default scheduler, behind struct sched_ops.
 *
 * Every vCPU has credit, time in ns. Running burns it, faster the lighter
 * the vCPU is against the heaviest of its run queue (time * max_weight /
 * weight), so shares follow weights. The runnable vCPU with the most
 * credit runs, until its credit falls to that of the next in line (at
 * least C2_MIN_TIMER and the rate limit, at most C2_MAX_TIMER). When the
 * best credit left in a run queue is not above zero, every vCPU of the
 * queue gets C2_CREDIT_INIT more (clipped at INIT plus a small carry-over):
 * a sleeper keeps what it had, so on waking it outranks the vCPUs that
 * burnt theirs meanwhile and preempts one at once.
 *
 * CPUs share run queues by topology (credit2_runq.c), one lock each; an
 * idle CPU takes work from its queue. credit2_queue.c keeps the queue and
 * tells CPUs of new work; credit2_balance.c places vCPUs and evens the
 * load between queues; credit2_cap.c enforces caps and answers the
 * toolstack. */
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/sched_params.h>
#include <proxenos/sched.h>
#include <proxenos/smp.h>
#include <proxenos/xmalloc.h>
#include "credit2.h"

/* Credit to time for svc at rqd's rate. */
static s_time_t c2t(const struct c2_runq *rqd, s_time_t credit, const struct c2_vcpu *svc)
{
    return (credit * (s_time_t)svc->weight) / (s_time_t)rqd->max_weight;
}

/* The best credit of rqd is not above zero: everybody gets INIT more (2 *
 * INIT if snext sank to the floor), clipped at INIT plus the carry-over.
 * Those running elsewhere are charged first. */
static void reset_credit(struct c2_runq *rqd, s_time_t now, const struct c2_vcpu *snext)
{
    s_time_t reset = C2_CREDIT_INIT;

    if (snext->credit == C2_CREDIT_MIN) {
        reset += C2_CREDIT_INIT;
    }
    for (struct c2_vcpu *svc = rqd->svc; svc != NULL; svc = svc->rqd_next) {
        unsigned int cpu = svc->v->processor;

        if (sched_pcpu(cpu)->curr == svc->v) {
            c2_burn_credits(rqd, svc, now);
            if (svc->budget <= 0) {
                c2_tickle_cpu(rqd, cpu);
                sched_tickle(cpu);
            }
        }
        svc->credit = MIN(svc->credit + reset, C2_CREDIT_INIT + C2_CARRYOVER_MAX);
        svc->start_time = now;
    }
}

/* May svc run on cpu: as the core says, and if only because its registers
 * are still on another CPU, ask to hear when they are saved. */
static bool may_run_here(struct c2_vcpu *svc, unsigned int cpu)
{
    const struct vcpu *v = svc->v;

    if (sched_may_run(v, cpu)) {
        return true;
    }
    if ((v->state == VCPU_RUNNABLE) && sched_vcpu_on_cpu(v) && sched_affinity_allows(v, cpu) &&
        (v->processor != cpu)) {
        sched_want_vcpu(svc->v, cpu);
    }
    return false;
}

/* scurr may go on, but its soft affinity leaves out cpu while an idle CPU
 * of the queue in it waits: let it go there. */
static bool soft_affinity_preempt(const struct sched_pool *p, const struct c2_vcpu *scurr,
                                  unsigned int cpu)
{
    uint64_t hard = c2_hard_online(p, scurr->v);
    uint64_t soft = c2_soft_mask(scurr->v, hard);

    return (soft != 0U) && !c2_cpu_in(soft, cpu) &&
           ((soft & scurr->rqd->idle & ~scurr->rqd->tickled) != 0U);
}

/* What cpu should run: scurr (which may go on, or NULL) unless a queued
 * vCPU has more credit (by the migration resistance when it comes from
 * another CPU); with yield, anyone else eligible. */
static struct c2_vcpu *runq_candidate(struct sched_pool *p, struct c2_runq *rqd,
                                      struct c2_vcpu *scurr, unsigned int cpu, s_time_t now,
                                      bool yield)
{
    struct c2_vcpu *snext = NULL;
    s_time_t snext_credit = C2_CREDIT_MIN - 1;
    s_time_t ratelimit = c2_ratelimit_ns(p);
    struct c2_vcpu *next;

    if (scurr != NULL) {
        if (!yield && (ratelimit != 0) && ((now - scurr->run_since) < ratelimit)) {
            return scurr;
        }
        if (!soft_affinity_preempt(p, scurr, cpu)) {
            snext = scurr;
            snext_credit = scurr->credit;
        }
    }
    for (struct c2_vcpu *svc = rqd->runq; svc != NULL; svc = next) {
        next = svc->runq_next;
        if (!yield && (svc->credit <= snext_credit)) {
            break;
        }
        if ((svc->migrate_rqd != NULL) || !may_run_here(svc, cpu)) {
            continue;
        }
        if ((svc->tickled_cpu != NR_CPUS) && (svc->tickled_cpu != cpu) &&
            c2_cpu_in(rqd->tickled, svc->tickled_cpu)) {
            continue;   /* another CPU was told to take it */
        }
        if ((svc->v->processor != cpu) && ((snext_credit + c2_migrate_resist()) > svc->credit)) {
            continue;
        }
        if (c2_has_cap(svc) && !c2_grab_budget(svc)) {
            continue;
        }
        snext = svc;
        break;
    }
    return snext;
}

/* The first queued vCPU that is not paused (NULL: none). Xen takes paused
 * vCPUs off its run queues; here they stay queued, and must not end an
 * epoch late or cut slices short: a paused vCPU with credit left at the
 * head would keep the others' credits from being reset for as long as it
 * stays paused, and two vCPUs at the floor would then never trade places. */
static const struct c2_vcpu *runq_head(const struct c2_runq *rqd)
{
    const struct c2_vcpu *svc = rqd->runq;

    while ((svc != NULL) && sched_vcpu_paused(svc->v)) {
        svc = svc->runq_next;
    }
    return svc;
}

/* How long snext may run: until its credit falls to that of the next in
 * line (or to zero), within its budget, the rate limit and the timers. */
static s_time_t runtime(const struct sched_pool *p, const struct c2_runq *rqd,
                        const struct c2_vcpu *snext, bool continuing, s_time_t now)
{
    s_time_t min_time = C2_MIN_TIMER;
    s_time_t ratelimit = c2_ratelimit_ns(p);
    s_time_t rt_credit = snext->credit;
    s_time_t time = 0;
    const struct c2_vcpu *head = runq_head(rqd);

    if (ratelimit != 0) {
        s_time_t left = continuing ? ((snext->run_since + ratelimit) - now) : ratelimit;

        min_time = MAX(min_time, left);
    }
    if ((head != NULL) && (head->credit > 0)) {
        rt_credit = snext->credit - head->credit;
    }
    if (rt_credit > 0) {
        time = c2t(rqd, rt_credit, snext);
    }
    if (c2_has_cap(snext)) {
        time = MIN(time, snext->budget);
    }
    return MIN(MAX(time, min_time), C2_MAX_TIMER);
}

/* scurr, switched out of cpu, is queued again: a CPU should take it, or,
 * if balancing moves it, the CPU it goes to once its registers are saved
 * (c2_context_saved does the move). */
static void requeued(struct sched_pool *p, struct c2_vcpu *scurr, unsigned int cpu, s_time_t now)
{
    unsigned int t;

    if (scurr->migrate_rqd != NULL) {
        t = c2_cpu_in_rqd(p, scurr, scurr->migrate_rqd);
        if (t != NR_CPUS) {
            sched_want_vcpu(scurr->v, t);
            return;
        }
        scurr->migrate_rqd = NULL;
    }
    if ((scurr->rqd->active & ~(1ULL << cpu)) == 0U) {
        return;     /* cpu alone serves the queue, and it just chose another */
    }
    t = c2_runq_tickle(p, scurr, now);
    if ((t != NR_CPUS) && (t != cpu)) {
        sched_tickle(t);
    }
}

/* v's registers are saved, and a CPU wanted it (under v's CPU's lock):
 * if balancing meant it for another run queue, it moves there now (when
 * that queue's lock is free; else it stays); either way a CPU is named to
 * take it. */
static unsigned int c2_context_saved(struct sched_pool *p, struct vcpu *v)
{
    struct c2_vcpu *svc = c2_vcpu(v);
    s_time_t now = NOW();

    if (svc == NULL) {
        return NR_CPUS;
    }
    if (svc->migrate_rqd != NULL) {
        struct c2_runq *to = svc->migrate_rqd;
        unsigned int from = v->processor;
        unsigned int t = c2_cpu_in_rqd(p, svc, to);

        svc->migrate_rqd = NULL;
        if ((t != NR_CPUS) && (to != svc->rqd) && sched_lock_other(from, t)) {
            unsigned int kick = c2_move_saved(p, svc, to, now);

            sched_unlock_other(from, t);
            return kick;
        }
    }
    return svc->on_runq ? c2_runq_tickle(p, svc, now) : NR_CPUS;
}

static struct sched_choice c2_do_schedule(struct sched_pool *p, unsigned int cpu, s_time_t now,
                                          struct vcpu *prev)
{
    struct c2_runq *rqd = c2_rqd(p, cpu);
    struct c2_vcpu *scurr = (prev != NULL) ? c2_vcpu(prev) : NULL;
    struct c2_vcpu *snext;
    struct sched_choice choice = { NULL, SCHED_RUN_UNBOUNDED };
    bool going_on = false;     /* prev still wants a CPU: it stays queued */
    bool may_go_on = false;    /* ... and may keep this one */
    bool yield = false;

    rqd->tickled &= ~(1ULL << cpu);
    if (scurr != NULL) {
        if (scurr->on_runq) {
            c2_runq_remove(scurr);  /* woke again before it was switched out */
        }
        c2_burn_credits(rqd, scurr, now);
        if (scurr->budget <= 0) {
            (void)c2_grab_budget(scurr);
        }
        yield = scurr->yield || sched_pcpu(cpu)->yield_pending;
        scurr->yield = false;
        going_on = ((prev->state == VCPU_RUNNING) || (prev->state == VCPU_RUNNABLE)) &&
                   !scurr->parked;
        if (!going_on) {
            scurr->migrate_rqd = NULL;  /* asleep, it may be moved any time */
        }
        /* Paused, it stays queued (found again once unpaused), not run. */
        may_go_on = going_on && (scurr->migrate_rqd == NULL) && sched_may_run(prev, cpu);
    }
    snext = runq_candidate(p, rqd, may_go_on ? scurr : NULL, cpu, now, yield);

    if ((scurr != NULL) && (snext != scurr)) {
        if (!going_on && !scurr->parked) {
            c2_set_counted(scurr, false, now);
        }
        if (c2_has_cap(scurr) && (scurr->budget > 0)) {
            c2_return_budget(p, cpu, scurr);
        }
    }

    if (snext != NULL) {
        s_time_t top;
        const struct c2_vcpu *head;

        if (snext != scurr) {
            c2_runq_remove(snext);
            snext->run_since = now;
        } else {
            c2_update_runq_load(rqd, 0, now);
            c2_update_svc_load(snext, 0, now);
        }
        rqd->idle &= ~(1ULL << cpu);
        head = runq_head(rqd);
        top = (head != NULL) ? MAX(snext->credit, head->credit) : snext->credit;
        if (top <= C2_CREDIT_RESET) {
            reset_credit(rqd, now, snext);
            c2_balance_load(p, cpu, now);
            if (snext->migrate_rqd != NULL) {
                sched_tickle(cpu);  /* balancing wants it elsewhere */
            }
        }
        snext->start_time = now;
        snext->tickled_cpu = NR_CPUS;
        if (snext->v->processor != cpu) {
            snext->credit += C2_MIGRATE_COMPENSATION;
        }
        choice.next = snext->v;
        choice.run_for = runtime(p, rqd, snext, snext == scurr, now);
    } else {
        rqd->idle |= 1ULL << cpu;
        c2_update_runq_load(rqd, 0, now);
    }
    /* The vCPU switched away from queues again only now: as in Xen, where
     * it does once its context is saved, snext's slice was measured
     * against the others waiting, not against it. So two hogs alone each
     * run until their credit is gone (up to 10 ms), not 1 ms turns. */
    if ((scurr != NULL) && (snext != scurr) && going_on) {
        c2_runq_insert(scurr);
        requeued(p, scurr, cpu, now);
    }
    return choice;
}

static unsigned int c2_wake(struct sched_pool *p, struct vcpu *v, s_time_t now)
{
    struct c2_vcpu *svc = c2_vcpu(v);

    if (svc->on_runq || svc->parked) {
        return NR_CPUS;     /* parked: the replenishment queues it */
    }
    c2_set_counted(svc, true, now);
    if (sched_pcpu(v->processor)->curr == v) {
        return NR_CPUS;     /* still its CPU's: do_schedule keeps it on */
    }
    c2_runq_insert(svc);
    return c2_runq_tickle(p, svc, now);
}

static void c2_sleep(struct sched_pool *p, struct vcpu *v)
{
    struct c2_vcpu *svc = c2_vcpu(v);

    (void)p;
    if (svc->on_runq) {
        c2_runq_remove(svc);
        c2_set_counted(svc, false, NOW());
    }
}

/* Worth choosing again only if someone else of the queue may take the
 * CPU (a yield alone on a CPU costs nothing). */
static bool c2_yield(struct sched_pool *p, struct vcpu *v)
{
    struct c2_vcpu *svc = c2_vcpu(v);

    (void)p;
    svc->yield = true;
    for (const struct c2_vcpu *o = svc->rqd->runq; o != NULL; o = o->runq_next) {
        if ((o != svc) && sched_affinity_allows(o->v, v->processor)) {
            return true;
        }
    }
    return false;
}

static unsigned int c2_insert(struct sched_pool *p, struct vcpu *v)
{
    struct c2_vcpu *svc = c2_vcpu(v);
    s_time_t now = NOW();

    c2_runq_assign(svc, c2_rqd(p, v->processor));
    if (v->state != VCPU_RUNNABLE) {
        return NR_CPUS;
    }
    c2_set_counted(svc, true, now);
    c2_runq_insert(svc);
    return c2_runq_tickle(p, svc, now);
}

static void c2_remove(struct sched_pool *p, struct vcpu *v)
{
    struct c2_vcpu *svc = c2_vcpu(v);

    (void)p;
    if (svc->on_runq) {
        c2_runq_remove(svc);
    }
    if (svc->parked) {
        c2_unpark(svc);
    }
    svc->migrate_rqd = NULL;
    if (svc->rqd != NULL) {
        c2_set_counted(svc, false, NOW());
        c2_runq_deassign(svc);
    }
}

static int c2_alloc_vcpu(struct sched_pool *p, struct vcpu *v)
{
    struct c2_vcpu *svc = xzalloc(sizeof(*svc));
    struct c2_dom *sdom = v->domain->sched_dom_priv;
    unsigned long flags;

    (void)p;
    if (svc == NULL) {
        return -ENOMEM;
    }
    svc->v = v;
    svc->sdom = sdom;
    svc->credit = C2_CREDIT_INIT;
    svc->weight = sdom->weight;
    /* Xen's starting guess: half a CPU. */
    svc->avgload = C2_LOAD_ONE / 2;
    svc->load_last_update = NOW() / C2_LOAD_GRANULE;
    svc->tickled_cpu = NR_CPUS;
    svc->budget = C2_BUDGET_UNLIMITED;
    flags = spin_lock_irqsave(&sdom->budget_lock);
    sdom->nr_vcpus++;
    if (sdom->cap != 0U) {
        /* Capped already: it takes its share from the domain's budget. */
        svc->budget = 0;
        svc->budget_quota = MAX(sdom->tot_budget / (s_time_t)sdom->nr_vcpus, C2_MIN_TIMER);
    }
    spin_unlock_irqrestore(&sdom->budget_lock, flags);
    v->sched_priv = svc;
    return 0;
}

static void c2_free_vcpu(struct sched_pool *p, struct vcpu *v)
{
    struct c2_vcpu *svc = c2_vcpu(v);
    struct c2_dom *sdom = svc->sdom;
    unsigned long flags;

    (void)p;
    flags = spin_lock_irqsave(&sdom->budget_lock);
    sdom->nr_vcpus--;
    spin_unlock_irqrestore(&sdom->budget_lock, flags);
    v->sched_priv = NULL;
    xfree(svc);
}

static int c2_alloc_domain(struct sched_pool *p, struct domain *d)
{
    struct c2_dom *sdom = xzalloc(sizeof(*sdom));

    if (sdom == NULL) {
        return -ENOMEM;
    }
    sdom->d = d;
    sdom->pool = p;
    sdom->weight = (uint16_t)C2_DEFAULT_WEIGHT;
    c2_dom_init(sdom);
    d->sched_dom_priv = sdom;
    return 0;
}

static void c2_free_domain(struct sched_pool *p, struct domain *d)
{
    struct c2_dom *sdom = d->sched_dom_priv;

    (void)p;
    if (sdom != NULL) {
        c2_dom_fini(sdom);
        d->sched_dom_priv = NULL;
        xfree(sdom);
    }
}

static int c2_init_pool(struct sched_pool *p)
{
    struct c2_pool *prv = xzalloc(sizeof(*prv));

    if (prv == NULL) {
        return -ENOMEM;
    }
    spin_lock_init(&prv->lock);
    for (unsigned int i = 0U; i < NR_CPUS; i++) {
        spin_lock_init(&prv->rqd[i].lock);
        prv->rqd[i].id = i;
    }
    prv->ratelimit_us = sched_ratelimit_us;
    p->priv = prv;
    return 0;
}

static void c2_deinit_pool(struct sched_pool *p)
{
    xfree(p->priv);
    p->priv = NULL;
}

static int c2_add_cpu(struct sched_pool *p, unsigned int cpu)
{
    struct c2_pool *prv = c2_pool(p);
    unsigned long flags = spin_lock_irqsave(&prv->lock);
    struct c2_runq *rqd = c2_runq_for_cpu(prv, cpu);

    spin_lock(&rqd->lock);
    prv->cpu_rqd[cpu] = rqd;
    __atomic_or_fetch(&rqd->active, 1ULL << cpu, __ATOMIC_RELEASE);
    rqd->idle |= 1ULL << cpu;
    rqd->nr_cpus++;
    sched_pcpu(cpu)->priv = rqd;
    /* Last: who locks the CPU from now on finds its run queue set up. */
    __atomic_store_n(&sched_pcpu(cpu)->lock, &rqd->lock, __ATOMIC_RELEASE);
    spin_unlock(&rqd->lock);
    spin_unlock_irqrestore(&prv->lock, flags);
    return 0;
}

static void c2_remove_cpu(struct sched_pool *p, unsigned int cpu)
{
    struct c2_pool *prv = c2_pool(p);
    unsigned long flags = spin_lock_irqsave(&prv->lock);
    struct c2_runq *rqd = prv->cpu_rqd[cpu];
    uint64_t bit = 1ULL << cpu;

    spin_lock(&rqd->lock);
    __atomic_and_fetch(&rqd->active, ~bit, __ATOMIC_RELEASE);
    rqd->idle &= ~bit;
    rqd->tickled &= ~bit;
    rqd->nr_cpus--;
    rqd->used = (rqd->nr_cpus != 0U);
    if (rqd->pick_bias == cpu) {
        rqd->pick_bias = c2_test_or_cycle(cpu, rqd->active);
    }
    prv->cpu_rqd[cpu] = NULL;
    sched_pcpu(cpu)->priv = NULL;
    __atomic_store_n(&sched_pcpu(cpu)->lock, &sched_pcpu(cpu)->own_lock, __ATOMIC_RELEASE);
    spin_unlock(&rqd->lock);
    spin_unlock_irqrestore(&prv->lock, flags);
}

static void dump_vcpu(const char *what, const struct c2_vcpu *svc)
{
    if (c2_has_cap(svc)) {
        pr_info("    %s d%uv%u credit=%lld [w=%u] budget=%lld (%lld)\n", what,
                svc->v->domain->domain_id, svc->v->vcpu_id, (long long)svc->credit, svc->weight,
                (long long)svc->budget, (long long)svc->budget_quota);
    } else {
        pr_info("    %s d%uv%u credit=%lld [w=%u]\n", what, svc->v->domain->domain_id,
                svc->v->vcpu_id, (long long)svc->credit, svc->weight);
    }
}

static void c2_dump_cpu(struct sched_pool *p, unsigned int cpu)
{
    const struct c2_runq *rqd = c2_rqd(p, cpu);
    const struct vcpu *curr = sched_pcpu(cpu)->curr;

    pr_info("CPU[%02u] runq=%u%s\n", cpu, rqd->id, (curr == NULL) ? " idle" : "");
    if (curr != NULL) {
        dump_vcpu("run:", c2_vcpu(curr));
    }
    /* The queue is the run queue's: shown once, with its first CPU. */
    if (c2_test_or_cycle(0U, rqd->active) == cpu) {
        pr_info("  runq %u: %u CPUs, max_weight=%u, load=%lld, avgload=%lld\n", rqd->id,
                rqd->nr_cpus, rqd->max_weight, (long long)rqd->load,
                (long long)rqd->b_avgload);
        for (const struct c2_vcpu *svc = rqd->runq; svc != NULL; svc = svc->runq_next) {
            dump_vcpu("queued:", svc);
        }
    }
}

const struct sched_ops sched_credit2_ops = {
    .name = "credit2",
    .sched_id = XEN_SCHEDULER_CREDIT2,
    .init_pool = c2_init_pool,
    .deinit_pool = c2_deinit_pool,
    .add_cpu = c2_add_cpu,
    .remove_cpu = c2_remove_cpu,
    .alloc_domain = c2_alloc_domain,
    .free_domain = c2_free_domain,
    .alloc_vcpu = c2_alloc_vcpu,
    .free_vcpu = c2_free_vcpu,
    .pick_cpu = c2_pick_cpu,
    .insert = c2_insert,
    .remove = c2_remove,
    .wake = c2_wake,
    .sleep = c2_sleep,
    .yield = c2_yield,
    .do_schedule = c2_do_schedule,
    .context_saved = c2_context_saved,
    .adjust = c2_adjust,
    .adjust_global = c2_adjust_global,
    .dump_cpu = c2_dump_cpu,
};
