/* Test helper: the environment of the test_sched* tests. CPUs 0-3 are
 * online. The fake clock only moves when a test moves it; a slice ends when
 * a test fires the timer (expire_slice). Each test starts with sched_init()
 * and ends by stopping and removing its vCPUs, because the run queues are
 * static and outlive a test. The includer has included <cmocka.h>. */
#ifndef TEST_SCHED_ENV_H
#define TEST_SCHED_ENV_H

#include <string.h>
#include <proxenos/arch/context.h>
#include <proxenos/lib.h>
#include <proxenos/cpupool.h>
#include <proxenos/sched.h>
#include <proxenos/sched_ops.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
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
static inline void check_switch(struct vcpu *prev, struct vcpu *next)
{
    assert_true(fake_hook_calls(FAKE_ARCH_CONTEXT_SWITCH) <= FAKE_SWITCH_LOG);
    if (prev != NULL) {
        assert_true(sched_vcpu_on_cpu(prev));
    }
    if (next != NULL) {
        assert_true(sched_vcpu_on_cpu(next));
    }
}

static inline unsigned int nr_switches(void)
{
    return fake_hook_calls(FAKE_ARCH_CONTEXT_SWITCH);
}

static inline const struct fake_switch *last_switch(void)
{
    assert_true(nr_switches() > 0U);
    return fake_switch(nr_switches() - 1U);
}

/* ---- vCPUs built by hand ------------------------------------------------ */

static struct domain dom = { .domain_id = 1U, .name = "d1", .state = DOMAIN_RUNNING };
static struct vcpu vcpus[MAX_TEST_VCPUS];
static unsigned int nr_vcpus;
/* More domains, made by sched_ops_env.h's new_domain: freed at teardown. */
#define MAX_TEST_DOMS 8U
static struct domain doms[MAX_TEST_DOMS];
static unsigned int nr_doms;

static inline struct vcpu *new_vcpu(uint64_t affinity)
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

static inline struct vcpu *add_vcpu(uint64_t affinity)
{
    struct vcpu *v = new_vcpu(affinity);

    if (dom.sched_pool == NULL) {
        assert_int_equal(sched_add_domain(&dom), 0);
    }
    assert_int_equal(sched_add_vcpu(v), 0);
    assert_non_null(v->sched_priv);
    return v;
}

/* ---- Driving the CPUs --------------------------------------------------- */

static inline void run_softirqs(unsigned int cpu)
{
    fake_set_cpu(cpu);
    do_softirq();
}

static inline struct vcpu *running_on(unsigned int cpu)
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
static inline void expire_slice(void)
{
    s_time_t deadline = fake_timer_deadline();

    assert_int_equal(timer_queue_length(arch_cpu_id()), 1);
    assert_true(deadline > NOW());
    fake_set_now(deadline);
    timer_interrupt();
    do_softirq();
}

/* Run time so far, including the stretch in progress. */
static inline uint64_t run_time(const struct vcpu *v)
{
    uint64_t t = v->runstate_time[VCPU_RUNNING];

    if ((v->state == VCPU_RUNNING) && (NOW() > v->state_entry_time)) {
        t += (uint64_t)(NOW() - v->state_entry_time);
    }
    return t;
}

static inline uint64_t abs_diff(uint64_t a, uint64_t b)
{
    return (a > b) ? (a - b) : (b - a);
}

/* ---- Setup and teardown -------------------------------------------------- */

/* The clock never goes back between tests: run queues keep their virtual
 * time, and a clock that jumps back would only blur what is measured. */
static s_time_t clock_now = SECONDS(1);

static inline int group_setup(void **state)
{
    (void)state;
    for (unsigned int cpu = 0U; cpu < NR_ONLINE; cpu++) {
        cpu_set_online(cpu);
    }
    timer_subsys_init();
    return 0;
}

static inline int setup(void **state)
{
    (void)state;
    fake_reset();
    heap_env_init(RAM0, (size_t)MiB(4));
    fake_console_quiet(true);
    fake_set_now(clock_now);
    fake_set_switch_hook(check_switch);
    nr_vcpus = 0U;
    nr_doms = 0U;
    dom.pause_count = 0U;
    dom.cpupool_id = 0U;
    dom.sched_pool = NULL;
    dom.sched_dom_priv = NULL;
    sched_init();
    return 0;
}

/* Empty every pool and destroy it, so that its scheduler gives back what
 * it took from the heap. */
static inline void destroy_pools(void)
{
    for (unsigned int id = 0U; id < MAX_CPUPOOLS; id++) {
        struct sched_pool *p = sched_pool_by_id(id);

        for (unsigned int cpu = 0U; (p != NULL) && (cpu < NR_CPUS); cpu++) {
            if (((p->cpus >> cpu) & 1U) != 0U) {
                assert_int_equal(sched_pool_remove_cpu(p, cpu), 0);
            }
        }
        if (p != NULL) {
            assert_int_equal(sched_pool_destroy(p), 0);
        }
    }
}

static inline int teardown(void **state)
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
    for (unsigned int i = 0U; i < nr_doms; i++) {
        sched_remove_domain(&doms[i]);
    }
    sched_remove_domain(&dom);
    destroy_pools();
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

#endif
