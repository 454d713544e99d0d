/* The online CPU set and cross-CPU function calls (common/core/smp.c): a
 * call to an offline CPU fails, to the calling CPU runs at once, to
 * another CPU is posted in that CPU's slot with an IPI and runs from its
 * softirq; a second call while the slot is busy is refused with -EBUSY;
 * a waiting caller returns only after the target ran the function (the
 * target a host thread here). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <pthread.h>
#include <cmocka.h>

#include <proxenos/errno.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <proxenos/arch/cpu.h>
#include <fake_arch.h>

static unsigned int ran_on[NR_CPUS];
static void *last_data;

static void record(void *data)
{
    ran_on[arch_cpu_id()]++;
    last_data = data;
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        ran_on[cpu] = 0U;
    }
    last_data = NULL;
    smp_call_function_init();
    return 0;
}

/* Runs first: no CPU is online before the test says so. */
static void the_online_set(void **state)
{
    (void)state;
    assert_int_equal(num_online_cpus(), 0U);
    assert_false(cpu_online(0U));
    cpu_set_online(0U);
    cpu_set_online(3U);
    cpu_set_online(3U);
    assert_true(cpu_online(0U));
    assert_false(cpu_online(1U));
    assert_true(cpu_online(3U));
    assert_false(cpu_online(NR_CPUS));
    assert_int_equal(num_online_cpus(), 2U);
    assert_int_equal(cpu_online_mask(), (1ULL << 0) | (1ULL << 3));
    /* A CPU number beyond the set is a bug. */
    fake_expect_panic(cpu_set_online(NR_CPUS));
}

static void calls_to_offline_and_own_cpus(void **state)
{
    int token;

    (void)state;
    cpu_set_online(0U);
    assert_int_equal(smp_call_function_single(5U, record, &token, false), -EINVAL);
    assert_int_equal(smp_call_function_single(NR_CPUS, record, &token, false), -EINVAL);
    assert_int_equal(ran_on[5], 0U);
    /* The calling CPU: at once, no IPI. */
    assert_int_equal(smp_call_function_single(0U, record, &token, true), 0);
    assert_int_equal(ran_on[0], 1U);
    assert_ptr_equal(last_data, &token);
    assert_int_equal(fake_ipi_count(0U), 0U);
}

static void a_posted_call_runs_from_the_target_softirq(void **state)
{
    int first;
    int second;

    (void)state;
    cpu_set_online(0U);
    cpu_set_online(1U);
    assert_int_equal(smp_call_function_single(1U, record, &first, false), 0);
    assert_int_equal(fake_ipi_count(1U), 1U);
    assert_true(softirq_pending(1U));
    assert_int_equal(ran_on[1], 0U);
    /* The slot holds one call: the next waits its turn. */
    assert_int_equal(smp_call_function_single(1U, record, &second, false), -EBUSY);

    fake_set_cpu(1U);
    do_softirq();
    fake_set_cpu(0U);
    assert_int_equal(ran_on[1], 1U);
    assert_ptr_equal(last_data, &first);

    /* Free again. */
    assert_int_equal(smp_call_function_single(1U, record, &second, false), 0);
    fake_set_cpu(1U);
    do_softirq();
    /* Nothing posted: a later softirq runs nothing. */
    raise_softirq(CALL_FUNCTION_SOFTIRQ);
    do_softirq();
    fake_set_cpu(0U);
    assert_int_equal(ran_on[1], 2U);
    assert_ptr_equal(last_data, &second);
}

static volatile bool target_stop;

/* CPU 2: runs its softirqs until told to stop. */
static void *cpu2_main(void *arg)
{
    (void)arg;
    fake_set_cpu(2U);
    while (!__atomic_load_n(&target_stop, __ATOMIC_ACQUIRE)) {
        do_softirq();
    }
    return NULL;
}

static void a_waiting_caller_returns_after_the_call_ran(void **state)
{
    pthread_t t;
    int token;

    (void)state;
    cpu_set_online(0U);
    cpu_set_online(2U);
    target_stop = false;
    assert_int_equal(pthread_create(&t, NULL, cpu2_main, NULL), 0);
    for (unsigned int i = 0U; i < 100U; i++) {
        assert_int_equal(smp_call_function_single(2U, record, &token, true), 0);
        assert_int_equal(__atomic_load_n(&ran_on[2], __ATOMIC_ACQUIRE), i + 1U);
    }
    __atomic_store_n(&target_stop, true, __ATOMIC_RELEASE);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_ptr_equal(last_data, &token);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(the_online_set, setup),
        cmocka_unit_test_setup(calls_to_offline_and_own_cpus, setup),
        cmocka_unit_test_setup(a_posted_call_runs_from_the_target_softirq, setup),
        cmocka_unit_test_setup(a_waiting_caller_returns_after_the_call_ran, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
