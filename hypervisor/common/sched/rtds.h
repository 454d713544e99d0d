/* What rtds.c (the scheduling) and rtds_adjust.c (the toolstack's
 * parameters) share: the per-vCPU reservation and the pool's lock. */
#ifndef COMMON_SCHED_RTDS_H
#define COMMON_SCHED_RTDS_H

#include <proxenos/sched_ops.h>
#include <proxenos/timer.h>

/* Xen 4.17's numbers: a vCPU starts with 4 ms of every 10 ms and may use
 * idle time beyond that; neither a budget nor a period may be under
 * 10 us, which would have the CPUs do little but schedule. */
#define RTDS_DEFAULT_PERIOD MICROSECS(10000)
#define RTDS_DEFAULT_BUDGET MICROSECS(4000)
#define RTDS_MIN_PERIOD     MICROSECS(10)
#define RTDS_MIN_BUDGET     MICROSECS(10)

/* Which queue a vCPU waits on, if any: a vCPU chosen to run is on none. */
enum rtds_queue {
    RTDS_NOT_QUEUED,
    RTDS_RUNQ,          /* may run: by priority level, then deadline */
    RTDS_DEPLETEDQ,     /* budget spent, no extra time: waits for its period */
};

/* The two lists a vCPU can be on (index into rtds_vcpu.link). */
#define RTDS_LINK_Q    0U   /* the run queue or the depleted queue */
#define RTDS_LINK_REPL 1U   /* the replenishment queue */

struct rtds_vcpu;

struct rtds_link {
    struct rtds_vcpu *prev;
    struct rtds_vcpu *next;
};

struct rtds_vcpu {
    struct vcpu *v;
    struct rtds_link link[2];
    enum rtds_queue queue;
    bool on_replq;          /* runnable: its next replenishment is queued */
    /* The reservation, in ns (the toolstack's microseconds, converted). */
    s_time_t period;
    s_time_t budget;
    bool extratime;
    /* Where it is in the current period. */
    s_time_t cur_deadline;
    s_time_t cur_budget;
    s_time_t last_start;    /* since when the running vCPU burns budget */
    /* 0 while within its reservation; each budget's worth of extra time
     * adds one, so extra time always yields to reserved time. */
    unsigned int level;
};

/* Per-domain data: which pool the vCPUs' reservations belong to. */
struct rtds_dom {
    struct sched_pool *pool;
};

struct rtds_pool {
    spinlock_t lock;        /* every CPU of the pool: sched_pcpu.lock */
    struct rtds_vcpu *runq;
    struct rtds_vcpu *depletedq;
    struct rtds_vcpu *replq;    /* by deadline: the timer fires for the first */
    struct timer repl_timer;
    unsigned int timer_cpu;     /* NR_CPUS: the pool has no CPU, no timer */
    uint64_t tickled;           /* CPUs asked to choose again, not yet done */
};

static inline struct rtds_vcpu *rtds_vcpu_of(const struct vcpu *v)
{
    return v->sched_priv;
}

long rtds_adjust(struct sched_pool *p, struct domain *d, struct xen_domctl_scheduler_op *op);

#endif
