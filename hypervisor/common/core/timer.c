/* Per-CPU timer queues: a list sorted by expiry, so the head is the next
 * deadline the hardware timer must be programmed with. Queues stay short
 * (a few timers per vCPU), which keeps a list cheaper than a heap. */
#include <proxenos/arch/cpu.h>
#include <proxenos/printk.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <proxenos/spinlock.h>
#include <proxenos/timer.h>

struct timer_queue {
    spinlock_t lock;
    struct timer *head;
    unsigned int length;
    uint64_t fired;
    struct timer *running;  /* whose handler runs now (kill_timer waits) */
};

static struct timer_queue queues[NR_CPUS];

/* Called with the queue locked. */
static void program_head(unsigned int cpu, const struct timer_queue *q)
{
    /* Only the owning CPU may touch its timer hardware; others kick it. */
    if (cpu == arch_cpu_id()) {
        arch_timer_program((q->head != NULL) ? q->head->expires : 0);
    } else {
        cpu_raise_softirq(cpu, TIMER_SOFTIRQ);
    }
}

static void unlink_timer(struct timer_queue *q, struct timer *t)
{
    struct timer **pp = &q->head;

    while (*pp != NULL) {
        if (*pp == t) {
            *pp = t->next;
            t->next = NULL;
            t->queued = false;
            q->length--;
            return;
        }
        pp = &(*pp)->next;
    }
}

static void insert_timer(struct timer_queue *q, struct timer *t)
{
    struct timer **pp = &q->head;

    while ((*pp != NULL) && ((*pp)->expires <= t->expires)) {
        pp = &(*pp)->next;
    }
    t->next = *pp;
    *pp = t;
    t->queued = true;
    q->length++;
}

void init_timer(struct timer *t, void (*fn)(void *data), void *data, unsigned int cpu)
{
    BUG_ON(cpu >= NR_CPUS);
    t->expires = 0;
    t->fn = fn;
    t->data = data;
    t->cpu = cpu;
    t->queued = false;
    t->next = NULL;
}

void set_timer(struct timer *t, s_time_t expires)
{
    struct timer_queue *q = &queues[t->cpu];
    unsigned long flags = spin_lock_irqsave(&q->lock);
    bool was_head = (q->head == t);

    if (was_head && ((t->next == NULL) || (expires < t->next->expires))) {
        /* Still first (a slice timer moved on at each switch): no walk. */
        t->expires = expires;
    } else {
        if (t->queued) {
            unlink_timer(q, t);
        }
        t->expires = expires;
        insert_timer(q, t);
    }
    if ((q->head == t) || was_head) {
        program_head(t->cpu, q);
    }
    spin_unlock_irqrestore(&q->lock, flags);
}

void stop_timer(struct timer *t)
{
    struct timer_queue *q = &queues[t->cpu];
    unsigned long flags = spin_lock_irqsave(&q->lock);

    if (t->queued) {
        bool was_head = (q->head == t);

        unlink_timer(q, t);
        if (was_head) {
            program_head(t->cpu, q);
        }
    }
    spin_unlock_irqrestore(&q->lock, flags);
}

void kill_timer(struct timer *t)
{
    struct timer_queue *q = &queues[t->cpu];

    stop_timer(t);
    /* Its own handler may kill it: then there is nothing to wait for. */
    if (t->cpu == arch_cpu_id()) {
        return;
    }
    while (__atomic_load_n(&q->running, __ATOMIC_ACQUIRE) == t) {
        arch_cpu_relax();
    }
}

void migrate_timer(struct timer *t, unsigned int cpu)
{
    struct timer_queue *q = &queues[t->cpu];
    unsigned long flags;
    bool was_queued;

    BUG_ON(cpu >= NR_CPUS);
    if (t->cpu == cpu) {
        return;
    }
    flags = spin_lock_irqsave(&q->lock);
    was_queued = t->queued;
    if (was_queued) {
        bool was_head = (q->head == t);

        unlink_timer(q, t);
        if (was_head) {
            program_head(t->cpu, q);
        }
    }
    t->cpu = cpu;
    spin_unlock_irqrestore(&q->lock, flags);
    if (was_queued) {
        set_timer(t, t->expires);
    }
}

bool timer_is_queued(const struct timer *t)
{
    return READ_ONCE(t->queued);
}

/* Run everything due, then arm the hardware for the next deadline. The
 * handler runs unlocked so it may re-arm its own timer. This is on every
 * timer expiry's path (a vCPU woken from WFI by its virtual timer), so it
 * takes the head off without unlink_timer's walk and arms its own CPU's
 * hardware without program_head's check of whose it is: that pays for the
 * two stores that tell kill_timer whose handler runs (docs/benchmarks.md,
 * the WFI figure). */
static void timer_softirq(void)
{
    unsigned int cpu = arch_cpu_id();
    struct timer_queue *q = &queues[cpu];
    unsigned long flags = spin_lock_irqsave(&q->lock);

    while ((q->head != NULL) && (q->head->expires <= NOW())) {
        struct timer *t = q->head;

        /* The head: off the front of the list, no walk. */
        q->head = t->next;
        t->next = NULL;
        t->queued = false;
        q->length--;
        q->fired++;
        __atomic_store_n(&q->running, t, __ATOMIC_RELAXED);
        spin_unlock_irqrestore(&q->lock, flags);
        t->fn(t->data);
        flags = spin_lock_irqsave(&q->lock);
        __atomic_store_n(&q->running, NULL, __ATOMIC_RELEASE);
    }
    /* This CPU's own queue: its hardware, no need to ask whose. */
    arch_timer_program((q->head != NULL) ? q->head->expires : 0);
    spin_unlock_irqrestore(&q->lock, flags);
}

void timer_interrupt(void)
{
    arch_timer_program(0);
    raise_softirq(TIMER_SOFTIRQ);
}

unsigned int timer_queue_length(unsigned int cpu)
{
    return queues[cpu].length;
}

uint64_t timer_fired_count(unsigned int cpu)
{
    return queues[cpu].fired;
}

void timer_subsys_init(void)
{
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        spin_lock_init(&queues[cpu].lock);
    }
    open_softirq(TIMER_SOFTIRQ, timer_softirq);
}
