/* Where credit2 puts vCPUs: the least loaded run queue that has CPUs of a
 * vCPU's soft affinity, else of its hard affinity (its own queue counted
 * without its own load, so it stays unless another is truly lighter); and
 * Xen's balance_load, which moves one vCPU, or swaps two, between the
 * queue of a CPU choosing and the queue whose load differs most from it. */
#include <proxenos/sched.h>
#include "credit2.h"

/* The CPU of mask after cpu, cyclically (cpu itself last). */
static unsigned int cycle(unsigned int cpu, uint64_t mask)
{
    for (unsigned int i = 1U; i <= NR_CPUS; i++) {
        unsigned int c = (cpu + i) % NR_CPUS;

        if (c2_cpu_in(mask, c)) {
            return c;
        }
    }
    return NR_CPUS;
}

static uint64_t active_of(const struct c2_runq *rqd)
{
    return __atomic_load_n(&rqd->active, __ATOMIC_ACQUIRE);
}

/* What Xen does when it cannot look at the queues: v's CPU if allowed,
 * else one of its queue, else any allowed. */
static unsigned int fallback_cpu(const struct c2_vcpu *svc, unsigned int cpu, uint64_t hard)
{
    if (c2_cpu_in(hard, cpu)) {
        return cpu;
    }
    if ((svc != NULL) && (svc->rqd != NULL) && ((hard & active_of(svc->rqd)) != 0U)) {
        return cycle(NR_CPUS - 1U, hard & active_of(svc->rqd));
    }
    return cycle(NR_CPUS - 1U, hard);
}

unsigned int c2_pick_cpu(struct sched_pool *p, const struct vcpu *v)
{
    struct c2_pool *prv = c2_pool(p);
    const struct c2_vcpu *svc = c2_vcpu(v);
    uint64_t hard = __atomic_load_n(&v->hard_affinity, __ATOMIC_ACQUIRE) &
                    sched_pool_online_cpus(p);
    uint64_t soft = __atomic_load_n(&v->soft_affinity, __ATOMIC_ACQUIRE) & hard;
    bool has_soft = (soft != 0U) && (soft != hard);
    struct c2_runq *min_rqd = NULL;
    struct c2_runq *min_s_rqd = NULL;
    int64_t min_load = INT64_MAX;
    int64_t min_s_load = INT64_MAX;
    struct c2_runq *best;
    uint64_t mask;
    unsigned int cpu;

    for (unsigned int i = 0U; i < NR_CPUS; i++) {
        struct c2_runq *rqd = &prv->rqd[i];
        uint64_t cpus = active_of(rqd) & hard;
        /* Read without its lock: a hint, as Xen's trylock makes it. */
        int64_t load = __atomic_load_n(&rqd->b_avgload, __ATOMIC_RELAXED);

        if (cpus == 0U) {
            continue;
        }
        if ((svc != NULL) && (rqd == svc->rqd)) {
            load = MAX(load - svc->avgload, 0);
        }
        if (has_soft && (load < min_s_load) && ((cpus & soft) != 0U)) {
            min_s_load = load;
            min_s_rqd = rqd;
        }
        if (load < min_load) {
            min_load = load;
            min_rqd = rqd;
        }
    }
    if (min_s_rqd != NULL) {
        best = min_s_rqd;
        mask = hard & soft & active_of(best);
    } else if (min_rqd != NULL) {
        best = min_rqd;
        mask = hard & active_of(best);
    } else {
        return (hard == 0U) ? NR_CPUS : fallback_cpu(svc, v->processor, hard);
    }
    cpu = cycle(__atomic_load_n(&best->pick_bias, __ATOMIC_RELAXED), mask);
    if (cpu == NR_CPUS) {
        /* The queue lost its CPUs meanwhile. */
        return fallback_cpu(svc, v->processor, hard);
    }
    __atomic_store_n(&best->pick_bias, cpu, __ATOMIC_RELAXED);
    return cpu;
}

struct balance {
    struct c2_runq *lrqd;
    struct c2_runq *orqd;
    int64_t load_delta;
    struct c2_vcpu *push;
    struct c2_vcpu *pull;
};

/* Would pushing push (and pulling pull) bring the two loads closer than
 * the best found so far? */
static void consider(struct balance *st, struct c2_vcpu *push, struct c2_vcpu *pull)
{
    int64_t l_load = st->lrqd->b_avgload;
    int64_t o_load = st->orqd->b_avgload;
    int64_t delta;

    if (push != NULL) {
        l_load -= push->avgload;
        o_load += push->avgload;
    }
    if (pull != NULL) {
        l_load += pull->avgload;
        o_load -= pull->avgload;
    }
    delta = (l_load > o_load) ? (l_load - o_load) : (o_load - l_load);
    if (delta < st->load_delta) {
        st->load_delta = delta;
        st->push = push;
        st->pull = pull;
    }
}

/* A vCPU may be moved to another queue where its hard affinity allows,
 * unless it is out of budget or on its way already. */
static bool migrateable(const struct sched_pool *p, const struct c2_vcpu *svc,
                        const struct c2_runq *to)
{
    return !svc->parked && (svc->migrate_rqd == NULL) && (c2_cpu_in_rqd(p, svc, to) != NR_CPUS);
}

unsigned int c2_cpu_in_rqd(const struct sched_pool *p, const struct c2_vcpu *svc,
                           const struct c2_runq *to)
{
    uint64_t mask = __atomic_load_n(&svc->v->hard_affinity, __ATOMIC_ACQUIRE) &
                    sched_pool_online_cpus(p) & active_of(to);

    return cycle(__atomic_load_n(&to->pick_bias, __ATOMIC_RELAXED), mask);
}

unsigned int c2_move_saved(struct sched_pool *p, struct c2_vcpu *svc, struct c2_runq *to,
                           s_time_t now)
{
    bool on_runq = svc->on_runq;
    unsigned int cpu = c2_cpu_in_rqd(p, svc, to);

    if (on_runq) {
        c2_runq_remove(svc);
    }
    if (svc->counted) {
        c2_update_runq_load(svc->rqd, -1, now);
    }
    c2_runq_deassign(svc);
    sched_set_processor(svc->v, cpu);
    to->pick_bias = cpu;
    c2_runq_assign(svc, to);
    if (svc->counted) {
        c2_update_runq_load(to, 1, now);
    }
    if (!on_runq) {
        return NR_CPUS;
    }
    c2_runq_insert(svc);
    return c2_runq_tickle(p, svc, now);
}

void c2_migrate(struct sched_pool *p, struct c2_vcpu *svc, struct c2_runq *to, s_time_t now)
{
    unsigned int from = svc->v->processor;
    unsigned int t;

    if (sched_vcpu_on_cpu(svc->v) || (svc->counted && !svc->on_runq)) {
        /* Running, or chosen to: it goes once switched out, and its CPU
         * switches it out now. */
        svc->migrate_rqd = to;
        if (sched_pcpu(from)->curr == svc->v) {
            svc->rqd->tickled |= 1ULL << from;
            sched_tickle(from);
        }
        return;
    }
    t = c2_move_saved(p, svc, to, now);
    if (t != NR_CPUS) {
        sched_tickle(t);
    }
}

static int64_t abs_diff(int64_t a, int64_t b)
{
    return (a > b) ? (a - b) : (b - a);
}

/* A vCPU's load scaled by 2^adjust (Xen's balance tolerance shifts). */
static int64_t tolerance(int32_t adjust)
{
    int64_t t = C2_LOAD_ONE;

    for (int32_t i = adjust; (i > 0) && (t < (INT64_MAX / 2)); i--) {
        t *= 2;
    }
    for (int32_t i = adjust; (i < 0) && (t > 1); i++) {
        t /= 2;
    }
    return t;
}

/* Whether the loads are far enough apart to be worth a move: under full
 * capacity a whole vCPU's worth (credit2_balance_under=0), over it an
 * eighth (credit2_balance_over=-3). */
static bool worth_balancing(const struct c2_runq *l, const struct c2_runq *o, int64_t delta)
{
    int64_t load_max = MAX(l->b_avgload, o->b_avgload);
    int64_t cpus_max = (int64_t)MAX(l->nr_cpus, o->nr_cpus);

    if (load_max < (cpus_max * C2_LOAD_ONE)) {
        return delta >= tolerance(c2_opt_balance_under);
    }
    return delta >= tolerance(c2_opt_balance_over);
}

static unsigned int first_cpu(const struct c2_runq *rqd)
{
    return cycle(NR_CPUS - 1U, rqd->active);
}

void c2_balance_load(struct sched_pool *p, unsigned int cpu, s_time_t now)
{
    struct c2_pool *prv = c2_pool(p);
    struct balance st = { c2_rqd(p, cpu), NULL, 0, NULL, NULL };
    struct c2_runq *max_rqd = NULL;
    unsigned int ocpu;

    c2_update_runq_load(st.lrqd, 0, now);
    for (unsigned int i = 0U; i < NR_CPUS; i++) {
        struct c2_runq *rqd = &prv->rqd[i];
        unsigned int oc = first_cpu(rqd);
        int64_t delta;

        if ((rqd == st.lrqd) || (oc == NR_CPUS) || !sched_lock_other(cpu, oc)) {
            continue;
        }
        c2_update_runq_load(rqd, 0, now);
        delta = abs_diff(st.lrqd->b_avgload, rqd->b_avgload);
        if (delta > st.load_delta) {
            st.load_delta = delta;
            max_rqd = rqd;
        }
        sched_unlock_other(cpu, oc);
    }
    if (max_rqd == NULL) {
        return;
    }
    ocpu = first_cpu(max_rqd);
    if ((ocpu == NR_CPUS) || !sched_lock_other(cpu, ocpu)) {
        return;     /* busy: the next reset of credit tries again */
    }
    st.orqd = max_rqd;
    if (!worth_balancing(st.lrqd, st.orqd, st.load_delta)) {
        sched_unlock_other(cpu, ocpu);
        return;
    }
    /* Push, pull or swap: whichever leaves the loads closest. */
    for (struct c2_vcpu *push = st.lrqd->svc; push != NULL; push = push->rqd_next) {
        c2_update_svc_load(push, 0, now);
    }
    for (struct c2_vcpu *pull = st.orqd->svc; pull != NULL; pull = pull->rqd_next) {
        c2_update_svc_load(pull, 0, now);
    }
    for (struct c2_vcpu *push = st.lrqd->svc; push != NULL; push = push->rqd_next) {
        if (!migrateable(p, push, st.orqd)) {
            continue;
        }
        for (struct c2_vcpu *pull = st.orqd->svc; pull != NULL; pull = pull->rqd_next) {
            if (migrateable(p, pull, st.lrqd)) {
                consider(&st, push, pull);
            }
        }
        consider(&st, push, NULL);
    }
    for (struct c2_vcpu *pull = st.orqd->svc; pull != NULL; pull = pull->rqd_next) {
        if (migrateable(p, pull, st.lrqd)) {
            consider(&st, NULL, pull);
        }
    }
    if (st.push != NULL) {
        c2_migrate(p, st.push, st.orqd, now);
    }
    if (st.pull != NULL) {
        c2_migrate(p, st.pull, st.lrqd, now);
    }
    sched_unlock_other(cpu, ocpu);
}
