/* A weighted-fair vCPU scheduler with one run queue per physical CPU.
 *
 * Each vCPU accumulates virtual run time: real time scaled by
 * SCHED_DEFAULT_WEIGHT / weight. The runnable vCPU with the least virtual
 * time runs next, for at most one slice. A vCPU that wakes after sleeping
 * starts no further back than the queue's minimum, so sleeping earns no
 * credit to monopolise the CPU later. vCPUs are placed on the least
 * loaded CPU of their hard affinity, and move only when the toolstack
 * changes that affinity (sched_move_vcpu): at once when off their CPU,
 * else when their CPU next switches away from them.
 *
 * sched=null gives the same placement without time slicing: with one vCPU
 * per CPU that is Xen's null scheduler's behaviour. */
#include <proxenos/arch/context.h>
#include <proxenos/arch/domain.h>
#include <proxenos/errno.h>
#include <proxenos/keyhandler.h>
#include <proxenos/printk.h>
#include <proxenos/sched.h>
#include <proxenos/sched_params.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <proxenos/string.h>
#include <proxenos/timer.h>
#include <proxenos/xmalloc.h>

#define SLICE MILLISECS(10)

struct sched_vcpu {
    struct vcpu *v;
    uint64_t vruntime;
    unsigned int weight;
    bool queued;
    struct sched_vcpu *next;
};

struct runqueue {
    spinlock_t lock;
    struct sched_vcpu *queue;   /* runnable, not running; unordered */
    struct vcpu *curr;          /* NULL: idle */
    unsigned int assigned;      /* vCPUs placed here */
    uint64_t min_vruntime;
    s_time_t slice_start;
    struct timer slice_timer;
    bool time_slicing;          /* false under the null scheduler */
    bool yield_pending;         /* the running vCPU asked to let others go first */
    uint64_t switches;
    uint64_t idle_ns;           /* time with no vCPU, up to slice_start */
};

static struct runqueue runqueues[NR_CPUS];

/* v->on_cpu, one atomic byte, so that a vCPU's CPU letting go of it
 * (sched_context_saved) and a move of it (sched_move_vcpu) decide between
 * them on one value, and the switch away takes no lock unless a move waits:
 *   OFF_CPU      its state is all in struct vcpu: it may be moved or freed;
 *   ON_CPU       chosen to run on v->processor, registers not saved yet;
 *   ON_CPU_MOVE  the same, and a new hard affinity leaves v->processor out:
 *                the switch away moves it (sched_move_vcpu asked, and left
 *                it to that switch).
 * Only schedule() sets ON_CPU (on a vCPU that is OFF_CPU, under its queue's
 * lock); only sched_move_vcpu turns ON_CPU into ON_CPU_MOVE (under that
 * lock too); only sched_context_saved, on the vCPU's CPU, sets OFF_CPU. */
#define OFF_CPU     0U
#define ON_CPU      1U
#define ON_CPU_MOVE 2U

static struct sched_vcpu *sv_of(const struct vcpu *v)
{
    return v->sched_priv;
}

/* Lock the run queue v is on. v->processor changes only under both the old
 * and the new queue's locks (sched_move_vcpu): once locked, look again. */
static struct runqueue *lock_vcpu_queue(const struct vcpu *v, unsigned long *flags)
{
    for (;;) {
        unsigned int cpu = __atomic_load_n(&v->processor, __ATOMIC_ACQUIRE);
        struct runqueue *rq = &runqueues[cpu];

        *flags = spin_lock_irqsave(&rq->lock);
        if (v->processor == cpu) {
            return rq;
        }
        spin_unlock_irqrestore(&rq->lock, *flags);
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

static void enqueue(struct runqueue *rq, struct sched_vcpu *sv)
{
    if (!sv->queued) {
        sv->next = rq->queue;
        rq->queue = sv;
        sv->queued = true;
    }
}

static void dequeue(struct runqueue *rq, struct sched_vcpu *sv)
{
    struct sched_vcpu **pp = &rq->queue;

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

/* Stopped by the hypervisor for good (shutdown, crash), or its domain is
 * paused (domain_pause.c): queued, but not picked. */
static bool may_run(const struct vcpu *v)
{
    return !v->pause_flags && (__atomic_load_n(&v->domain->pause_count, __ATOMIC_ACQUIRE) == 0U);
}

/* Whether v's hard affinity lets it run on cpu (the toolstack changes it
 * at any time: sched_move_vcpu follows). */
static bool allowed_on(const struct vcpu *v, unsigned int cpu)
{
    return (__atomic_load_n(&v->hard_affinity, __ATOMIC_ACQUIRE) & (1ULL << cpu)) != 0U;
}

/* The runnable vCPU with the least virtual time. A vCPU that yielded
 * (yielder) runs again only if nobody else may: as with Xen's credit2, a
 * yield hands the CPU to any other runnable vCPU whatever its credit, so
 * a guest spinning on SCHEDOP_yield for another's work (Linux's PV
 * console waiting for xenconsoled to drain its ring) lets that work run. */
static struct sched_vcpu *pick(const struct runqueue *rq, unsigned int cpu,
                               struct sched_vcpu *yielder)
{
    struct sched_vcpu *best = NULL;

    for (struct sched_vcpu *sv = rq->queue; sv != NULL; sv = sv->next) {
        if ((sv != yielder) && may_run(sv->v) && allowed_on(sv->v, cpu) &&
            ((best == NULL) || (sv->vruntime < best->vruntime))) {
            best = sv;
        }
    }
    if ((best == NULL) && (yielder != NULL) && yielder->queued && may_run(yielder->v) &&
        allowed_on(yielder->v, cpu)) {
        best = yielder;
    }
    return best;
}

/* The least virtual time a waking vCPU may start from: the queue's
 * minimum, or the running vCPU's virtual time including the slice it is in
 * (a vCPU running alone is never rescheduled, so the minimum alone goes
 * stale and a sleeper would return with credit to monopolise the CPU).
 * Called with the run-queue lock held. */
static uint64_t queue_floor(const struct runqueue *rq, s_time_t now)
{
    uint64_t floor = rq->min_vruntime;

    if (rq->curr != NULL) {
        const struct sched_vcpu *csv = sv_of(rq->curr);
        uint64_t ran = (now > rq->slice_start) ? (uint64_t)(now - rq->slice_start) : 0U;

        floor = MAX(floor, csv->vruntime + ((ran * SCHED_DEFAULT_WEIGHT) / csv->weight));
    }
    return floor;
}

static void slice_expired(void *data)
{
    (void)data;
    raise_softirq(SCHEDULE_SOFTIRQ);
}

void sched_init(void)
{
    bool slicing = (strcmp(sched_default_name(), "null") != 0);

    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        spin_lock_init(&runqueues[cpu].lock);
        runqueues[cpu].time_slicing = slicing;
        init_timer(&runqueues[cpu].slice_timer, slice_expired, NULL, cpu);
    }
    open_softirq(SCHEDULE_SOFTIRQ, schedule);
}

static unsigned int place(const struct vcpu *v)
{
    unsigned int best = NR_CPUS;

    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if (!cpu_online(cpu) || ((v->hard_affinity & (1ULL << cpu)) == 0U)) {
            continue;
        }
        if ((best == NR_CPUS) || (runqueues[cpu].assigned < runqueues[best].assigned)) {
            best = cpu;
        }
    }
    return best;
}

int sched_add_vcpu(struct vcpu *v)
{
    struct sched_vcpu *sv = xzalloc_obj(struct sched_vcpu);
    unsigned int cpu = place(v);
    unsigned long flags;

    if (sv == NULL) {
        return -ENOMEM;
    }
    if (cpu == NR_CPUS) {
        xfree(sv);
        return -EINVAL;     /* the affinity names no online CPU */
    }
    sv->v = v;
    sv->weight = (v->domain->sched_weight != 0U) ? v->domain->sched_weight : SCHED_DEFAULT_WEIGHT;
    v->sched_priv = sv;
    v->processor = cpu;
    v->state_entry_time = NOW();
    flags = spin_lock_irqsave(&runqueues[cpu].lock);
    runqueues[cpu].assigned++;
    sv->vruntime = runqueues[cpu].min_vruntime;
    spin_unlock_irqrestore(&runqueues[cpu].lock, flags);
    return 0;
}

void sched_remove_vcpu(struct vcpu *v)
{
    struct sched_vcpu *sv = sv_of(v);
    struct runqueue *rq;
    unsigned long flags;

    if (sv == NULL) {
        return;
    }
    rq = lock_vcpu_queue(v, &flags);
    /* Callers stop the domain first: v must not be running anywhere. */
    BUG_ON(rq->curr == v);
    dequeue(rq, sv);
    rq->assigned--;
    spin_unlock_irqrestore(&rq->lock, flags);
    v->sched_priv = NULL;
    xfree(sv);
}

/* Lock from's and to's queues, in CPU order, so a concurrent wake sees
 * either the old place or the new one whole. */
static unsigned long lock_pair(unsigned int from, unsigned int to)
{
    unsigned long flags = spin_lock_irqsave(&runqueues[MIN(from, to)].lock);

    if (from != to) {
        spin_lock(&runqueues[MAX(from, to)].lock);
    }
    return flags;
}

static void unlock_pair(unsigned int from, unsigned int to, unsigned long flags)
{
    if (from != to) {
        spin_unlock(&runqueues[MAX(from, to)].lock);
    }
    spin_unlock_irqrestore(&runqueues[MIN(from, to)].lock, flags);
}

/* v leaves from's queue for to's, with its timers, under lock_pair(from,
 * to), its state saved: true when it is runnable (to must look). */
static bool move_locked(struct vcpu *v, unsigned int from, unsigned int to)
{
    struct sched_vcpu *sv = sv_of(v);
    bool queued = sv->queued;

    dequeue(&runqueues[from], sv);
    runqueues[from].assigned--;
    runqueues[to].assigned++;
    /* Its virtual time is only comparable within one queue. */
    sv->vruntime = runqueues[to].min_vruntime;
    __atomic_store_n(&v->processor, to, __ATOMIC_RELEASE);
    if (queued) {
        enqueue(&runqueues[to], sv);
    }
    /* Its timers follow it: they fire where it runs. Under the queue
     * locks, as v may go (its domain freed) once it is off its CPU. */
    arch_vcpu_moved(v);
    if (v->poll_timer.fn != NULL) {
        migrate_timer(&v->poll_timer, to);
    }
    return queued;
}

/* Under v's queue's lock, v->processor's affinity bit just found clear:
 * whether v is on its CPU, in which case the switch away will move it
 * (marked ON_CPU_MOVE here, or already), or off it (OFF_CPU: the caller
 * moves it; acquire, so its saved state is seen whole). */
static bool leave_move_to_switch(struct vcpu *v)
{
    uint8_t seen = ON_CPU;

    if (__atomic_compare_exchange_n(&v->on_cpu, &seen, ON_CPU_MOVE, false, __ATOMIC_ACQUIRE,
                                    __ATOMIC_ACQUIRE)) {
        return true;
    }
    return seen != OFF_CPU;
}

int sched_move_vcpu(struct vcpu *v)
{
    for (;;) {
        unsigned int from = __atomic_load_n(&v->processor, __ATOMIC_ACQUIRE);
        unsigned int to;
        unsigned long flags;
        bool kick;

        if ((v->sched_priv == NULL) || allowed_on(v, from)) {
            return 0;
        }
        to = place(v);
        if (to == NR_CPUS) {
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
            cpu_raise_softirq(from, SCHEDULE_SOFTIRQ);
            return 0;
        }
        kick = move_locked(v, from, to);
        unlock_pair(from, to, flags);
        if (kick) {
            cpu_raise_softirq(to, SCHEDULE_SOFTIRQ);
        }
        return 0;
    }
}

void vcpu_wake(struct vcpu *v)
{
    unsigned long flags;
    struct runqueue *rq = lock_vcpu_queue(v, &flags);
    bool kick = false;

    if (((v->state == VCPU_BLOCKED) || (v->state == VCPU_OFFLINE)) && !v->pause_flags) {
        struct sched_vcpu *sv = sv_of(v);

        sv->vruntime = MAX(sv->vruntime, queue_floor(rq, NOW()));
        set_state(v, VCPU_RUNNABLE, NOW());
        enqueue(rq, sv);
        kick = true;
    }
    spin_unlock_irqrestore(&rq->lock, flags);
    if (kick) {
        cpu_raise_softirq(v->processor, SCHEDULE_SOFTIRQ);
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
    struct runqueue *rq = &runqueues[arch_cpu_id()];
    unsigned long flags = spin_lock_irqsave(&rq->lock);

    if ((rq->curr != NULL) && (rq->curr->state == VCPU_RUNNING)) {
        set_state(rq->curr, VCPU_BLOCKED, NOW());
        raise_softirq(SCHEDULE_SOFTIRQ);
    }
    spin_unlock_irqrestore(&rq->lock, flags);
}

void vcpu_yield_current(void)
{
    struct runqueue *rq = &runqueues[arch_cpu_id()];
    unsigned long flags = spin_lock_irqsave(&rq->lock);

    if ((rq->curr != NULL) && (rq->queue != NULL)) {
        rq->yield_pending = true;
        raise_softirq(SCHEDULE_SOFTIRQ);
    }
    spin_unlock_irqrestore(&rq->lock, flags);
}

void vcpu_stop(struct vcpu *v)
{
    unsigned long flags;
    struct runqueue *rq = lock_vcpu_queue(v, &flags);
    bool running = (rq->curr == v);

    dequeue(rq, sv_of(v));
    if (running) {
        /* schedule() on that CPU sees it is no longer RUNNING. */
        set_state(v, VCPU_OFFLINE, NOW());
    } else if (v->state != VCPU_OFFLINE) {
        set_state(v, VCPU_OFFLINE, NOW());
    } else {
        /* already off */
    }
    spin_unlock_irqrestore(&rq->lock, flags);
    if (running) {
        cpu_raise_softirq(v->processor, SCHEDULE_SOFTIRQ);
    }
}

void schedule(void)
{
    unsigned int cpu = arch_cpu_id();
    struct runqueue *rq = &runqueues[cpu];
    unsigned long flags = spin_lock_irqsave(&rq->lock);
    s_time_t now = NOW();
    struct vcpu *prev = rq->curr;
    struct vcpu *next = NULL;
    struct sched_vcpu *yielder = NULL;
    struct sched_vcpu *nsv;

    if (prev == NULL) {
        rq->idle_ns += (now > rq->slice_start) ? (uint64_t)(now - rq->slice_start) : 0U;
    } else {
        struct sched_vcpu *psv = sv_of(prev);
        uint64_t ran = (now > rq->slice_start) ? (uint64_t)(now - rq->slice_start) : 0U;

        psv->vruntime += (ran * SCHED_DEFAULT_WEIGHT) / psv->weight;
        /* A paused vCPU is queued too (pick() skips it): it is no longer
         * on the CPU, and must be found again once unpaused. */
        if (prev->state == VCPU_RUNNING) {
            set_state(prev, VCPU_RUNNABLE, now);
            enqueue(rq, psv);
            yielder = rq->yield_pending ? psv : NULL;
        }
    }
    rq->yield_pending = false;
    nsv = pick(rq, cpu, yielder);
    if (nsv != NULL) {
        dequeue(rq, nsv);
        next = nsv->v;
        set_state(next, VCPU_RUNNING, now);
        rq->min_vruntime = MAX(rq->min_vruntime, nsv->vruntime);
    }
    rq->curr = next;
    current_vcpu_set(cpu, next);
    rq->slice_start = now;
    if (prev != next) {
        rq->switches++;
        if (next != NULL) {
            /* Until arch_context_switch() away from it saves it again. */
            __atomic_store_n(&next->on_cpu, ON_CPU, __ATOMIC_RELAXED);
        }
    }
    spin_unlock_irqrestore(&rq->lock, flags);

    /* Only preempt when someone else is waiting. */
    if ((next != NULL) && rq->time_slicing && (rq->queue != NULL)) {
        set_timer(&rq->slice_timer, now + SLICE);
    } else {
        stop_timer(&rq->slice_timer);
    }
    if (prev != next) {
        arch_context_switch(prev, next);
    }
}

void sched_set_time_slicing(unsigned int cpu, bool on)
{
    runqueues[cpu].time_slicing = on;
}

bool sched_vcpu_on_cpu(const struct vcpu *v)
{
    /* Not curr alone: schedule() changes curr before the switch saves the
     * outgoing vCPU's registers. Acquire: pairs with sched_context_saved. */
    return __atomic_load_n(&v->on_cpu, __ATOMIC_ACQUIRE) != OFF_CPU;
}

/* sched_context_saved's slow path: prev is ON_CPU_MOVE, so no mover acts
 * on it (they see it on its CPU) and it cannot be freed (that waits for
 * OFF_CPU); prev->processor is from until this moves it. The decision is
 * made under from's lock, held until OFF_CPU is stored: every mover that
 * saw ON_CPU_MOVE wrote the new affinity before taking that lock, so it is
 * read here; every later mover finds OFF_CPU under the lock and moves prev
 * itself. A destination locked on an older reading that the one under the
 * lock no longer allows is chosen again. Out of line: inlined, its
 * registers and frame would be set up on every switch. */
static __noinline void context_saved_move(struct vcpu *prev)
{
    unsigned int from = prev->processor;
    unsigned int to = place(prev);

    for (;;) {
        unsigned int locked = (to == NR_CPUS) ? from : to;
        unsigned long flags = lock_pair(from, locked);
        bool kick = false;

        if (!allowed_on(prev, from)) {
            unsigned int want = allowed_on(prev, locked) ? locked : place(prev);

            if ((want != locked) && (want != NR_CPUS)) {
                unlock_pair(from, locked, flags);
                to = want;
                continue;
            }
            /* want == NR_CPUS: allowed on no online CPU, it stays (as
             * sched_move_vcpu refuses such an affinity). */
            if ((want == locked) && (locked != from)) {
                kick = move_locked(prev, from, locked);
            }
        }
        __atomic_store_n(&prev->on_cpu, OFF_CPU, __ATOMIC_RELEASE);
        unlock_pair(from, locked, flags);
        if (kick) {
            cpu_raise_softirq(locked, SCHEDULE_SOFTIRQ);
        }
        return;
    }
}

void sched_context_saved(struct vcpu *prev)
{
    uint8_t seen = ON_CPU;

    /* The switch path: no move asked for, no lock. Release: whoever sees
     * OFF_CPU sees the registers saved before it. After a successful
     * exchange prev is not touched again (it may be freed at once). A
     * mover's ON_CPU_MOVE, set before or racing with this, makes the
     * exchange fail: then prev is still held, and moves. */
    if (!__atomic_compare_exchange_n(&prev->on_cpu, &seen, OFF_CPU, false, __ATOMIC_RELEASE,
                                     __ATOMIC_RELAXED)) {
        context_saved_move(prev);
    }
}

void sched_vcpu_reconsider(struct vcpu *v)
{
    /* Running: schedule() there puts it back in the queue and pick()
     * decides again. Queued: the CPU may be idle and must look again. */
    if (sched_vcpu_on_cpu(v) || (v->state == VCPU_RUNNABLE)) {
        cpu_raise_softirq(v->processor, SCHEDULE_SOFTIRQ);
    }
}

uint64_t sched_cpu_idle_time(unsigned int cpu)
{
    struct runqueue *rq = &runqueues[cpu];
    unsigned long flags = spin_lock_irqsave(&rq->lock);
    uint64_t idle = rq->idle_ns;
    s_time_t now = NOW();

    if ((rq->curr == NULL) && (now > rq->slice_start)) {
        idle += (uint64_t)(now - rq->slice_start);
    }
    spin_unlock_irqrestore(&rq->lock, flags);
    return idle;
}

unsigned int sched_vcpu_weight(const struct vcpu *v)
{
    const struct sched_vcpu *sv = sv_of(v);

    return (sv != NULL) ? sv->weight : SCHED_DEFAULT_WEIGHT;
}

void sched_set_vcpu_weight(struct vcpu *v, unsigned int weight)
{
    struct sched_vcpu *sv = sv_of(v);
    struct runqueue *rq;
    unsigned long flags;

    if ((sv == NULL) || (weight == 0U)) {
        return;
    }
    /* Under the lock: schedule() reads the weight to charge run time. */
    rq = lock_vcpu_queue(v, &flags);
    sv->weight = weight;
    spin_unlock_irqrestore(&rq->lock, flags);
}

unsigned int sched_cpu_load(unsigned int cpu)
{
    return runqueues[cpu].assigned;
}

void sched_dump_cpu(unsigned int cpu)
{
    const struct runqueue *rq = &runqueues[cpu];
    const struct vcpu *c = rq->curr;
    unsigned int waiting = 0U;

    for (const struct sched_vcpu *sv = rq->queue; sv != NULL; sv = sv->next) {
        waiting++;
    }
    if (c != NULL) {
        pr_info("CPU %u: running d%uv%u, %u runnable waiting, %u vCPUs placed, %llu switches\n",
                cpu, c->domain->domain_id, c->vcpu_id, waiting, rq->assigned,
                (unsigned long long)rq->switches);
    } else {
        pr_info("CPU %u: idle, %u runnable waiting, %u vCPUs placed, %llu switches\n",
                cpu, waiting, rq->assigned, (unsigned long long)rq->switches);
    }
}
