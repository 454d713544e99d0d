/* Xen's credit scheduler (credit1), with Xen 4.17's algorithm and
 * parameters: one run queue per CPU, ordered by priority (BOOST, UNDER,
 * OVER). Every accounting period (the time slice, 30 ms by default) the
 * pool's credit, 10 per millisecond for each CPU, is shared among the
 * vCPUs that ran by their domains' weights (credit_acct.c); a running vCPU
 * pays for its time at each tick (three per slice) and when it stops. A
 * vCPU that wakes with credit left is boosted and preempts; an idle CPU,
 * or one with only overspent work, steals better work from the others.
 * Hooks and locks: sched_ops.h; what the files share: credit.h. */
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/xmalloc.h>
#include "credit.h"

static uint64_t cpu_bit(unsigned int cpu)
{
    return (uint64_t)1U << cpu;
}

static void set_idler(struct credit_pool *prv, unsigned int cpu)
{
    (void)__atomic_fetch_or(&prv->idlers, cpu_bit(cpu), __ATOMIC_RELAXED);
}

static void clear_idler(struct credit_pool *prv, unsigned int cpu)
{
    (void)__atomic_fetch_and(&prv->idlers, ~cpu_bit(cpu), __ATOMIC_RELAXED);
}

static uint64_t idlers_of(const struct credit_pool *prv)
{
    return __atomic_load_n(&prv->idlers, __ATOMIC_RELAXED);
}

/* Stealers read another CPU's count without its lock: a hint only. */
static unsigned int nr_runnable_of(const struct credit_pcpu *spc)
{
    return __atomic_load_n(&spc->nr_runnable, __ATOMIC_RELAXED);
}

static void add_runnable(struct credit_pcpu *spc, int delta)
{
    unsigned int n = spc->nr_runnable;

    n = (delta > 0) ? (n + 1U) : ((n > 0U) ? (n - 1U) : 0U);
    __atomic_store_n(&spc->nr_runnable, n, __ATOMIC_RELAXED);
}

/* ---- Run queues (the CPU's lock held) ------------------------------------- */

static struct credit_vcpu *runq_entry(struct credit_link *l)
{
    return container_of(l, struct credit_vcpu, runq_elem);
}

static bool on_runq(const struct credit_vcpu *svc)
{
    return !credit_link_empty(&svc->runq_elem);
}

/* Behind every vCPU of its priority or better; a vCPU that yielded also
 * goes behind the first one of lower priority, if there is one (Xen's
 * rule: the next sort brings it forward again). */
static void runq_link(struct credit_pcpu *spc, struct credit_vcpu *svc)
{
    struct credit_link *at = spc->runq.next;
    int32_t pri = credit_pri(svc);

    while ((at != &spc->runq) && (credit_pri(runq_entry(at)) >= pri)) {
        at = at->next;
    }
    if (svc->yielding && (at != &spc->runq)) {
        at = at->next;
    }
    credit_link_add_before(&svc->runq_elem, at);
}

static void runq_insert(struct credit_pcpu *spc, struct credit_vcpu *svc)
{
    if (!on_runq(svc)) {
        runq_link(spc, svc);
        add_runnable(spc, 1);
    }
}

static void runq_remove(struct credit_pcpu *spc, struct credit_vcpu *svc)
{
    if (on_runq(svc)) {
        credit_link_del(&svc->runq_elem);
        add_runnable(spc, -1);
    }
}

/* After accounting changed priorities: bring every UNDER (or BOOST) vCPU
 * in front of the OVER ones, keeping each group's order. Once per period. */
static void runq_sort(struct credit_pool *prv, struct credit_pcpu *spc)
{
    uint32_t epoch = __atomic_load_n(&prv->runq_sort, __ATOMIC_RELAXED);
    struct credit_link *last_under = &spc->runq;
    struct credit_link *l = spc->runq.next;

    if (epoch == spc->runq_sort_last) {
        return;
    }
    spc->runq_sort_last = epoch;
    while (l != &spc->runq) {
        struct credit_link *next = l->next;

        if (credit_pri(runq_entry(l)) >= CREDIT_PRI_UNDER) {
            if (l->prev != last_under) {
                credit_link_del(l);
                credit_link_add_before(l, last_under->next);
            }
            last_under = l;
        }
        l = next;
    }
}

/* The first queued vCPU that may run on cpu now: a capped-out one waits
 * for its credit, a paused one for its domain. */
static struct credit_vcpu *runq_first(struct credit_pcpu *spc, unsigned int cpu)
{
    for (struct credit_link *l = spc->runq.next; l != &spc->runq; l = l->next) {
        struct credit_vcpu *svc = runq_entry(l);

        if (!credit_parked(svc) && sched_may_run(svc->v, cpu)) {
            return svc;
        }
    }
    return NULL;
}

/* ---- Affinity ------------------------------------------------------------- */

/* Xen balances in two steps: first the CPUs of the soft affinity (when it
 * narrows the hard one), then those of the hard affinity. */
#define STEP_SOFT 0U
#define STEP_HARD 1U

static uint64_t hard_of(const struct vcpu *v)
{
    return __atomic_load_n(&v->hard_affinity, __ATOMIC_ACQUIRE);
}

static bool has_soft(const struct vcpu *v)
{
    uint64_t hard = hard_of(v);
    uint64_t soft = __atomic_load_n(&v->soft_affinity, __ATOMIC_ACQUIRE) & hard;

    return (soft != 0U) && (soft != hard);
}

static uint64_t step_mask(const struct vcpu *v, unsigned int step)
{
    uint64_t hard = hard_of(v);

    return (step == STEP_SOFT) ? (__atomic_load_n(&v->soft_affinity, __ATOMIC_ACQUIRE) & hard)
                               : hard;
}

/* ---- Placement ------------------------------------------------------------- */

/* v's CPU if it may stay, else the next allowed one; an idle CPU of the
 * soft, then of the hard affinity wins over both. */
static unsigned int credit_pick_cpu(struct sched_pool *p, const struct vcpu *v)
{
    struct credit_pool *prv = p->priv;
    uint64_t online = sched_pool_online_cpus(p);
    unsigned int cpu = NR_CPUS;

    for (unsigned int step = STEP_SOFT; step <= STEP_HARD; step++) {
        uint64_t cpus = step_mask(v, step) & online;
        uint64_t idle;

        if ((step == STEP_SOFT) && (!has_soft(v) || (cpus == 0U))) {
            continue;
        }
        if (cpus == 0U) {
            return NR_CPUS;
        }
        cpu = ((cpus & cpu_bit(v->processor)) != 0U) ? v->processor
                                                     : credit_cycle(v->processor, cpus);
        idle = idlers_of(prv) & cpus;
        if ((idle & cpu_bit(cpu)) != 0U) {
            break;
        }
        if (idle != 0U) {
            cpu = credit_cycle(cpu, idle);
            break;
        }
    }
    return cpu;
}

/* svc was queued on its CPU: which CPU should choose again? The CPU
 * itself if idle, or if no CPU is idle and svc outranks what runs there;
 * otherwise an idle CPU svc may run on (it steals svc), leaving the
 * running vCPU alone. The chosen CPU is no longer counted idle. None for a
 * parked vCPU: it may not run before the accounting unparks it, which
 * tickles its CPU then. */
static unsigned int runq_tickle(struct credit_pool *prv, const struct credit_vcpu *svc)
{
    unsigned int cpu = svc->v->processor;
    const struct vcpu *cur = sched_pcpu(cpu)->curr;
    int32_t cur_pri = (cur != NULL) ? credit_pri(credit_vcpu_of(cur)) : CREDIT_PRI_IDLE;
    int32_t pri = credit_pri(svc);
    uint64_t idle = idlers_of(prv) & sched_pool_online_cpus(prv->pool);
    unsigned int target = NR_CPUS;

    if (credit_parked(svc)) {
        return NR_CPUS;
    }
    if ((cur == NULL) || ((idle == 0U) && (pri > cur_pri))) {
        target = cpu;
    } else if (idle != 0U) {
        for (unsigned int step = STEP_SOFT; (step <= STEP_HARD) && (target == NR_CPUS); step++) {
            uint64_t mine;

            if ((step == STEP_SOFT) && !has_soft(svc->v)) {
                continue;
            }
            mine = step_mask(svc->v, step) & idle;
            if (mine != 0U) {
                struct credit_pcpu *spc = credit_pcpu_of(cpu);

                spc->last_tickle = credit_cycle(spc->last_tickle, mine);
                target = spc->last_tickle;
            } else if (step == STEP_HARD) {
                target = (pri > cur_pri) ? cpu : NR_CPUS;
            } else {
                /* Nothing idle in the soft affinity: try the hard one. */
            }
        }
    } else {
        /* Busy everywhere and not better than what runs: it waits. */
    }
    if (target != NR_CPUS) {
        clear_idler(prv, target);
    }
    return target;
}

/* ---- Pools, CPUs, domains, vCPUs ----------------------------------------- */

static int credit_init_pool(struct sched_pool *p)
{
    struct credit_pool *prv = xzalloc_obj(struct credit_pool);

    if (prv == NULL) {
        return -ENOMEM;
    }
    spin_lock_init(&prv->lock);
    prv->pool = p;
    prv->master = NR_CPUS;
    prv->balance_bias = NR_CPUS - 1U;
    credit_link_init(&prv->active_doms);
    credit_boot_params(prv);
    p->priv = prv;
    return 0;
}

static void credit_deinit_pool(struct sched_pool *p)
{
    xfree(p->priv);
    p->priv = NULL;
}

static void credit_tick(void *data);

static int credit_add_cpu(struct sched_pool *p, unsigned int cpu)
{
    struct credit_pool *prv = p->priv;
    struct sched_pcpu *pcpu = sched_pcpu(cpu);
    struct credit_pcpu *spc = xzalloc_obj(struct credit_pcpu);
    unsigned long flags;
    s_time_t now = NOW();

    if (spc == NULL) {
        return -ENOMEM;
    }
    credit_link_init(&spc->runq);
    spc->prv = prv;
    spc->cpu = cpu;
    spc->last_tickle = cpu;
    init_timer(&spc->ticker, credit_tick, spc, cpu);

    flags = spin_lock_irqsave(&prv->lock);
    prv->credit += prv->credits_per_tslice;
    prv->ncpus++;
    prv->cpus |= cpu_bit(cpu);
    if (prv->ncpus == 1U) {
        prv->master = cpu;
        init_timer(&prv->master_ticker, credit_acct, prv, cpu);
        set_timer(&prv->master_ticker, now + prv->tslice);
    }
    spc->runq_sort_last = prv->runq_sort;
    set_timer(&spc->ticker, now + prv->tick_period);
    spin_unlock_irqrestore(&prv->lock, flags);

    set_idler(prv, cpu);
    pcpu->priv = spc;
    pcpu->lock = &pcpu->own_lock;
    return 0;
}

static void credit_remove_cpu(struct sched_pool *p, unsigned int cpu)
{
    struct credit_pool *prv = p->priv;
    struct sched_pcpu *pcpu = sched_pcpu(cpu);
    struct credit_pcpu *spc = pcpu->priv;
    bool last;
    unsigned long flags;

    flags = spin_lock_irqsave(pcpu->lock);
    spc->leaving = true;
    spin_unlock_irqrestore(pcpu->lock, flags);
    kill_timer(&spc->ticker);

    flags = spin_lock_irqsave(&prv->lock);
    prv->credit -= prv->credits_per_tslice;
    prv->ncpus--;
    prv->cpus &= ~cpu_bit(cpu);
    clear_idler(prv, cpu);
    last = (prv->ncpus == 0U);
    if ((prv->master == cpu) && !last) {
        /* The accounting timer re-arms itself under this lock too. */
        prv->master = credit_cycle(cpu, prv->cpus);
        migrate_timer(&prv->master_ticker, prv->master);
    }
    spin_unlock_irqrestore(&prv->lock, flags);
    if (last) {
        kill_timer(&prv->master_ticker);
        prv->master = NR_CPUS;
    }

    pcpu->lock = &pcpu->own_lock;
    pcpu->priv = NULL;
    xfree(spc);
}

static int credit_alloc_domain(struct sched_pool *p, struct domain *d)
{
    struct credit_dom *sdom = xzalloc_obj(struct credit_dom);

    (void)p;
    if (sdom == NULL) {
        return -ENOMEM;
    }
    credit_link_init(&sdom->active_vcpus);
    credit_link_init(&sdom->active_elem);
    sdom->d = d;
    sdom->weight = (uint16_t)CREDIT_DEFAULT_WEIGHT;
    d->sched_dom_priv = sdom;
    return 0;
}

static void credit_free_domain(struct sched_pool *p, struct domain *d)
{
    (void)p;
    xfree(d->sched_dom_priv);
    d->sched_dom_priv = NULL;
}

static int credit_alloc_vcpu(struct sched_pool *p, struct vcpu *v)
{
    struct credit_vcpu *svc = xzalloc_obj(struct credit_vcpu);

    (void)p;
    if (svc == NULL) {
        return -ENOMEM;
    }
    credit_link_init(&svc->runq_elem);
    credit_link_init(&svc->active_elem);
    svc->sdom = v->domain->sched_dom_priv;
    svc->v = v;
    svc->pri = CREDIT_PRI_UNDER;
    v->sched_priv = svc;
    return 0;
}

static void credit_free_vcpu(struct sched_pool *p, struct vcpu *v)
{
    (void)p;
    xfree(v->sched_priv);
    v->sched_priv = NULL;
}

static unsigned int credit_insert(struct sched_pool *p, struct vcpu *v)
{
    struct credit_vcpu *svc = credit_vcpu_of(v);

    if (v->state != VCPU_RUNNABLE) {
        return NR_CPUS;
    }
    runq_insert(credit_pcpu_of(v->processor), svc);
    return runq_tickle(p->priv, svc);
}

static void credit_remove(struct sched_pool *p, struct vcpu *v)
{
    struct credit_vcpu *svc = credit_vcpu_of(v);

    runq_remove(credit_pcpu_of(v->processor), svc);
    credit_acct_stop(p->priv, svc);
    __atomic_store_n(&svc->parked, false, __ATOMIC_RELEASE);
}

/* ---- Wake, sleep, yield --------------------------------------------------- */

static unsigned int credit_wake(struct sched_pool *p, struct vcpu *v, s_time_t now)
{
    struct credit_vcpu *svc = credit_vcpu_of(v);

    (void)now;
    if (on_runq(svc) || (sched_pcpu(v->processor)->curr == v)) {
        return NR_CPUS;
    }
    /* A vCPU that sleeps much and runs little (I/O) keeps waking boosted,
     * for a short wake-to-run latency; one that uses the CPU is back to
     * UNDER at its next tick. Not a capped-out one: it has to wait. */
    if ((credit_pri(svc) == CREDIT_PRI_UNDER) && !credit_parked(svc)) {
        credit_set_pri(svc, CREDIT_PRI_BOOST);
    }
    runq_insert(credit_pcpu_of(v->processor), svc);
    return runq_tickle(p->priv, svc);
}

static void credit_sleep(struct sched_pool *p, struct vcpu *v)
{
    (void)p;
    runq_remove(credit_pcpu_of(v->processor), credit_vcpu_of(v));
}

static bool credit_yield(struct sched_pool *p, struct vcpu *v)
{
    struct credit_vcpu *svc = credit_vcpu_of(v);

    (void)p;
    svc->yielding = true;
    return !credit_link_empty(&credit_pcpu_of(v->processor)->runq);
}

/* ---- Stealing --------------------------------------------------------------- */

/* From peer's queue (both locks held), the first vCPU better than pri that
 * may run on cpu and is not cache-hot: moved to cpu, counted there. */
static struct credit_vcpu *runq_steal(const struct credit_pool *prv, unsigned int peer,
                                      unsigned int cpu, int32_t pri, unsigned int step,
                                      s_time_t now)
{
    struct credit_pcpu *pspc = credit_pcpu_of(peer);

    /* An idle peer is about to take its own work. */
    if (sched_pcpu(peer)->curr == NULL) {
        return NULL;
    }
    for (struct credit_link *l = pspc->runq.next; l != &pspc->runq; l = l->next) {
        struct credit_vcpu *svc = runq_entry(l);
        struct vcpu *v = svc->v;

        if (credit_pri(svc) <= pri) {
            break;
        }
        if (credit_parked(svc) || ((step == STEP_SOFT) && !has_soft(v)) ||
            ((step_mask(v, step) & cpu_bit(cpu)) == 0U) || !sched_may_run(v, cpu)) {
            continue;
        }
        if ((prv->migr_delay != 0) && ((now - svc->last_sched_time) < prv->migr_delay)) {
            continue;
        }
        runq_remove(pspc, svc);
        sched_set_processor(v, cpu);
        add_runnable(credit_pcpu_of(cpu), 1);
        return svc;
    }
    return NULL;
}

/* Look at the busy CPUs of the pool, from where the last steal found work
 * on, for a vCPU better than pri; each is only tried (sched_lock_other), so
 * two CPUs stealing from each other cannot deadlock. */
static struct credit_vcpu *load_balance(struct credit_pool *prv, unsigned int cpu, int32_t pri,
                                        s_time_t now)
{
    uint64_t online = sched_pool_online_cpus(prv->pool) & prv->cpus;

    if ((online & cpu_bit(cpu)) == 0U) {
        return NULL;
    }
    for (unsigned int step = STEP_SOFT; step <= STEP_HARD; step++) {
        uint64_t workers = online & ~idlers_of(prv) & ~cpu_bit(cpu);
        unsigned int first =
            credit_cycle(__atomic_load_n(&prv->balance_bias, __ATOMIC_RELAXED), workers);
        unsigned int peer = first;

        while (peer != NR_CPUS) {
            struct credit_vcpu *got = NULL;

            if ((nr_runnable_of(credit_pcpu_of(peer)) > 1U) && sched_lock_other(cpu, peer)) {
                if (sched_pcpu(peer)->pool == prv->pool) {
                    got = runq_steal(prv, peer, cpu, pri, step, now);
                }
                sched_unlock_other(cpu, peer);
            }
            if (got != NULL) {
                __atomic_store_n(&prv->balance_bias, peer, __ATOMIC_RELAXED);
                return got;
            }
            peer = credit_cycle(peer, workers);
            if (peer == first) {
                peer = NR_CPUS;
            }
        }
    }
    return NULL;
}

/* ---- The choice ------------------------------------------------------------- */

/* The tick runs while a vCPU does (aligned to the tick period), not while
 * the CPU idles. */
static void ticker_follow(struct credit_pool *prv, struct credit_pcpu *spc, bool busy,
                          s_time_t now)
{
    if (!busy || spc->leaving) {
        stop_timer(&spc->ticker);
    } else if (!timer_is_queued(&spc->ticker)) {
        set_timer(&spc->ticker, now + prv->tick_period - (now % prv->tick_period));
    } else {
        /* Ticking already. */
    }
}

static struct sched_choice credit_do_schedule(struct sched_pool *p, unsigned int cpu,
                                              s_time_t now, struct vcpu *prev)
{
    struct credit_pool *prv = p->priv;
    struct credit_pcpu *spc = credit_pcpu_of(cpu);
    struct credit_vcpu *scurr = (prev != NULL) ? credit_vcpu_of(prev) : NULL;
    struct credit_vcpu *snext;
    struct sched_choice choice;

    if (scurr != NULL) {
        bool runnable = (prev->state == VCPU_RUNNING) || (prev->state == VCPU_RUNNABLE);
        s_time_t ran = now - scurr->run_start;

        credit_burn(scurr, now);
        scurr->last_sched_time = now;
        if (sched_pcpu(cpu)->yield_pending) {
            scurr->yielding = true;
        }
        /* Rate limit: what has run less than ratelimit goes on, for what
         * is left of it (but not for less than the shortest timer), unless
         * it yields. */
        if (runnable && !scurr->yielding && (prv->ratelimit != 0) && (ran < prv->ratelimit) &&
            !credit_parked(scurr) && sched_may_run(prev, cpu)) {
            choice.next = prev;
            choice.run_for = MAX(prv->ratelimit - ran, CREDIT_MIN_TIMER);
            return choice;
        }
        if (runnable) {
            runq_link(spc, scurr);
        } else {
            add_runnable(spc, -1);
        }
        scurr->yielding = false;
    }

    snext = runq_first(spc, cpu);
    if ((snext == NULL) || (credit_pri(snext) <= CREDIT_PRI_OVER)) {
        struct credit_vcpu *stolen =
            load_balance(prv, cpu, (snext != NULL) ? credit_pri(snext) : CREDIT_PRI_IDLE, now);

        if (stolen != NULL) {
            snext = stolen;
        }
    }
    if ((snext != NULL) && on_runq(snext)) {
        credit_link_del(&snext->runq_elem);
    }

    if (snext == NULL) {
        set_idler(prv, cpu);
        ticker_follow(prv, spc, false, now);
        choice.next = NULL;
        choice.run_for = SCHED_RUN_UNBOUNDED;
        return choice;
    }
    clear_idler(prv, cpu);
    if (snext != scurr) {
        snext->run_start = now;
    }
    snext->start_time = now;
    ticker_follow(prv, spc, true, now);
    choice.next = snext->v;
    choice.run_for = prv->tslice;
    return choice;
}

/* ---- The tick ----------------------------------------------------------- */

/* Work queued here that an idle CPU of the pool may run: wake that CPU,
 * which steals it. Xen gets there by moving the running vCPU to the idle
 * CPU at a tick (its placement finds it a better place); taking the queued
 * one instead leaves the running vCPU its warm cache, and needs no way of
 * moving a running vCPU that the core does not offer. */
static void wake_idler_for_queue(struct credit_pool *prv, struct credit_pcpu *spc)
{
    uint64_t idle = idlers_of(prv) & sched_pool_online_cpus(prv->pool) & ~cpu_bit(spc->cpu);

    if (idle == 0U) {
        return;
    }
    for (struct credit_link *l = spc->runq.next; l != &spc->runq; l = l->next) {
        struct credit_vcpu *svc = runq_entry(l);
        uint64_t mine = hard_of(svc->v) & idle;

        if (!credit_parked(svc) && (mine != 0U)) {
            spc->last_tickle = credit_cycle(spc->last_tickle, mine);
            clear_idler(prv, spc->last_tickle);
            sched_tickle(spc->last_tickle);
            return;
        }
    }
}

/* Every tick period on each busy CPU: the running vCPU pays for its time
 * and loses its boost, and rejoins the accounting if it had left it; the
 * run queue is sorted once after each accounting period, and an idle CPU
 * is woken for what waits in it. */
static void credit_tick(void *data)
{
    struct credit_pcpu *spc = data;
    struct credit_pool *prv = spc->prv;
    struct sched_pcpu *pcpu = sched_pcpu(spc->cpu);
    unsigned long flags = spin_lock_irqsave(pcpu->lock);
    s_time_t now = NOW();

    if (!spc->leaving) {
        if (pcpu->curr != NULL) {
            struct credit_vcpu *svc = credit_vcpu_of(pcpu->curr);

            if (credit_pri(svc) == CREDIT_PRI_BOOST) {
                credit_set_pri(svc, CREDIT_PRI_UNDER);
            }
            credit_burn(svc, now);
            credit_acct_start(prv, svc);
        }
        runq_sort(prv, spc);
        wake_idler_for_queue(prv, spc);
        set_timer(&spc->ticker, now + prv->tick_period);
    }
    spin_unlock_irqrestore(pcpu->lock, flags);
}

const struct sched_ops sched_credit_ops = {
    .name = "credit",
    .sched_id = XEN_SCHEDULER_CREDIT,
    .init_pool = credit_init_pool,
    .deinit_pool = credit_deinit_pool,
    .add_cpu = credit_add_cpu,
    .remove_cpu = credit_remove_cpu,
    .alloc_domain = credit_alloc_domain,
    .free_domain = credit_free_domain,
    .alloc_vcpu = credit_alloc_vcpu,
    .free_vcpu = credit_free_vcpu,
    .pick_cpu = credit_pick_cpu,
    .insert = credit_insert,
    .remove = credit_remove,
    .wake = credit_wake,
    .sleep = credit_sleep,
    .yield = credit_yield,
    .do_schedule = credit_do_schedule,
    .context_saved = NULL,
    .adjust = credit_adjust,
    .adjust_global = credit_adjust_global,
    .dump_cpu = credit_dump_cpu,
};
