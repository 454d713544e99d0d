/* Xen's credit (credit1) scheduler: what its three files share.
 *
 * credit.c       the hooks of struct sched_ops: run queues, wake, choice,
 *                stealing, placement, the per-CPU tick
 * credit_acct.c  the accounting period: credits handed out by weight, caps
 *                (parking), priorities
 * credit_ctl.c   parameters (command line, domctl, sysctl) and the 'r' dump
 *
 * Locks, innermost last: a CPU's scheduling lock (sched_pcpu.lock, one per
 * CPU), then the pool's own lock (credit_pool.lock). The pool lock guards
 * the accounting state (the active lists, weights, parameters); it is taken
 * inside a CPU's lock, never around one. A vCPU's credit, priority and
 * parked flag are written under either lock and so are atomics, as on Xen:
 * a run queue may be briefly out of order after accounting, until the
 * CPU's next tick sorts it. */
#ifndef COMMON_SCHED_CREDIT_H
#define COMMON_SCHED_CREDIT_H

#include <proxenos/sched_ops.h>
#include <proxenos/smp.h>
#include <proxenos/timer.h>

/* Xen 4.17's constants (common/sched/credit.c). */
#define CREDIT_DEFAULT_WEIGHT    256U
#define CREDIT_TICKS_PER_TSLICE  3U
#define CREDIT_DEFAULT_TSLICE_MS 30U
#define CREDIT_PER_MSEC          10
/* Never arm a slice shorter than this. */
#define CREDIT_MIN_TIMER         MICROSECS(XEN_SYSCTL_SCHED_RATELIMIT_MIN)

/* Priorities, higher runs first: a vCPU just woken (BOOST), one with
 * credit left (UNDER), one that overspent (OVER). Xen's values, which the
 * 'r' dump shows. */
#define CREDIT_PRI_BOOST 0
#define CREDIT_PRI_UNDER (-1)
#define CREDIT_PRI_OVER  (-2)
#define CREDIT_PRI_IDLE  (-64)

/* A link of a circular doubly-linked list; a list is a link of its own
 * (the head), empty when it points at itself. */
struct credit_link {
    struct credit_link *prev;
    struct credit_link *next;
};

struct credit_dom;

struct credit_vcpu {
    struct credit_link runq_elem;   /* on its CPU's run queue (CPU lock) */
    struct credit_link active_elem; /* on its domain's active list (pool lock) */
    struct credit_dom *sdom;
    struct vcpu *v;
    s_time_t start_time;        /* charged up to here (CPU lock) */
    s_time_t run_start;         /* chosen to run then, for the rate limit */
    s_time_t last_sched_time;   /* last left a CPU, for the migration delay */
    uint32_t residual;          /* charged time below one credit, ns * 10 */
    int32_t credit;             /* atomic */
    int32_t pri;                /* atomic: CREDIT_PRI_* */
    bool parked;                /* atomic: capped out, not to run */
    bool yielding;              /* CPU lock: goes behind its peers once */
};

struct credit_dom {
    struct credit_link active_vcpus;    /* its vCPUs that earn credit */
    struct credit_link active_elem;     /* on the pool's active list */
    struct domain *d;
    uint16_t active_count;
    uint16_t weight;
    uint16_t cap;               /* percent of one CPU; 0: none */
};

struct credit_pool;

struct credit_pcpu {
    struct credit_link runq;    /* by priority, first in first out within one */
    struct credit_pool *prv;
    unsigned int cpu;
    unsigned int nr_runnable;   /* running and queued (a hint for stealers) */
    uint32_t runq_sort_last;    /* the accounting epoch it was sorted for */
    unsigned int last_tickle;   /* the idle CPU last woken for work queued here */
    bool leaving;               /* remove_cpu has begun: arm nothing more */
    struct timer ticker;
};

struct credit_pool {
    spinlock_t lock;
    struct sched_pool *pool;
    uint64_t cpus;              /* CPUs added (pool lock) */
    uint64_t idlers;            /* atomic: those idle, and not tickled since */
    unsigned int ncpus;
    unsigned int master;        /* the CPU whose timer runs the accounting */
    struct timer master_ticker;
    uint32_t runq_sort;         /* atomic: accounting epoch */
    unsigned int balance_bias;  /* atomic: where the last steal found work */

    /* Parameters (pool lock). */
    s_time_t tslice;
    s_time_t ratelimit;
    s_time_t migr_delay;
    s_time_t tick_period;
    unsigned int ticks_per_tslice;
    uint32_t credits_per_tslice;

    /* Accounting (pool lock). */
    struct credit_link active_doms;
    uint32_t weight;            /* the sum over active vCPUs of their weight */
    uint32_t credit;            /* credits_per_tslice for each CPU */
    int32_t credit_balance;
};

/* ---- Lists ---------------------------------------------------------------- */

static inline void credit_link_init(struct credit_link *l)
{
    l->prev = l;
    l->next = l;
}

static inline bool credit_link_empty(const struct credit_link *l)
{
    return l->next == l;
}

/* Put n just before at (at the tail when at is the head). */
static inline void credit_link_add_before(struct credit_link *n, struct credit_link *at)
{
    n->next = at;
    n->prev = at->prev;
    at->prev->next = n;
    at->prev = n;
}

static inline void credit_link_del(struct credit_link *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    credit_link_init(n);
}

/* ---- Atomics of a vCPU ---------------------------------------------------- */

static inline int32_t credit_pri(const struct credit_vcpu *svc)
{
    return __atomic_load_n(&svc->pri, __ATOMIC_RELAXED);
}

static inline void credit_set_pri(struct credit_vcpu *svc, int32_t pri)
{
    __atomic_store_n(&svc->pri, pri, __ATOMIC_RELAXED);
}

static inline int32_t credit_of(const struct credit_vcpu *svc)
{
    return __atomic_load_n(&svc->credit, __ATOMIC_RELAXED);
}

static inline bool credit_parked(const struct credit_vcpu *svc)
{
    return __atomic_load_n(&svc->parked, __ATOMIC_ACQUIRE);
}

static inline struct credit_vcpu *credit_vcpu_of(const struct vcpu *v)
{
    return v->sched_priv;
}

static inline struct credit_pcpu *credit_pcpu_of(unsigned int cpu)
{
    return sched_pcpu(cpu)->priv;
}

/* The next CPU of mask after from, wrapping round; NR_CPUS when none. */
static inline unsigned int credit_cycle(unsigned int from, uint64_t mask)
{
    for (unsigned int i = 1U; i <= NR_CPUS; i++) {
        unsigned int c = (from + i) % NR_CPUS;

        if ((mask & ((uint64_t)1U << c)) != 0U) {
            return c;
        }
    }
    return NR_CPUS;
}

/* ---- Between the files ---------------------------------------------------- */


/* credit_acct.c */
/* The accounting period's timer handler (data: the credit_pool). */
void credit_acct(void *data);
/* svc starts (again) to earn credit: on its domain's active list. Pool
 * lock not held. */
void credit_acct_start(struct credit_pool *prv, struct credit_vcpu *svc);
/* svc earns no more (it leaves the pool). Pool lock not held. */
void credit_acct_stop(struct credit_pool *prv, struct credit_vcpu *svc);
/* Charge svc, running, for the time since its start_time. */
void credit_burn(struct credit_vcpu *svc, s_time_t now);

/* credit_ctl.c */
/* The time slice and what follows from it (pool lock, or a new pool). */
void credit_set_tslice(struct credit_pool *prv, unsigned int tslice_ms);
/* The command line's parameters, checked as Xen checks them at boot. */
void credit_boot_params(struct credit_pool *prv);
long credit_adjust(struct sched_pool *p, struct domain *d, struct xen_domctl_scheduler_op *op);
long credit_adjust_global(struct sched_pool *p, struct xen_sysctl_scheduler_op *op);
void credit_dump_cpu(struct sched_pool *p, unsigned int cpu);

#endif
