/* credit2 on four CPUs, through the real scheduling core: run queues by
 * topology (credit2_runqueue=), idle CPUs of a queue taking its work,
 * wake placement, and load balancing between queues. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>

#include "credit2_env.h"

#define NR_TEST_CPUS 4U
#define FOUR_CPUS 0xfULL

/* Two sockets of two cores each. */
static void two_sockets(void)
{
    for (unsigned int cpu = 0U; cpu < NR_TEST_CPUS; cpu++) {
        fake_cpu_set_topology(cpu, cpu, cpu / 2U, 0U);
    }
}

/* Pool-0 on CPUs 0-3, two sockets of two cores. */
static void setup_topology(const char *options)
{
    two_sockets();
    (void)c2_pool(FOUR_CPUS, options);
}

static bool same_queue(unsigned int a, unsigned int b)
{
    return sched_pcpu(a)->lock == sched_pcpu(b)->lock;
}

static void test_runqueue_socket(void **state)
{
    (void)state;
    setup_topology(NULL);
    assert_true(same_queue(0U, 1U));
    assert_true(same_queue(2U, 3U));
    assert_false(same_queue(0U, 2U));
    /* Not a CPU's own lock: the queue's. */
    assert_ptr_not_equal(sched_pcpu(0U)->lock, &sched_pcpu(0U)->own_lock);
}

static void test_runqueue_cpu(void **state)
{
    (void)state;
    setup_topology("credit2_runqueue=cpu");
    for (unsigned int a = 0U; a < NR_TEST_CPUS; a++) {
        for (unsigned int b = a + 1U; b < NR_TEST_CPUS; b++) {
            assert_false(same_queue(a, b));
        }
    }
}

static void test_runqueue_all(void **state)
{
    (void)state;
    setup_topology("credit2_runqueue=all");
    for (unsigned int cpu = 1U; cpu < NR_TEST_CPUS; cpu++) {
        assert_true(same_queue(0U, cpu));
    }
}

static void test_runqueue_core_and_node(void **state)
{
    (void)state;
    setup_topology("credit2_runqueue=core");
    assert_false(same_queue(0U, 1U));   /* each CPU is a core of its own */
    setup_topology("credit2_runqueue=node");
    assert_true(same_queue(0U, 3U));    /* one node */
    assert_int_equal(c2_options("credit2_runqueue=thread"), -EINVAL);
}

/* Threads of one core never split, whatever the level. */
static void test_runqueue_threads_together(void **state)
{
    (void)state;
    for (unsigned int cpu = 0U; cpu < NR_TEST_CPUS; cpu++) {
        fake_cpu_set_topology(cpu, cpu / 2U, 0U, 0U);
    }
    (void)c2_pool(FOUR_CPUS, "sched_credit2_max_cpus_runqueue=2");
    assert_true(same_queue(0U, 1U));
    assert_true(same_queue(2U, 3U));
    assert_false(same_queue(1U, 2U));
}

/* One run queue of four CPUs: four hogs pinned nowhere keep every CPU
 * busy, each about a quarter of the time... of the whole: all of a CPU. */
static void test_shared_queue_fills_idle_cpus(void **state)
{
    struct domain *d;
    struct vcpu *v[4];

    (void)state;
    setup_topology("credit2_runqueue=all");
    d = c2_domain();
    for (unsigned int i = 0U; i < 4U; i++) {
        v[i] = c2_vcpu(d);
    }
    c2_run(MILLISECS(100));
    for (unsigned int cpu = 0U; cpu < NR_TEST_CPUS; cpu++) {
        assert_non_null(c2_running_on(cpu));
    }
    for (unsigned int i = 0U; i < 4U; i++) {
        assert_true(run_time(v[i]) >= (uint64_t)MILLISECS(95));
    }
}

/* A woken vCPU goes to an idle CPU of its queue rather than wait. */
static void test_wake_tickles_idle_cpu(void **state)
{
    struct domain *d;
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    setup_topology("credit2_runqueue=all");
    d = c2_domain();
    a = c2_vcpu(d);
    c2_settle();
    assert_true(a->state == VCPU_RUNNING);
    b = c2_vcpu(d);
    c2_settle();
    assert_true(b->state == VCPU_RUNNING);
    assert_int_not_equal(a->processor, b->processor);
}

/* Two hogs that start on CPU 0's queue (one CPU each, credit2_runqueue=
 * cpu): balancing moves one to an idle queue, and both then run all the
 * time. */
static void test_balance_moves_to_idle_queue(void **state)
{
    struct domain *d;
    struct vcpu *a;
    struct vcpu *b;
    uint64_t ta;
    uint64_t tb;
    s_time_t moved_from;

    (void)state;
    setup_topology("credit2_runqueue=cpu");
    d = c2_domain();
    a = c2_vcpu_on(d, 1ULL << 0);
    b = c2_vcpu_on(d, 1ULL << 0);
    c2_run(MILLISECS(50));
    assert_int_equal(a->processor, 0);
    assert_int_equal(b->processor, 0);
    moved_from = NOW();
    /* Now they may run anywhere; nothing moves them but the balancer,
     * once the queue's load average (1 s window) is a whole vCPU above
     * the idle queue's: well within 1.5 s. */
    a->hard_affinity = ALL_CPUS;
    b->hard_affinity = ALL_CPUS;
    for (unsigned int ms = 0U; (ms < 1500U) && (a->processor == b->processor); ms++) {
        c2_run(MILLISECS(1));
    }
    print_message("moved after %lld ms\n", (long long)((NOW() - moved_from) / 1000000));
    assert_int_not_equal(a->processor, b->processor);
    ta = run_time(a);
    tb = run_time(b);
    c2_run(MILLISECS(500));
    assert_true(run_time(a) - ta >= (uint64_t)MILLISECS(490));
    assert_true(run_time(b) - tb >= (uint64_t)MILLISECS(490));
}

/* A cap covers the domain: two hogs capped at 100% share one CPU's worth
 * over two CPUs. */
static void test_cap_spans_cpus(void **state)
{
    struct domain *d;
    struct vcpu *a;
    struct vcpu *b;
    uint64_t t0;

    (void)state;
    setup_topology("credit2_runqueue=all");
    d = c2_domain();
    a = c2_vcpu(d);
    b = c2_vcpu(d);
    assert_int_equal(c2_adjust(d, XEN_DOMCTL_SCHEDOP_putinfo, 0U, 100U, NULL), 0);
    c2_run(MILLISECS(20));
    t0 = run_time(a) + run_time(b);
    c2_run(SECONDS(1));
    t0 = run_time(a) + run_time(b) - t0;
    print_message("cap 100 over 2 vCPUs: %llu ms in 1 s\n", (unsigned long long)(t0 / 1000000U));
    assert_true(t0 >= (uint64_t)MILLISECS(960));
    assert_true(t0 <= (uint64_t)MILLISECS(1040));
    c2_uncap(d);
}

/* A vCPU placed anew (pick_cpu) goes to the least loaded queue, its soft
 * affinity first. */
static void test_pick_least_loaded_soft_first(void **state)
{
    struct domain *d;
    struct vcpu *hogs[2];
    struct vcpu *v;
    struct sched_pool *p;

    (void)state;
    setup_topology(NULL);  /* queues {0,1} and {2,3} */
    p = sched_pool_by_id(0U);
    d = c2_domain();
    hogs[0] = c2_vcpu_on(d, 1ULL << 0);
    hogs[1] = c2_vcpu_on(d, 1ULL << 1);
    c2_run(MILLISECS(300));
    v = c2_vcpu_on(d, ALL_CPUS);
    /* Placed where nobody runs. */
    assert_true(v->processor >= 2U);
    /* With a soft affinity for the busy socket, that is preferred. */
    v->soft_affinity = 1ULL << 1;
    assert_true(p->ops->pick_cpu(p, v) <= 1U);
    (void)hogs;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_runqueue_socket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runqueue_cpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runqueue_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runqueue_core_and_node, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runqueue_threads_together, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_queue_fills_idle_cpus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wake_tickles_idle_cpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_balance_moves_to_idle_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_spans_cpus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pick_least_loaded_soft_first, setup, teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
