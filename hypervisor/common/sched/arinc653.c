/* Xen's ARINC 653 scheduler: a fixed cyclic schedule. A major frame is a
 * list of minor frames, each a (domain handle, vCPU id, run time) entry;
 * the entries run in order from the start of the frame, each for exactly
 * its run time (or the CPU idles through it when its vCPU is absent,
 * blocked or paused), then the CPU idles until the frame ends, and the
 * frame starts again. The toolstack sets and reads the schedule with
 * XEN_SYSCTL_scheduler_op (xl: none; libxc's xc_sched_arinc653_schedule_*).
 *
 * As in Xen 4.17:
 * - entries name domains by handle, so a schedule may be set before its
 *   domains exist; an entry is bound to a vCPU whenever a vCPU enters or
 *   leaves the pool and when a schedule is set, and one bound to nothing
 *   is idle time;
 * - until a schedule is set, each vCPU of domain 0 that enters the pool
 *   is given an entry of its own of 10 ms (docs/scheduling.md: why that
 *   is the default frame, and not one entry per domain);
 * - on a pool of more than one CPU, every CPU follows the same frame and
 *   runs an entry's vCPU only if that vCPU is on it: one vCPU of the pool
 *   runs at a time. Xen does not refuse such a pool, nor do we.
 *
 * Lock: one per pool, shared by its CPUs, since they share the frame. */
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/printk.h>
#include <proxenos/sched_ops.h>
#include <proxenos/string.h>
#include <proxenos/timer.h>
#include <proxenos/xmalloc.h>

/* A default entry's run time, and how often a pool without entries looks
 * again (Xen's DEFAULT_TIMESLICE). */
#define DEFAULT_RUNTIME MILLISECS(10)

#define NR_ENTRIES ARINC653_MAX_DOMAINS_PER_SCHEDULE

struct a653_entry {
    xen_domain_handle_t handle;
    uint32_t vcpu_id;
    s_time_t runtime;
    struct vcpu *v;             /* the vCPU it names, NULL: none in the pool */
};

struct a653_vcpu {
    struct vcpu *v;
    struct a653_vcpu *next;     /* the pool's vCPUs, oldest first */
};

/* Each CPU's own timer for the next boundary while it idles: the core
 * arms its slice timer only for a vCPU, and an idle CPU must still start
 * the next minor frame on time (docs/scheduling.md). Armed only while a
 * runnable vCPU on the CPU waits for its minor frame: otherwise the CPU
 * sleeps until a wake asks it to look (a653_wake). */
struct a653_cpu {
    struct timer boundary;
    unsigned int cpu;
};

struct a653_pool {
    spinlock_t lock;            /* every CPU's sched_pcpu.lock */
    struct a653_entry entry[NR_ENTRIES];
    unsigned int nr_entries;
    s_time_t major_frame;
    s_time_t frame_start;       /* the current major frame's */
    s_time_t frame_end;         /* 0, or in the past: start one at once */
    struct a653_vcpu *vcpus;
    struct a653_vcpu *vcpus_tail;
};

static struct a653_pool *ap_of(const struct sched_pool *p)
{
    return p->priv;
}

/* The oldest vCPU of the pool with the handle and id (the first to enter
 * keeps an entry when domains share a handle, as unset handles do). */
static struct vcpu *find_vcpu(const struct a653_pool *ap, const xen_domain_handle_t handle,
                              uint32_t vcpu_id)
{
    for (const struct a653_vcpu *av = ap->vcpus; av != NULL; av = av->next) {
        if ((av->v->vcpu_id == vcpu_id) &&
            (memcmp(av->v->domain->handle, handle, sizeof(xen_domain_handle_t)) == 0)) {
            return av->v;
        }
    }
    return NULL;
}

/* Bind every entry to the vCPU it names now (the pool's lock held). */
static void bind_entries(struct a653_pool *ap)
{
    for (unsigned int i = 0U; i < ap->nr_entries; i++) {
        ap->entry[i].v = find_vcpu(ap, ap->entry[i].handle, ap->entry[i].vcpu_id);
    }
}

/* Tell every CPU of the pool to look at the frame again. */
static void tickle_pool(const struct sched_pool *p)
{
    uint64_t cpus = sched_pool_online_cpus(p);

    while (cpus != 0U) {
        unsigned int cpu = (unsigned int)__builtin_ctzll(cpus);

        sched_tickle(cpu);
        cpus &= cpus - 1U;
    }
}

/* Where now falls in the current frame: the entry running (nr_entries:
 * the idle rest of the frame) and when it ends. */
struct frame_pos {
    unsigned int index;
    s_time_t until;
};

static struct frame_pos frame_position(const struct a653_pool *ap, s_time_t now)
{
    struct frame_pos pos = { .index = ap->nr_entries, .until = ap->frame_end };
    s_time_t end = ap->frame_start;

    for (unsigned int i = 0U; i < ap->nr_entries; i++) {
        end += ap->entry[i].runtime;
        if (now < end) {
            pos.index = i;
            pos.until = end;
            break;
        }
    }
    return pos;
}

/* ---- The pool and its CPUs ----------------------------------------------- */

static int a653_init_pool(struct sched_pool *p)
{
    struct a653_pool *ap = xzalloc(sizeof(*ap));

    if (ap == NULL) {
        return -ENOMEM;
    }
    spin_lock_init(&ap->lock);
    p->priv = ap;
    return 0;
}

static void a653_deinit_pool(struct sched_pool *p)
{
    xfree(p->priv);
    p->priv = NULL;
}

static void boundary_reached(void *data)
{
    const struct a653_cpu *ac = data;

    sched_tickle(ac->cpu);
}

static int a653_add_cpu(struct sched_pool *p, unsigned int cpu)
{
    struct sched_pcpu *pc = sched_pcpu(cpu);
    struct a653_cpu *ac = xzalloc(sizeof(*ac));

    if (ac == NULL) {
        return -ENOMEM;
    }
    ac->cpu = cpu;
    init_timer(&ac->boundary, boundary_reached, ac, cpu);
    pc->priv = ac;
    pc->lock = &ap_of(p)->lock;
    return 0;
}

static void a653_remove_cpu(struct sched_pool *p, unsigned int cpu)
{
    struct sched_pcpu *pc = sched_pcpu(cpu);
    struct a653_cpu *ac = pc->priv;

    (void)p;
    kill_timer(&ac->boundary);
    xfree(ac);
    pc->priv = NULL;
    pc->lock = &pc->own_lock;
}

/* ---- Domains and vCPUs ---------------------------------------------------- */

static int a653_alloc_domain(struct sched_pool *p, struct domain *d)
{
    (void)p;
    d->sched_dom_priv = NULL;   /* no per-domain parameters */
    return 0;
}

static void a653_free_domain(struct sched_pool *p, struct domain *d)
{
    (void)p;
    d->sched_dom_priv = NULL;
}

static int a653_alloc_vcpu(struct sched_pool *p, struct vcpu *v)
{
    struct a653_pool *ap = ap_of(p);
    struct a653_vcpu *av = xzalloc(sizeof(*av));
    unsigned long flags;

    if (av == NULL) {
        return -ENOMEM;
    }
    av->v = v;
    flags = spin_lock_irqsave(&ap->lock);
    if (ap->vcpus_tail == NULL) {
        ap->vcpus = av;
    } else {
        ap->vcpus_tail->next = av;
    }
    ap->vcpus_tail = av;
    /* Domain 0's vCPUs get 10 ms each while there is room, whatever was
     * set before, as in Xen: so that dom0 runs to set a schedule. */
    if ((v->domain->domain_id == 0U) && (ap->nr_entries < NR_ENTRIES)) {
        struct a653_entry *e = &ap->entry[ap->nr_entries];

        memcpy(e->handle, v->domain->handle, sizeof(e->handle));
        e->vcpu_id = v->vcpu_id;
        e->runtime = DEFAULT_RUNTIME;
        ap->major_frame += DEFAULT_RUNTIME;
        ap->nr_entries++;
    }
    bind_entries(ap);
    spin_unlock_irqrestore(&ap->lock, flags);
    v->sched_priv = av;
    return 0;
}

/* Its entries stay, bound to nothing (idle time) until a vCPU they name
 * enters the pool again. */
static void a653_free_vcpu(struct sched_pool *p, struct vcpu *v)
{
    struct a653_pool *ap = ap_of(p);
    struct a653_vcpu *av = v->sched_priv;
    struct a653_vcpu *prev = NULL;
    unsigned long flags;

    if (av == NULL) {
        return;
    }
    flags = spin_lock_irqsave(&ap->lock);
    for (struct a653_vcpu *it = ap->vcpus; it != NULL; it = it->next) {
        if (it == av) {
            if (prev == NULL) {
                ap->vcpus = av->next;
            } else {
                prev->next = av->next;
            }
            if (ap->vcpus_tail == av) {
                ap->vcpus_tail = prev;
            }
            break;
        }
        prev = it;
    }
    bind_entries(ap);
    spin_unlock_irqrestore(&ap->lock, flags);
    xfree(av);
    v->sched_priv = NULL;
}

/* Its own CPU while that is in the pool, as in Xen: the schedule, not
 * placement, decides when it runs. */
static unsigned int a653_pick_cpu(struct sched_pool *p, const struct vcpu *v)
{
    return sched_first_allowed(v, sched_pool_online_cpus(p));
}

static unsigned int a653_insert(struct sched_pool *p, struct vcpu *v)
{
    (void)p;
    return (v->state == VCPU_RUNNABLE) ? v->processor : NR_CPUS;
}

static void a653_remove(struct sched_pool *p, struct vcpu *v)
{
    /* No queue: the entries are bound to vCPUs, not to CPUs. */
    (void)p;
    (void)v;
}

/* Xen has the vCPU's CPU look again on every wake: if the vCPU's minor
 * frame is on, it runs at once; if not, the CPU chooses what it had. */
static unsigned int a653_wake(struct sched_pool *p, struct vcpu *v, s_time_t now)
{
    (void)p;
    (void)now;
    return v->processor;
}

static void a653_sleep(struct sched_pool *p, struct vcpu *v)
{
    /* Nothing queued; if v is running, the core is choosing again. */
    (void)p;
    (void)v;
}

/* The frame, not the vCPU, decides what runs next: yielding changes
 * nothing before its minor frame ends. */
static bool a653_yield(struct sched_pool *p, struct vcpu *v)
{
    (void)p;
    (void)v;
    return false;
}

/* Whether a runnable vCPU on cpu waits for one of its minor frames (the
 * one whose frame just ended is still RUNNING while the CPU chooses). */
static bool vcpu_waits_on(const struct a653_pool *ap, unsigned int cpu)
{
    for (unsigned int i = 0U; i < ap->nr_entries; i++) {
        const struct vcpu *v = ap->entry[i].v;

        if ((v != NULL) && (v->processor == cpu) &&
            ((v->state == VCPU_RUNNABLE) || (v->state == VCPU_RUNNING))) {
            return true;
        }
    }
    return false;
}

/* What cpu runs from now until the next boundary of the frame (the
 * pool's lock held, a schedule in place). */
static struct sched_choice choose_in_frame(struct a653_pool *ap, unsigned int cpu, s_time_t now)
{
    struct sched_choice c = { .next = NULL, .run_for = 0 };
    struct frame_pos pos;

    /* The first CPU past the end starts the next frame, from now: a late
     * timer shifts the frame rather than cutting its first entry short. */
    if (now >= ap->frame_end) {
        ap->frame_start = now;
        ap->frame_end = now + ap->major_frame;
    }
    pos = frame_position(ap, now);
    if (pos.index < ap->nr_entries) {
        struct vcpu *v = ap->entry[pos.index].v;

        /* A vCPU runs only on its own CPU: the others idle meanwhile. */
        if ((v != NULL) && (v->processor == cpu) && sched_may_run(v, cpu)) {
            c.next = v;
        }
    }
    c.run_for = pos.until - now;
    return c;
}

static struct sched_choice a653_do_schedule(struct sched_pool *p, unsigned int cpu, s_time_t now,
                                            struct vcpu *prev)
{
    struct a653_pool *ap = ap_of(p);
    struct a653_cpu *ac = sched_pcpu(cpu)->priv;
    struct sched_choice c = { .next = NULL, .run_for = DEFAULT_RUNTIME };

    (void)prev;
    if (ap->nr_entries == 0U) {
        /* No schedule: idle, and look again in a while (Xen), which the
         * schedule that comes, or a vCPU given an entry, asks for. */
        ap->frame_start = now;
        ap->frame_end = now + DEFAULT_RUNTIME;
    } else {
        c = choose_in_frame(ap, cpu, now);
    }
    /* An idle CPU keeps its own boundary timer, only while a vCPU of its
     * waits for its frame; otherwise it sleeps (the core arms nothing). */
    if ((c.next == NULL) && vcpu_waits_on(ap, cpu)) {
        set_timer(&ac->boundary, now + c.run_for);
    } else {
        stop_timer(&ac->boundary);
    }
    if (c.next == NULL) {
        c.run_for = SCHED_RUN_UNBOUNDED;
    }
    return c;
}

/* ---- The toolstack -------------------------------------------------------- */

/* Xen's checks: a major frame and 1 to 64 entries, each with a run time,
 * all of which fit in the frame. Beyond Xen: times that do not fit an
 * s_time_t are refused too (Xen would take them negative). */
static bool schedule_valid(const struct xen_sysctl_arinc653_schedule *s)
{
    uint64_t total = 0U;

    if ((s->major_frame == 0U) || (s->major_frame > (uint64_t)INT64_MAX) ||
        (s->num_sched_entries < 1U) || (s->num_sched_entries > NR_ENTRIES)) {
        return false;
    }
    for (unsigned int i = 0U; i < s->num_sched_entries; i++) {
        uint64_t rt = s->sched_entries[i].runtime;

        if ((rt == 0U) || (rt > (s->major_frame - total))) {
            return false;
        }
        total += rt;
    }
    return true;
}

static long schedule_put(struct sched_pool *p, const struct xen_sysctl_arinc653_schedule *s)
{
    struct a653_pool *ap = ap_of(p);
    unsigned long flags;

    if (!schedule_valid(s)) {
        return -EINVAL;
    }
    flags = spin_lock_irqsave(&ap->lock);
    ap->nr_entries = s->num_sched_entries;
    ap->major_frame = (s_time_t)s->major_frame;
    for (unsigned int i = 0U; i < ap->nr_entries; i++) {
        memcpy(ap->entry[i].handle, s->sched_entries[i].dom_handle, sizeof(ap->entry[i].handle));
        ap->entry[i].vcpu_id = s->sched_entries[i].vcpu_id;
        ap->entry[i].runtime = (s_time_t)s->sched_entries[i].runtime;
    }
    bind_entries(ap);
    /* It takes effect now, not at the end of the current frame (Xen): a
     * new frame starts when each CPU next chooses, which it does at once. */
    ap->frame_end = 0;
    spin_unlock_irqrestore(&ap->lock, flags);
    tickle_pool(p);
    return 0;
}

/* What Xen answers: the entries in use; every byte beyond them, padding
 * included, is 0xff. */
static void schedule_get(struct sched_pool *p, struct xen_sysctl_arinc653_schedule *s)
{
    struct a653_pool *ap = ap_of(p);
    unsigned long flags;

    memset(s, 0xff, sizeof(*s));
    flags = spin_lock_irqsave(&ap->lock);
    s->major_frame = (uint64_t)ap->major_frame;
    s->num_sched_entries = (uint8_t)ap->nr_entries;
    for (unsigned int i = 0U; i < ap->nr_entries; i++) {
        memcpy(s->sched_entries[i].dom_handle, ap->entry[i].handle, sizeof(ap->entry[i].handle));
        s->sched_entries[i].vcpu_id = ap->entry[i].vcpu_id;
        s->sched_entries[i].runtime = (uint64_t)ap->entry[i].runtime;
    }
    spin_unlock_irqrestore(&ap->lock, flags);
}

static long a653_adjust_global(struct sched_pool *p, struct xen_sysctl_scheduler_op *op)
{
    /* 2 KiB: from the heap, not the hypervisor's stack. */
    struct xen_sysctl_arinc653_schedule *s;
    long rc;

    if ((op->cmd != XEN_SYSCTL_SCHEDOP_putinfo) && (op->cmd != XEN_SYSCTL_SCHEDOP_getinfo)) {
        return -EINVAL;
    }
    s = xmalloc(sizeof(*s));
    if (s == NULL) {
        return -ENOMEM;
    }
    if (op->cmd == XEN_SYSCTL_SCHEDOP_putinfo) {
        /* The whole schedule is in hand before any of it is looked at. */
        rc = (copy_from_guest(s, op->u.sched_arinc653.schedule, sizeof(*s)) != 0) ?
             -EFAULT : schedule_put(p, s);
    } else {
        schedule_get(p, s);
        rc = (copy_to_guest(op->u.sched_arinc653.schedule, s, sizeof(*s)) != 0) ? -EFAULT : 0;
    }
    xfree(s);
    return rc;
}

/* ---- The console ---------------------------------------------------------- */

/* A handle as xl prints a UUID: 8-4-4-4-12 hex digits. */
static void format_handle(char *buf, size_t size, const xen_domain_handle_t h)
{
    (void)snprintf(buf, size, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                   h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11],
                   h[12], h[13], h[14], h[15]);
}

static void a653_dump_cpu(struct sched_pool *p, unsigned int cpu)
{
    const struct a653_pool *ap = ap_of(p);
    s_time_t now = NOW();

    if (ap->nr_entries == 0U) {
        pr_info("CPU[%02u] arinc653: no schedule, idle\n", cpu);
        return;
    }
    if ((ap->frame_end == 0) || (now >= ap->frame_end)) {
        pr_info("CPU[%02u] arinc653: major frame %lld ns, %u entries, between frames\n", cpu,
                (long long)ap->major_frame, ap->nr_entries);
    } else {
        struct frame_pos pos = frame_position(ap, now);

        pr_info("CPU[%02u] arinc653: major frame %lld ns, %u entries, %lld ns in, %s %u\n", cpu,
                (long long)ap->major_frame, ap->nr_entries, (long long)(now - ap->frame_start),
                (pos.index < ap->nr_entries) ? "entry" : "idle after entry",
                (pos.index < ap->nr_entries) ? pos.index : (ap->nr_entries - 1U));
    }
    for (unsigned int i = 0U; i < ap->nr_entries; i++) {
        const struct a653_entry *e = &ap->entry[i];
        char handle[40];

        format_handle(handle, sizeof(handle), e->handle);
        if (e->v == NULL) {
            pr_info("  %u: %s v%u %lld ns: absent, idle\n", i, handle, e->vcpu_id,
                    (long long)e->runtime);
        } else {
            pr_info("  %u: %s v%u %lld ns: d%uv%u on CPU %u\n", i, handle, e->vcpu_id,
                    (long long)e->runtime, e->v->domain->domain_id, e->v->vcpu_id,
                    e->v->processor);
        }
    }
}

const struct sched_ops sched_arinc653_ops = {
    .name = "arinc653",
    .sched_id = XEN_SCHEDULER_ARINC653,
    .init_pool = a653_init_pool,
    .deinit_pool = a653_deinit_pool,
    .add_cpu = a653_add_cpu,
    .remove_cpu = a653_remove_cpu,
    .alloc_domain = a653_alloc_domain,
    .free_domain = a653_free_domain,
    .alloc_vcpu = a653_alloc_vcpu,
    .free_vcpu = a653_free_vcpu,
    .pick_cpu = a653_pick_cpu,
    .insert = a653_insert,
    .remove = a653_remove,
    .wake = a653_wake,
    .sleep = a653_sleep,
    .yield = a653_yield,
    .do_schedule = a653_do_schedule,
    .context_saved = NULL,
    .adjust = NULL,             /* no per-domain parameters: 0, as Xen */
    .adjust_global = a653_adjust_global,
    .dump_cpu = a653_dump_cpu,
};
