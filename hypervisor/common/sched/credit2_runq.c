/* credit2's run queues: which CPUs share one (credit2_runqueue=, by the
 * topology the architecture reports), which vCPUs belong to one, the
 * heaviest weight among those, and the queue's load over time. */
#include <proxenos/smp.h>
#include "credit2.h"

static bool same_level(unsigned int a, unsigned int b)
{
    struct arch_cpu_topology ta;
    struct arch_cpu_topology tb;

    arch_cpu_topology(a, &ta);
    arch_cpu_topology(b, &tb);
    switch (c2_opt_runqueue) {
    case C2_RUNQ_ALL:
        return true;
    case C2_RUNQ_NODE:
        return ta.node == tb.node;
    case C2_RUNQ_SOCKET:
        return ta.socket == tb.socket;
    case C2_RUNQ_CORE:
        return (ta.socket == tb.socket) && (ta.core == tb.core);
    default:
        return false;   /* C2_RUNQ_CPU: a queue of its own */
    }
}

static bool same_core(unsigned int a, unsigned int b)
{
    struct arch_cpu_topology ta;
    struct arch_cpu_topology tb;

    arch_cpu_topology(a, &ta);
    arch_cpu_topology(b, &tb);
    return (ta.socket == tb.socket) && (ta.core == tb.core);
}

/* As Xen: at most sched_credit2_max_cpus_runqueue CPUs a queue, spread
 * evenly (the fewest CPUs first), threads of one core always together;
 * a CPU no queue matches opens the lowest free one. Under prv->lock. */
struct c2_runq *c2_runq_for_cpu(struct c2_pool *prv, unsigned int cpu)
{
    unsigned int online = MAX(num_online_cpus(), 1U);
    unsigned int max_cpus = MAX(c2_opt_max_cpus_runqueue, 1U);
    unsigned int min_rqs = ((online - 1U) / max_cpus) + 1U;
    unsigned int max_cpus_runq = online / min_rqs;
    struct c2_runq *valid = NULL;
    struct c2_runq *free_rqd = NULL;

    for (unsigned int i = 0U; i < NR_CPUS; i++) {
        struct c2_runq *rqd = &prv->rqd[i];
        unsigned int peer;
        bool sibling = false;

        if (!rqd->used) {
            free_rqd = (free_rqd == NULL) ? rqd : free_rqd;
            continue;
        }
        peer = rqd->pick_bias;
        if ((c2_opt_runqueue == C2_RUNQ_CPU) || !same_level(peer, cpu)) {
            continue;
        }
        for (unsigned int c = 0U; c < NR_CPUS; c++) {
            sibling = sibling || (c2_cpu_in(rqd->active, c) && same_core(c, cpu));
        }
        if (sibling) {
            valid = rqd;
            break;
        }
        if ((rqd->nr_cpus < max_cpus_runq) && ((valid == NULL) || (rqd->nr_cpus < valid->nr_cpus))) {
            valid = rqd;
        }
    }
    if (valid == NULL) {
        /* There are NR_CPUS queues: one is free for a CPU joining none. */
        valid = free_rqd;
        valid->used = true;
        valid->pick_bias = cpu;
        valid->max_weight = 1U;
    }
    return valid;
}

void c2_update_max_weight(struct c2_runq *rqd, unsigned int new_weight, unsigned int old_weight)
{
    if (new_weight > rqd->max_weight) {
        rqd->max_weight = new_weight;
    } else if (old_weight == rqd->max_weight) {
        unsigned int max = 1U;

        for (const struct c2_vcpu *svc = rqd->svc; svc != NULL; svc = svc->rqd_next) {
            max = MAX(max, svc->weight);
        }
        rqd->max_weight = max;
    } else {
        /* someone else still has the old maximum */
    }
}

void c2_runq_assign(struct c2_vcpu *svc, struct c2_runq *rqd)
{
    svc->rqd = rqd;
    svc->rqd_next = rqd->svc;
    rqd->svc = svc;
    c2_update_max_weight(rqd, svc->weight, 0U);
    rqd->b_avgload += svc->avgload;
}

void c2_runq_deassign(struct c2_vcpu *svc)
{
    struct c2_runq *rqd = svc->rqd;
    struct c2_vcpu **pp = &rqd->svc;

    while (*pp != NULL) {
        if (*pp == svc) {
            *pp = svc->rqd_next;
            break;
        }
        pp = &(*pp)->rqd_next;
    }
    svc->rqd_next = NULL;
    svc->rqd = NULL;
    c2_update_max_weight(rqd, 0U, svc->weight);
    rqd->b_avgload = MAX(rqd->b_avgload - svc->avgload, 0);
}

/* One step of Xen's moving average: the sample held for delta of the
 * window weighs delta / window. (After a whole window without an update,
 * the callers take the sample alone.) All values are non-negative. */
static int64_t ewma(int64_t avg, int64_t sample, int64_t delta)
{
    return avg + ((delta * sample * C2_LOAD_ONE) / C2_LOAD_WINDOW) - ((delta * avg) / C2_LOAD_WINDOW);
}

void c2_update_runq_load(struct c2_runq *rqd, int change, s_time_t now)
{
    int64_t t = now / C2_LOAD_GRANULE;

    if ((rqd->load_last_update + C2_LOAD_WINDOW) < t) {
        rqd->avgload = rqd->load * C2_LOAD_ONE;
        rqd->b_avgload = rqd->load * C2_LOAD_ONE;
    } else {
        int64_t delta = MAX(t - rqd->load_last_update, 0);

        rqd->avgload = ewma(rqd->avgload, rqd->load, delta);
        rqd->b_avgload = ewma(rqd->b_avgload, rqd->load, delta);
    }
    rqd->load += change;
    rqd->load_last_update = t;
}

/* change +1: it was not runnable until now; -1: it was; 0: as it is. */
void c2_update_svc_load(struct c2_vcpu *svc, int change, s_time_t now)
{
    int64_t t = now / C2_LOAD_GRANULE;
    int64_t sample;

    if (change != 0) {
        sample = (change < 0) ? 1 : 0;
    } else {
        sample = svc->counted ? 1 : 0;
    }
    if ((svc->load_last_update + C2_LOAD_WINDOW) < t) {
        svc->avgload = sample * C2_LOAD_ONE;
    } else {
        svc->avgload = ewma(svc->avgload, sample, MAX(t - svc->load_last_update, 0));
    }
    svc->load_last_update = t;
}
