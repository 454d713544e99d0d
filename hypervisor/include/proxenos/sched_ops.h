/* The boundary between the scheduling core (common/sched/sched.c) and the
 * schedulers (credit2, credit, null, rtds, arinc653). The core owns what
 * every scheduler needs the same way: vCPU states and run-state time, the
 * "registers still on a CPU" protocol (v->on_cpu), the context switch,
 * each CPU's slice timer, moving a vCPU's timers with it, pools and their
 * CPUs. A scheduler owns its queues and its choice: which vCPU runs next on
 * a CPU and for how long, where a waking vCPU goes, and which CPU must look
 * again.
 *
 * Locks. Each CPU's scheduling state is guarded by the lock its
 * sched_pcpu.lock points to: the CPU's own, or one its scheduler shares
 * among several CPUs (credit2's run queues, one lock per rtds or arinc653
 * pool). A vCPU is guarded by the lock of its CPU (v->processor), which
 * changes only with both the old and the new CPU's locks held. Every hook
 * below says which lock the core holds when it calls it; a hook that
 * needs another CPU's lock takes it with sched_lock_other (no waiting the
 * wrong way round: a trylock, or the lock order of sched_lock_pair). */
#ifndef PROXENOS_SCHED_OPS_H
#define PROXENOS_SCHED_OPS_H

#include <proxenos/domain.h>
#include <proxenos/spinlock.h>
#include <proxenos/timer.h>
#include <public/domctl.h>
#include <public/sysctl.h>

struct sched_ops;

/* A CPU pool: a set of CPUs with one scheduler instance of its own. */
struct sched_pool {
    const struct sched_ops *ops;
    void *priv;                 /* the scheduler's per-pool data */
    uint64_t cpus;              /* the pool's CPUs (bit n: CPU n) */
    unsigned int id;            /* Xen's pool id */
    unsigned int nr_domains;    /* domains in it (sched_add_domain) */
    /* Its vCPUs (the core's: to find those on a CPU that leaves). */
    spinlock_t vcpus_lock;
    struct vcpu *vcpus;
};

/* Any free pool id (sched_pool_new). */
#define SCHED_POOL_ID_ANY 0xffffffffU

/* One physical CPU as the core keeps it. Schedulers read curr and pool
 * and own priv; they set lock in add_cpu (and back in remove_cpu). */
struct sched_pcpu {
    spinlock_t *lock;           /* guards this CPU's scheduling state */
    spinlock_t own_lock;        /* what lock points to unless shared */
    struct sched_pool *pool;    /* NULL: in no pool (offline, or free) */
    void *priv;                 /* the scheduler's per-CPU data */
    struct vcpu *curr;          /* chosen to run here; NULL: idle */
    /* The core's own, under lock: */
    s_time_t slice_start;       /* when curr (or idle) was chosen */
    struct timer slice_timer;
    bool yield_pending;         /* curr asked to let others go first */
    uint64_t switches;
    uint64_t idle_ns;           /* time idle, up to slice_start */
    unsigned int assigned;      /* vCPUs whose processor this is */
};

/* do_schedule's answer: what runs next on the CPU, and for how long before
 * the CPU chooses again (the core arms the slice timer). */
struct sched_choice {
    struct vcpu *next;          /* NULL: idle */
    s_time_t run_for;           /* < 0: until a wake, block or tickle */
};

#define SCHED_RUN_UNBOUNDED ((s_time_t)-1)

struct sched_ops {
    const char *name;           /* sched= and cpupool-sched: Xen's names */
    uint32_t sched_id;          /* XEN_SCHEDULER_* */

    /* A new pool (no CPU, no vCPU yet; no lock held): set p->priv. */
    int (*init_pool)(struct sched_pool *p);
    /* The pool is gone: no CPU and no vCPU left in it. */
    void (*deinit_pool)(struct sched_pool *p);

    /* cpu joins p (no lock held, no vCPU on it): set pcpu->priv, then
     * pcpu->lock (the core then sets pcpu->pool under that lock; until
     * then the CPU stays idle). -ENOMEM and the like refuse it. */
    int (*add_cpu)(struct sched_pool *p, unsigned int cpu);
    /* cpu leaves p (no vCPU of p on it or queued on it; no lock held;
     * pcpu->pool already NULL): free pcpu->priv, point pcpu->lock back at
     * own_lock. */
    void (*remove_cpu)(struct sched_pool *p, unsigned int cpu);

    /* A domain enters p (no lock held): set d->sched_dom_priv, with the
     * parameters it starts with. Before any of its vCPUs. */
    int (*alloc_domain)(struct sched_pool *p, struct domain *d);
    void (*free_domain)(struct sched_pool *p, struct domain *d);

    /* A vCPU enters p (no lock held, its domain's data allocated): set
     * v->sched_priv. v->state is OFFLINE or BLOCKED, not runnable. */
    int (*alloc_vcpu)(struct sched_pool *p, struct vcpu *v);
    void (*free_vcpu)(struct sched_pool *p, struct vcpu *v);

    /* The CPU v should be put on: one of p's online CPUs that v's hard
     * affinity allows, or NR_CPUS when there is none. Called with no lock
     * or with v's CPU's lock held; may read other CPUs' state racily. */
    unsigned int (*pick_cpu)(struct sched_pool *p, const struct vcpu *v);

    /* v now belongs to v->processor (its lock held): after alloc_vcpu, or
     * when moved between CPUs by the core. v is off every CPU. If v is
     * RUNNABLE, queue it and return the CPU that must choose again (or
     * NR_CPUS); otherwise NR_CPUS. */
    unsigned int (*insert)(struct sched_pool *p, struct vcpu *v);
    /* v leaves v->processor (its lock held): before free_vcpu or a move.
     * Off every CPU. Take it off every queue. */
    void (*remove)(struct sched_pool *p, struct vcpu *v);

    /* v just became RUNNABLE (was BLOCKED or OFFLINE; v's CPU's lock held).
     * Queue it; it may be on its CPU still (its registers not saved yet).
     * Return the CPU that must choose again (preempt, or an idle CPU that
     * may take it), or NR_CPUS. The scheduler may set v->processor to
     * another CPU that shares the held lock. */
    unsigned int (*wake)(struct sched_pool *p, struct vcpu *v, s_time_t now);
    /* v is no longer runnable (blocked, stopped; v's CPU's lock held): if
     * it is queued, dequeue it. It may be the CPU's current vCPU: then the
     * core is about to call do_schedule there. */
    void (*sleep)(struct sched_pool *p, struct vcpu *v);
    /* The CPU's current vCPU v asked to yield (lock held). The core then
     * sets pcpu->yield_pending, read by do_schedule, and makes the CPU
     * choose again, but only if this says another vCPU could run there
     * (a yield alone on a CPU costs no pass through do_schedule). Optional:
     * missing means always. */
    bool (*yield)(struct sched_pool *p, struct vcpu *v);

    /* Choose what cpu runs next (its lock held, interrupts off). prev is
     * what ran until now (NULL: idle); prev->state is VCPU_RUNNING if it
     * may go on (it has not blocked), else BLOCKED or OFFLINE. Charge prev
     * for the time it ran. The answer must satisfy sched_may_run(next, cpu)
     * and be guarded by the held lock; if it is not prev and prev is still
     * RUNNING, keep prev queued (the core marks it RUNNABLE). If next's
     * processor is another CPU that shares the lock, the core moves it. */
    struct sched_choice (*do_schedule)(struct sched_pool *p, unsigned int cpu, s_time_t now,
                                       struct vcpu *prev);

    /* v's registers were saved after the core switched away from it while
     * another CPU wanted it (sched_want_vcpu). Under v's CPU's lock, v
     * still marked on its CPU (so not freed meanwhile, nor taken by
     * another CPU): the scheduler may hand it to another CPU's queue (the
     * other lock taken with sched_lock_other). The answer is a CPU to
     * tell, or NR_CPUS; the core publishes v saved, then tells that CPU
     * and the one that wanted v. Optional: without it the core tells only
     * the CPU that wanted v. */
    unsigned int (*context_saved)(struct sched_pool *p, struct vcpu *v);

    /* XEN_DOMCTL_scheduler_op for d in p (no lock held; op->sched_id is
     * checked by the caller). Xen's answers, including -EINVAL for a
     * command the scheduler does not have. Optional: missing is 0, as
     * Xen answers for a scheduler without parameters (null). */
    long (*adjust)(struct sched_pool *p, struct domain *d, struct xen_domctl_scheduler_op *op);
    /* XEN_SYSCTL_scheduler_op for p (no lock held; sched_id and cmd
     * checked by the caller). Optional: missing is 0, as in Xen. */
    long (*adjust_global)(struct sched_pool *p, struct xen_sysctl_scheduler_op *op);

    /* For the 'r' key: one or more lines about cpu (its lock held). */
    void (*dump_cpu)(struct sched_pool *p, unsigned int cpu);
};

/* ---- What the core offers schedulers ------------------------------------ */

struct sched_pcpu *sched_pcpu(unsigned int cpu);

/* v may be chosen to run on cpu now: not paused (domain or hypervisor),
 * runnable, allowed there by its hard affinity, and either on cpu already
 * or off every CPU (its registers saved). Under v's CPU's lock. */
bool sched_may_run(const struct vcpu *v, unsigned int cpu);

/* v, or its domain, is paused (or stopped for good): it may stay queued
 * but is not picked. Xen takes such vCPUs off its queues; a scheduler
 * leaves them out of what it weighs (credit2's epoch and slice). */
bool sched_vcpu_paused(const struct vcpu *v);

/* Whether v's hard affinity allows cpu (read atomically: the toolstack
 * changes it at any time, and sched_move_vcpu follows). */
bool sched_affinity_allows(const struct vcpu *v, unsigned int cpu);

/* v is runnable but still on another CPU (registers not saved) and cpu
 * would run it: ask to be told once it is saved (ops->context_saved, or a
 * tickle of cpu). Under v's CPU's lock. */
void sched_want_vcpu(struct vcpu *v, unsigned int cpu);

/* Lock v's CPU (the lock v->processor's sched_pcpu points to, taken with
 * interrupts off), looking again if v moved meanwhile. For hooks called
 * with no lock held (adjust). Release with spin_unlock_irqrestore. */
spinlock_t *sched_lock_vcpu(const struct vcpu *v, unsigned long *flags);

/* Take another CPU's lock while holding cpu's own: true when locked (or
 * when it is the same lock: then nothing is taken). A trylock, so two
 * CPUs stealing from each other cannot deadlock; false means try later. */
bool sched_lock_other(unsigned int cpu, unsigned int other);
void sched_unlock_other(unsigned int cpu, unsigned int other);

/* Move v (off every CPU, not queued by the scheduler) from v->processor
 * to cpu: both CPUs' locks held. Its timers and the count of vCPUs placed
 * on each CPU follow it. The scheduler queues it on its side itself. */
void sched_set_processor(struct vcpu *v, unsigned int cpu);

/* Ask cpu to choose again (SCHEDULE_SOFTIRQ there). */
void sched_tickle(unsigned int cpu);

/* The online CPUs of p. */
uint64_t sched_pool_online_cpus(const struct sched_pool *p);

/* The default (first) CPU of v's hard affinity within cpus, preferring
 * v->processor: NR_CPUS when none. A pick_cpu for schedulers that have no
 * better idea. */
unsigned int sched_first_allowed(const struct vcpu *v, uint64_t cpus);

/* ---- Pools --------------------------------------------------------------- */

/* A new, empty pool with scheduler ops and the id *id (SCHED_POOL_ID_ANY:
 * one more than the highest in use, written back): 0, -EEXIST, -ENOSPC
 * (MAX_CPUPOOLS pools already), or the scheduler's error. */
int sched_pool_new(const struct sched_ops *ops, unsigned int *id, struct sched_pool **out);
/* The same with a given id: NULL on any error. */
struct sched_pool *sched_pool_create(const struct sched_ops *ops, unsigned int id);
/* Destroy an empty pool (no CPU, no domain): 0, or -EBUSY. */
int sched_pool_destroy(struct sched_pool *p);
/* The pool with this id, or NULL. */
struct sched_pool *sched_pool_by_id(unsigned int id);
/* Move cpu (in no pool, online) into p: 0, -EBUSY (in a pool) or the
 * scheduler's error. Or out of p: 0, -EINVAL (not p's); a CPU with vCPUs
 * on it is taken out of p's set first, its vCPUs sent to p's other CPUs,
 * and -EAGAIN answered until the last has gone (call again: Xen's
 * toolstack retries on EAGAIN). */
int sched_pool_add_cpu(struct sched_pool *p, unsigned int cpu);
int sched_pool_remove_cpu(struct sched_pool *p, unsigned int cpu);
/* How many domains are in p. */
unsigned int sched_pool_domains(const struct sched_pool *p);

/* ---- The registry -------------------------------------------------------- */

/* Each scheduler's ops, defined in its own file (built when its
 * CONFIG_SCHED_* is on) and listed in sched_registry.c. */
extern const struct sched_ops sched_credit2_ops;
extern const struct sched_ops sched_credit_ops;
extern const struct sched_ops sched_null_ops;
extern const struct sched_ops sched_rtds_ops;
extern const struct sched_ops sched_arinc653_ops;

/* The scheduler called name, or NULL when this build has none by that
 * name. */
const struct sched_ops *sched_ops_by_name(const char *name);
/* By XEN_SCHEDULER_* id, or NULL. */
const struct sched_ops *sched_ops_by_id(uint32_t id);

#endif
