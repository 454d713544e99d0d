/* Scheduler decisions: placement on the least loaded online CPU of a vCPU's
 * hard affinity, waking (softirq, IPI when remote), picking the runnable
 * vCPU with the least weighted run time, run time accounting against the
 * clock, fair alternation under time slices, blocking, kicking, stopping,
 * pausing (a vCPU, or its whole domain), sleepers earning no credit, idle
 * time, weights, and sched=null.
 *
 * CPUs 0-3 are online. The fake clock only moves when a test moves it; a
 * slice ends when a test fires the timer (expire_slice). Each test starts
 * with sched_init() and ends by stopping and removing its vCPUs, because
 * the run queues are static and outlive a test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/arch/context.h>
#include <proxenos/cmdline.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/sched.h>
#include <proxenos/sched_params.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
#include <proxenos/xmalloc.h>
#include <fake_arch.h>
#include <fake_domain.h>
#include "heap_env.h"

#define NR_ONLINE 4U
#define SLICE MILLISECS(10)         /* sched.c's time slice */
#define ALL_CPUS (~0ULL)
#define ON_CPU(c) (1ULL << (c))
#define MAX_TEST_VCPUS 16U

/* ---- Around the scheduler --------------------------------------------------
 * Its per-vCPU data comes from the real xmalloc.c (heap_env.h). */

#define RAM0 0x40000000ULL

/* The fake arch logs each switch (<fake_domain.h>) and tells the
 * scheduler prev is saved; this checks what the real one relies on:
 * prev counts as on its CPU until then (domain_pause waits), and next
 * is on its CPU already. */
static void check_switch(struct vcpu *prev, struct vcpu *next)
{
    assert_true(fake_hook_calls(FAKE_ARCH_CONTEXT_SWITCH) <= FAKE_SWITCH_LOG);
    if (prev != NULL) {
        assert_true(sched_vcpu_on_cpu(prev));
    }
    if (next != NULL) {
        assert_true(sched_vcpu_on_cpu(next));
    }
}

static unsigned int nr_switches(void)
{
    return fake_hook_calls(FAKE_ARCH_CONTEXT_SWITCH);
}

static const struct fake_switch *last_switch(void)
{
    assert_true(nr_switches() > 0U);
    return fake_switch(nr_switches() - 1U);
}

/* ---- vCPUs built by hand ------------------------------------------------ */

static struct domain dom = { .domain_id = 1U, .name = "d1", .state = DOMAIN_RUNNING };
static struct vcpu vcpus[MAX_TEST_VCPUS];
static unsigned int nr_vcpus;

static struct vcpu *new_vcpu(uint64_t affinity)
{
    struct vcpu *v;

    assert_true(nr_vcpus < MAX_TEST_VCPUS);
    v = &vcpus[nr_vcpus];
    memset(v, 0, sizeof(*v));
    v->vcpu_id = nr_vcpus;
    v->domain = &dom;
    v->state = VCPU_OFFLINE;
    v->hard_affinity = affinity;
    nr_vcpus++;
    return v;
}

static struct vcpu *add_vcpu(uint64_t affinity)
{
    struct vcpu *v = new_vcpu(affinity);

    assert_int_equal(sched_add_vcpu(v), 0);
    assert_non_null(v->sched_priv);
    return v;
}

/* ---- Driving the CPUs --------------------------------------------------- */

static void run_softirqs(unsigned int cpu)
{
    fake_set_cpu(cpu);
    do_softirq();
}

static struct vcpu *running_on(unsigned int cpu)
{
    unsigned int me = arch_cpu_id();
    struct vcpu *v;

    fake_set_cpu(cpu);
    v = current_vcpu();
    fake_set_cpu(me);
    return v;
}

/* The slice timer of this CPU fires: the clock moves to its deadline and
 * the timer interrupt runs the softirqs as the arch code would. */
static void expire_slice(void)
{
    s_time_t deadline = fake_timer_deadline();

    assert_int_equal(timer_queue_length(arch_cpu_id()), 1);
    assert_true(deadline > NOW());
    fake_set_now(deadline);
    timer_interrupt();
    do_softirq();
}

/* Run time so far, including the stretch in progress. */
static uint64_t run_time(const struct vcpu *v)
{
    uint64_t t = v->runstate_time[VCPU_RUNNING];

    if ((v->state == VCPU_RUNNING) && (NOW() > v->state_entry_time)) {
        t += (uint64_t)(NOW() - v->state_entry_time);
    }
    return t;
}

static uint64_t abs_diff(uint64_t a, uint64_t b)
{
    return (a > b) ? (a - b) : (b - a);
}

/* ---- Setup and teardown -------------------------------------------------- */

/* The clock never goes back between tests: run queues keep their virtual
 * time, and a clock that jumps back would only blur what is measured. */
static s_time_t clock_now = SECONDS(1);

static int group_setup(void **state)
{
    (void)state;
    for (unsigned int cpu = 0U; cpu < NR_ONLINE; cpu++) {
        cpu_set_online(cpu);
    }
    timer_subsys_init();
    return 0;
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    heap_env_init(RAM0, (size_t)MiB(4));
    fake_console_quiet(true);
    fake_set_now(clock_now);
    fake_set_switch_hook(check_switch);
    nr_vcpus = 0U;
    dom.pause_count = 0U;
    dom.sched_weight = 0U;
    sched_init();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (unsigned int i = 0U; i < nr_vcpus; i++) {
        if (vcpus[i].sched_priv != NULL) {
            vcpu_stop(&vcpus[i]);
        }
    }
    /* Every CPU takes its vCPU off and goes idle (which stops its slice
     * timer), and nothing stays pending for the next test. */
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        run_softirqs(cpu);
        schedule();
        do_softirq();
        assert_null(current_vcpu());
    }
    for (unsigned int i = 0U; i < nr_vcpus; i++) {
        sched_remove_vcpu(&vcpus[i]);
        assert_null(vcpus[i].sched_priv);
    }
    /* ... and with them every scheduler object the heap gave out. */
    assert_int_equal(heap_env_objs_live(), 0U);
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        assert_int_equal(sched_cpu_load(cpu), 0);
        assert_int_equal(timer_queue_length(cpu), 0);
        assert_false(softirq_pending(cpu));
    }
    fake_set_cpu(0U);
    clock_now = NOW() + SECONDS(1);
    return 0;
}

/* ---- Placement ------------------------------------------------------------ */

static void test_place_spreads_over_least_loaded_online_cpus(void **state)
{
    unsigned int seen = 0U;

    (void)state;
    for (unsigned int i = 0U; i < 2U * NR_ONLINE; i++) {
        struct vcpu *v = add_vcpu(ALL_CPUS);

        assert_true(v->processor < NR_ONLINE);     /* never an offline CPU */
        if (i < NR_ONLINE) {
            /* The first round takes an empty CPU each time. */
            assert_int_equal(seen & (1U << v->processor), 0);
            seen |= 1U << v->processor;
        }
        /* Placing does not start it. */
        assert_int_equal(v->state, VCPU_OFFLINE);
    }
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        assert_int_equal(sched_cpu_load(cpu), (cpu < NR_ONLINE) ? 2U : 0U);
    }
}

static void test_place_within_hard_affinity(void **state)
{
    struct vcpu *v;

    (void)state;
    v = add_vcpu(ON_CPU(2));
    assert_int_equal(v->processor, 2);
    v = add_vcpu(ON_CPU(2));
    assert_int_equal(v->processor, 2);
    /* {2,3}: CPU 3 is the less loaded of the two, twice. */
    v = add_vcpu(ON_CPU(2) | ON_CPU(3));
    assert_int_equal(v->processor, 3);
    v = add_vcpu(ON_CPU(2) | ON_CPU(3));
    assert_int_equal(v->processor, 3);
    /* Now equal: either, but nothing outside the affinity. */
    v = add_vcpu(ON_CPU(2) | ON_CPU(3));
    assert_true((v->processor == 2U) || (v->processor == 3U));
    /* Unrestricted: the empty CPUs 0 and 1 win over 2 and 3. */
    v = add_vcpu(ALL_CPUS);
    assert_true(v->processor <= 1U);
    v = add_vcpu(ALL_CPUS);
    assert_true(v->processor <= 1U);
    assert_int_equal(sched_cpu_load(0), 1);
    assert_int_equal(sched_cpu_load(1), 1);
    assert_int_equal(sched_cpu_load(2) + sched_cpu_load(3), 5);
    /* An offline CPU in the affinity is ignored. */
    v = add_vcpu(ON_CPU(1) | ON_CPU(5));
    assert_int_equal(v->processor, 1);
    assert_int_equal(sched_cpu_load(5), 0);
}

static void test_move_follows_hard_affinity(void **state)
{
    struct vcpu *v;
    struct vcpu *w;

    (void)state;
    v = add_vcpu(ON_CPU(2));
    w = add_vcpu(ON_CPU(1) | ON_CPU(2));
    assert_int_equal(w->processor, 1);
    /* Still allowed where it is: it stays. */
    v->hard_affinity = ON_CPU(2) | ON_CPU(3);
    assert_int_equal(sched_move_vcpu(v), 0);
    assert_int_equal(v->processor, 2);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_VCPU_MOVED), 0U);
    /* Runnable and waiting on CPU 2, then pinned to {1, 3}: it goes to the
     * less loaded CPU 3, queued there, and CPU 3 is told. */
    fake_set_cpu(2U);
    vcpu_wake(v);
    v->hard_affinity = ON_CPU(1) | ON_CPU(3);
    assert_int_equal(sched_move_vcpu(v), 0);
    assert_int_equal(v->processor, 3);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_VCPU_MOVED), 1U);
    assert_int_equal(sched_cpu_load(2), 0);
    assert_int_equal(sched_cpu_load(3), 1);
    assert_true(softirq_pending(3));
    run_softirqs(2);
    assert_null(running_on(2));
    run_softirqs(3);
    assert_ptr_equal(running_on(3), v);
    /* Running: its CPU is told to choose again; it does not pick v where
     * v may no longer run, and moves it once v's state is saved. */
    v->hard_affinity = ON_CPU(1);
    assert_int_equal(sched_move_vcpu(v), 0);
    assert_int_equal(v->processor, 3);
    assert_true(softirq_pending(3));
    run_softirqs(3);
    assert_null(running_on(3));
    assert_false(sched_vcpu_on_cpu(v));
    assert_int_equal(v->processor, 1);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_VCPU_MOVED), 2U);
    assert_int_equal(sched_cpu_load(3), 0);
    assert_int_equal(sched_cpu_load(1), 2);
    assert_true(softirq_pending(1));
    run_softirqs(1);
    assert_true((running_on(1) == v) || (running_on(1) == w));
    /* No online CPU allowed: refused, nothing moved. */
    w->hard_affinity = ON_CPU(5);
    assert_int_equal(sched_move_vcpu(w), -EINVAL);
    assert_int_equal(w->processor, 1);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_VCPU_MOVED), 2U);
}

static void test_place_rejects_affinity_without_online_cpu(void **state)
{
    struct vcpu *v;

    (void)state;
    v = new_vcpu(ON_CPU(5));            /* offline */
    assert_int_equal(sched_add_vcpu(v), -EINVAL);
    assert_null(v->sched_priv);
    v = new_vcpu(0U);                   /* nothing at all */
    assert_int_equal(sched_add_vcpu(v), -EINVAL);
    assert_null(v->sched_priv);
    v = new_vcpu(ON_CPU(NR_CPUS) | ON_CPU(63));     /* beyond NR_CPUS */
    assert_int_equal(sched_add_vcpu(v), -EINVAL);
    assert_null(v->sched_priv);
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        assert_int_equal(sched_cpu_load(cpu), 0);
    }
    /* A refused vCPU may be removed (domain teardown after a failure). */
    sched_remove_vcpu(v);
    assert_null(v->sched_priv);
}

static void test_remove_frees_the_place(void **state)
{
    struct vcpu *on[NR_ONLINE] = { NULL };
    struct vcpu *v;

    (void)state;
    for (unsigned int i = 0U; i < NR_ONLINE; i++) {
        v = add_vcpu(ALL_CPUS);
        on[v->processor] = v;
    }
    sched_remove_vcpu(on[2]);
    assert_null(on[2]->sched_priv);
    assert_int_equal(sched_cpu_load(2), 0);
    v = add_vcpu(ALL_CPUS);
    assert_int_equal(v->processor, 2);
    assert_int_equal(sched_cpu_load(2), 1);
}

/* ---- Waking ---------------------------------------------------------------- */

static void test_wake_raises_schedule_softirq_locally(void **state)
{
    struct vcpu *v;

    (void)state;
    v = add_vcpu(ON_CPU(0));
    vcpu_wake(v);
    assert_int_equal(v->state, VCPU_RUNNABLE);
    assert_true(softirq_pending(0));
    assert_int_equal(fake_ipi_count(0), 0);    /* no IPI to oneself */
    assert_int_equal(fake_last_ipi(), -1);
    /* It runs when the softirq does, not before. */
    assert_null(current_vcpu());
    assert_int_equal(nr_switches(), 0);
    do_softirq();
    assert_ptr_equal(current_vcpu(), v);
    assert_int_equal(v->state, VCPU_RUNNING);
    assert_true(sched_vcpu_on_cpu(v));
    assert_int_equal(nr_switches(), 1);
    assert_null(last_switch()->prev);
    assert_ptr_equal(last_switch()->next, v);
    assert_int_equal(last_switch()->cpu, 0);
}

static void test_wake_ipis_remote_cpu(void **state)
{
    struct vcpu *v;
    struct vcpu *w;

    (void)state;
    v = add_vcpu(ON_CPU(2));
    w = add_vcpu(ON_CPU(2));
    fake_set_cpu(0U);
    vcpu_wake(v);
    assert_int_equal(v->state, VCPU_RUNNABLE);
    assert_true(softirq_pending(2));
    assert_false(softirq_pending(0));
    assert_int_equal(fake_ipi_count(2), 1);
    assert_int_equal(fake_last_ipi(), 2);
    /* A second wake while CPU 2 has not looked yet needs no second IPI. */
    vcpu_wake(w);
    assert_int_equal(fake_ipi_count(2), 1);
    assert_null(running_on(2));
    run_softirqs(2);
    assert_true((current_vcpu() == v) || (current_vcpu() == w));
    assert_int_equal(last_switch()->cpu, 2);
    assert_null(running_on(0));
}

static void test_wake_ignores_runnable_running_and_paused(void **state)
{
    struct vcpu *a;
    struct vcpu *b;
    struct vcpu *p;

    (void)state;
    a = add_vcpu(ON_CPU(1));
    b = add_vcpu(ON_CPU(1));
    p = add_vcpu(ON_CPU(1));
    vcpu_wake(a);
    run_softirqs(1);
    assert_ptr_equal(current_vcpu(), a);
    fake_set_cpu(0U);
    vcpu_wake(b);
    assert_int_equal(fake_ipi_count(1), 2);
    /* Running, or already runnable: nothing to do, nobody to disturb. */
    vcpu_wake(a);
    vcpu_wake(b);
    assert_int_equal(fake_ipi_count(1), 2);
    assert_int_equal(a->state, VCPU_RUNNING);
    assert_int_equal(b->state, VCPU_RUNNABLE);
    run_softirqs(1);
    /* A paused vCPU does not wake, from blocked or from offline. */
    p->pause_flags = true;
    fake_set_cpu(0U);
    vcpu_wake(p);
    assert_int_equal(p->state, VCPU_OFFLINE);
    p->state = VCPU_BLOCKED;
    vcpu_wake(p);
    assert_int_equal(p->state, VCPU_BLOCKED);
    assert_false(softirq_pending(1));
    assert_int_equal(fake_ipi_count(1), 2);
    p->state = VCPU_OFFLINE;
}

/* ---- Picking and accounting ------------------------------------------------ */

/* The slice timer firing after ran: the scheduler picks again. */
static struct vcpu *reschedule_after(s_time_t ran)
{
    fake_advance(ran);
    raise_softirq(SCHEDULE_SOFTIRQ);
    do_softirq();
    return current_vcpu();
}

static void test_schedule_picks_least_weighted_run_time(void **state)
{
    struct vcpu *x;
    struct vcpu *y;
    struct vcpu *z;
    struct vcpu *v[3];
    unsigned int before;

    (void)state;
    for (unsigned int i = 0U; i < 3U; i++) {
        v[i] = add_vcpu(ON_CPU(0));
        vcpu_wake(v[i]);
    }
    do_softirq();
    x = current_vcpu();
    assert_non_null(x);
    /* x: 3 ms; the two others have run nothing: one of them. */
    y = reschedule_after(MILLISECS(3));
    assert_true((y != x) && (y != NULL));
    /* y: 1 ms; the third has run nothing: it. */
    z = reschedule_after(MILLISECS(1));
    assert_true((z != x) && (z != y) && (z != NULL));
    /* x 3, y 1, z 2: y. */
    assert_ptr_equal(reschedule_after(MILLISECS(2)), y);
    /* x 3, y 1.5, z 2: still y, without a switch. */
    before = nr_switches();
    assert_ptr_equal(reschedule_after(MICROSECS(500)), y);
    assert_int_equal(nr_switches(), before);
    /* x 3, y 2.5, z 2: z. */
    assert_ptr_equal(reschedule_after(MILLISECS(1)), z);
    assert_ptr_equal(last_switch()->prev, y);
    assert_ptr_equal(last_switch()->next, z);
    /* x 3, y 2.5, z 2.7: y. */
    assert_ptr_equal(reschedule_after(MICROSECS(700)), y);
    /* x 3, y 3.6, z 2.7: z. */
    assert_ptr_equal(reschedule_after(MICROSECS(1100)), z);
    /* x 3, y 3.6, z 3.2: x at last. */
    assert_ptr_equal(reschedule_after(MICROSECS(500)), x);
    assert_int_equal(x->state, VCPU_RUNNING);
    assert_int_equal(y->state, VCPU_RUNNABLE);
    assert_int_equal(z->state, VCPU_RUNNABLE);
}

/* SCHEDOP_yield: another runnable vCPU goes first even when the yielder
 * has run less; with only paused company the yielder goes on. */
static void test_yield_hands_the_cpu_to_others(void **state)
{
    struct vcpu *x;
    struct vcpu *y;
    unsigned int before;

    (void)state;
    x = add_vcpu(ON_CPU(0));
    y = add_vcpu(ON_CPU(0));
    vcpu_wake(x);
    vcpu_wake(y);
    do_softirq();
    if (current_vcpu() != x) {
        y = x;
        x = current_vcpu();
    }
    /* x runs 1 ms, then y (which has run nothing) gets the CPU. */
    assert_ptr_equal(reschedule_after(MILLISECS(1)), y);
    /* y has run 0.1 ms against x's 1 ms, yet its yield lets x go. */
    fake_advance(MICROSECS(100));
    vcpu_yield_current();
    assert_true(softirq_pending(0U));
    do_softirq();
    assert_ptr_equal(current_vcpu(), x);
    assert_int_equal(y->state, VCPU_RUNNABLE);
    /* The yield is spent: the next pick is by virtual time again. */
    assert_ptr_equal(reschedule_after(MICROSECS(10)), y);
    /* x paused: y's yield finds nobody else and y goes on, unswitched. */
    x->pause_flags = true;
    before = nr_switches();
    fake_advance(MICROSECS(10));
    vcpu_yield_current();
    do_softirq();
    assert_ptr_equal(current_vcpu(), y);
    assert_int_equal(nr_switches(), before);
    x->pause_flags = false;
}

static void test_runstate_time_follows_the_clock(void **state)
{
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    a = add_vcpu(ON_CPU(0));
    b = add_vcpu(ON_CPU(0));
    fake_advance(MILLISECS(2));
    vcpu_wake(a);
    do_softirq();
    assert_int_equal(a->runstate_time[VCPU_OFFLINE], MILLISECS(2));
    assert_int_equal(a->runstate_time[VCPU_RUNNABLE], 0);
    fake_advance(MILLISECS(7));
    vcpu_block_current();
    assert_int_equal(a->state, VCPU_BLOCKED);
    assert_int_equal(a->runstate_time[VCPU_RUNNING], MILLISECS(7));
    do_softirq();
    assert_null(current_vcpu());
    assert_ptr_equal(last_switch()->prev, a);
    assert_null(last_switch()->next);
    fake_advance(MILLISECS(3));
    vcpu_wake(a);
    assert_int_equal(a->runstate_time[VCPU_BLOCKED], MILLISECS(3));
    do_softirq();
    assert_ptr_equal(current_vcpu(), a);
    /* b wakes while a runs and waits 4 ms for the CPU. It starts at the
     * queue's minimum (a's 7 ms when a was last picked); a has reached
     * 11 ms by then, so b takes over. */
    vcpu_wake(b);
    fake_advance(MILLISECS(4));
    do_softirq();
    assert_ptr_equal(current_vcpu(), b);
    assert_int_equal(b->runstate_time[VCPU_RUNNABLE], MILLISECS(4));
    assert_int_equal(a->runstate_time[VCPU_RUNNING], MILLISECS(11));
    assert_int_equal(a->state, VCPU_RUNNABLE);
    fake_advance(MILLISECS(1));
    assert_int_equal(run_time(b), MILLISECS(1));
}

static void test_two_vcpus_alternate_fairly(void **state)
{
    struct vcpu *a;
    struct vcpu *b;
    uint64_t start;
    unsigned int turns_a = 0U;
    unsigned int turns_b = 0U;

    (void)state;
    assert_string_equal(sched_default_name(), SCHED_DEFAULT_NAME);
    a = add_vcpu(ON_CPU(0));
    b = add_vcpu(ON_CPU(0));
    vcpu_wake(a);
    vcpu_wake(b);
    do_softirq();
    start = (uint64_t)NOW();
    for (unsigned int i = 0U; i < 1000U; i++) {
        struct vcpu *c = current_vcpu();

        assert_true((c == a) || (c == b));
        /* Someone waits: the slice is armed, one slice from now. */
        assert_int_equal(timer_queue_length(0), 1);
        assert_int_equal(fake_timer_deadline(), NOW() + SLICE);
        if (c == a) {
            turns_a++;
        } else {
            turns_b++;
        }
        expire_slice();
        assert_true(abs_diff(run_time(a), run_time(b)) <= (uint64_t)SLICE);
    }
    /* All of the time went to the two, half each. */
    assert_int_equal(run_time(a) + run_time(b), (uint64_t)NOW() - start);
    assert_int_equal(turns_a, 500);
    assert_int_equal(turns_b, 500);
    /* They did take turns: never idle, never a switch to oneself. */
    assert_true(nr_switches() >= 500U);
    for (unsigned int i = 1U; i < nr_switches(); i++) {
        assert_non_null(fake_switch(i)->next);
        assert_ptr_not_equal(fake_switch(i)->prev, fake_switch(i)->next);
    }
}

static void test_lone_vcpu_is_not_sliced(void **state)
{
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    a = add_vcpu(ON_CPU(0));
    b = add_vcpu(ON_CPU(0));
    vcpu_wake(a);
    do_softirq();
    assert_ptr_equal(current_vcpu(), a);
    assert_int_equal(timer_queue_length(0), 0);
    /* b arrives: from now on someone waits, so slices start. */
    fake_advance(MILLISECS(1));
    vcpu_wake(b);
    do_softirq();
    assert_int_equal(timer_queue_length(0), 1);
    assert_int_equal(fake_timer_deadline(), NOW() + SLICE);
    /* The one running blocks: the other is alone again, unsliced. */
    vcpu_block_current();
    do_softirq();
    assert_non_null(current_vcpu());
    assert_int_equal(timer_queue_length(0), 0);
    assert_int_equal(fake_timer_deadline(), 0);
}

/* ---- Blocking and yielding -------------------------------------------------- */

static void test_blocked_vcpu_is_not_picked(void **state)
{
    struct vcpu *x;
    struct vcpu *y;
    struct vcpu *v[2];

    (void)state;
    v[0] = add_vcpu(ON_CPU(0));
    v[1] = add_vcpu(ON_CPU(0));
    vcpu_wake(v[0]);
    vcpu_wake(v[1]);
    do_softirq();
    x = current_vcpu();
    y = (x == v[0]) ? v[1] : v[0];
    fake_advance(MILLISECS(1));
    vcpu_block_current();
    assert_int_equal(x->state, VCPU_BLOCKED);
    /* Blocking takes effect at the schedule it asks for. */
    assert_ptr_equal(current_vcpu(), x);
    assert_true(softirq_pending(0));
    do_softirq();
    assert_ptr_equal(current_vcpu(), y);
    assert_ptr_equal(last_switch()->prev, x);
    assert_ptr_equal(last_switch()->next, y);
    /* However far x falls behind, it is not picked while blocked. */
    for (unsigned int i = 0U; i < 50U; i++) {
        fake_advance(SECONDS(1));
        schedule();
        assert_ptr_equal(current_vcpu(), y);
        assert_int_equal(x->state, VCPU_BLOCKED);
    }
    /* With y blocked too, the CPU goes idle. */
    vcpu_block_current();
    do_softirq();
    assert_null(current_vcpu());
    assert_ptr_equal(last_switch()->prev, y);
    assert_null(last_switch()->next);
    assert_int_equal(timer_queue_length(0), 0);
}

static void test_block_and_yield_when_idle_do_nothing(void **state)
{
    struct vcpu *a;

    (void)state;
    a = add_vcpu(ON_CPU(0));
    vcpu_block_current();
    vcpu_yield_current();
    assert_false(softirq_pending(0));
    assert_int_equal(a->state, VCPU_OFFLINE);
    /* A lone running vCPU that yields keeps its CPU without a schedule. */
    vcpu_wake(a);
    do_softirq();
    vcpu_yield_current();
    assert_false(softirq_pending(0));
    assert_ptr_equal(current_vcpu(), a);
}

static void test_yield_lets_a_waiting_vcpu_run(void **state)
{
    struct vcpu *x;
    struct vcpu *v[2];

    (void)state;
    v[0] = add_vcpu(ON_CPU(3));
    v[1] = add_vcpu(ON_CPU(3));
    vcpu_wake(v[0]);
    vcpu_wake(v[1]);
    run_softirqs(3);
    x = current_vcpu();
    fake_advance(MICROSECS(100));
    vcpu_yield_current();
    assert_true(softirq_pending(3));
    do_softirq();
    assert_ptr_not_equal(current_vcpu(), x);
    assert_non_null(current_vcpu());
    assert_int_equal(x->state, VCPU_RUNNABLE);
}

/* ---- Kicking ---------------------------------------------------------------- */

static void test_kick_wakes_blocked_vcpu(void **state)
{
    struct vcpu *a;

    (void)state;
    a = add_vcpu(ON_CPU(1));
    vcpu_wake(a);
    run_softirqs(1);
    vcpu_block_current();
    do_softirq();
    assert_null(current_vcpu());
    assert_int_equal(a->state, VCPU_BLOCKED);
    fake_set_cpu(0U);
    vcpu_kick(a);
    assert_int_equal(a->state, VCPU_RUNNABLE);
    assert_true(softirq_pending(1));
    assert_int_equal(fake_ipi_count(1), 2);
    run_softirqs(1);
    assert_ptr_equal(current_vcpu(), a);
    assert_int_equal(a->state, VCPU_RUNNING);
}

static void test_kick_ipis_cpu_of_running_remote_vcpu(void **state)
{
    struct vcpu *a;
    struct vcpu *b;
    struct vcpu *off;
    unsigned int ipis;

    (void)state;
    a = add_vcpu(ON_CPU(1));
    b = add_vcpu(ON_CPU(1));
    off = add_vcpu(ON_CPU(1));
    vcpu_wake(a);
    run_softirqs(1);
    assert_ptr_equal(current_vcpu(), a);
    fake_set_cpu(0U);
    ipis = fake_ipi_count(1);
    vcpu_kick(a);
    /* An interrupt to make it exit, and no more than that. */
    assert_int_equal(fake_ipi_count(1), ipis + 1U);
    assert_int_equal(fake_last_ipi(), 1);
    assert_false(softirq_pending(1));
    assert_int_equal(a->state, VCPU_RUNNING);
    assert_ptr_equal(running_on(1), a);
    /* Kicked from its own CPU: it looks before entering, no IPI. */
    fake_set_cpu(1U);
    vcpu_kick(a);
    assert_int_equal(fake_ipi_count(1), ipis + 1U);
    /* Runnable and waiting: it looks when it runs, no IPI. */
    fake_set_cpu(0U);
    vcpu_wake(b);
    run_softirqs(1);
    fake_set_cpu(0U);
    ipis = fake_ipi_count(1);
    vcpu_kick(running_on(1) == a ? b : a);
    assert_int_equal(fake_ipi_count(1), ipis);
    /* Offline: a kick (an event) does not start a vCPU. */
    vcpu_kick(off);
    assert_int_equal(off->state, VCPU_OFFLINE);
    assert_int_equal(fake_ipi_count(1), ipis);
    assert_false(softirq_pending(1));
}

/* ---- Stopping and pausing ---------------------------------------------------- */

static void test_stop_running_vcpu_takes_effect_at_next_schedule(void **state)
{
    struct vcpu *x;
    struct vcpu *y;
    struct vcpu *v[2];
    unsigned int ipis;

    (void)state;
    v[0] = add_vcpu(ON_CPU(1));
    v[1] = add_vcpu(ON_CPU(1));
    vcpu_wake(v[0]);
    vcpu_wake(v[1]);
    run_softirqs(1);
    x = current_vcpu();
    y = (x == v[0]) ? v[1] : v[0];
    fake_advance(MILLISECS(5));
    /* PSCI CPU_OFF, or a domain stopped from another CPU. */
    fake_set_cpu(0U);
    ipis = fake_ipi_count(1);
    vcpu_stop(x);
    assert_int_equal(x->state, VCPU_OFFLINE);
    assert_int_equal(x->runstate_time[VCPU_RUNNING], MILLISECS(5));
    /* Still on CPU 1 until that CPU schedules, which it is told to. */
    assert_true(sched_vcpu_on_cpu(x));
    assert_ptr_equal(running_on(1), x);
    assert_true(softirq_pending(1));
    assert_int_equal(fake_ipi_count(1), ipis + 1U);
    run_softirqs(1);
    assert_ptr_equal(current_vcpu(), y);
    assert_false(sched_vcpu_on_cpu(x));
    assert_ptr_equal(last_switch()->prev, x);
    assert_ptr_equal(last_switch()->next, y);
    assert_int_equal(last_switch()->cpu, 1);
    /* Never again, however long y runs; and y alone is not sliced. */
    assert_int_equal(timer_queue_length(1), 0);
    for (unsigned int i = 0U; i < 20U; i++) {
        fake_advance(SECONDS(1));
        schedule();
        assert_ptr_equal(current_vcpu(), y);
    }
    assert_int_equal(x->state, VCPU_OFFLINE);
    /* PSCI CPU_ON brings it back. */
    fake_set_cpu(0U);
    vcpu_wake(x);
    assert_int_equal(x->state, VCPU_RUNNABLE);
    run_softirqs(1);
    assert_int_equal(timer_queue_length(1), 1);
    expire_slice();
    assert_ptr_equal(current_vcpu(), x);
}

static void test_stop_waiting_vcpu(void **state)
{
    struct vcpu *x;
    struct vcpu *y;
    struct vcpu *v[2];
    unsigned int ipis;

    (void)state;
    v[0] = add_vcpu(ON_CPU(2));
    v[1] = add_vcpu(ON_CPU(2));
    vcpu_wake(v[0]);
    vcpu_wake(v[1]);
    run_softirqs(2);
    x = current_vcpu();
    y = (x == v[0]) ? v[1] : v[0];
    fake_set_cpu(0U);
    ipis = fake_ipi_count(2);
    vcpu_stop(y);
    assert_int_equal(y->state, VCPU_OFFLINE);
    /* Nothing changes on CPU 2 now, so it need not be disturbed. */
    assert_false(softirq_pending(2));
    assert_int_equal(fake_ipi_count(2), ipis);
    fake_set_cpu(2U);
    for (unsigned int i = 0U; i < 20U; i++) {
        fake_advance(SECONDS(1));
        schedule();
        assert_ptr_equal(current_vcpu(), x);
    }
    /* Stopping twice is harmless. */
    vcpu_stop(y);
    assert_int_equal(y->state, VCPU_OFFLINE);
}

static void test_paused_vcpus_are_never_picked(void **state)
{
    struct vcpu *p;
    struct vcpu *x;
    struct vcpu *z;
    struct vcpu *v[3];

    (void)state;
    for (unsigned int i = 0U; i < 3U; i++) {
        v[i] = add_vcpu(ON_CPU(0));
        vcpu_wake(v[i]);
    }
    /* Paused while waiting: it stays queued but is passed over. */
    p = v[1];
    p->pause_flags = true;
    do_softirq();
    for (unsigned int i = 0U; i < 50U; i++) {
        assert_non_null(current_vcpu());
        assert_ptr_not_equal(current_vcpu(), p);
        expire_slice();
    }
    /* However little it has run. */
    assert_int_equal(run_time(p), 0);
    /* Paused while running: it leaves at the next schedule. */
    x = current_vcpu();
    z = (x == v[0]) ? v[2] : v[0];
    x->pause_flags = true;
    expire_slice();
    assert_ptr_equal(current_vcpu(), z);
    assert_ptr_equal(last_switch()->prev, x);
    /* The last unpaused one blocks: idle, though two are paused. */
    vcpu_block_current();
    do_softirq();
    assert_null(current_vcpu());
    for (unsigned int i = 0U; i < nr_switches(); i++) {
        assert_ptr_not_equal(fake_switch(i)->next, p);
    }
}

/* Regression (fixed): schedule() used to take a paused vCPU off its CPU but
 * leave its state VCPU_RUNNING (domain.h: "on v->processor right now"), so its
 * runstate keeps counting RUNNING time, AFFINITY_INFO reports it ON, and
 * vcpu_wake()/vcpu_kick() ignore it for good (neither accepts RUNNING):
 * clearing pause_flags could never bring it back. Today domain_shutdown's
 * stop_domain() follows the pause with vcpu_stop(), which sets OFFLINE, so
 * this only shows if a schedule() runs between the two. */
static void test_descheduled_paused_vcpu_is_not_running(void **state)
{
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    a = add_vcpu(ON_CPU(0));
    b = add_vcpu(ON_CPU(0));
    vcpu_wake(a);
    do_softirq();
    assert_ptr_equal(current_vcpu(), a);
    vcpu_wake(b);
    do_softirq();
    a = current_vcpu();
    a->pause_flags = true;
    fake_advance(MILLISECS(1));
    schedule();
    assert_ptr_not_equal(current_vcpu(), a);
    assert_int_not_equal(a->state, VCPU_RUNNING);
}

/* ---- Domain pause, idle time, weights (for the toolstack) ------------------ */

static void test_paused_domain_leaves_its_cpu_and_comes_back(void **state)
{
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    a = add_vcpu(ON_CPU(0));
    b = add_vcpu(ON_CPU(0));
    vcpu_wake(a);
    do_softirq();
    assert_ptr_equal(current_vcpu(), a);
    /* The domain is paused: its running vCPU leaves at once, and one that
     * wakes meanwhile is queued but not picked. */
    dom.pause_count = 1U;
    sched_vcpu_reconsider(a);
    assert_true(softirq_pending(0U));
    do_softirq();
    assert_null(current_vcpu());
    assert_false(sched_vcpu_on_cpu(a));
    assert_int_equal(a->state, VCPU_RUNNABLE);
    vcpu_wake(b);
    do_softirq();
    assert_null(current_vcpu());
    /* Unpaused: the CPU looks again and runs one of them. */
    dom.pause_count = 0U;
    sched_vcpu_reconsider(a);
    do_softirq();
    assert_non_null(current_vcpu());
    /* A vCPU neither running nor queued needs no second look. */
    vcpu_stop(b);
    do_softirq();
    sched_vcpu_reconsider(b);
    assert_false(softirq_pending(0U));
}

static void test_idle_time_counts_only_time_without_a_vcpu(void **state)
{
    uint64_t t0;
    struct vcpu *v;

    (void)state;
    fake_set_cpu(1U);
    t0 = sched_cpu_idle_time(1U);
    fake_advance(MILLISECS(1));
    assert_int_equal(sched_cpu_idle_time(1U) - t0, MILLISECS(1));
    v = add_vcpu(ON_CPU(1));
    vcpu_wake(v);
    do_softirq();
    assert_ptr_equal(current_vcpu(), v);
    fake_advance(MILLISECS(2));
    assert_int_equal(sched_cpu_idle_time(1U) - t0, MILLISECS(1));
    vcpu_block_current();
    do_softirq();
    assert_null(current_vcpu());
    fake_advance(MILLISECS(3));
    assert_int_equal(sched_cpu_idle_time(1U) - t0, MILLISECS(4));
    fake_set_cpu(0U);
}

static void test_weights_from_the_toolstack(void **state)
{
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    a = add_vcpu(ON_CPU(2));
    assert_int_equal(sched_vcpu_weight(a), SCHED_DEFAULT_WEIGHT);
    sched_set_vcpu_weight(a, 1024U);
    assert_int_equal(sched_vcpu_weight(a), 1024U);
    sched_set_vcpu_weight(a, 0U);       /* ignored */
    assert_int_equal(sched_vcpu_weight(a), 1024U);
    /* A vCPU added later starts with its domain's weight. */
    dom.sched_weight = 128U;
    b = add_vcpu(ON_CPU(2));
    assert_int_equal(sched_vcpu_weight(b), 128U);
    dom.sched_weight = 0U;
}

/* ---- Sleepers earn no credit ---------------------------------------------- */

/* Slices until one of them has had n; how many each had. */
static void run_slices(unsigned int n, struct vcpu *const *v, unsigned int nr, unsigned int *turns)
{
    for (unsigned int i = 0U; i < nr; i++) {
        turns[i] = 0U;
    }
    for (unsigned int s = 0U; s < n; s++) {
        struct vcpu *c = current_vcpu();

        for (unsigned int i = 0U; i < nr; i++) {
            if (v[i] == c) {
                turns[i]++;
            }
        }
        expire_slice();
    }
}

static void test_sleeper_gets_no_credit_while_others_share_the_cpu(void **state)
{
    struct vcpu *v[3];
    unsigned int turns[3];

    (void)state;
    for (unsigned int i = 0U; i < 3U; i++) {
        v[i] = add_vcpu(ON_CPU(0));
    }
    vcpu_wake(v[0]);
    vcpu_wake(v[1]);
    do_softirq();
    /* v0 and v1 share the CPU for a second while v2 sleeps... */
    run_slices(100U, v, 3U, turns);
    assert_int_equal(turns[0], 50);
    assert_int_equal(turns[1], 50);
    /* ...then v2 wakes and wants the CPU too: the three share it, v2 does
     * not get the second back. */
    vcpu_wake(v[2]);
    do_softirq();
    run_slices(30U, v, 3U, turns);
    for (unsigned int i = 0U; i < 3U; i++) {
        assert_in_range(turns[i], 8U, 12U);
    }
}

/* Regression (fixed): sched.c used to raise a run queue's min_vruntime only to the virtual time
 * the picked vCPU had when it was picked; the running vCPU's progress is
 * not counted until the next schedule(), and a vCPU running alone has no
 * slice timer, so min_vruntime stays where it was for as long as it runs
 * alone. A vCPU that wakes then starts at that stale minimum, far behind
 * the one that ran meanwhile, and holds the CPU for as long as the other
 * ran alone - the credit for sleeping that the file's header says a waking
 * vCPU must not get. Here b sleeps while a runs alone for a second, then
 * wakes CPU-bound: it gets the next 30 slices (and 100 in all) while a
 * waits, instead of about half. */
static void test_sleeper_gets_no_credit_after_solo_run(void **state)
{
    struct vcpu *a;
    struct vcpu *b;
    struct vcpu *v[2];
    unsigned int turns[2];

    (void)state;
    v[0] = a = add_vcpu(ON_CPU(0));
    v[1] = b = add_vcpu(ON_CPU(0));
    vcpu_wake(a);
    vcpu_wake(b);
    do_softirq();
    run_slices(10U, v, 2U, turns);
    if (current_vcpu() != b) {
        expire_slice();
    }
    assert_ptr_equal(current_vcpu(), b);
    /* b waits for an interrupt; a runs alone, unsliced, for a second. */
    vcpu_block_current();
    do_softirq();
    assert_ptr_equal(current_vcpu(), a);
    assert_int_equal(timer_queue_length(0), 0);
    fake_advance(SECONDS(1));
    /* The interrupt comes, and b has work to do for a while. */
    vcpu_kick(b);
    do_softirq();
    run_slices(30U, v, 2U, turns);
    assert_in_range(turns[0], 13U, 17U);
    assert_in_range(turns[1], 13U, 17U);
}

/* ---- Invariants and the debug key ----------------------------------------- */

static void expect_remove_panics(struct vcpu *v)
{
    fake_expect_panic(sched_remove_vcpu(v));
}

static void test_remove_running_vcpu_panics(void **state)
{
    struct vcpu *a;

    (void)state;
    a = add_vcpu(ON_CPU(0));
    vcpu_wake(a);
    do_softirq();
    assert_ptr_equal(current_vcpu(), a);
    /* a runs alone: no slice timer is queued, which sched_init() below
     * relies on (it re-initialises the timers). */
    assert_int_equal(timer_queue_length(0), 0);
    expect_remove_panics(a);
    /* The panic left CPU 0's run queue locked (on hardware the machine has
     * stopped): unlock it by initialising again, before anything that may
     * fail and leave the teardown waiting for that lock. */
    sched_init();
    assert_non_null(strstr(fake_panic_msg(), "BUG"));
    assert_non_null(a->sched_priv);
    assert_int_equal(sched_cpu_load(0), 1);
    assert_ptr_equal(current_vcpu(), a);
}

static void test_dump_cpu(void **state)
{
    struct vcpu *a;
    struct vcpu *b;
    char want[128];

    (void)state;
    a = add_vcpu(ON_CPU(0));
    b = add_vcpu(ON_CPU(0));
    vcpu_wake(a);
    vcpu_wake(b);
    do_softirq();
    fake_log_clear();
    sched_dump_cpu(0U);
    snprintf(want, sizeof(want), "CPU 0: running d1v%u, 1 runnable waiting, 2 vCPUs placed,",
             current_vcpu()->vcpu_id);
    assert_true(fake_log_contains(want));
    sched_dump_cpu(3U);
    assert_true(fake_log_contains("CPU 3: idle, 0 runnable waiting, 0 vCPUs placed,"));
}

/* ---- sched=null ------------------------------------------------------------- */

static int teardown_null(void **state)
{
    int rc = teardown(state);

    /* Back to the default for the tests that follow. */
    assert_int_equal(cmdline_parse("sched=" SCHED_DEFAULT_NAME), 0);
    assert_string_equal(sched_default_name(), SCHED_DEFAULT_NAME);
    sched_init();
    return rc;
}

static void test_sched_null_runs_without_slices(void **state)
{
    struct vcpu *x;
    struct vcpu *y;
    struct vcpu *v[2];

    (void)state;
    assert_int_equal(cmdline_parse("sched=null"), 0);
    assert_string_equal(sched_default_name(), "null");
    sched_init();
    v[0] = add_vcpu(ON_CPU(0));
    v[1] = add_vcpu(ON_CPU(0));
    assert_int_equal(v[1]->processor, 0);   /* same placement */
    vcpu_wake(v[0]);
    vcpu_wake(v[1]);
    do_softirq();
    x = current_vcpu();
    y = (x == v[0]) ? v[1] : v[0];
    /* Someone waits, and still no slice: x keeps the CPU until it blocks. */
    assert_int_equal(timer_queue_length(0), 0);
    assert_int_equal(fake_timer_deadline(), 0);
    fake_advance(SECONDS(10));
    do_softirq();
    assert_ptr_equal(current_vcpu(), x);
    assert_int_equal(y->state, VCPU_RUNNABLE);
    vcpu_block_current();
    do_softirq();
    assert_ptr_equal(current_vcpu(), y);
    assert_int_equal(timer_queue_length(0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_place_spreads_over_least_loaded_online_cpus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_place_within_hard_affinity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_place_rejects_affinity_without_online_cpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_follows_hard_affinity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove_frees_the_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wake_raises_schedule_softirq_locally, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wake_ipis_remote_cpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wake_ignores_runnable_running_and_paused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_yield_hands_the_cpu_to_others, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schedule_picks_least_weighted_run_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runstate_time_follows_the_clock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_vcpus_alternate_fairly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lone_vcpu_is_not_sliced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blocked_vcpu_is_not_picked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_block_and_yield_when_idle_do_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_yield_lets_a_waiting_vcpu_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kick_wakes_blocked_vcpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kick_ipis_cpu_of_running_remote_vcpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_running_vcpu_takes_effect_at_next_schedule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_waiting_vcpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paused_vcpus_are_never_picked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_descheduled_paused_vcpu_is_not_running, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paused_domain_leaves_its_cpu_and_comes_back, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_idle_time_counts_only_time_without_a_vcpu, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_weights_from_the_toolstack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sleeper_gets_no_credit_while_others_share_the_cpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sleeper_gets_no_credit_after_solo_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove_running_vcpu_panics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dump_cpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sched_null_runs_without_slices, setup, teardown_null),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
