/* credit2's own state, shared by its files. Each calls only those listed
 * after it, never back:
 *   credit2.c          the sched_ops: the choice, slices, wake-ups, pools;
 *   credit2_cap.c      caps and budgets, the toolstack's parameters;
 *   credit2_balance.c  placement and load balancing between run queues;
 *   credit2_queue.c    credit burn, the queue by credit, tickling;
 *   credit2_runq.c     run queues by topology, weights and load.
 * Not for anyone else. */
#ifndef PROXENOS_SCHED_CREDIT2_H
#define PROXENOS_SCHED_CREDIT2_H

#include <proxenos/sched_ops.h>
#include <proxenos/timer.h>

/* Xen 4.17's constants (xen/common/sched/credit2.c). Credit is time in
 * ns at the run queue's highest weight. */
#define C2_DEFAULT_WEIGHT       256U
#define C2_CREDIT_INIT          MILLISECS(10)
#define C2_CREDIT_MIN           (-C2_CREDIT_INIT)
#define C2_CREDIT_RESET         0
#define C2_MIN_TIMER            MICROSECS(500)
#define C2_MAX_TIMER            C2_CREDIT_INIT
#define C2_CARRYOVER_MAX        C2_MIN_TIMER
#define C2_MIGRATE_COMPENSATION MICROSECS(50)
#define C2_RATELIMIT_TOLERANCE  MICROSECS(50)
#define C2_MAX_CPUS_RUNQ        16U
#define C2_BUDGET_UNLIMITED     INT64_MAX   /* not capped */

/* Load tracking (Xen's shifts 18, 10 and 30, as plain numbers): a load
 * of one vCPU is C2_LOAD_ONE (18 fraction bits); time is counted in
 * units of C2_LOAD_GRANULE ns; the averaging window is 2^30 ns, that is
 * C2_LOAD_WINDOW units. */
#define C2_LOAD_ONE     262144
#define C2_LOAD_GRANULE 1024
#define C2_LOAD_WINDOW  1048576

/* How CPUs share run queues (credit2_runqueue=). */
enum c2_runq_level {
    C2_RUNQ_CPU,
    C2_RUNQ_CORE,
    C2_RUNQ_SOCKET,
    C2_RUNQ_NODE,
    C2_RUNQ_ALL,
};

struct c2_vcpu;

/* A run queue: the CPUs that share one lock and pick from one queue. */
struct c2_runq {
    spinlock_t lock;
    bool used;
    unsigned int id;
    uint64_t active;            /* its CPUs (atomics: read racily) */
    uint64_t idle;              /* ... running nothing */
    uint64_t tickled;           /* ... told to choose again, not yet done */
    unsigned int nr_cpus;
    unsigned int pick_bias;     /* where the last placement went */
    struct c2_vcpu *runq;       /* runnable, waiting: by credit, highest first */
    struct c2_vcpu *svc;        /* every vCPU assigned here */
    unsigned int max_weight;
    /* Load: runnable vCPUs now, and its moving average (b_avgload also
     * moves at once when vCPUs are assigned or leave). */
    int64_t load;
    int64_t avgload;
    int64_t b_avgload;
    int64_t load_last_update;
};

struct c2_dom {
    struct domain *d;
    spinlock_t budget_lock;     /* under a run-queue lock, never around one */
    uint16_t weight;
    uint16_t cap;               /* percent of a CPU; 0: none */
    unsigned int nr_vcpus;
    s_time_t tot_budget;        /* per period */
    s_time_t budget;            /* left in this period */
    s_time_t next_repl;
    struct timer repl_timer;
    struct c2_vcpu *parked;     /* vCPUs waiting for budget */
    struct sched_pool *pool;
};

struct c2_vcpu {
    struct vcpu *v;
    struct c2_dom *sdom;
    struct c2_runq *rqd;        /* NULL: assigned to none */
    struct c2_vcpu *runq_next;
    struct c2_vcpu *rqd_next;
    struct c2_vcpu *parked_next;
    /* To move to this run queue once off its CPU (balance_load found it
     * on one): picked by nobody meanwhile. */
    struct c2_runq *migrate_rqd;
    bool on_runq;
    bool parked;                /* out of budget: queued nowhere */
    bool counted;               /* in rqd->load */
    bool yield;
    s_time_t credit;
    int64_t residual;           /* what the last burn's division left */
    unsigned int weight;
    s_time_t start_time;        /* credit burnt up to here */
    s_time_t run_since;         /* chosen, after something else ran */
    unsigned int tickled_cpu;   /* NR_CPUS: none */
    s_time_t budget;            /* capped: time it may still run */
    s_time_t budget_quota;
    int64_t avgload;
    int64_t load_last_update;
};

struct c2_pool {
    spinlock_t lock;            /* the set of run queues and their CPUs */
    struct c2_runq rqd[NR_CPUS];
    struct c2_runq *cpu_rqd[NR_CPUS];
    uint32_t ratelimit_us;
};

/* Boot parameters (credit2_params.c). */
extern enum c2_runq_level c2_opt_runqueue;
extern uint32_t c2_opt_migrate_resist_us;
extern uint32_t c2_opt_max_cpus_runqueue;
extern uint32_t c2_opt_cap_period_ms;
extern int32_t c2_opt_balance_under;
extern int32_t c2_opt_balance_over;

static inline struct c2_pool *c2_pool(const struct sched_pool *p)
{
    return p->priv;
}

static inline struct c2_vcpu *c2_vcpu(const struct vcpu *v)
{
    return v->sched_priv;
}

static inline struct c2_runq *c2_rqd(const struct sched_pool *p, unsigned int cpu)
{
    return c2_pool(p)->cpu_rqd[cpu];
}

static inline bool c2_has_cap(const struct c2_vcpu *svc)
{
    return svc->budget_quota != 0;
}

static inline s_time_t c2_migrate_resist(void)
{
    return MICROSECS(c2_opt_migrate_resist_us);
}

static inline bool c2_cpu_in(uint64_t mask, unsigned int cpu)
{
    return (cpu < 64U) && ((mask & (1ULL << cpu)) != 0U);
}

/* credit2_queue.c */
/* v's hard affinity within p's online CPUs; its soft affinity within
 * that, or 0 when it narrows nothing. */
uint64_t c2_hard_online(const struct sched_pool *p, const struct vcpu *v);
uint64_t c2_soft_mask(const struct vcpu *v, uint64_t hard);
/* The CPU of mask at or cyclically after cpu (NR_CPUS: mask empty). */
unsigned int c2_test_or_cycle(unsigned int cpu, uint64_t mask);
s_time_t c2_ratelimit_ns(const struct sched_pool *p);
void c2_tickle_cpu(struct c2_runq *rqd, unsigned int cpu);
void c2_burn_credits(const struct c2_runq *rqd, struct c2_vcpu *svc, s_time_t now);
void c2_runq_insert(struct c2_vcpu *svc);
void c2_runq_remove(struct c2_vcpu *svc);
/* The CPU that should take svc, just queued on its run queue (marked
 * tickled), or NR_CPUS. */
unsigned int c2_runq_tickle(struct sched_pool *p, struct c2_vcpu *svc, s_time_t now);
/* svc counts in its run queue's load (runnable) or not. */
void c2_set_counted(struct c2_vcpu *svc, bool counted, s_time_t now);

/* credit2_runq.c */
struct c2_runq *c2_runq_for_cpu(struct c2_pool *prv, unsigned int cpu);
void c2_runq_assign(struct c2_vcpu *svc, struct c2_runq *rqd);
void c2_runq_deassign(struct c2_vcpu *svc);
void c2_update_max_weight(struct c2_runq *rqd, unsigned int new_weight, unsigned int old_weight);
void c2_update_runq_load(struct c2_runq *rqd, int change, s_time_t now);
void c2_update_svc_load(struct c2_vcpu *svc, int change, s_time_t now);

/* credit2_balance.c */
unsigned int c2_pick_cpu(struct sched_pool *p, const struct vcpu *v);
void c2_balance_load(struct sched_pool *p, unsigned int cpu, s_time_t now);
/* A CPU of to that svc may run on, or NR_CPUS. */
unsigned int c2_cpu_in_rqd(const struct sched_pool *p, const struct c2_vcpu *svc,
                           const struct c2_runq *to);
/* svc moves to to: now if it is off every CPU and not just chosen (both
 * queues' locks held), else it is marked to move when switched out. */
void c2_migrate(struct sched_pool *p, struct c2_vcpu *svc, struct c2_runq *to, s_time_t now);
/* The move itself, for a vCPU whose registers are saved (both run queues'
 * locks held): the CPU to tell, or NR_CPUS. */
unsigned int c2_move_saved(struct sched_pool *p, struct c2_vcpu *svc, struct c2_runq *to,
                           s_time_t now);

/* credit2_cap.c */
void c2_dom_init(struct c2_dom *sdom);
void c2_dom_fini(struct c2_dom *sdom);
/* Budget for svc, which is about to run (its CPU's lock held): false when
 * its domain has none left, and then svc is parked. */
bool c2_grab_budget(struct c2_vcpu *svc);
/* svc stops running: what it did not use goes back to its domain. */
void c2_return_budget(struct sched_pool *p, unsigned int cpu, struct c2_vcpu *svc);
/* Take svc off its domain's parked list (its CPU's lock held). */
void c2_unpark(struct c2_vcpu *svc);
long c2_adjust(struct sched_pool *p, struct domain *d, struct xen_domctl_scheduler_op *op);
long c2_adjust_global(struct sched_pool *p, struct xen_sysctl_scheduler_op *op);

#endif
