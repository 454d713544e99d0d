/* RTDS, Xen's real-time deferrable-server scheduler: global earliest
 * deadline first over the CPUs of a pool.
 *
 * Each vCPU holds a reservation: budget ns of CPU time in every period.
 * Its deadline is the end of its current period; at that instant the
 * replenishment timer gives it a new deadline one period on and a full
 * budget (unused budget is lost, and a vCPU that blocks keeps what it has
 * left: a deferrable server). Whenever a CPU chooses, it runs the
 * runnable vCPU allowed there with the highest priority, for at most the
 * budget it has left. Priority is the level first (0 while within the
 * reservation), then the earlier deadline. A vCPU whose budget runs out
 * waits on the depleted queue for its next period, unless it has extra
 * time: then it goes up one level with a fresh budget and competes only
 * with other vCPUs in extra time, in the CPU time no reservation uses.
 *
 * One lock for the pool guards the queues; all its CPUs point at it, so
 * any CPU can take any queued vCPU. */
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/smp.h>
#include <proxenos/xmalloc.h>
#include "rtds.h"

static uint64_t cpu_bit(unsigned int cpu)
{
    return 1ULL << cpu;
}

/* a's priority is strictly above b's. */
static bool rtds_higher(const struct rtds_vcpu *a, const struct rtds_vcpu *b)
{
    if (a->level != b->level) {
        return a->level < b->level;
    }
    return a->cur_deadline < b->cur_deadline;
}

/* ---- Ordered lists -------------------------------------------------------
 * Doubly linked through rtds_vcpu.link[which], NULL-terminated. A few
 * vCPUs per pool: a sorted list is as fast as anything and easy to read. */

static void list_unlink(struct rtds_vcpu **head, struct rtds_vcpu *sv, unsigned int which)
{
    struct rtds_link *l = &sv->link[which];

    if (l->prev != NULL) {
        l->prev->link[which].next = l->next;
    } else {
        *head = l->next;
    }
    if (l->next != NULL) {
        l->next->link[which].prev = l->prev;
    }
    l->prev = NULL;
    l->next = NULL;
}

/* Put sv before the first element before_fn says it goes before (after
 * every equal: first come, first served among equals). True when sv is
 * now the head. */
static bool list_insert(struct rtds_vcpu **head, struct rtds_vcpu *sv, unsigned int which,
                        bool (*before_fn)(const struct rtds_vcpu *a, const struct rtds_vcpu *b))
{
    struct rtds_vcpu *prev = NULL;
    struct rtds_vcpu *it = *head;

    while ((it != NULL) && !before_fn(sv, it)) {
        prev = it;
        it = it->link[which].next;
    }
    sv->link[which].prev = prev;
    sv->link[which].next = it;
    if (it != NULL) {
        it->link[which].prev = sv;
    }
    if (prev != NULL) {
        prev->link[which].next = sv;
    } else {
        *head = sv;
    }
    return prev == NULL;
}

static bool rtds_earlier_deadline(const struct rtds_vcpu *a, const struct rtds_vcpu *b)
{
    return a->cur_deadline < b->cur_deadline;
}

/* The depleted queue has no order: everything on it waits for its own
 * replenishment. */
static bool rtds_at_front(const struct rtds_vcpu *a, const struct rtds_vcpu *b)
{
    (void)a;
    (void)b;
    return true;
}

/* ---- The run queue and the depleted queue -------------------------------- */

static void q_remove(struct rtds_pool *rp, struct rtds_vcpu *sv)
{
    if (sv->queue == RTDS_RUNQ) {
        list_unlink(&rp->runq, sv, RTDS_LINK_Q);
    } else if (sv->queue == RTDS_DEPLETEDQ) {
        list_unlink(&rp->depletedq, sv, RTDS_LINK_Q);
    } else {
        /* not queued: nothing to do */
    }
    sv->queue = RTDS_NOT_QUEUED;
}

/* A vCPU with budget, or with extra time to fall back on, may run. */
static void q_insert(struct rtds_pool *rp, struct rtds_vcpu *sv)
{
    if (sv->queue != RTDS_NOT_QUEUED) {
        return;
    }
    if ((sv->cur_budget > 0) || sv->extratime) {
        (void)list_insert(&rp->runq, sv, RTDS_LINK_Q, rtds_higher);
        sv->queue = RTDS_RUNQ;
    } else {
        (void)list_insert(&rp->depletedq, sv, RTDS_LINK_Q, rtds_at_front);
        sv->queue = RTDS_DEPLETEDQ;
    }
}

/* ---- Replenishments ------------------------------------------------------ */

/* The period containing now begins: its end is the new deadline. The
 * arithmetic starts from the old deadline, so periods stay aligned. */
static void rtds_replenish(struct rtds_vcpu *sv, s_time_t now)
{
    s_time_t missed = ((now - sv->cur_deadline) / sv->period) + 1;

    sv->cur_deadline += missed * sv->period;
    sv->cur_budget = sv->budget;
    sv->last_start = now;
    sv->level = 0U;
}

static void repl_rearm(struct rtds_pool *rp)
{
    if (rp->timer_cpu == NR_CPUS) {
        return;
    }
    if (rp->replq != NULL) {
        set_timer(&rp->repl_timer, rp->replq->cur_deadline);
    } else {
        stop_timer(&rp->repl_timer);
    }
}

/* The replenishment queue is ordered by deadline alone (Xen orders it
 * like the run queue, which can put a vCPU in extra time behind a later
 * deadline and replenish it late). */
static void replq_insert(struct rtds_pool *rp, struct rtds_vcpu *sv)
{
    if (sv->on_replq) {
        return;
    }
    sv->on_replq = true;
    if (list_insert(&rp->replq, sv, RTDS_LINK_REPL, rtds_earlier_deadline)) {
        repl_rearm(rp);
    }
}

static void replq_remove(struct rtds_pool *rp, struct rtds_vcpu *sv)
{
    bool was_first = (rp->replq == sv);

    if (!sv->on_replq) {
        return;
    }
    list_unlink(&rp->replq, sv, RTDS_LINK_REPL);
    sv->on_replq = false;
    if (was_first) {
        repl_rearm(rp);
    }
}

/* ---- Tickling -------------------------------------------------------------
 * Which CPU should look again now that sv may run: an idle one it may use
 * (its own first, its cache may still be warm), else the one running the
 * lowest-priority vCPU, if sv is above that. CPUs already asked are left
 * out, so that two wakes in a row ask two CPUs. NR_CPUS: none. */
static unsigned int rtds_tickle(struct sched_pool *p, struct rtds_vcpu *sv)
{
    struct rtds_pool *rp = p->priv;
    uint64_t cpus = sched_pool_online_cpus(p) & ~rp->tickled;
    const struct rtds_vcpu *lowest = NULL;
    unsigned int lowest_cpu = NR_CPUS;
    unsigned int chosen = NR_CPUS;
    unsigned int start = sv->v->processor % NR_CPUS;

    for (unsigned int i = 0U; (i < NR_CPUS) && (chosen == NR_CPUS); i++) {
        unsigned int cpu = (start + i) % NR_CPUS;
        const struct vcpu *curr;

        if (((cpus & cpu_bit(cpu)) == 0U) || !sched_affinity_allows(sv->v, cpu)) {
            continue;
        }
        curr = sched_pcpu(cpu)->curr;
        if (curr == NULL) {
            chosen = cpu;
        } else if ((lowest == NULL) || rtds_higher(lowest, rtds_vcpu_of(curr))) {
            lowest = rtds_vcpu_of(curr);
            lowest_cpu = cpu;
        } else {
            /* busy with something at least as urgent as lowest */
        }
    }
    if ((chosen == NR_CPUS) && (lowest != NULL) && rtds_higher(sv, lowest)) {
        chosen = lowest_cpu;
    }
    if (chosen != NR_CPUS) {
        rp->tickled |= cpu_bit(chosen);
    }
    return chosen;
}

/* The vCPU running on sv's CPU, if it is one of the pool's. */
static bool rtds_is_current(const struct rtds_vcpu *sv)
{
    return (sv->v->processor < NR_CPUS) && (sched_pcpu(sv->v->processor)->curr == sv->v);
}

/* Every deadline that has passed moves on; replenished vCPUs that may now
 * run, or now outrank someone running, get a CPU to look at them. */
static void rtds_repl_timer(void *data)
{
    struct sched_pool *p = data;
    struct rtds_pool *rp = p->priv;
    struct rtds_vcpu *done = NULL;
    unsigned long flags = spin_lock_irqsave(&rp->lock);
    s_time_t now = NOW();

    while ((rp->replq != NULL) && (rp->replq->cur_deadline <= now)) {
        struct rtds_vcpu *sv = rp->replq;

        list_unlink(&rp->replq, sv, RTDS_LINK_REPL);
        rtds_replenish(sv, now);
        if (sv->queue != RTDS_NOT_QUEUED) {
            q_remove(rp, sv);
            q_insert(rp, sv);
        }
        /* Collected on the replenishment link until all have moved on. */
        sv->link[RTDS_LINK_REPL].next = done;
        done = sv;
    }
    while (done != NULL) {
        struct rtds_vcpu *sv = done;
        unsigned int cpu = NR_CPUS;

        done = sv->link[RTDS_LINK_REPL].next;
        sv->link[RTDS_LINK_REPL].next = NULL;
        if (rtds_is_current(sv)) {
            if ((rp->runq != NULL) && rtds_higher(rp->runq, sv)) {
                cpu = rtds_tickle(p, rp->runq);
            }
        } else if (sv->queue == RTDS_RUNQ) {
            /* Back from the depleted queue, or from extra time to its
             * reservation: it may now outrank a running vCPU (Xen asks
             * only in the first case, and leaves the second waiting). */
            cpu = rtds_tickle(p, sv);
        } else {
            /* blocked, or not in this pool's queues */
        }
        (void)list_insert(&rp->replq, sv, RTDS_LINK_REPL, rtds_earlier_deadline);
        if (cpu != NR_CPUS) {
            sched_tickle(cpu);
        }
    }
    repl_rearm(rp);
    spin_unlock_irqrestore(&rp->lock, flags);
}

/* ---- Pools and CPUs -------------------------------------------------------- */

static int rtds_init_pool(struct sched_pool *p)
{
    struct rtds_pool *rp = xzalloc_obj(struct rtds_pool);

    if (rp == NULL) {
        return -ENOMEM;
    }
    spin_lock_init(&rp->lock);
    rp->timer_cpu = NR_CPUS;
    p->priv = rp;
    return 0;
}

static void rtds_deinit_pool(struct sched_pool *p)
{
    struct rtds_pool *rp = p->priv;

    if (rp->timer_cpu != NR_CPUS) {
        kill_timer(&rp->repl_timer);
    }
    xfree(rp);
    p->priv = NULL;
}

static int rtds_add_cpu(struct sched_pool *p, unsigned int cpu)
{
    struct rtds_pool *rp = p->priv;
    struct sched_pcpu *pc = sched_pcpu(cpu);
    unsigned long flags = spin_lock_irqsave(&rp->lock);

    /* The pool's first CPU runs the replenishment timer. */
    if (rp->timer_cpu == NR_CPUS) {
        init_timer(&rp->repl_timer, rtds_repl_timer, p, cpu);
        rp->timer_cpu = cpu;
        repl_rearm(rp);
    }
    spin_unlock_irqrestore(&rp->lock, flags);
    pc->priv = rp;
    pc->lock = &rp->lock;
    return 0;
}

static void rtds_remove_cpu(struct sched_pool *p, unsigned int cpu)
{
    struct rtds_pool *rp = p->priv;
    struct sched_pcpu *pc = sched_pcpu(cpu);
    uint64_t others = sched_pool_online_cpus(p) & ~cpu_bit(cpu);
    bool kill = false;
    unsigned long flags = spin_lock_irqsave(&rp->lock);

    rp->tickled &= ~cpu_bit(cpu);
    if (rp->timer_cpu == cpu) {
        if (others != 0U) {
            rp->timer_cpu = (unsigned int)__builtin_ctzll(others);
            migrate_timer(&rp->repl_timer, rp->timer_cpu);
        } else {
            rp->timer_cpu = NR_CPUS;
            kill = true;
        }
    }
    spin_unlock_irqrestore(&rp->lock, flags);
    /* Its handler takes the pool lock: wait for it without holding that. */
    if (kill) {
        kill_timer(&rp->repl_timer);
    }
    pc->lock = &pc->own_lock;
    pc->priv = NULL;
}

/* ---- Domains and vCPUs ----------------------------------------------------- */

static int rtds_alloc_domain(struct sched_pool *p, struct domain *d)
{
    struct rtds_dom *sd = xzalloc_obj(struct rtds_dom);

    if (sd == NULL) {
        return -ENOMEM;
    }
    sd->pool = p;
    d->sched_dom_priv = sd;
    return 0;
}

static void rtds_free_domain(struct sched_pool *p, struct domain *d)
{
    (void)p;
    xfree(d->sched_dom_priv);
    d->sched_dom_priv = NULL;
}

/* Xen's defaults; deadline 0 makes the first wake start a period. */
static int rtds_alloc_vcpu(struct sched_pool *p, struct vcpu *v)
{
    struct rtds_vcpu *sv = xzalloc_obj(struct rtds_vcpu);

    (void)p;
    if (sv == NULL) {
        return -ENOMEM;
    }
    sv->v = v;
    sv->period = RTDS_DEFAULT_PERIOD;
    sv->budget = RTDS_DEFAULT_BUDGET;
    sv->extratime = true;
    v->sched_priv = sv;
    return 0;
}

static void rtds_free_vcpu(struct sched_pool *p, struct vcpu *v)
{
    (void)p;
    xfree(v->sched_priv);
    v->sched_priv = NULL;
}

static unsigned int rtds_pick_cpu(struct sched_pool *p, const struct vcpu *v)
{
    return sched_first_allowed(v, sched_pool_online_cpus(p));
}

/* A vCPU that may run: in its current period, queued, and due for
 * replenishment. */
static unsigned int rtds_enqueue(struct sched_pool *p, struct rtds_vcpu *sv, s_time_t now)
{
    struct rtds_pool *rp = p->priv;

    if (now >= sv->cur_deadline) {
        replq_remove(rp, sv);
        rtds_replenish(sv, now);
    }
    replq_insert(rp, sv);
    q_insert(rp, sv);
    return rtds_tickle(p, sv);
}

static unsigned int rtds_insert(struct sched_pool *p, struct vcpu *v)
{
    if (v->state != VCPU_RUNNABLE) {
        return NR_CPUS;
    }
    return rtds_enqueue(p, rtds_vcpu_of(v), NOW());
}

static void rtds_remove(struct sched_pool *p, struct vcpu *v)
{
    struct rtds_pool *rp = p->priv;
    struct rtds_vcpu *sv = rtds_vcpu_of(v);

    q_remove(rp, sv);
    replq_remove(rp, sv);
}

static unsigned int rtds_wake(struct sched_pool *p, struct vcpu *v, s_time_t now)
{
    struct rtds_vcpu *sv = rtds_vcpu_of(v);

    /* Still its CPU's choice (woken before that CPU chose again): it
     * carries on, and its replenishment was never cancelled. */
    if (rtds_is_current(sv) || (sv->queue != RTDS_NOT_QUEUED)) {
        return NR_CPUS;
    }
    return rtds_enqueue(p, sv, now);
}

/* A running vCPU that blocks is dealt with by do_schedule, which the core
 * calls next on its CPU. */
static void rtds_sleep(struct sched_pool *p, struct vcpu *v)
{
    struct rtds_pool *rp = p->priv;
    struct rtds_vcpu *sv = rtds_vcpu_of(v);

    if (sv->queue != RTDS_NOT_QUEUED) {
        q_remove(rp, sv);
        replq_remove(rp, sv);
    }
}

/* ---- Choosing -------------------------------------------------------------- */

static void rtds_burn(struct rtds_vcpu *sv, s_time_t now)
{
    s_time_t ran = now - sv->last_start;

    /* A clock that went back (never on Arm's counter) costs nothing. */
    sv->last_start = now;
    if (ran <= 0) {
        return;
    }
    sv->cur_budget -= ran;
    if (sv->cur_budget > 0) {
        return;
    }
    if (sv->extratime) {
        sv->level++;
        sv->cur_budget = sv->budget;
    } else {
        sv->cur_budget = 0;
    }
}

/* The first vCPU of the run queue that cpu may run now. One still on
 * another CPU (its registers not yet saved) that would come first is
 * asked for: cpu hears again once it is free. */
static struct rtds_vcpu *rtds_runq_pick(struct rtds_pool *rp, unsigned int cpu)
{
    for (struct rtds_vcpu *sv = rp->runq; sv != NULL; sv = sv->link[RTDS_LINK_Q].next) {
        if (sched_may_run(sv->v, cpu)) {
            return sv;
        }
        if ((sv->v->processor != cpu) && sched_affinity_allows(sv->v, cpu) &&
            (__atomic_load_n(&sv->v->on_cpu, __ATOMIC_ACQUIRE) != 0U)) {
            sched_want_vcpu(sv->v, cpu);
        }
    }
    return NULL;
}

/* prev must make way here, but may still outrank what runs on a CPU the
 * vCPU that preempted it could not use, or find one idle: global EDF
 * wants it there (Xen leaves it queued until some CPU chooses). */
static void rtds_requeue_preempted(struct sched_pool *p, unsigned int cpu, struct rtds_vcpu *sv)
{
    unsigned int other;

    q_insert(p->priv, sv);
    if (sv->queue != RTDS_RUNQ) {
        return;
    }
    other = rtds_tickle(p, sv);
    if ((other != NR_CPUS) && (other != cpu)) {
        sched_tickle(other);
    }
}

static bool rtds_may_go_on(const struct vcpu *v)
{
    return (v->state == VCPU_RUNNING) || (v->state == VCPU_RUNNABLE);
}

static struct sched_choice rtds_do_schedule(struct sched_pool *p, unsigned int cpu, s_time_t now,
                                            struct vcpu *prev)
{
    struct rtds_pool *rp = p->priv;
    struct rtds_vcpu *cur = (prev != NULL) ? rtds_vcpu_of(prev) : NULL;
    struct rtds_vcpu *next;
    struct sched_choice choice = { .next = NULL, .run_for = SCHED_RUN_UNBOUNDED };

    rp->tickled &= ~cpu_bit(cpu);
    if (cur != NULL) {
        rtds_burn(cur, now);
    }
    next = rtds_runq_pick(rp, cpu);
    /* prev goes on unless something queued outranks it: on a tie the
     * queued vCPU gets its turn, as on Xen. */
    if ((cur != NULL) && (cur->cur_budget > 0) && (cur->queue == RTDS_NOT_QUEUED) &&
        rtds_may_go_on(prev) && sched_may_run(prev, cpu) &&
        ((next == NULL) || rtds_higher(cur, next))) {
        next = cur;
    }
    if ((cur != NULL) && (next != cur)) {
        if (rtds_may_go_on(prev)) {
            rtds_requeue_preempted(p, cpu, cur);
        } else {
            replq_remove(rp, cur);
        }
    }
    if (next != NULL) {
        q_remove(rp, next);
        next->last_start = now;
        choice.next = next->v;
        choice.run_for = next->cur_budget;
    }
    return choice;
}

/* ---- The 'r' key ----------------------------------------------------------- */

/* left: the budget it has now (a running vCPU is charged only when its
 * CPU chooses again). */
static void rtds_dump_vcpu(const char *what, const struct rtds_vcpu *sv, s_time_t left)
{
    pr_info("  %s d%uv%u: period %lld budget %lld%s, deadline %lld, left %lld, level %u\n", what,
            (unsigned int)sv->v->domain->domain_id, sv->v->vcpu_id, (long long)sv->period,
            (long long)sv->budget, sv->extratime ? " +extra" : "", (long long)sv->cur_deadline,
            (long long)left, sv->level);
}

/* The queues are the pool's: they are shown with its first CPU. */
static void rtds_dump_cpu(struct sched_pool *p, unsigned int cpu)
{
    const struct rtds_pool *rp = p->priv;
    const struct vcpu *curr = sched_pcpu(cpu)->curr;
    uint64_t online = sched_pool_online_cpus(p);

    if (curr != NULL) {
        const struct rtds_vcpu *sv = rtds_vcpu_of(curr);

        pr_info("CPU %u (rtds pool %u): running\n", cpu, p->id);
        rtds_dump_vcpu("run", sv, MAX(sv->cur_budget - MAX(NOW() - sv->last_start, 0), 0));
    } else {
        pr_info("CPU %u (rtds pool %u): idle\n", cpu, p->id);
    }
    if ((online == 0U) || ((unsigned int)__builtin_ctzll(online) != cpu)) {
        return;
    }
    for (const struct rtds_vcpu *sv = rp->runq; sv != NULL; sv = sv->link[RTDS_LINK_Q].next) {
        rtds_dump_vcpu("runq", sv, sv->cur_budget);
    }
    for (const struct rtds_vcpu *sv = rp->depletedq; sv != NULL; sv = sv->link[RTDS_LINK_Q].next) {
        rtds_dump_vcpu("depleted", sv, sv->cur_budget);
    }
}

const struct sched_ops sched_rtds_ops = {
    .name = "rtds",
    .sched_id = XEN_SCHEDULER_RTDS,
    .init_pool = rtds_init_pool,
    .deinit_pool = rtds_deinit_pool,
    .add_cpu = rtds_add_cpu,
    .remove_cpu = rtds_remove_cpu,
    .alloc_domain = rtds_alloc_domain,
    .free_domain = rtds_free_domain,
    .alloc_vcpu = rtds_alloc_vcpu,
    .free_vcpu = rtds_free_vcpu,
    .pick_cpu = rtds_pick_cpu,
    .insert = rtds_insert,
    .remove = rtds_remove,
    .wake = rtds_wake,
    .sleep = rtds_sleep,
    .do_schedule = rtds_do_schedule,
    .adjust = rtds_adjust,
    .dump_cpu = rtds_dump_cpu,
};
