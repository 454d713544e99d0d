/* Scheduler decisions: placement on the least loaded online CPU of a vCPU's
 * hard affinity, waking (softirq, IPI when remote), kicking, the invariants
 * it panics on and the debug key. Picking and accounting are
 * in test_sched_pick.c, blocking, stopping and pausing in
 * test_sched_block.c, what the toolstack sees and sets in
 * test_sched_toolstack.c. The environment is sched_env.h's. */
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
#include <proxenos/sched_ops.h>
#include "sched_env.h"

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
    assert_int_equal(sched_add_vcpu(v), -ENOENT);     /* its domain is in no pool yet */
    assert_int_equal(sched_add_domain(&dom), 0);
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
    expect_remove_panics(a);
    /* The panic left CPU 0's lock held (on hardware the machine has
     * stopped): let it go before anything that may fail and leave the
     * teardown waiting for it. */
    spin_unlock(sched_pcpu(0U)->lock);
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
    snprintf(want, sizeof(want), "CPU 0: running d1v%u, 2 vCPUs placed,", current_vcpu()->vcpu_id);
    assert_true(fake_log_contains(want));
    /* Then what the pool's scheduler has to say. */
    assert_true(fake_log_contains("CPU 0: 1 runnable waiting"));
    sched_dump_cpu(3U);
    assert_true(fake_log_contains("CPU 3: idle, 0 vCPUs placed,"));
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
        cmocka_unit_test_setup_teardown(test_kick_wakes_blocked_vcpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kick_ipis_cpu_of_running_remote_vcpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove_running_vcpu_panics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dump_cpu, setup, teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
