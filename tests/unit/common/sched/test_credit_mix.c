/* The credit scheduler under a changing load (credit_env.h): vCPUs that
 * block and wake at pseudo-random times on four CPUs, with the run queues'
 * invariants checked after every step; CPUs leaving the pool; parking. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "credit_env.h"
/* The scheduler's own view: run queues, priorities, parking. */
#include "../../../../hypervisor/common/sched/credit.h"

static uint32_t pool_sort_epoch(void)
{
    return ((struct credit_pool *)pool.priv)->runq_sort;
}

static unsigned int queued_on(unsigned int cpu, const struct vcpu *v)
{
    struct credit_pcpu *spc = pcpus[cpu].priv;
    unsigned int n = 0U;
    int32_t last = CREDIT_PRI_BOOST;

    for (struct credit_link *l = spc->runq.next; l != &spc->runq; l = l->next) {
        struct credit_vcpu *svc = container_of(l, struct credit_vcpu, runq_elem);

        assert_true(l->next->prev == l);
        if ((v == NULL) || (svc->v == v)) {
            n++;
        }
        /* Nothing with credit behind an overspent one, once sorted since
         * the last accounting. */
        if (spc->runq_sort_last == pool_sort_epoch()) {
            assert_false((last == CREDIT_PRI_OVER) && (credit_pri(svc) >= CREDIT_PRI_UNDER));
        }
        last = credit_pri(svc);
    }
    return n;
}

/* Each runnable vCPU is either running on its CPU or queued there, never
 * both, never elsewhere; a blocked one is nowhere; every CPU's count of
 * runnable vCPUs is what it holds. */
static void check_invariants(void)
{
    for (unsigned int c = 0U; c < NR_CPUS; c++) {
        unsigned int held;

        if ((pool.cpus & CPU(c)) == 0U) {
            continue;
        }
        held = queued_on(c, NULL) + ((pcpus[c].curr != NULL) ? 1U : 0U);
        assert_int_equal(((struct credit_pcpu *)pcpus[c].priv)->nr_runnable, held);
        if (pcpus[c].curr != NULL) {
            assert_int_equal(pcpus[c].curr->processor, c);
            assert_true((pcpus[c].curr->hard_affinity & CPU(c)) != 0U);
        }
    }
    for (unsigned int i = 0U; i < nr_vcpus; i++) {
        struct vcpu *v = &vcpus[i];
        unsigned int seen = 0U;

        for (unsigned int c = 0U; c < NR_CPUS; c++) {
            if ((pool.cpus & CPU(c)) != 0U) {
                seen += queued_on(c, v) + ((pcpus[c].curr == v) ? 1U : 0U);
                if (c != v->processor) {
                    assert_int_equal(queued_on(c, v), 0);
                }
            }
        }
        assert_int_equal(seen, (v->state == VCPU_BLOCKED) ? 0U : 1U);
    }
}

static uint32_t rng = 12345U;

static uint32_t next_random(void)
{
    rng = (rng * 1103515245U) + 12345U;
    return (rng >> 16) & 0x7fffU;
}

/* Six vCPUs (two pinned) on four CPUs block and wake at random for 3 s:
 * the invariants hold throughout, and every vCPU gets time. */
static void test_random_block_wake(void **state)
{
    uint64_t affinity[6] = { CPU(0), CPU(1) | CPU(2), ~0ULL, ~0ULL, ~0ULL, CPU(3) };
    unsigned int blocked_steps = 0U;

    (void)state;
    env_start(CPU(0) | CPU(1) | CPU(2) | CPU(3));
    env_set_weight_cap(1, 512U, 0U);
    for (unsigned int i = 0U; i < 6U; i++) {
        (void)env_vcpu(i % 2U, affinity[i], (i < 2U) ? i : (i % 4U));
        check_invariants();
    }
    for (unsigned int step = 0U; step < 3000U; step++) {
        struct vcpu *v = &vcpus[next_random() % 6U];

        if (v->state == VCPU_BLOCKED) {
            (void)env_wake(v);
        } else if ((pcpus[v->processor].curr == v) && ((next_random() % 4U) == 0U)) {
            env_block(v);
        } else {
            /* Leave it be. */
        }
        settle();
        check_invariants();
        env_run(MILLISECS(1));
        check_invariants();
        for (unsigned int i = 0U; i < 6U; i++) {
            blocked_steps += (vcpus[i].state == VCPU_BLOCKED) ? 1U : 0U;
        }
    }
    assert_true(blocked_steps > 1000U);
    for (unsigned int i = 0U; i < 6U; i++) {
        assert_true(ran_ns[i] > (uint64_t)MILLISECS(100));
    }
    env_stop();
}

/* The accounting's CPU leaves the pool: accounting goes on with another
 * (a cap still holds there). */
static void test_accounting_survives_cpu_removal(void **state)
{
    struct vcpu *v;
    struct credit_pool *prv;

    (void)state;
    env_start(CPU(0) | CPU(1));
    prv = pool.priv;
    assert_int_equal(prv->master, 0);
    assert_int_equal(prv->credit, 600);
    env_remove_cpu(0);
    assert_int_equal(prv->master, 1);
    assert_int_equal(prv->credit, 300);
    assert_int_equal(prv->master_ticker.cpu, 1);
    env_set_weight_cap(0, 0U, 25U);
    v = env_vcpu(0, CPU(1), 1);
    env_run(MILLISECS(300));
    memset(ran_ns, 0, sizeof(ran_ns));
    env_run(SECONDS(3));
    assert_true((double)ran_ns[vcpu_index(v)] > 0.23 * (double)SECONDS(3));
    assert_true((double)ran_ns[vcpu_index(v)] < 0.27 * (double)SECONDS(3));
    env_stop();
}

/* A parked vCPU that blocks and wakes is not boosted and stays off its CPU
 * until its credit is positive again. */
static void test_parked_wake_not_boosted(void **state)
{
    struct vcpu *v;
    struct credit_vcpu *svc;
    unsigned int steps = 0U;

    (void)state;
    env_start(CPU(0));
    env_set_weight_cap(0, 0U, 10U);
    v = env_vcpu(0, CPU(0), 0);
    svc = credit_vcpu_of(v);
    while (!credit_parked(svc)) {
        env_run(MILLISECS(1));
        assert_true(++steps < 1000U);
    }
    assert_null(pcpus[0].curr);
    env_block(v);
    env_run(MILLISECS(1));
    assert_int_equal(env_wake(v), NR_CPUS);
    assert_true(credit_pri(svc) != CREDIT_PRI_BOOST);
    settle();
    assert_null(pcpus[0].curr);
    while (credit_parked(svc)) {
        assert_null(pcpus[0].curr);
        env_run(MILLISECS(1));
        assert_true(++steps < 2000U);
    }
    settle();
    assert_ptr_equal(pcpus[0].curr, v);
    env_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_block_wake),
        cmocka_unit_test(test_accounting_survives_cpu_removal),
        cmocka_unit_test(test_parked_wake_not_boosted),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
