/* A weighted-fair scheduler with one run queue per CPU, standing in for
 * credit2 until credit2's own algorithm lands (sched_ops.h).
 *
 * Each vCPU accumulates virtual run time: real time scaled by
 * SCHED_DEFAULT_WEIGHT / weight. The runnable vCPU with the least virtual
 * time runs next, for at most one slice. A vCPU that wakes after sleeping
 * starts no further back than the queue's minimum, so sleeping earns no
 * credit to monopolise the CPU later. vCPUs are placed on the least
 * loaded CPU of their hard affinity and move only when that affinity
 * changes. */
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/sched.h>
#include <proxenos/sched_ops.h>
#include <proxenos/smp.h>
#include <proxenos/xmalloc.h>

#define SLICE MILLISECS(10)

struct wfq_vcpu {
    struct vcpu *v;
    uint64_t vruntime;
    unsigned int weight;
    bool queued;
    struct wfq_vcpu *next;
};

struct wfq_dom {
    uint16_t weight;
    uint16_t cap;               /* kept and reported, not enforced */
};

struct wfq_cpu {
    struct wfq_vcpu *queue;     /* runnable, not running; unordered */
    uint64_t min_vruntime;
};

static struct wfq_vcpu *wv(const struct vcpu *v)
{
    return v->sched_priv;
}

static struct wfq_cpu *wc(unsigned int cpu)
{
    return sched_pcpu(cpu)->priv;
}

static void enqueue(struct wfq_cpu *q, struct wfq_vcpu *sv)
{
    if (!sv->queued) {
        sv->next = q->queue;
        q->queue = sv;
        sv->queued = true;
    }
}

static void dequeue(struct wfq_cpu *q, struct wfq_vcpu *sv)
{
    struct wfq_vcpu **pp = &q->queue;

    while (*pp != NULL) {
        if (*pp == sv) {
            *pp = sv->next;
            sv->next = NULL;
            sv->queued = false;
            return;
        }
        pp = &(*pp)->next;
    }
}

static int wfq_init_pool(struct sched_pool *p)
{
    p->priv = NULL;
    return 0;
}

static void wfq_deinit_pool(struct sched_pool *p)
{
    (void)p;
}

static int wfq_add_cpu(struct sched_pool *p, unsigned int cpu)
{
    struct sched_pcpu *pc = sched_pcpu(cpu);
    struct wfq_cpu *q = xzalloc_obj(struct wfq_cpu);

    (void)p;
    if (q == NULL) {
        return -ENOMEM;
    }
    pc->priv = q;
    __atomic_store_n(&pc->lock, &pc->own_lock, __ATOMIC_RELEASE);
    return 0;
}

static void wfq_remove_cpu(struct sched_pool *p, unsigned int cpu)
{
    struct sched_pcpu *pc = sched_pcpu(cpu);

    (void)p;
    xfree(pc->priv);
    pc->priv = NULL;
}

static int wfq_alloc_domain(struct sched_pool *p, struct domain *d)
{
    struct wfq_dom *wd = xzalloc_obj(struct wfq_dom);

    (void)p;
    if (wd == NULL) {
        return -ENOMEM;
    }
    wd->weight = (uint16_t)SCHED_DEFAULT_WEIGHT;
    d->sched_dom_priv = wd;
    return 0;
}

static void wfq_free_domain(struct sched_pool *p, struct domain *d)
{
    (void)p;
    xfree(d->sched_dom_priv);
}

static int wfq_alloc_vcpu(struct sched_pool *p, struct vcpu *v)
{
    struct wfq_vcpu *sv = xzalloc_obj(struct wfq_vcpu);
    const struct wfq_dom *wd = v->domain->sched_dom_priv;

    (void)p;
    if (sv == NULL) {
        return -ENOMEM;
    }
    sv->v = v;
    sv->weight = wd->weight;
    v->sched_priv = sv;
    return 0;
}

static void wfq_free_vcpu(struct sched_pool *p, struct vcpu *v)
{
    (void)p;
    xfree(v->sched_priv);
}

/* The least loaded online CPU of the pool that v may run on. */
static unsigned int wfq_pick_cpu(struct sched_pool *p, const struct vcpu *v)
{
    uint64_t cpus = sched_pool_online_cpus(p) & __atomic_load_n(&v->hard_affinity, __ATOMIC_ACQUIRE);
    unsigned int best = NR_CPUS;

    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if (((cpus >> cpu) & 1U) == 0U) {
            continue;
        }
        if ((best == NR_CPUS) || (sched_pcpu(cpu)->assigned < sched_pcpu(best)->assigned)) {
            best = cpu;
        }
    }
    return best;
}

static unsigned int wfq_insert(struct sched_pool *p, struct vcpu *v)
{
    struct wfq_cpu *q = wc(v->processor);
    struct wfq_vcpu *sv = wv(v);

    (void)p;
    /* Its virtual time is only comparable within one queue. */
    sv->vruntime = q->min_vruntime;
    if (v->state == VCPU_RUNNABLE) {
        enqueue(q, sv);
        return v->processor;
    }
    return NR_CPUS;
}

static void wfq_remove(struct sched_pool *p, struct vcpu *v)
{
    (void)p;
    dequeue(wc(v->processor), wv(v));
}

/* The least virtual time a waking vCPU may start from: the queue's
 * minimum, or the running vCPU's virtual time including the slice it is in
 * (a vCPU running alone is never rescheduled, so the minimum alone goes
 * stale and a sleeper would return with credit to monopolise the CPU). */
static uint64_t queue_floor(unsigned int cpu, s_time_t now)
{
    const struct sched_pcpu *pc = sched_pcpu(cpu);
    uint64_t floor = wc(cpu)->min_vruntime;

    if (pc->curr != NULL) {
        const struct wfq_vcpu *csv = wv(pc->curr);
        uint64_t ran = (now > pc->slice_start) ? (uint64_t)(now - pc->slice_start) : 0U;

        floor = MAX(floor, csv->vruntime + ((ran * SCHED_DEFAULT_WEIGHT) / csv->weight));
    }
    return floor;
}

static unsigned int wfq_wake(struct sched_pool *p, struct vcpu *v, s_time_t now)
{
    struct wfq_vcpu *sv = wv(v);

    (void)p;
    sv->vruntime = MAX(sv->vruntime, queue_floor(v->processor, now));
    enqueue(wc(v->processor), sv);
    return v->processor;
}

static void wfq_sleep(struct sched_pool *p, struct vcpu *v)
{
    (void)p;
    dequeue(wc(v->processor), wv(v));
}

static bool wfq_yield(struct sched_pool *p, struct vcpu *v)
{
    (void)p;
    return wc(v->processor)->queue != NULL;
}

/* The runnable vCPU with the least virtual time. A vCPU that yielded
 * (yielder) runs again only if nobody else may: a yield hands the CPU to
 * any other runnable vCPU whatever its credit, so a guest spinning on
 * SCHEDOP_yield for another's work (Linux's PV console waiting for
 * xenconsoled to drain its ring) lets that work run. */
static struct wfq_vcpu *pick(const struct wfq_cpu *q, unsigned int cpu, struct wfq_vcpu *yielder)
{
    struct wfq_vcpu *best = NULL;

    for (struct wfq_vcpu *sv = q->queue; sv != NULL; sv = sv->next) {
        if ((sv != yielder) && sched_may_run(sv->v, cpu) &&
            ((best == NULL) || (sv->vruntime < best->vruntime))) {
            best = sv;
        }
    }
    if ((best == NULL) && (yielder != NULL) && yielder->queued && sched_may_run(yielder->v, cpu)) {
        best = yielder;
    }
    return best;
}

static struct sched_choice wfq_do_schedule(struct sched_pool *p, unsigned int cpu, s_time_t now,
                                           struct vcpu *prev)
{
    struct sched_pcpu *pc = sched_pcpu(cpu);
    struct wfq_cpu *q = wc(cpu);
    struct wfq_vcpu *yielder = NULL;
    struct sched_choice c = { NULL, SCHED_RUN_UNBOUNDED };
    struct wfq_vcpu *nsv;

    (void)p;
    if (prev != NULL) {
        struct wfq_vcpu *psv = wv(prev);
        uint64_t ran = (now > pc->slice_start) ? (uint64_t)(now - pc->slice_start) : 0U;

        psv->vruntime += (ran * SCHED_DEFAULT_WEIGHT) / psv->weight;
        /* A paused vCPU is queued too (pick() skips it): it is no longer
         * on the CPU, and must be found again once unpaused. */
        if (prev->state == VCPU_RUNNING) {
            enqueue(q, psv);
            yielder = pc->yield_pending ? psv : NULL;
        }
    }
    nsv = pick(q, cpu, yielder);
    if (nsv != NULL) {
        dequeue(q, nsv);
        c.next = nsv->v;
        q->min_vruntime = MAX(q->min_vruntime, nsv->vruntime);
        /* Only preempt when someone else is waiting. */
        if (q->queue != NULL) {
            c.run_for = SLICE;
        }
    }
    return c;
}

static long wfq_adjust(struct sched_pool *p, struct domain *d, struct xen_domctl_scheduler_op *op)
{
    struct xen_domctl_sched_credit2 *a = &op->u.credit2;
    struct wfq_dom *wd = d->sched_dom_priv;

    (void)p;
    if (op->cmd == XEN_DOMCTL_SCHEDOP_getinfo) {
        a->weight = wd->weight;
        a->cap = wd->cap;
        return 0;
    }
    if (op->cmd != XEN_DOMCTL_SCHEDOP_putinfo) {
        return -EINVAL;     /* no per-vCPU parameters */
    }
    /* 0 leaves a parameter as it is, except that a cap of 0 removes it.
     * Xen sets the weight before it checks the cap, and keeps it when the
     * cap is refused. */
    if (a->weight != 0U) {
        wd->weight = a->weight;
        for (unsigned int i = 0U; (d->vcpu != NULL) && (i < d->max_vcpus); i++) {
            struct vcpu *v = d->vcpu[i];

            if ((v != NULL) && (v->sched_priv != NULL)) {
                unsigned long flags;
                /* do_schedule reads the weight to charge run time. */
                spinlock_t *l = sched_lock_vcpu(v, &flags);

                wv(v)->weight = a->weight;
                spin_unlock_irqrestore(l, flags);
            }
        }
    }
    /* A cap is a percentage of one CPU per vCPU. */
    if ((uint32_t)a->cap > (100U * d->max_vcpus)) {
        return -EINVAL;
    }
    wd->cap = a->cap;
    return 0;
}

static void wfq_dump_cpu(struct sched_pool *p, unsigned int cpu)
{
    unsigned int waiting = 0U;

    (void)p;
    for (const struct wfq_vcpu *sv = wc(cpu)->queue; sv != NULL; sv = sv->next) {
        waiting++;
    }
    pr_info("CPU %u: %u runnable waiting\n", cpu, waiting);
}

const struct sched_ops sched_credit2_ops = {
    .name = "credit2",
    .sched_id = XEN_SCHEDULER_CREDIT2,
    .init_pool = wfq_init_pool,
    .deinit_pool = wfq_deinit_pool,
    .add_cpu = wfq_add_cpu,
    .remove_cpu = wfq_remove_cpu,
    .alloc_domain = wfq_alloc_domain,
    .free_domain = wfq_free_domain,
    .alloc_vcpu = wfq_alloc_vcpu,
    .free_vcpu = wfq_free_vcpu,
    .pick_cpu = wfq_pick_cpu,
    .insert = wfq_insert,
    .remove = wfq_remove,
    .wake = wfq_wake,
    .sleep = wfq_sleep,
    .yield = wfq_yield,
    .do_schedule = wfq_do_schedule,
    .context_saved = NULL,
    .adjust = wfq_adjust,
    .adjust_global = NULL,
    .dump_cpu = wfq_dump_cpu,
};
