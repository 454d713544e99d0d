/* credit2's queues as a CPU choosing sees them: burning credit, the
 * queue of waiting vCPUs by credit, the load each adds, and which CPU of a
 * run queue is told to look at a vCPU just queued (an idle one, else the
 * one running the vCPU it outranks most). */
#include <proxenos/smp.h>
#include "credit2.h"

uint64_t c2_hard_online(const struct sched_pool *p, const struct vcpu *v)
{
    return __atomic_load_n(&v->hard_affinity, __ATOMIC_ACQUIRE) & sched_pool_online_cpus(p);
}

/* Soft affinity is meant only when it narrows the hard one. */
uint64_t c2_soft_mask(const struct vcpu *v, uint64_t hard)
{
    uint64_t soft = __atomic_load_n(&v->soft_affinity, __ATOMIC_ACQUIRE) & hard;

    return (soft != hard) ? soft : 0U;
}

/* The CPU of mask at or cyclically after cpu (NR_CPUS: mask empty). */
unsigned int c2_test_or_cycle(unsigned int cpu, uint64_t mask)
{
    uint64_t from_cpu = (cpu < 64U) ? (mask & (~0ULL << cpu)) : 0U;

    if (from_cpu != 0U) {
        return (unsigned int)__builtin_ctzll(from_cpu);
    }
    return (mask != 0U) ? (unsigned int)__builtin_ctzll(mask) : NR_CPUS;
}

void c2_burn_credits(const struct c2_runq *rqd, struct c2_vcpu *svc, s_time_t now)
{
    s_time_t delta = now - svc->start_time;
    int64_t val;

    if (delta <= 0) {
        return;
    }
    /* The remainder is kept, so that many short runs add up exactly. */
    val = (delta * (int64_t)rqd->max_weight) + svc->residual;
    svc->residual = val % (int64_t)svc->weight;
    val /= (int64_t)svc->weight;
    svc->credit = MAX(svc->credit - val, C2_CREDIT_MIN);
    if (c2_has_cap(svc)) {
        svc->budget -= delta;
    }
    svc->start_time = now;
}

void c2_set_counted(struct c2_vcpu *svc, bool counted, s_time_t now)
{
    if (svc->counted != counted) {
        int change = counted ? 1 : -1;

        c2_update_runq_load(svc->rqd, change, now);
        c2_update_svc_load(svc, change, now);
        svc->counted = counted;
    }
}

/* After those with as much credit: equal credit queues in arrival order. */
void c2_runq_insert(struct c2_vcpu *svc)
{
    struct c2_vcpu **pp = &svc->rqd->runq;

    while ((*pp != NULL) && ((*pp)->credit >= svc->credit)) {
        pp = &(*pp)->runq_next;
    }
    svc->runq_next = *pp;
    *pp = svc;
    svc->on_runq = true;
}

void c2_runq_remove(struct c2_vcpu *svc)
{
    struct c2_vcpu **pp = &svc->rqd->runq;

    while (*pp != NULL) {
        if (*pp == svc) {
            *pp = svc->runq_next;
            break;
        }
        pp = &(*pp)->runq_next;
    }
    svc->runq_next = NULL;
    svc->on_runq = false;
}

void c2_tickle_cpu(struct c2_runq *rqd, unsigned int cpu)
{
    rqd->tickled |= 1ULL << cpu;
}

s_time_t c2_ratelimit_ns(const struct sched_pool *p)
{
    return MICROSECS(__atomic_load_n(&c2_pool(p)->ratelimit_us, __ATOMIC_RELAXED));
}

/* Whether cur, running, has run long enough that a wake may preempt it
 * (the rate limit, less a tolerance). */
static bool is_preemptable(const struct c2_vcpu *cur, s_time_t now, s_time_t ratelimit)
{
    return (ratelimit <= C2_RATELIMIT_TOLERANCE) ||
           ((now - cur->run_since) > (ratelimit - C2_RATELIMIT_TOLERANCE));
}

/* How much new deserves cpu, busy: negative when it may not preempt it. A
 * CPU of new's soft affinity and outside cur's is worth more. */
static s_time_t tickle_score(struct sched_pool *p, const struct c2_vcpu *new, unsigned int cpu,
                             s_time_t now)
{
    const struct vcpu *curv = sched_pcpu(cpu)->curr;
    struct c2_vcpu *cur;
    s_time_t score;

    if ((curv == NULL) || !is_preemptable(c2_vcpu(curv), now, c2_ratelimit_ns(p))) {
        return -1;
    }
    cur = c2_vcpu(curv);
    c2_burn_credits(new->rqd, cur, now);
    score = new->credit - cur->credit;
    if (new->v->processor != cpu) {
        score -= c2_migrate_resist();
    }
    if (score > 0) {
        if (c2_cpu_in(__atomic_load_n(&new->v->soft_affinity, __ATOMIC_ACQUIRE), cpu)) {
            score += C2_CREDIT_INIT;
        }
        if (!c2_cpu_in(__atomic_load_n(&curv->soft_affinity, __ATOMIC_ACQUIRE), cpu)) {
            score += C2_CREDIT_INIT;
        }
    }
    return score;
}

/* Which CPU of new's run queue should look at it: an idle one not told
 * yet (its own CPU first, soft affinity before hard), else the busy one
 * whose vCPU new outranks most. */
unsigned int c2_runq_tickle(struct sched_pool *p, struct c2_vcpu *new, s_time_t now)
{
    struct c2_runq *rqd = new->rqd;
    unsigned int cpu = new->v->processor;
    uint64_t hard = c2_hard_online(p, new->v) & rqd->active;
    uint64_t soft = c2_soft_mask(new->v, hard);
    uint64_t steps[2] = { soft, hard };
    uint64_t busy;
    unsigned int ipid = NR_CPUS;
    s_time_t max = 0;

    for (unsigned int s = 0U; s < 2U; s++) {
        unsigned int i = c2_test_or_cycle(cpu, rqd->idle & ~rqd->tickled & steps[s]);

        if (i != NR_CPUS) {
            c2_tickle_cpu(rqd, i);
            new->tickled_cpu = i;
            return i;
        }
    }
    busy = rqd->active & ~rqd->idle & ~rqd->tickled & hard;
    if (c2_cpu_in(busy, cpu)) {
        s_time_t score = tickle_score(p, new, cpu, now);

        busy &= ~(1ULL << cpu);
        if (score > max) {
            max = score;
            ipid = cpu;
            if (c2_cpu_in(soft, cpu) || (soft == 0U)) {
                busy = 0U;  /* where it ran, and where it likes: take it */
            }
        }
    }
    for (; busy != 0U; busy &= busy - 1U) {
        unsigned int i = (unsigned int)__builtin_ctzll(busy);
        s_time_t score = tickle_score(p, new, i, now);

        if (score > max) {
            max = score;
            ipid = i;
        }
    }
    if (ipid != NR_CPUS) {
        c2_tickle_cpu(rqd, ipid);
        new->tickled_cpu = ipid;
    }
    return ipid;
}
