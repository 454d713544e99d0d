/* The null scheduler (common/sched/null.c) through the real core: each
 * vCPU gets a CPU of its own and keeps it, never sliced; those that find
 * none wait, oldest first, with one warning each, until a CPU is freed;
 * a wake asks only the vCPU's own CPU to look. The environment is
 * sched_ops_env.h's: a pool of the null scheduler on some of CPUs 0-3. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/errno.h>
#include <proxenos/sched.h>
#include <proxenos/sched_ops.h>
#include <proxenos/softirq.h>
#include <fake_arch.h>
#include "heap_env.h"
#include "sched_ops_env.h"

#define POOL 1U
#define CPUS_01 (ON_CPU(0) | ON_CPU(1))

/* The CPU v runs on now, or NR_CPUS. */
static unsigned int cpu_running(const struct vcpu *v)
{
    for (unsigned int cpu = 0U; cpu < NR_ONLINE; cpu++) {
        if (running_on(cpu) == v) {
            return cpu;
        }
    }
    return NR_CPUS;
}

/* v, built by hand (affinities set), joins d: its next vCPU, by id. */
static void join(struct domain *d, struct vcpu *v)
{
    assert_true(d->max_vcpus < MAX_TEST_VCPUS);
    v->domain = d;
    v->vcpu_id = d->max_vcpus;
    d->vcpu[d->max_vcpus] = v;
    d->max_vcpus++;
    if (d->sched_pool == NULL) {
        assert_int_equal(sched_add_domain(d), 0);
    }
    assert_int_equal(sched_add_vcpu(v), 0);
}

/* Runnable vCPUs of one new domain in a null pool on cpus, woken in order. */
static struct domain *null_world(uint64_t cpus, struct vcpu **v, unsigned int n)
{
    struct domain *d;

    (void)make_pool(POOL, "null", cpus);
    d = new_domain(POOL);
    for (unsigned int i = 0U; i < n; i++) {
        v[i] = add_dom_vcpu(d, ALL_CPUS);
    }
    for (unsigned int i = 0U; i < n; i++) {
        vcpu_wake(v[i]);
    }
    return d;
}

static unsigned int occurrences(const char *text, const char *needle)
{
    unsigned int n = 0U;

    for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

/* Run a vCPU's guest on its CPU until it blocks (WFI). */
static void block_on_its_cpu(struct vcpu *v)
{
    unsigned int me = arch_cpu_id();
    unsigned int cpu = cpu_running(v);

    assert_true(cpu < NR_CPUS);
    fake_set_cpu(cpu);
    vcpu_block_current();
    do_softirq();
    fake_set_cpu(me);
    assert_int_equal(v->state, VCPU_BLOCKED);
}

/* ---- One CPU each, never switched ---------------------------------------- */

static void test_each_vcpu_has_a_cpu_and_runs_there_unsliced(void **state)
{
    struct vcpu *v[2];
    unsigned int switches;

    (void)state;
    (void)null_world(ON_CPU(0) | ON_CPU(1) | ON_CPU(2), v, 2U);
    run_cpus(ON_CPU(0) | ON_CPU(1) | ON_CPU(2), MILLISECS(1));
    assert_true(cpu_running(v[0]) < NR_CPUS);
    assert_true(cpu_running(v[1]) < NR_CPUS);
    assert_int_not_equal(cpu_running(v[0]), cpu_running(v[1]));
    switches = nr_switches();
    /* A second later: nobody was switched out, no slice timer was ever
     * armed, and the CPU left over sleeps with nothing to run. */
    run_cpus(ON_CPU(0) | ON_CPU(1) | ON_CPU(2), SECONDS(1));
    assert_int_equal(nr_switches(), switches);
    assert_int_equal(run_time(v[0]), SECONDS(1) + MILLISECS(1));
    assert_int_equal(run_time(v[1]), SECONDS(1) + MILLISECS(1));
    for (unsigned int cpu = 0U; cpu < 3U; cpu++) {
        assert_int_equal(timer_queue_length(cpu), 0);
    }
    /* CPUs 0-2 add up to 3: the one neither vCPU has. */
    assert_null(running_on(3U - cpu_running(v[0]) - cpu_running(v[1])));
    /* A vCPU that blocks leaves its CPU idle (nothing else may use it),
     * and on waking runs there again. */
    {
        unsigned int cpu = cpu_running(v[0]);

        block_on_its_cpu(v[0]);
        assert_null(running_on(cpu));
        assert_int_equal(timer_queue_length(cpu), 0);
        vcpu_wake(v[0]);
        run_cpus(ON_CPU(0) | ON_CPU(1) | ON_CPU(2), MILLISECS(1));
        assert_ptr_equal(running_on(cpu), v[0]);
    }
}

/* The soft affinity picks among free CPUs. */
static void test_a_vcpu_goes_where_its_soft_affinity_prefers(void **state)
{
    struct domain *d;
    struct vcpu *v;

    (void)state;
    (void)make_pool(POOL, "null", ON_CPU(0) | ON_CPU(1) | ON_CPU(2));
    d = new_domain(POOL);
    v = new_vcpu(ALL_CPUS);
    v->soft_affinity = ON_CPU(2);
    join(d, v);
    vcpu_wake(v);
    run_cpus(ON_CPU(0) | ON_CPU(1) | ON_CPU(2), MILLISECS(1));
    assert_int_equal(cpu_running(v), 2U);
    assert_int_equal(v->processor, 2U);
}

/* ---- The wait list ---------------------------------------------------------- */

static void test_a_third_vcpu_waits_then_takes_the_cpu_a_removed_one_frees(void **state)
{
    struct vcpu *v[3];
    unsigned int freed;

    (void)state;
    fake_log_clear();
    (void)null_world(CPUS_01, v, 3U);
    run_cpus(CPUS_01, MILLISECS(100));
    /* Two CPUs, three vCPUs: the last one waits, and says so once. */
    assert_true(cpu_running(v[0]) < NR_CPUS);
    assert_true(cpu_running(v[1]) < NR_CPUS);
    assert_int_equal(cpu_running(v[2]), NR_CPUS);
    assert_int_equal(run_time(v[2]), 0U);
    assert_int_equal(occurrences(fake_log(), "WARNING: d2v2 not assigned to any CPU!"), 1U);
    assert_int_equal(occurrences(fake_log(), "not assigned"), 1U);
    /* v0 blocks and is then removed from the scheduler (its domain is
     * being destroyed): its CPU goes to the waiter at once. */
    freed = cpu_running(v[0]);
    block_on_its_cpu(v[0]);
    assert_null(running_on(freed));
    sched_remove_vcpu(v[0]);
    assert_null(v[0]->sched_priv);
    assert_true(softirq_pending(freed));
    run_cpus(CPUS_01, MILLISECS(10));
    assert_ptr_equal(running_on(freed), v[2]);
    assert_int_equal(v[2]->processor, freed);
    assert_int_equal(run_time(v[2]), MILLISECS(10));
    assert_int_equal(sched_cpu_load(freed), 1U);
    /* Still one warning. */
    assert_int_equal(occurrences(fake_log(), "not assigned"), 1U);
}

/* Waiters are served oldest first, except that one whose soft affinity
 * prefers the freed CPU goes before older ones that do not. A vCPU going
 * offline frees its CPU too. */
static void test_waiters_take_freed_cpus_oldest_first_soft_affinity_before(void **state)
{
    struct domain *d;
    struct vcpu *v[5];

    (void)state;
    (void)make_pool(POOL, "null", CPUS_01);
    d = new_domain(POOL);
    for (unsigned int i = 0U; i < 5U; i++) {
        v[i] = new_vcpu(ALL_CPUS);
    }
    v[3]->soft_affinity = ON_CPU(1);
    for (unsigned int i = 0U; i < 5U; i++) {
        join(d, v[i]);
        vcpu_wake(v[i]);
    }
    run_cpus(CPUS_01, MILLISECS(1));
    assert_ptr_equal(running_on(0), v[0]);
    assert_ptr_equal(running_on(1), v[1]);
    /* CPU 1 is freed (v1 goes offline): v3 prefers it, v2 is older. */
    vcpu_stop(v[1]);
    run_cpus(CPUS_01, MILLISECS(1));
    assert_ptr_equal(running_on(1), v[3]);
    /* CPU 0 is freed: the oldest waiter, v2, before v4. */
    vcpu_stop(v[0]);
    run_cpus(CPUS_01, MILLISECS(1));
    assert_ptr_equal(running_on(0), v[2]);
    assert_int_equal(run_time(v[4]), 0U);
    /* v0 comes back online: it waits behind v4 now. */
    vcpu_wake(v[0]);
    vcpu_stop(v[2]);
    run_cpus(CPUS_01, MILLISECS(1));
    assert_ptr_equal(running_on(0), v[4]);
    assert_int_equal(cpu_running(v[0]), NR_CPUS);
}

/* A new hard affinity that leaves a vCPU's CPU out moves it; the CPU it
 * leaves goes to the waiter, and it waits itself (both CPUs are taken). */
static void test_an_affinity_change_frees_a_cpu_for_a_waiter(void **state)
{
    struct vcpu *v[3];

    (void)state;
    (void)null_world(CPUS_01, v, 3U);
    run_cpus(CPUS_01, MILLISECS(1));
    assert_ptr_equal(running_on(0), v[0]);
    assert_ptr_equal(running_on(1), v[1]);
    __atomic_store_n(&v[0]->hard_affinity, ON_CPU(1), __ATOMIC_RELEASE);
    assert_int_equal(sched_move_vcpu(v[0]), 0);
    run_cpus(CPUS_01, MILLISECS(1));
    assert_ptr_equal(running_on(0), v[2]);
    assert_ptr_equal(running_on(1), v[1]);
    assert_int_equal(cpu_running(v[0]), NR_CPUS);
    assert_int_equal(v[0]->processor, 1U);
    assert_int_equal(sched_cpu_load(0), 1U);
    assert_int_equal(sched_cpu_load(1), 2U);
}

/* A CPU that joins the pool takes the oldest waiter. */
static void test_a_cpu_joining_the_pool_takes_a_waiter(void **state)
{
    struct vcpu *v[2];
    struct sched_pool *p;

    (void)state;
    (void)null_world(ON_CPU(0), v, 2U);
    run_cpus(ON_CPU(0), MILLISECS(1));
    assert_ptr_equal(running_on(0), v[0]);
    assert_int_equal(cpu_running(v[1]), NR_CPUS);
    p = sched_pool_by_id(POOL);
    assert_int_equal(sched_pool_remove_cpu(sched_pool_by_id(0U), 1U), 0);
    assert_int_equal(sched_pool_add_cpu(p, 1U), 0);
    run_cpus(CPUS_01, MILLISECS(1));
    assert_ptr_equal(running_on(1), v[1]);
    assert_int_equal(v[1]->processor, 1U);
}

/* ---- Wakes ------------------------------------------------------------------ */

static void test_a_wake_asks_only_the_vcpus_own_cpu(void **state)
{
    struct vcpu *v[1];
    unsigned int cpu;

    (void)state;
    (void)null_world(ON_CPU(0) | ON_CPU(1) | ON_CPU(2), v, 1U);
    run_cpus(ON_CPU(0) | ON_CPU(1) | ON_CPU(2), MILLISECS(1));
    cpu = cpu_running(v[0]);
    assert_true(cpu < 3U);
    block_on_its_cpu(v[0]);
    for (unsigned int c = 0U; c < NR_ONLINE; c++) {
        assert_false(softirq_pending(c));
    }
    /* Woken from CPU 3 (an event from another domain): two CPUs of the
     * pool are idle and free, yet only v0's own is asked to choose. */
    fake_set_cpu(3U);
    vcpu_wake(v[0]);
    fake_set_cpu(0U);
    for (unsigned int c = 0U; c < NR_ONLINE; c++) {
        assert_int_equal(softirq_pending(c), c == cpu);
    }
    run_cpus(ON_CPU(cpu), MILLISECS(1));
    assert_ptr_equal(running_on(cpu), v[0]);
}

/* ---- The toolstack and the console -------------------------------------------- */

/* No parameters: scheduler_op answers 0 and changes nothing (Xen's core
 * answers so for a scheduler without an adjust hook). */
static void test_scheduler_op_answers_0_and_changes_nothing(void **state)
{
    struct vcpu *v[1];
    struct domain *d;
    struct xen_domctl_scheduler_op op = { .cmd = XEN_DOMCTL_SCHEDOP_putinfo };
    unsigned int switches;

    (void)state;
    d = null_world(ON_CPU(0), v, 1U);
    run_cpus(ON_CPU(0), MILLISECS(1));
    switches = nr_switches();
    op.u.credit2.weight = 1U;
    assert_int_equal(adjust(d, &op), 0);
    assert_int_equal(op.sched_id, XEN_SCHEDULER_NULL);
    op = (struct xen_domctl_scheduler_op){ .cmd = XEN_DOMCTL_SCHEDOP_getinfo };
    assert_int_equal(adjust(d, &op), 0);
    assert_int_equal(op.u.credit2.weight, 0U);
    assert_null(sched_pool_by_id(POOL)->ops->adjust_global);
    run_cpus(ON_CPU(0), MILLISECS(100));
    assert_int_equal(nr_switches(), switches);
    assert_int_equal(run_time(v[0]), MILLISECS(101));
}

static void test_dump_shows_each_cpus_vcpu_and_the_wait_list(void **state)
{
    struct vcpu *v[3];

    (void)state;
    (void)null_world(CPUS_01, v, 3U);
    run_cpus(CPUS_01, MILLISECS(1));
    fake_log_clear();
    sched_dump_cpu(0U);
    sched_dump_cpu(1U);
    assert_true(fake_log_contains("CPU[00] null: d2v0, running"));
    assert_true(fake_log_contains("CPU[01] null: d2v1, running"));
    assert_int_equal(occurrences(fake_log(), "waiting: d2v2"), 1U);
    block_on_its_cpu(v[1]);
    fake_log_clear();
    sched_dump_cpu(1U);
    assert_true(fake_log_contains("CPU[01] null: d2v1, not running"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_each_vcpu_has_a_cpu_and_runs_there_unsliced, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_vcpu_goes_where_its_soft_affinity_prefers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_a_third_vcpu_waits_then_takes_the_cpu_a_removed_one_frees, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_waiters_take_freed_cpus_oldest_first_soft_affinity_before, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_affinity_change_frees_a_cpu_for_a_waiter, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_cpu_joining_the_pool_takes_a_waiter, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_wake_asks_only_the_vcpus_own_cpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scheduler_op_answers_0_and_changes_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_dump_shows_each_cpus_vcpu_and_the_wait_list, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
