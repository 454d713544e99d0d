/* The credit scheduler's behaviour over simulated time (credit_env.h):
 * shares by weight, slices, boost on wake, the rate limit, caps, stealing,
 * placement and yield. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "credit_env.h"
/* The scheduler's own view of a vCPU (priority, parking). */
#include "../../../../hypervisor/common/sched/credit.h"

static double share(const struct vcpu *v, s_time_t over)
{
    return (double)ran_ns[vcpu_index(v)] / (double)over;
}

static void set_global(uint32_t tslice_ms, uint32_t ratelimit_us, uint32_t migr_us)
{
    struct xen_sysctl_scheduler_op op = { .sched_id = XEN_SCHEDULER_CREDIT,
                                          .cmd = XEN_SYSCTL_SCHEDOP_putinfo };

    op.u.sched_credit.tslice_ms = tslice_ms;
    op.u.sched_credit.ratelimit_us = ratelimit_us;
    op.u.sched_credit.vcpu_migr_delay_us = migr_us;
    assert_int_equal(ops->adjust_global(&pool, &op), 0);
}

/* Two CPU-bound vCPUs on one CPU, weights 256 and 512: 1:2, within 5%
 * (over 3 s the split is 66:34 or 67:33 slices, by phase). */
static void test_weights_share_one_cpu(void **state)
{
    struct vcpu *a;
    struct vcpu *b;
    double ratio;

    (void)state;
    env_start(CPU(0));
    env_set_weight_cap(1, 512U, 0U);
    a = env_vcpu(0, CPU(0), 0);
    b = env_vcpu(1, CPU(0), 0);
    env_run(SECONDS(3));
    ratio = (double)ran_ns[vcpu_index(b)] / (double)ran_ns[vcpu_index(a)];
    assert_true(ratio > 1.90);
    assert_true(ratio < 2.10);
    /* Nothing lost: the CPU was never idle. */
    assert_true(share(a, SECONDS(3)) + share(b, SECONDS(3)) > 0.999);
    env_stop();
}

/* Equal vCPUs take turns of one 30 ms slice each. */
static void test_slices_are_30ms(void **state)
{
    struct vcpu *a;
    struct vcpu *b;
    unsigned int before;

    (void)state;
    env_start(CPU(0));
    a = env_vcpu(0, CPU(0), 0);
    b = env_vcpu(1, CPU(0), 0);
    env_run(MILLISECS(100));
    before = switches;
    for (unsigned int i = 0U; i < 20U; i++) {
        struct vcpu *was = pcpus[0].curr;
        s_time_t left = slice_end[0] - NOW();

        assert_non_null(was);
        assert_true(left > 0);
        assert_true(left <= MILLISECS(30));
        env_run(left);
        assert_ptr_not_equal(pcpus[0].curr, was);
        assert_int_equal(slice_end[0] - NOW(), MILLISECS(30));
    }
    assert_int_equal(switches - before, 20U);
    assert_true(ran_ns[vcpu_index(a)] > ran_ns[vcpu_index(b)] - MILLISECS(31));
    assert_true(ran_ns[vcpu_index(b)] > ran_ns[vcpu_index(a)] - MILLISECS(31));
    env_stop();
}

/* A vCPU waking with credit is boosted and preempts a CPU-bound one that
 * has run past the rate limit; one that runs little and sleeps much (I/O)
 * stays boosted. */
static void test_wake_boosts_and_preempts(void **state)
{
    struct vcpu *hog;
    struct vcpu *io;

    (void)state;
    env_start(CPU(0));
    hog = env_vcpu(0, CPU(0), 0);
    env_run(MILLISECS(100));
    assert_ptr_equal(pcpus[0].curr, hog);

    io = env_vcpu(1, CPU(0), 0);
    assert_int_equal(credit_pri(credit_vcpu_of(io)), CREDIT_PRI_BOOST);
    settle();
    assert_ptr_equal(pcpus[0].curr, io);
    for (unsigned int i = 0U; i < 20U; i++) {
        /* 200 us of work every 5 ms: it always preempts at once. */
        env_run(MICROSECS(200));
        env_block(io);
        env_run(MICROSECS(4800));
        assert_ptr_equal(pcpus[0].curr, hog);
        assert_int_equal(env_wake(io), 0);
        assert_int_equal(credit_pri(credit_vcpu_of(io)), CREDIT_PRI_BOOST);
        settle();
        assert_ptr_equal(pcpus[0].curr, io);
    }
    env_stop();
}

/* A boosted vCPU that keeps running loses its boost at the next tick. */
static void test_boost_ends_at_tick(void **state)
{
    struct vcpu *io;

    (void)state;
    env_start(CPU(0));
    (void)env_vcpu(0, CPU(0), 0);
    env_run(MILLISECS(100));
    io = env_vcpu(1, CPU(0), 0);
    settle();
    assert_ptr_equal(pcpus[0].curr, io);
    assert_int_equal(credit_pri(credit_vcpu_of(io)), CREDIT_PRI_BOOST);
    env_run(MILLISECS(10));
    assert_ptr_equal(pcpus[0].curr, io);
    assert_true(credit_pri(credit_vcpu_of(io)) < CREDIT_PRI_BOOST);
    env_stop();
}

/* What has run less than sched_ratelimit_us (1 ms) is not preempted before
 * then; with the limit off it is preempted at once. */
static void test_ratelimit(void **state)
{
    struct vcpu *hog;
    struct vcpu *io;

    (void)state;
    env_start(CPU(0));
    hog = env_vcpu(0, CPU(0), 0);
    env_run(MILLISECS(100));
    io = env_vcpu(1, CPU(0), 0);
    settle();
    assert_ptr_equal(pcpus[0].curr, io);
    env_run(MILLISECS(2));
    env_block(io);
    /* The hog was just chosen again: it has run less than 1 ms. */
    env_run(MICROSECS(300));
    assert_ptr_equal(pcpus[0].curr, hog);
    assert_int_equal(env_wake(io), 0);
    settle();
    assert_ptr_equal(pcpus[0].curr, hog);
    assert_int_equal(slice_end[0] - NOW(), MICROSECS(700));
    env_run(MICROSECS(699));
    assert_ptr_equal(pcpus[0].curr, hog);
    env_run(MICROSECS(1));
    assert_ptr_equal(pcpus[0].curr, io);

    /* Off: the same wake preempts at once. */
    set_global(30U, 0U, 0U);
    env_run(MILLISECS(2));
    env_block(io);
    env_run(MICROSECS(300));
    assert_ptr_equal(pcpus[0].curr, hog);
    assert_int_equal(env_wake(io), 0);
    settle();
    assert_ptr_equal(pcpus[0].curr, io);
    env_stop();
}

/* Cap 25: a CPU-bound vCPU alone on its CPU gets about a quarter of it,
 * parked in between. */
static void test_cap_holds_25_percent(void **state)
{
    struct vcpu *v;
    double got;
    bool seen_parked = false;

    (void)state;
    env_start(CPU(0));
    env_set_weight_cap(0, 0U, 25U);
    v = env_vcpu(0, CPU(0), 0);
    /* Settle into the cycle first, then measure. */
    env_run(MILLISECS(300));
    memset(ran_ns, 0, sizeof(ran_ns));
    for (unsigned int i = 0U; i < 300U; i++) {
        env_run(MILLISECS(10));
        seen_parked = seen_parked || credit_parked(credit_vcpu_of(v));
    }
    got = share(v, SECONDS(3));
    assert_true(seen_parked);
    assert_true(got > 0.23);
    assert_true(got < 0.27);
    env_stop();
}

/* The cap leaves an uncapped vCPU on the same CPU the rest. */
static void test_cap_leaves_rest_to_others(void **state)
{
    struct vcpu *capped;
    struct vcpu *other;

    (void)state;
    env_start(CPU(0));
    env_set_weight_cap(0, 0U, 25U);
    capped = env_vcpu(0, CPU(0), 0);
    other = env_vcpu(1, CPU(0), 0);
    env_run(MILLISECS(300));
    memset(ran_ns, 0, sizeof(ran_ns));
    env_run(SECONDS(3));
    assert_true(share(capped, SECONDS(3)) < 0.28);
    assert_true(share(other, SECONDS(3)) > 0.72);
    env_stop();
}

/* A vCPU queued behind a running one on CPU 0 is taken by idle CPU 1. */
static void test_idle_cpu_steals(void **state)
{
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    env_start(CPU(0) | CPU(1));
    a = env_vcpu(0, CPU(0) | CPU(1), 0);
    settle();
    assert_ptr_equal(pcpus[0].curr, a);
    assert_null(pcpus[1].curr);
    b = env_vcpu(1, CPU(0) | CPU(1), 0);
    settle();
    assert_ptr_equal(pcpus[0].curr, a);
    assert_ptr_equal(pcpus[1].curr, b);
    assert_int_equal(b->processor, 1);
    env_run(SECONDS(1));
    assert_true(share(a, SECONDS(1)) > 0.99);
    assert_true(share(b, SECONDS(1)) > 0.99);
    env_stop();
}

/* A CPU falls idle while the vCPU it could take is running elsewhere; once
 * that vCPU is preempted and waits, the busy CPU's tick wakes the idle one,
 * which takes it. */
static void test_idle_cpu_woken_for_queued_work(void **state)
{
    struct vcpu *a;
    struct vcpu *b;
    struct vcpu *c;
    unsigned int slices = 0U;

    (void)state;
    env_start(CPU(0) | CPU(1));
    c = env_vcpu(1, CPU(1), 1);
    a = env_vcpu(0, CPU(0), 0);
    b = env_vcpu(1, CPU(0) | CPU(1), 0);
    env_run(MILLISECS(100));
    while ((pcpus[0].curr != b) || (pcpus[1].curr != c)) {
        env_run(MIN(slice_end[0], slice_end[1]) - NOW());
        assert_true(++slices < 100U);
    }
    env_block(c);
    settle();
    assert_null(pcpus[1].curr);
    env_run(MILLISECS(100));
    assert_ptr_equal(pcpus[0].curr, a);
    assert_ptr_equal(pcpus[1].curr, b);
    memset(ran_ns, 0, sizeof(ran_ns));
    env_run(SECONDS(1));
    assert_true(share(a, SECONDS(1)) > 0.99);
    assert_true(share(b, SECONDS(1)) > 0.99);
    env_stop();
}

/* Hard affinity bounds stealing: a vCPU pinned to CPU 0 waits there. */
static void test_steal_respects_affinity(void **state)
{
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    env_start(CPU(0) | CPU(1));
    a = env_vcpu(0, CPU(0), 0);
    b = env_vcpu(1, CPU(0), 0);
    env_run(MILLISECS(500));
    assert_null(pcpus[1].curr);
    assert_int_equal(a->processor, 0);
    assert_int_equal(b->processor, 0);
    assert_true(share(a, MILLISECS(500)) + share(b, MILLISECS(500)) < 1.001);
    env_stop();
}

/* With a migration delay, a vCPU that left CPU 0 recently is cache-hot
 * there: CPU 1, falling idle, leaves it; without the delay it takes it. */
static void steal_after_run(uint32_t migr_us, bool stolen)
{
    struct vcpu *b;
    struct vcpu *c;

    env_start(CPU(0) | CPU(1));
    set_global(30U, 1000U, migr_us);
    c = env_vcpu(1, CPU(1), 1);
    (void)env_vcpu(0, CPU(0), 0);
    b = env_vcpu(1, CPU(0), 0);
    env_run(MILLISECS(100));
    assert_true(ran_ns[vcpu_index(b)] > 0U);
    if (pcpus[0].curr == b) {
        env_run(slice_end[0] - NOW());
    }
    /* Now CPU 1 would do for it too. */
    b->hard_affinity = CPU(0) | CPU(1);
    assert_int_equal(b->processor, 0);
    assert_ptr_not_equal(pcpus[0].curr, b);
    env_block(c);
    settle();
    if (stolen) {
        assert_ptr_equal(pcpus[1].curr, b);
        assert_int_equal(b->processor, 1);
    } else {
        assert_null(pcpus[1].curr);
        assert_int_equal(b->processor, 0);
    }
    env_stop();
}

static void test_steal_respects_migration_delay(void **state)
{
    (void)state;
    steal_after_run(100000U, false);
    steal_after_run(0U, true);
}

/* pick_cpu: v's own CPU when idle, else an idle CPU it may use, else its
 * own. */
static void test_pick_cpu_prefers_idle(void **state)
{
    struct vcpu *a;
    struct vcpu *probe;

    (void)state;
    env_start(CPU(0) | CPU(1) | CPU(2));
    a = env_vcpu(0, CPU(0), 0);
    settle();
    assert_ptr_equal(pcpus[0].curr, a);
    probe = &vcpus[ENV_MAX_VCPUS - 1U];
    memset(probe, 0, sizeof(*probe));
    probe->domain = &doms[1];
    probe->processor = 0U;
    probe->hard_affinity = CPU(0) | CPU(2);
    assert_int_equal(ops->pick_cpu(&pool, probe), 2);
    probe->hard_affinity = CPU(0);
    assert_int_equal(ops->pick_cpu(&pool, probe), 0);
    probe->processor = 1U;
    probe->hard_affinity = CPU(1) | CPU(2);
    assert_int_equal(ops->pick_cpu(&pool, probe), 1);
    probe->hard_affinity = CPU(5);
    assert_int_equal(ops->pick_cpu(&pool, probe), NR_CPUS);
    env_stop();
}

/* A yield puts the vCPU behind the others of its priority. */
static void test_yield_goes_behind(void **state)
{
    struct vcpu *yielder;
    struct vcpu *first;
    struct vcpu *second;

    (void)state;
    env_start(CPU(0));
    set_global(30U, 0U, 0U);
    for (unsigned int i = 0U; i < 3U; i++) {
        (void)env_vcpu(i % 2U, CPU(0), 0);
    }
    env_run(MILLISECS(5));
    yielder = pcpus[0].curr;
    assert_non_null(yielder);
    env_yield(yielder);
    settle();
    first = pcpus[0].curr;
    assert_ptr_not_equal(first, yielder);
    env_run(slice_end[0] - NOW());
    second = pcpus[0].curr;
    assert_ptr_not_equal(second, yielder);
    assert_ptr_not_equal(second, first);
    env_run(slice_end[0] - NOW());
    assert_ptr_equal(pcpus[0].curr, yielder);
    env_stop();
}

/* A yield alone on its CPU asks for no new choice. */
static void test_yield_alone_is_free(void **state)
{
    struct vcpu *v;
    unsigned long flags;

    (void)state;
    env_start(CPU(0));
    v = env_vcpu(0, CPU(0), 0);
    settle();
    flags = spin_lock_irqsave(pcpus[0].lock);
    assert_false(ops->yield(&pool, v));
    spin_unlock_irqrestore(pcpus[0].lock, flags);
    env_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weights_share_one_cpu),
        cmocka_unit_test(test_slices_are_30ms),
        cmocka_unit_test(test_wake_boosts_and_preempts),
        cmocka_unit_test(test_boost_ends_at_tick),
        cmocka_unit_test(test_ratelimit),
        cmocka_unit_test(test_cap_holds_25_percent),
        cmocka_unit_test(test_cap_leaves_rest_to_others),
        cmocka_unit_test(test_idle_cpu_steals),
        cmocka_unit_test(test_idle_cpu_woken_for_queued_work),
        cmocka_unit_test(test_steal_respects_affinity),
        cmocka_unit_test(test_steal_respects_migration_delay),
        cmocka_unit_test(test_pick_cpu_prefers_idle),
        cmocka_unit_test(test_yield_goes_behind),
        cmocka_unit_test(test_yield_alone_is_free),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
