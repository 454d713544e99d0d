/*
 * cpushare: the CPU time this guest gets, measured by itself.
 *
 * A vCPU that spins reading the virtual counter sees it jump whenever the
 * hypervisor runs something else (the counter runs on while the vCPU is
 * off its CPU). A step longer than gap_us is time spent waiting; every
 * other step is time run. The guest then knows its share, how long it ran
 * at a stretch (the scheduler's slices) and how long it waited.
 *
 * Duty mode (run_us and wait_us both set): run run_us, then sleep in WFI
 * until the virtual timer fires wait_us later, over and over; each wake-up
 * is measured from the deadline to the moment the guest runs again.
 *
 * bootargs: name=<word> (cpushare), ms=<measured time> (1000),
 *           gap_us=<n> (50), run_us=<n> wait_us=<n> (0: spin only),
 *           skip_ms=<n> (0: spin that long before measuring, e.g. while a
 *           dom0 sets the scheduling parameters)
 * Prints one line, "cpushare <name>: ...", parsed by the system tests.
 */
#include "guest.h"

struct stretch {
    uint64_t n;
    uint64_t sum;
    uint64_t max;
};

static void stretch_add(struct stretch *s, uint64_t ticks)
{
    s->n++;
    s->sum += ticks;
    if (ticks > s->max) {
        s->max = ticks;
    }
}

static uint64_t us_of(uint64_t ticks)
{
    return timer_ticks_to_ns(ticks) / 1000U;
}

static uint64_t avg_us(const struct stretch *s)
{
    return (s->n != 0U) ? us_of(s->sum / s->n) : 0U;
}

struct meter {
    uint64_t gap;           /* ticks: a longer step was a wait */
    uint64_t last;          /* counter at the previous step */
    uint64_t slice_start;
    uint64_t ran;           /* ticks run */
    struct stretch slices;  /* stretches run without a wait */
    struct stretch waits;   /* stretches waited while runnable */
};

/* Spin until the counter reaches end, sorting each step into run or wait. */
static void spin_until(struct meter *m, uint64_t end)
{
    uint64_t now;

    while ((now = timer_now()) < end) {
        uint64_t step = now - m->last;

        if (step > m->gap) {
            stretch_add(&m->slices, m->last - m->slice_start);
            stretch_add(&m->waits, step);
            m->slice_start = now;
        } else {
            m->ran += step;
        }
        m->last = now;
    }
}

/* The stretch in progress ends here (before a sleep, or at the end). */
static void close_slice(struct meter *m)
{
    if (m->last > m->slice_start) {
        stretch_add(&m->slices, m->last - m->slice_start);
    }
}

/* Sleep until the virtual timer fires at cval (WFI with interrupts masked
 * at the PE: a pending timer still wakes it). Returns when it runs again. */
static uint64_t sleep_until(uint64_t cval)
{
    uint64_t now;

    timer_arm_at(cval);
    while (((timer_ctl() & CNTV_CTL_ISTATUS) == 0U)) {
        wfi();
    }
    now = timer_now();
    timer_stop();
    return now;
}

void guest_main(const struct platform *p)
{
    char name[32] = "cpushare";
    uint64_t ms = bootarg_u64(p->bootargs, "ms", 1000U);
    uint64_t run_us = bootarg_u64(p->bootargs, "run_us", 0U);
    uint64_t wait_us = bootarg_u64(p->bootargs, "wait_us", 0U);
    struct meter m = { 0U, 0U, 0U, 0U, { 0U, 0U, 0U }, { 0U, 0U, 0U } };
    struct stretch wake = { 0U, 0U, 0U };
    uint64_t start;
    uint64_t end;
    uint64_t elapsed;
    uint64_t slept = 0U;

    (void)bootarg_get(p->bootargs, "name", name, sizeof(name));
    m.gap = timer_us_to_ticks(bootarg_u64(p->bootargs, "gap_us", 50U));
    irq_disable();
    start = timer_now() + timer_us_to_ticks(bootarg_u64(p->bootargs, "skip_ms", 0U) * 1000U);
    while (timer_now() < start) {
        cpu_relax();
    }
    start = timer_now();
    end = start + timer_us_to_ticks(ms * 1000U);
    m.last = start;
    m.slice_start = start;
    if ((run_us != 0U) && (wait_us != 0U)) {
        /* The timer must reach the (virtual) GIC to end a WFI, though the
         * PE never takes it (interrupts stay masked). */
        if (!test_check("cpushare_gic", gic_init(p) == 0, "no GIC")) {
            return;
        }
        gic_irq_enable(p->vtimer_intid, GIC_PRIO_DEFAULT);
        while (m.last < end) {
            uint64_t run_end = m.last + timer_us_to_ticks(run_us);
            uint64_t deadline;
            uint64_t woke;

            spin_until(&m, (run_end < end) ? run_end : end);
            close_slice(&m);
            deadline = m.last + timer_us_to_ticks(wait_us);
            woke = sleep_until(deadline);
            stretch_add(&wake, (woke > deadline) ? (woke - deadline) : 0U);
            slept += woke - m.last;
            m.last = woke;
            m.slice_start = woke;
        }
    } else {
        spin_until(&m, end);
        close_slice(&m);
    }
    elapsed = m.last - start;
    printf("cpushare %s: share %lu permille, slices %lu avg %lu max %lu us, "
           "waits %lu avg %lu max %lu us",
           name, (elapsed != 0U) ? ((m.ran * 1000U) / elapsed) : 0U, m.slices.n,
           avg_us(&m.slices), us_of(m.slices.max), m.waits.n, avg_us(&m.waits),
           us_of(m.waits.max));
    if (wake.n != 0U) {
        printf(", wake-ups %lu late avg %lu max %lu us, slept %lu ms", wake.n, avg_us(&wake),
               us_of(wake.max), us_of(slept) / 1000U);
    }
    printf("\n");
    test_check("cpushare_measured", m.ran != 0U, "never saw itself run");
}
