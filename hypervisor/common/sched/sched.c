/* The scheduling core: what every scheduler needs done the same way
 * (sched_ops.h). It keeps each vCPU's state and run-state time, runs the
 * choice a CPU's scheduler makes (schedule), switches context, arms the
 * CPU's slice timer for as long as the scheduler said, and moves vCPUs
 * between CPUs with their timers when their hard affinity changes. The
 * schedulers own their queues and decide; the core never looks inside.
 *
 * A vCPU belongs to one pool (its domain's) and, at any time, to one CPU
 * of it (v->processor), under that CPU's lock. */
#include <proxenos/arch/context.h>
#include <proxenos/arch/domain.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/sched.h>
#include <proxenos/sched_ops.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
#include "sched_pool.h"

static struct sched_pcpu pcpus[NR_CPUS];

/* v->on_cpu, one atomic byte, so that a vCPU's CPU letting go of it
 * (sched_context_saved) and another CPU acting on it decide between them
 * on one value, and the switch away takes no lock unless someone waits:
 *   OFF_CPU      its state is all in struct vcpu: it may be moved, run
 *                elsewhere or freed;
 *   ON_CPU       chosen to run on v->processor, registers not saved yet;
 *   ON_CPU_MOVE  the same, and a new hard affinity leaves v->processor out:
 *                the switch away moves it (sched_move_vcpu asked);
 *   ON_CPU_WANT  the same, and CPU v->sched_wanted_by would run it: the
 *                switch away tells that CPU (sched_want_vcpu asked).
 * Only schedule() sets ON_CPU (on a vCPU that is OFF_CPU or its own
 * current one, under its lock); the others are set from ON_CPU under v's
 * CPU's lock; only sched_context_saved, on the vCPU's CPU, sets OFF_CPU. */
#define OFF_CPU     0U
#define ON_CPU      1U
#define ON_CPU_MOVE 2U
#define ON_CPU_WANT 3U

struct sched_pcpu *sched_pcpu(unsigned int cpu)
{
    return &pcpus[cpu];
}

static struct sched_pool *pool_of(const struct vcpu *v)
{
    return v->domain->sched_pool;
}

/* Lock the CPU v is on. v->processor changes only under both the old and
 * the new CPU's locks, and a CPU's lock pointer only while no vCPU is on
 * it: once locked, look again. */
spinlock_t *sched_lock_vcpu(const struct vcpu *v, unsigned long *flags)
{
    for (;;) {
        unsigned int cpu = __atomic_load_n(&v->processor, __ATOMIC_ACQUIRE);
        spinlock_t *l = __atomic_load_n(&pcpus[cpu].lock, __ATOMIC_ACQUIRE);

        *flags = spin_lock_irqsave(l);
        if (pcpus[v->processor].lock == l) {
            return l;
        }
        spin_unlock_irqrestore(l, *flags);
    }
}

/* This CPU's lock (its pool may have just changed it: look again). */
static spinlock_t *lock_cpu(unsigned int cpu, unsigned long *flags)
{
    for (;;) {
        spinlock_t *l = __atomic_load_n(&pcpus[cpu].lock, __ATOMIC_ACQUIRE);

        *flags = spin_lock_irqsave(l);
        if (pcpus[cpu].lock == l) {
            return l;
        }
        spin_unlock_irqrestore(l, *flags);
    }
}

static void set_state(struct vcpu *v, enum vcpu_state s, s_time_t now)
{
    if (now > v->state_entry_time) {
        v->runstate_time[v->state] += (uint64_t)(now - v->state_entry_time);
    }
    v->state_entry_time = now;
    v->state = s;
}

/* Stopped by the hypervisor for good (shutdown, crash), or its domain is
 * paused (domain_pause.c): the scheduler may keep it queued, but not pick
 * it. */
static bool may_run(const struct vcpu *v)
{
    return !v->pause_flags && (__atomic_load_n(&v->domain->pause_count, __ATOMIC_ACQUIRE) == 0U);
}

bool sched_vcpu_paused(const struct vcpu *v)
{
    return !may_run(v);
}

bool sched_affinity_allows(const struct vcpu *v, unsigned int cpu)
{
    const struct sched_pool *p = pool_of(v);

    return ((__atomic_load_n(&v->hard_affinity, __ATOMIC_ACQUIRE) & (1ULL << cpu)) != 0U) &&
           (p != NULL) && (((p->cpus >> cpu) & 1U) != 0U);
}

bool sched_may_run(const struct vcpu *v, unsigned int cpu)
{
    if (!may_run(v) || !sched_affinity_allows(v, cpu)) {
        return false;
    }
    if ((v->state != VCPU_RUNNABLE) && (v->state != VCPU_RUNNING)) {
        return false;
    }
    /* Its registers are here already, or saved. Acquire: pairs with the
     * release in sched_context_saved. */
    return (pcpus[cpu].curr == v) || (__atomic_load_n(&v->on_cpu, __ATOMIC_ACQUIRE) == OFF_CPU);
}

void sched_tickle(unsigned int cpu)
{
    cpu_raise_softirq(cpu, SCHEDULE_SOFTIRQ);
}

uint64_t sched_pool_online_cpus(const struct sched_pool *p)
{
    return p->cpus & cpu_online_mask();
}

unsigned int sched_first_allowed(const struct vcpu *v, uint64_t cpus)
{
    uint64_t allowed = cpus & __atomic_load_n(&v->hard_affinity, __ATOMIC_ACQUIRE);

    if ((v->processor < NR_CPUS) && (((allowed >> v->processor) & 1U) != 0U)) {
        return v->processor;
    }
    return (allowed != 0U) ? (unsigned int)__builtin_ctzll(allowed) : NR_CPUS;
}

bool sched_lock_other(unsigned int cpu, unsigned int other)
{
    if (pcpus[other].lock == pcpus[cpu].lock) {
        return true;
    }
    return spin_trylock(pcpus[other].lock);
}

void sched_unlock_other(unsigned int cpu, unsigned int other)
{
    if (pcpus[other].lock != pcpus[cpu].lock) {
        spin_unlock(pcpus[other].lock);
    }
}

/* v's processor, and its timers with it, without the count of vCPUs
 * placed on each CPU (a vCPU entering a pool is counted as it enters). */
static void set_processor(struct vcpu *v, unsigned int cpu)
{
    if (v->processor == cpu) {
        return;
    }
    __atomic_store_n(&v->processor, cpu, __ATOMIC_RELEASE);
    /* Its timers follow it: they fire where it runs. Under the CPUs'
     * locks, as v may go (its domain freed) once it is off its CPU. */
    arch_vcpu_moved(v);
    if (v->poll_timer.fn != NULL) {
        migrate_timer(&v->poll_timer, cpu);
    }
}

void sched_set_processor(struct vcpu *v, unsigned int cpu)
{
    if (v->processor == cpu) {
        return;
    }
    /* Whoever moves it (an affinity change, a scheduler handing a vCPU
     * to a CPU that shares the lock, schedule() taking one over), the
     * count of vCPUs placed on each CPU follows. */
    pcpus[v->processor].assigned--;
    pcpus[cpu].assigned++;
    set_processor(v, cpu);
}

void sched_want_vcpu(struct vcpu *v, unsigned int cpu)
{
    uint8_t seen = ON_CPU;

    /* Written before the exchange publishes it; a second asker before
     * the save just replaces the first (either may take it). */
    v->sched_wanted_by = (uint16_t)cpu;
    (void)__atomic_compare_exchange_n(&v->on_cpu, &seen, ON_CPU_WANT, false, __ATOMIC_RELEASE,
                                      __ATOMIC_RELAXED);
}

static void slice_expired(void *data)
{
    (void)data;
    raise_softirq(SCHEDULE_SOFTIRQ);
}

void sched_core_init(void)
{
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        spin_lock_init(&pcpus[cpu].own_lock);
        pcpus[cpu].lock = &pcpus[cpu].own_lock;
        pcpus[cpu].pool = NULL;
        pcpus[cpu].priv = NULL;
        pcpus[cpu].curr = NULL;
        pcpus[cpu].yield_pending = false;
        pcpus[cpu].switches = 0U;
        pcpus[cpu].idle_ns = 0U;
        init_timer(&pcpus[cpu].slice_timer, slice_expired, NULL, cpu);
    }
    open_softirq(SCHEDULE_SOFTIRQ, schedule);
}

/* ---- A pool's vCPUs ------------------------------------------------------ */

static void pool_link_vcpu(struct sched_pool *p, struct vcpu *v)
{
    unsigned long flags = spin_lock_irqsave(&p->vcpus_lock);

    v->sched_pool_next = p->vcpus;
    p->vcpus = v;
    spin_unlock_irqrestore(&p->vcpus_lock, flags);
}

static void pool_unlink_vcpu(struct sched_pool *p, struct vcpu *v)
{
    unsigned long flags = spin_lock_irqsave(&p->vcpus_lock);
    struct vcpu **pp = &p->vcpus;

    while ((*pp != NULL) && (*pp != v)) {
        pp = &(*pp)->sched_pool_next;
    }
    if (*pp == v) {
        *pp = v->sched_pool_next;
    }
    v->sched_pool_next = NULL;
    spin_unlock_irqrestore(&p->vcpus_lock, flags);
}

/* cpu has left p's set: send every vCPU of p still placed there to the
 * others (sched_move_vcpu follows the set, as it follows affinity). */
static void pool_evacuate(struct sched_pool *p, unsigned int cpu)
{
    unsigned long flags = spin_lock_irqsave(&p->vcpus_lock);

    for (struct vcpu *v = p->vcpus; v != NULL; v = v->sched_pool_next) {
        if (__atomic_load_n(&v->processor, __ATOMIC_ACQUIRE) == cpu) {
            (void)sched_move_vcpu(v);
        }
    }
    spin_unlock_irqrestore(&p->vcpus_lock, flags);
}

/* ---- CPUs of a pool ------------------------------------------------------ */

int sched_pool_add_cpu(struct sched_pool *p, unsigned int cpu)
{
    unsigned long flags;
    spinlock_t *l;
    int rc;

    if (pcpus[cpu].pool != NULL) {
        return -EBUSY;
    }
    rc = p->ops->add_cpu(p, cpu);
    if (rc != 0) {
        return rc;
    }
    l = lock_cpu(cpu, &flags);
    pcpus[cpu].pool = p;
    p->cpus |= 1ULL << cpu;
    spin_unlock_irqrestore(l, flags);
    /* Now in the pool: it may take work at once (a waiting null vCPU, a
     * shared run queue). At boot, with no vCPU yet, nothing to look at. */
    if (__atomic_load_n(&p->vcpus, __ATOMIC_ACQUIRE) != NULL) {
        sched_tickle(cpu);
    }
    return 0;
}

int sched_pool_remove_cpu(struct sched_pool *p, unsigned int cpu)
{
    unsigned long flags;
    spinlock_t *l;
    bool busy;

    if (pcpus[cpu].pool != p) {
        return -EINVAL;
    }
    l = lock_cpu(cpu, &flags);
    /* Out of the set first: no vCPU may be placed or run here any more. */
    __atomic_store_n(&p->cpus, p->cpus & ~(1ULL << cpu), __ATOMIC_RELEASE);
    busy = (pcpus[cpu].curr != NULL) || (pcpus[cpu].assigned != 0U);
    if (!busy) {
        pcpus[cpu].pool = NULL;
    }
    spin_unlock_irqrestore(l, flags);
    if (busy) {
        pool_evacuate(p, cpu);
        return -EAGAIN;
    }
    p->ops->remove_cpu(p, cpu);
    return 0;
}

/* ---- vCPUs joining and leaving ------------------------------------------- */

/* Lock from's and to's CPUs' locks (once when shared), in address order,
 * so a concurrent wake sees either the old place or the new one whole. */
static unsigned long lock_pair(unsigned int from, unsigned int to)
{
    spinlock_t *a = pcpus[from].lock;
    spinlock_t *b = pcpus[to].lock;
    unsigned long flags = spin_lock_irqsave((a < b) ? a : b);

    if (a != b) {
        spin_lock((a < b) ? b : a);
    }
    return flags;
}

static void unlock_pair(unsigned int from, unsigned int to, unsigned long flags)
{
    spinlock_t *a = pcpus[from].lock;
    spinlock_t *b = pcpus[to].lock;

    if (a != b) {
        spin_unlock((a < b) ? b : a);
    }
    spin_unlock_irqrestore((a < b) ? a : b, flags);
}

/* v enters its domain's pool: placed on a CPU the scheduler picks, under
 * that CPU's lock and (moved) the one it was on, so that a wake sees it
 * either outside every scheduler (and only becomes runnable) or inside. */
static int enter_pool(struct vcpu *v, bool moved)
{
    struct domain *d = v->domain;
    struct sched_pool *p;
    unsigned long flags;
    unsigned int from;
    unsigned int cpu;
    unsigned int kick;
    int rc;

    p = d->sched_pool;
    if (p == NULL) {
        return -ENOENT;     /* sched_add_domain first */
    }
    cpu = p->ops->pick_cpu(p, v);
    if (cpu >= NR_CPUS) {
        return -EINVAL;     /* the affinity names no online CPU of the pool */
    }
    rc = p->ops->alloc_vcpu(p, v);
    if (rc != 0) {
        return rc;
    }
    if (v->state_entry_time == 0) {
        v->state_entry_time = NOW();
    }
    from = moved ? v->processor : cpu;
    flags = lock_pair(from, cpu);
    if (moved) {
        set_processor(v, cpu);
    } else {
        /* No timers yet: the architecture makes them where v is placed. */
        v->processor = cpu;
    }
    pcpus[cpu].assigned++;
    kick = p->ops->insert(p, v);
    v->sched_ready = true;
    unlock_pair(from, cpu, flags);
    pool_link_vcpu(p, v);
    if (kick < NR_CPUS) {
        sched_tickle(kick);
    }
    return 0;
}

int sched_add_vcpu(struct vcpu *v)
{
    return enter_pool(v, false);
}

int sched_readd_vcpu(struct vcpu *v)
{
    return enter_pool(v, true);
}

void sched_remove_vcpu(struct vcpu *v)
{
    struct sched_pool *p = pool_of(v);
    unsigned long flags;
    spinlock_t *l;

    if (!v->sched_ready || (p == NULL)) {
        return;
    }
    l = sched_lock_vcpu(v, &flags);
    /* Callers stop the domain first: v must not be running anywhere. */
    BUG_ON(pcpus[v->processor].curr == v);
    p->ops->remove(p, v);
    pcpus[v->processor].assigned--;
    v->sched_ready = false;
    spin_unlock_irqrestore(l, flags);
    pool_unlink_vcpu(p, v);
    p->ops->free_vcpu(p, v);
    v->sched_priv = NULL;
}

/* ---- Affinity changes ---------------------------------------------------- */

/* v leaves its CPU for to, under both CPUs' locks, its state saved: the
 * CPU that must choose again, or NR_CPUS. */
static unsigned int move_locked(struct vcpu *v, unsigned int to)
{
    struct sched_pool *p = pool_of(v);

    p->ops->remove(p, v);
    sched_set_processor(v, to);
    return p->ops->insert(p, v);
}

/* Under v's CPU's lock, its affinity bit just found clear: whether v is
 * on its CPU, in which case the switch away will move it (marked
 * ON_CPU_MOVE here, or already), or off it (OFF_CPU: the caller moves it;
 * acquire, so its saved state is seen whole). */
static bool leave_move_to_switch(struct vcpu *v)
{
    uint8_t seen = __atomic_load_n(&v->on_cpu, __ATOMIC_ACQUIRE);

    while ((seen == ON_CPU) || (seen == ON_CPU_WANT)) {
        if (__atomic_compare_exchange_n(&v->on_cpu, &seen, ON_CPU_MOVE, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_ACQUIRE)) {
            return true;
        }
    }
    return seen != OFF_CPU;
}

int sched_move_vcpu(struct vcpu *v)
{
    struct sched_pool *p = pool_of(v);

    for (;;) {
        unsigned int from = __atomic_load_n(&v->processor, __ATOMIC_ACQUIRE);
        unsigned int to;
        unsigned int kick;
        unsigned long flags;

        if (!v->sched_ready || (p == NULL) || sched_affinity_allows(v, from)) {
            return 0;
        }
        to = p->ops->pick_cpu(p, v);
        if (to >= NR_CPUS) {
            return -EINVAL;
        }
        flags = lock_pair(from, to);
        if (v->processor != from) {
            unlock_pair(from, to, flags);
            continue;   /* moved meanwhile: look again */
        }
        if (leave_move_to_switch(v)) {
            /* On its CPU (perhaps the caller itself): that CPU chooses
             * again, does not pick it where it may no longer run, and
             * moves it once its state is saved (sched_context_saved). */
            unlock_pair(from, to, flags);
            sched_tickle(from);
            return 0;
        }
        kick = move_locked(v, to);
        unlock_pair(from, to, flags);
        if (kick < NR_CPUS) {
            sched_tickle(kick);
        }
        return 0;
    }
}

/* ---- Waking, blocking, yielding, stopping ------------------------------- */

void vcpu_wake(struct vcpu *v)
{
    unsigned long flags;
    spinlock_t *l = sched_lock_vcpu(v, &flags);
    unsigned int kick = NR_CPUS;

    /* A vCPU waiting for a device model stays blocked until it answers. */
    if (((v->state == VCPU_OFFLINE) ||
         ((v->state == VCPU_BLOCKED) && !__atomic_load_n(&v->io_wait, __ATOMIC_ACQUIRE))) &&
        !v->pause_flags) {
        s_time_t now = NOW();

        set_state(v, VCPU_RUNNABLE, now);
        /* Between pools (or never placed): runnable, and queued as such
         * when it enters one. */
        if (v->sched_ready) {
            struct sched_pool *p = pool_of(v);

            kick = p->ops->wake(p, v, now);
        }
    }
    spin_unlock_irqrestore(l, flags);
    if (kick < NR_CPUS) {
        sched_tickle(kick);
    }
}

void vcpu_kick(struct vcpu *v)
{
    if (v->state == VCPU_BLOCKED) {
        vcpu_wake(v);
    } else if (sched_vcpu_on_cpu(v) && (v->processor != arch_cpu_id())) {
        /* It runs elsewhere: an interrupt makes it exit and see the news. */
        arch_send_ipi(v->processor);
    } else {
        /* Runnable, or running here: it will look before entering. */
    }
}

void vcpu_block_current(void)
{
    unsigned int cpu = arch_cpu_id();
    unsigned long flags;
    spinlock_t *l = lock_cpu(cpu, &flags);
    struct vcpu *v = pcpus[cpu].curr;

    if ((v != NULL) && (v->state == VCPU_RUNNING)) {
        struct sched_pool *p = pool_of(v);

        set_state(v, VCPU_BLOCKED, NOW());
        p->ops->sleep(p, v);
        raise_softirq(SCHEDULE_SOFTIRQ);
    }
    spin_unlock_irqrestore(l, flags);
}

void vcpu_yield_current(void)
{
    unsigned int cpu = arch_cpu_id();
    unsigned long flags;
    spinlock_t *l = lock_cpu(cpu, &flags);
    struct vcpu *v = pcpus[cpu].curr;

    if (v != NULL) {
        struct sched_pool *p = pool_of(v);

        if ((p->ops->yield == NULL) || p->ops->yield(p, v)) {
            pcpus[cpu].yield_pending = true;
            raise_softirq(SCHEDULE_SOFTIRQ);
        }
    }
    spin_unlock_irqrestore(l, flags);
}

void vcpu_stop(struct vcpu *v)
{
    unsigned long flags;
    spinlock_t *l = sched_lock_vcpu(v, &flags);
    unsigned int cpu = v->processor;
    bool running = (pcpus[cpu].curr == v);

    if (v->state != VCPU_OFFLINE) {
        /* schedule() on that CPU sees it is no longer RUNNING. */
        set_state(v, VCPU_OFFLINE, NOW());
        if (v->sched_ready) {
            struct sched_pool *p = pool_of(v);

            p->ops->sleep(p, v);
        }
    }
    spin_unlock_irqrestore(l, flags);
    if (running) {
        sched_tickle(cpu);
    }
}

/* ---- Choosing ------------------------------------------------------------ */

void schedule(void)
{
    unsigned int cpu = arch_cpu_id();
    struct sched_pcpu *pc = &pcpus[cpu];
    unsigned long flags;
    spinlock_t *l = lock_cpu(cpu, &flags);
    s_time_t now = NOW();
    struct vcpu *prev = pc->curr;
    struct sched_choice choice = { NULL, SCHED_RUN_UNBOUNDED };
    struct vcpu *next;

    if (prev == NULL) {
        pc->idle_ns += (now > pc->slice_start) ? (uint64_t)(now - pc->slice_start) : 0U;
    }
    if (pc->pool != NULL) {
        choice = pc->pool->ops->do_schedule(pc->pool, cpu, now, prev);
    }
    next = choice.next;
    pc->yield_pending = false;
    if ((prev != NULL) && (prev != next) && (prev->state == VCPU_RUNNING)) {
        set_state(prev, VCPU_RUNNABLE, now);
    }
    if (next != NULL) {
        /* The scheduler may hand over a vCPU of another CPU that shares
         * this lock (credit2's run queues): it runs here from now on. */
        sched_set_processor(next, cpu);
        if (next != prev) {
            set_state(next, VCPU_RUNNING, now);
        } else if (next->state != VCPU_RUNNING) {
            /* It blocked and woke again before this pass. */
            set_state(next, VCPU_RUNNING, now);
        } else {
            /* goes on */
        }
    }
    pc->curr = next;
    current_vcpu_set(cpu, next);
    pc->slice_start = now;
    if (prev != next) {
        pc->switches++;
        if (next != NULL) {
            /* Until arch_context_switch() away from it saves it again. */
            __atomic_store_n(&next->on_cpu, ON_CPU, __ATOMIC_RELAXED);
        }
    }
    spin_unlock_irqrestore(l, flags);

    /* Idle too: a scheduler may want the CPU back at a set time (an
     * ARINC653 minor frame begins). */
    if (choice.run_for >= 0) {
        set_timer(&pc->slice_timer, now + choice.run_for);
    } else {
        stop_timer(&pc->slice_timer);
    }
    if (prev != next) {
        arch_context_switch(prev, next);
    }
}

bool sched_vcpu_on_cpu(const struct vcpu *v)
{
    /* Not curr alone: schedule() changes curr before the switch saves the
     * outgoing vCPU's registers. Acquire: pairs with sched_context_saved. */
    return __atomic_load_n(&v->on_cpu, __ATOMIC_ACQUIRE) != OFF_CPU;
}

/* sched_context_saved's slow path for ON_CPU_MOVE: prev is not acted on by
 * movers (they see it on its CPU) and cannot be freed (that waits for
 * OFF_CPU); prev->processor is from until this moves it. The decision is
 * made under from's lock, held until OFF_CPU is stored: every mover that
 * saw ON_CPU_MOVE wrote the new affinity before taking that lock, so it is
 * read here; every later mover finds OFF_CPU under the lock and moves prev
 * itself. A destination locked on an older reading that the one under the
 * lock no longer allows is chosen again. */
static void context_saved_move(struct vcpu *prev)
{
    struct sched_pool *p = pool_of(prev);
    unsigned int from = prev->processor;
    unsigned int to = p->ops->pick_cpu(p, prev);

    for (;;) {
        unsigned int locked = (to >= NR_CPUS) ? from : to;
        unsigned long flags = lock_pair(from, locked);
        unsigned int kick = NR_CPUS;

        if (!sched_affinity_allows(prev, from)) {
            unsigned int want = sched_affinity_allows(prev, locked) ? locked
                                                                    : p->ops->pick_cpu(p, prev);

            if ((want != locked) && (want < NR_CPUS)) {
                unlock_pair(from, locked, flags);
                to = want;
                continue;
            }
            /* want == NR_CPUS: allowed on no online CPU, it stays (as
             * sched_move_vcpu refuses such an affinity). */
            if ((want == locked) && (locked != from)) {
                kick = move_locked(prev, locked);
            }
        }
        __atomic_store_n(&prev->on_cpu, OFF_CPU, __ATOMIC_RELEASE);
        unlock_pair(from, locked, flags);
        if (kick < NR_CPUS) {
            sched_tickle(kick);
        }
        return;
    }
}

/* sched_context_saved's slow path for ON_CPU_WANT. The scheduler's hook
 * runs under prev's CPU's lock while prev is still marked on its CPU, so
 * prev cannot be freed under it (teardown waits for OFF_CPU); the hook
 * may hand prev to another run queue. Only then is prev published saved,
 * and the CPUs are told after that, so the one that wanted it finds it
 * saved when it looks. Movers change ON_CPU_WANT only under the lock of
 * prev's CPU: if the hook moved prev, one may have done so meanwhile, and
 * its path decides. */
static void context_saved_wanted(struct vcpu *prev)
{
    struct sched_pool *p = pool_of(prev);
    unsigned long flags;
    spinlock_t *l = sched_lock_vcpu(prev, &flags);
    uint8_t seen = __atomic_load_n(&prev->on_cpu, __ATOMIC_ACQUIRE);
    unsigned int wanted_by = prev->sched_wanted_by;
    unsigned int kick = NR_CPUS;

    if (seen == ON_CPU_WANT) {
        if ((p != NULL) && (p->ops->context_saved != NULL)) {
            kick = p->ops->context_saved(p, prev);
        }
        if (!__atomic_compare_exchange_n(&prev->on_cpu, &seen, OFF_CPU, false, __ATOMIC_RELEASE,
                                         __ATOMIC_RELAXED)) {
            seen = ON_CPU_MOVE;
        }
    }
    spin_unlock_irqrestore(l, flags);
    if (seen == ON_CPU_MOVE) {
        /* A mover came meanwhile: it counts on this CPU to move prev. */
        context_saved_move(prev);
    }
    /* prev is not touched from here on (it may be freed). */
    if (kick < NR_CPUS) {
        sched_tickle(kick);
    }
    if ((wanted_by < NR_CPUS) && (wanted_by != kick)) {
        sched_tickle(wanted_by);
    }
}

void sched_context_saved(struct vcpu *prev)
{
    uint8_t seen = ON_CPU;

    /* The switch path: nobody waits on prev, no lock. Release: whoever
     * sees OFF_CPU sees the registers saved before it. After a successful
     * exchange prev is not touched again (it may be freed at once). */
    if (__atomic_compare_exchange_n(&prev->on_cpu, &seen, OFF_CPU, false, __ATOMIC_RELEASE,
                                    __ATOMIC_RELAXED)) {
        return;
    }
    if (seen == ON_CPU_WANT) {
        context_saved_wanted(prev);
    } else {
        context_saved_move(prev);
    }
}

void sched_vcpu_reconsider(struct vcpu *v)
{
    /* Running: schedule() there decides again. Queued: the CPU may be
     * idle and must look again. */
    if (sched_vcpu_on_cpu(v) || (v->state == VCPU_RUNNABLE)) {
        sched_tickle(v->processor);
    }
}

/* ---- What the toolstack and debug keys read ----------------------------- */

uint64_t sched_cpu_idle_time(unsigned int cpu)
{
    unsigned long flags;
    spinlock_t *l = lock_cpu(cpu, &flags);
    uint64_t idle = pcpus[cpu].idle_ns;
    s_time_t now = NOW();

    if ((pcpus[cpu].curr == NULL) && (now > pcpus[cpu].slice_start)) {
        idle += (uint64_t)(now - pcpus[cpu].slice_start);
    }
    spin_unlock_irqrestore(l, flags);
    return idle;
}

unsigned int sched_cpu_load(unsigned int cpu)
{
    return pcpus[cpu].assigned;
}

void sched_dump_cpu(unsigned int cpu)
{
    const struct sched_pcpu *pc = &pcpus[cpu];
    const struct vcpu *c = pc->curr;

    if (c != NULL) {
        pr_info("CPU %u: running d%uv%u, %u vCPUs placed, %llu switches\n", cpu,
                c->domain->domain_id, c->vcpu_id, pc->assigned, (unsigned long long)pc->switches);
    } else {
        pr_info("CPU %u: idle, %u vCPUs placed, %llu switches\n", cpu, pc->assigned,
                (unsigned long long)pc->switches);
    }
    if ((pc->pool != NULL) && (pc->pool->ops->dump_cpu != NULL)) {
        unsigned long flags;
        spinlock_t *l = lock_cpu(cpu, &flags);

        if (pcpus[cpu].pool != NULL) {
            pcpus[cpu].pool->ops->dump_cpu(pcpus[cpu].pool, cpu);
        }
        spin_unlock_irqrestore(l, flags);
    }
}
