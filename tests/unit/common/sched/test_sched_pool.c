/* Pools as scheduler instances (common/sched/sched_pool.c and the pool
 * parts of sched.c), through the real core and the build's credit2: ids,
 * a CPU leaving a pool with vCPUs on it, a domain moving between pools,
 * and a CPU that wants a vCPU whose registers are not saved yet
 * (sched_want_vcpu). The environment is sched_ops_env.h's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/errno.h>
#include <proxenos/sched.h>
#include <proxenos/sched_ops.h>
#include <proxenos/softirq.h>
#include <fake_arch.h>
#include <fake_domain.h>
#include "heap_env.h"
#include "sched_ops_env.h"

static void test_pool_ids(void **state)
{
    const struct sched_ops *ops = sched_ops_by_name("credit2");
    struct sched_pool *p = NULL;
    unsigned int id = SCHED_POOL_ID_ANY;

    (void)state;
    /* One above the highest in use; an id in use; a given id. */
    assert_int_equal(sched_pool_new(ops, &id, &p), 0);
    assert_int_equal(id, 1U);
    assert_ptr_equal(sched_pool_by_id(1U), p);
    id = 1U;
    assert_int_equal(sched_pool_new(ops, &id, &p), -EEXIST);
    id = 40U;
    assert_int_equal(sched_pool_new(ops, &id, &p), 0);
    id = SCHED_POOL_ID_ANY;
    assert_int_equal(sched_pool_new(ops, &id, &p), 0);
    assert_int_equal(id, 41U);
    /* At most MAX_CPUPOOLS at once. */
    for (unsigned int i = 4U; i < MAX_CPUPOOLS; i++) {
        id = SCHED_POOL_ID_ANY;
        assert_int_equal(sched_pool_new(ops, &id, &p), 0);
    }
    id = SCHED_POOL_ID_ANY;
    assert_int_equal(sched_pool_new(ops, &id, &p), -ENOSPC);
    /* Pool-0 has CPUs: it stays. */
    assert_int_equal(sched_pool_destroy(sched_pool_by_id(0U)), -EBUSY);
    assert_int_equal(sched_pool_destroy(sched_pool_by_id(40U)), 0);
    assert_null(sched_pool_by_id(40U));
}

/* A CPU leaves its pool: first out of the set, its queued vCPUs sent to
 * the pool's other CPUs at once, the running one once its CPU has
 * switched away from it; -EAGAIN until then. */
static void test_cpu_leaves_with_vcpus_on_it(void **state)
{
    struct sched_pool *p0 = sched_pool_by_id(0U);
    struct sched_pool *p1 = make_pool(1U, "credit2", ON_CPU(2) | ON_CPU(3));
    struct domain *d = new_domain(1U);
    struct vcpu *a = add_dom_vcpu(d, ALL_CPUS);
    struct vcpu *b = add_dom_vcpu(d, ALL_CPUS);

    (void)state;
    assert_int_equal(p0->cpus, ON_CPU(0) | ON_CPU(1));
    /* Both on pool 1's CPUs; put them both on CPU 3, one running. */
    assert_true((a->processor == 2U) || (a->processor == 3U));
    a->hard_affinity = ON_CPU(3);
    b->hard_affinity = ON_CPU(3);
    assert_int_equal(sched_move_vcpu(a), 0);
    assert_int_equal(sched_move_vcpu(b), 0);
    vcpu_wake(a);
    vcpu_wake(b);
    run_softirqs(3U);
    assert_non_null(running_on(3U));
    a->hard_affinity = ALL_CPUS;
    b->hard_affinity = ALL_CPUS;
    assert_int_equal(sched_pool_remove_cpu(p1, 3U), -EAGAIN);
    assert_int_equal(p1->cpus, ON_CPU(2));
    /* The queued one went at once; the running one goes at the switch. */
    assert_true((a->processor == 2U) || (b->processor == 2U));
    run_softirqs(3U);
    assert_null(running_on(3U));
    assert_int_equal(a->processor, 2U);
    assert_int_equal(b->processor, 2U);
    assert_int_equal(sched_cpu_load(3U), 0U);
    assert_int_equal(sched_pool_remove_cpu(p1, 3U), 0);
    assert_null(sched_pcpu(3U)->pool);
    /* Free now: Pool-0 may take it, and pool 1 keeps running on CPU 2. */
    assert_int_equal(sched_pool_add_cpu(p0, 3U), 0);
    run_softirqs(2U);
    assert_true((running_on(2U) == a) || (running_on(2U) == b));
}

/* A domain moves to another pool with its vCPUs' states: the runnable one
 * runs there, the blocked one stays blocked until woken, its affinity all
 * CPUs again (as Xen does). */
static void test_domain_moves_between_pools(void **state)
{
    struct sched_pool *p1 = make_pool(1U, "credit2", ON_CPU(3));
    struct domain *d = new_domain(0U);
    struct vcpu *a = add_dom_vcpu(d, ON_CPU(1));
    struct vcpu *b = add_dom_vcpu(d, ON_CPU(1));

    (void)state;
    vcpu_wake(a);
    run_softirqs(1U);
    assert_ptr_equal(running_on(1U), a);
    /* Paused, as the toolstack's path does (domain_pause waits until no
     * vCPU is on a CPU; here the CPU's pass takes it off). */
    d->pause_count = 1U;
    sched_vcpu_reconsider(a);
    run_softirqs(1U);
    assert_false(sched_vcpu_on_cpu(a));
    assert_int_equal(sched_move_domain(d, 1U), 0);
    assert_ptr_equal(d->sched_pool, p1);
    assert_int_equal(d->cpupool_id, 1U);
    assert_int_equal(sched_pool_domains(p1), 1U);
    assert_int_equal(a->hard_affinity, ALL_CPUS);
    assert_int_equal(a->processor, 3U);
    assert_int_equal(b->processor, 3U);
    assert_int_equal(sched_cpu_load(1U), 0U);
    d->pause_count = 0U;
    sched_vcpu_reconsider(a);
    run_softirqs(3U);
    assert_ptr_equal(running_on(3U), a);
    assert_int_equal(b->state, VCPU_OFFLINE);
    vcpu_wake(b);
    assert_int_equal(b->state, VCPU_RUNNABLE);
    /* A pool that is not there; the same pool. */
    assert_int_equal(sched_move_domain(d, 9U), -ENOENT);
    assert_int_equal(sched_move_domain(d, 1U), 0);
    /* Not while a vCPU is on a CPU. */
    assert_int_equal(sched_move_domain(d, 0U), -EBUSY);
}

/* CPU 1 would run a vCPU still on CPU 0 (its registers not saved): told
 * once they are. */
static struct vcpu *wanted;

static void want_on_switch(struct vcpu *prev, struct vcpu *next)
{
    check_switch(prev, next);
    if ((prev != NULL) && (prev == wanted)) {
        sched_want_vcpu(prev, 1U);
        assert_false(softirq_pending(1U));
    }
}

static void test_wanted_vcpu_is_handed_over_once_saved(void **state)
{
    struct vcpu *a = add_vcpu(ON_CPU(0));

    (void)state;
    vcpu_wake(a);
    run_softirqs(0U);
    assert_ptr_equal(running_on(0U), a);
    wanted = a;
    fake_set_switch_hook(want_on_switch);
    fake_set_cpu(0U);
    vcpu_block_current();
    do_softirq();
    assert_false(sched_vcpu_on_cpu(a));
    assert_true(softirq_pending(1U));
    fake_set_switch_hook(check_switch);
    wanted = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pool_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cpu_leaves_with_vcpus_on_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_domain_moves_between_pools, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wanted_vcpu_is_handed_over_once_saved, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
