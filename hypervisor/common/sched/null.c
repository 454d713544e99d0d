/* Xen's "null" scheduler: each vCPU of the pool is given one physical CPU
 * of its own and runs there whenever it is runnable, never sliced. vCPUs
 * the pool's CPUs cannot all take wait, oldest first, until one is freed.
 * For static partitioning, where there are no more vCPUs than CPUs.
 *
 * Placement, as Xen 4.17 does it: a vCPU's own CPU if free, else a free
 * CPU that its soft affinity prefers, else a free one its hard affinity
 * allows; a freed CPU takes the oldest waiter that prefers it, else the
 * oldest it is allowed for.
 *
 * Lock: one per pool, shared by all of its CPUs. The wait list and the
 * set of free CPUs are the pool's, and handing a freed CPU to a waiter
 * changes the waiter's processor, which the core allows under both CPUs'
 * locks: with one lock that is a plain step, where per-CPU locks would
 * need a third lock for the list and trylocks to move the waiter (Xen has
 * both). The price, contention between CPUs, is small: a CPU of this
 * scheduler takes the lock only when its vCPU blocks or wakes. */
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/sched_ops.h>
#include <proxenos/sched.h>
#include <proxenos/xmalloc.h>

#define NO_CPU NR_CPUS

struct null_vcpu {
    struct vcpu *v;
    unsigned int cpu;           /* the CPU it was given; NO_CPU: none */
    bool waiting;               /* on the pool's wait list */
    bool warned;                /* told the console it had to wait */
    struct null_vcpu *next_waiting;
};

struct null_pool {
    spinlock_t lock;            /* every CPU's sched_pcpu.lock */
    uint64_t free_cpus;         /* the pool's CPUs with no vCPU given */
    struct vcpu *given[NR_CPUS];    /* each CPU's vCPU; NULL: none */
    struct null_vcpu *wait_head;    /* oldest first */
    struct null_vcpu *wait_tail;
};

static struct null_pool *np_of(const struct sched_pool *p)
{
    return p->priv;
}

static struct null_vcpu *nv_of(const struct vcpu *v)
{
    return v->sched_priv;
}

static uint64_t cpu_bit(unsigned int cpu)
{
    return 1ULL << cpu;
}

static unsigned int first_cpu(uint64_t cpus)
{
    return (cpus == 0U) ? NO_CPU : (unsigned int)__builtin_ctzll(cpus);
}

/* The two rounds of placement: the CPUs v's soft affinity prefers (empty
 * when it prefers nothing beyond what it is allowed, so the round adds
 * nothing), then those its hard affinity allows; both within cpus. */
enum placement_round { ROUND_SOFT, ROUND_HARD };

static uint64_t round_cpus(const struct vcpu *v, enum placement_round r, uint64_t cpus)
{
    uint64_t hard = __atomic_load_n(&v->hard_affinity, __ATOMIC_RELAXED) & cpus;
    uint64_t soft = __atomic_load_n(&v->soft_affinity, __ATOMIC_RELAXED) & hard;

    if (r == ROUND_HARD) {
        return hard;
    }
    return (soft == hard) ? 0U : soft;
}

/* Of cpus (not empty), the one with the fewest vCPUs placed on it: vCPUs
 * made offline (a domain's secondaries) are spread over the free CPUs, so
 * that each later wakes where it was placed. */
static unsigned int least_placed(uint64_t cpus)
{
    unsigned int best = first_cpu(cpus);

    for (unsigned int cpu = best + 1U; cpu < NR_CPUS; cpu++) {
        if (((cpus & cpu_bit(cpu)) != 0U) &&
            (sched_pcpu(cpu)->assigned < sched_pcpu(best)->assigned)) {
            best = cpu;
        }
    }
    return best;
}

/* A free CPU of p for v: its own if free and allowed, else the least
 * placed free one in each round. NO_CPU: none. Racy without the lock
 * (pick_cpu). */
static unsigned int find_free_cpu(const struct sched_pool *p, const struct vcpu *v)
{
    const struct null_pool *np = np_of(p);
    uint64_t online = sched_pool_online_cpus(p);
    uint64_t free = __atomic_load_n(&np->free_cpus, __ATOMIC_RELAXED) & online;

    for (unsigned int r = (unsigned int)ROUND_SOFT; r <= (unsigned int)ROUND_HARD; r++) {
        uint64_t cpus = round_cpus(v, (enum placement_round)r, online) & free;

        if ((v->processor < NR_CPUS) && ((cpus & cpu_bit(v->processor)) != 0U)) {
            return v->processor;
        }
        if (cpus != 0U) {
            return least_placed(cpus);
        }
    }
    return NO_CPU;
}

/* v is cpu's from now on (v's own CPU's lock, the pool's, held). Moved
 * there at once when its registers are saved; otherwise the core moves it
 * when cpu first chooses it. */
static void give_cpu(struct null_pool *np, struct null_vcpu *nv, unsigned int cpu)
{
    np->given[cpu] = nv->v;
    __atomic_store_n(&np->free_cpus, np->free_cpus & ~cpu_bit(cpu), __ATOMIC_RELAXED);
    nv->cpu = cpu;
    if ((nv->v->processor != cpu) && !sched_vcpu_on_cpu(nv->v)) {
        sched_set_processor(nv->v, cpu);
    }
}

static void wait_append(struct null_pool *np, struct null_vcpu *nv)
{
    nv->waiting = true;
    nv->next_waiting = NULL;
    if (np->wait_tail == NULL) {
        np->wait_head = nv;
    } else {
        np->wait_tail->next_waiting = nv;
    }
    np->wait_tail = nv;
    /* Xen says so each time; once per vCPU is enough to see the pool is
     * short of CPUs without a line per wake. */
    if (!nv->warned) {
        nv->warned = true;
        pr_warn("WARNING: d%uv%u not assigned to any CPU!\n", nv->v->domain->domain_id,
                nv->v->vcpu_id);
    }
}

static void wait_unlink(struct null_pool *np, struct null_vcpu *nv)
{
    struct null_vcpu *prev = NULL;

    for (struct null_vcpu *w = np->wait_head; w != NULL; w = w->next_waiting) {
        if (w == nv) {
            if (prev == NULL) {
                np->wait_head = w->next_waiting;
            } else {
                prev->next_waiting = w->next_waiting;
            }
            if (np->wait_tail == w) {
                np->wait_tail = prev;
            }
            break;
        }
        prev = w;
    }
    nv->waiting = false;
    nv->next_waiting = NULL;
}

/* The oldest waiter that prefers cpu, else the oldest allowed on it:
 * taken off the list and given cpu. NULL: nobody may take it. */
static struct vcpu *take_waiter(const struct sched_pool *p, unsigned int cpu)
{
    struct null_pool *np = np_of(p);

    for (unsigned int r = (unsigned int)ROUND_SOFT; r <= (unsigned int)ROUND_HARD; r++) {
        for (struct null_vcpu *w = np->wait_head; w != NULL; w = w->next_waiting) {
            if ((round_cpus(w->v, (enum placement_round)r, p->cpus) & cpu_bit(cpu)) != 0U) {
                wait_unlink(np, w);
                give_cpu(np, w, cpu);
                return w->v;
            }
        }
    }
    return NULL;
}

/* nv gives its CPU back; the CPU goes to a waiter if one may have it. */
static void take_cpu_back(const struct sched_pool *p, struct null_vcpu *nv)
{
    struct null_pool *np = np_of(p);
    unsigned int cpu = nv->cpu;

    np->given[cpu] = NULL;
    __atomic_store_n(&np->free_cpus, np->free_cpus | cpu_bit(cpu), __ATOMIC_RELAXED);
    nv->cpu = NO_CPU;
    if (take_waiter(p, cpu) != NULL) {
        sched_tickle(cpu);
    }
}

/* Give v a CPU, or put it on the wait list. The CPU given, or NO_CPU. */
static unsigned int place(const struct sched_pool *p, struct null_vcpu *nv)
{
    unsigned int cpu = find_free_cpu(p, nv->v);

    if (cpu == NO_CPU) {
        wait_append(np_of(p), nv);
    } else {
        give_cpu(np_of(p), nv, cpu);
    }
    return cpu;
}

/* ---- The pool and its CPUs ----------------------------------------------- */

static int null_init_pool(struct sched_pool *p)
{
    struct null_pool *np = xzalloc(sizeof(*np));

    if (np == NULL) {
        return -ENOMEM;
    }
    spin_lock_init(&np->lock);
    p->priv = np;
    return 0;
}

static void null_deinit_pool(struct sched_pool *p)
{
    xfree(p->priv);
    p->priv = NULL;
}

static int null_add_cpu(struct sched_pool *p, unsigned int cpu)
{
    struct null_pool *np = np_of(p);
    struct sched_pcpu *pc = sched_pcpu(cpu);
    unsigned long flags = spin_lock_irqsave(&np->lock);

    pc->lock = &np->lock;
    pc->priv = NULL;
    np->given[cpu] = NULL;
    __atomic_store_n(&np->free_cpus, np->free_cpus | cpu_bit(cpu), __ATOMIC_RELAXED);
    /* A waiter may take it: its do_schedule looks. */
    if (np->wait_head != NULL) {
        sched_tickle(cpu);
    }
    spin_unlock_irqrestore(&np->lock, flags);
    return 0;
}

static void null_remove_cpu(struct sched_pool *p, unsigned int cpu)
{
    struct null_pool *np = np_of(p);
    struct sched_pcpu *pc = sched_pcpu(cpu);
    unsigned long flags = spin_lock_irqsave(&np->lock);

    __atomic_store_n(&np->free_cpus, np->free_cpus & ~cpu_bit(cpu), __ATOMIC_RELAXED);
    np->given[cpu] = NULL;
    pc->priv = NULL;
    pc->lock = &pc->own_lock;
    spin_unlock_irqrestore(&np->lock, flags);
}

/* ---- Domains and vCPUs ---------------------------------------------------- */

static int null_alloc_domain(struct sched_pool *p, struct domain *d)
{
    (void)p;
    d->sched_dom_priv = NULL;   /* no per-domain parameters */
    return 0;
}

static void null_free_domain(struct sched_pool *p, struct domain *d)
{
    (void)p;
    d->sched_dom_priv = NULL;
}

static int null_alloc_vcpu(struct sched_pool *p, struct vcpu *v)
{
    struct null_vcpu *nv = xzalloc(sizeof(*nv));

    (void)p;
    if (nv == NULL) {
        return -ENOMEM;
    }
    nv->v = v;
    nv->cpu = NO_CPU;
    v->sched_priv = nv;
    return 0;
}

static void null_free_vcpu(struct sched_pool *p, struct vcpu *v)
{
    (void)p;
    xfree(v->sched_priv);
    v->sched_priv = NULL;
}

static unsigned int null_pick_cpu(struct sched_pool *p, const struct vcpu *v)
{
    unsigned int cpu = find_free_cpu(p, v);

    /* No free CPU: any allowed one will do, the vCPU waits anyway. */
    return (cpu != NO_CPU) ? cpu : sched_first_allowed(v, sched_pool_online_cpus(p));
}

/* A vCPU that is up (blocked or runnable) is given a CPU as it enters, as
 * in Xen; one that is offline only once it wakes. */
static unsigned int null_insert(struct sched_pool *p, struct vcpu *v)
{
    struct null_vcpu *nv = nv_of(v);
    unsigned int cpu;

    if (v->state == VCPU_OFFLINE) {
        return NR_CPUS;
    }
    cpu = place(p, nv);
    return ((cpu != NO_CPU) && (v->state == VCPU_RUNNABLE)) ? cpu : NR_CPUS;
}

static void null_remove(struct sched_pool *p, struct vcpu *v)
{
    struct null_vcpu *nv = nv_of(v);

    if (nv->waiting) {
        wait_unlink(np_of(p), nv);
    } else if (nv->cpu != NO_CPU) {
        take_cpu_back(p, nv);
    } else {
        /* Offline: it had nothing. */
    }
}

/* Only the CPU the vCPU was given is asked to look: no other may run it. */
static unsigned int null_wake(struct sched_pool *p, struct vcpu *v, s_time_t now)
{
    struct null_vcpu *nv = nv_of(v);
    unsigned int cpu = nv->cpu;

    (void)now;
    if (nv->waiting) {
        return NR_CPUS;
    }
    if (cpu == NO_CPU) {
        /* Back from offline. */
        cpu = place(p, nv);
        if (cpu == NO_CPU) {
            return NR_CPUS;
        }
    }
    return (sched_pcpu(cpu)->curr == v) ? NR_CPUS : cpu;
}

/* A vCPU going offline gives its CPU back, as in Xen; one that blocks
 * keeps it, so it runs there again the moment it wakes. */
static void null_sleep(struct sched_pool *p, struct vcpu *v)
{
    struct null_vcpu *nv = nv_of(v);

    if (v->state != VCPU_OFFLINE) {
        return;
    }
    if (nv->waiting) {
        wait_unlink(np_of(p), nv);
    } else if (nv->cpu != NO_CPU) {
        take_cpu_back(p, nv);
    } else {
        /* Nothing given, nothing to give back. */
    }
}

/* No other vCPU may run on a vCPU's CPU: yielding changes nothing. */
static bool null_yield(struct sched_pool *p, struct vcpu *v)
{
    (void)p;
    (void)v;
    return false;
}

static struct sched_choice null_do_schedule(struct sched_pool *p, unsigned int cpu, s_time_t now,
                                            struct vcpu *prev)
{
    struct null_pool *np = np_of(p);
    struct sched_choice c = { .next = np->given[cpu], .run_for = SCHED_RUN_UNBOUNDED };

    (void)now;
    (void)prev;
    if (c.next == NULL) {
        /* A CPU with nothing given (just joined, or its vCPU went away
         * while nobody could have it then) looks at the waiters. */
        c.next = take_waiter(p, cpu);
    }
    if ((c.next != NULL) && !sched_may_run(c.next, cpu)) {
        /* Still on the CPU it waited on, registers not saved: ask to be
         * told when they are. */
        if ((c.next->state == VCPU_RUNNABLE) && (c.next->processor != cpu) &&
            sched_vcpu_on_cpu(c.next)) {
            sched_want_vcpu(c.next, cpu);
        }
        c.next = NULL;
    }
    return c;
}

/* ---- The console ---------------------------------------------------------- */

static void null_dump_cpu(struct sched_pool *p, unsigned int cpu)
{
    const struct null_pool *np = np_of(p);
    const struct vcpu *v = np->given[cpu];

    if (v == NULL) {
        pr_info("CPU[%02u] null: no vCPU\n", cpu);
    } else {
        pr_info("CPU[%02u] null: d%uv%u, %s\n", cpu, v->domain->domain_id, v->vcpu_id,
                (sched_pcpu(cpu)->curr == v) ? "running" : "not running");
    }
    /* The wait list is the pool's: said once, with its first CPU. */
    if (cpu != first_cpu(p->cpus)) {
        return;
    }
    if (np->wait_head == NULL) {
        pr_info("  waiting: none\n");
    }
    for (const struct null_vcpu *w = np->wait_head; w != NULL; w = w->next_waiting) {
        pr_info("  waiting: d%uv%u\n", w->v->domain->domain_id, w->v->vcpu_id);
    }
}

const struct sched_ops sched_null_ops = {
    .name = "null",
    .sched_id = XEN_SCHEDULER_NULL,
    .init_pool = null_init_pool,
    .deinit_pool = null_deinit_pool,
    .add_cpu = null_add_cpu,
    .remove_cpu = null_remove_cpu,
    .alloc_domain = null_alloc_domain,
    .free_domain = null_free_domain,
    .alloc_vcpu = null_alloc_vcpu,
    .free_vcpu = null_free_vcpu,
    .pick_cpu = null_pick_cpu,
    .insert = null_insert,
    .remove = null_remove,
    .wake = null_wake,
    .sleep = null_sleep,
    .yield = null_yield,
    .do_schedule = null_do_schedule,
    .context_saved = NULL,
    /* No parameters: without the hooks the core gives Xen's answer for a
     * scheduler without them, 0 and nothing changed. */
    .adjust = NULL,
    .adjust_global = NULL,
    .dump_cpu = null_dump_cpu,
};
