/* A move of a running vCPU (sched_move_vcpu on another CPU, after the
 * toolstack narrowed its hard affinity) racing with its own CPU switching
 * away from it (schedule(), then sched_context_saved once its state is
 * saved), on two host threads. The switch away takes no lock unless a move
 * waits (sched.c's on_cpu states): whichever order the two take, the vCPU
 * must end up moved exactly once, where its new affinity allows, and off
 * its CPU. A lost move leaves it queued on a CPU that may never pick it
 * again. The environment is sched_env.h's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/current.h>
#include <proxenos/sched.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <fake_arch.h>
#include <fake_domain.h>
#include "heap_env.h"
#include "sched_env.h"

#define ROUNDS 3000U
#define HOME 0U             /* the vCPU's CPU when each round starts */
#define TOOLSTACK 1U        /* the CPU sched_move_vcpu runs on */
#define TARGET 2U           /* the only CPU of the new affinity */

struct round {
    struct vcpu *v;
    unsigned int go;            /* both threads wait for it: a common start */
    unsigned int spin_switch;   /* busy iterations before each side acts */
    unsigned int spin_move;
    int move_rc;
    unsigned int seen_after_move;   /* v->processor when sched_move_vcpu returned */
};

static void spin(unsigned int n)
{
    for (volatile unsigned int i = 0U; i < n; i++) {
    }
}

static void wait_for_go(const struct round *r)
{
    while (__atomic_load_n(&r->go, __ATOMIC_ACQUIRE) == 0U) {
    }
}

/* The vCPU's own CPU: it blocks (as on WFI), and schedule() switches to
 * idle; the fake arch's switch calls sched_context_saved. */
static void *switch_away(void *arg)
{
    struct round *r = arg;

    fake_set_cpu(HOME);
    wait_for_go(r);
    spin(r->spin_switch);
    vcpu_block_current();
    do_softirq();
    return NULL;
}

/* The toolstack: a new hard affinity, then the move it asks for. */
static void *move(void *arg)
{
    struct round *r = arg;

    fake_set_cpu(TOOLSTACK);
    wait_for_go(r);
    spin(r->spin_move);
    __atomic_store_n(&r->v->hard_affinity, ON_CPU(TARGET), __ATOMIC_RELEASE);
    r->move_rc = sched_move_vcpu(r->v);
    r->seen_after_move = __atomic_load_n(&r->v->processor, __ATOMIC_ACQUIRE);
    return NULL;
}

/* v back on HOME, allowed everywhere, running there. */
static void run_at_home(struct vcpu *v)
{
    v->hard_affinity = ON_CPU(HOME);
    assert_int_equal(sched_move_vcpu(v), 0);
    assert_int_equal(v->processor, HOME);
    v->hard_affinity = ALL_CPUS;
    fake_set_cpu(HOME);
    vcpu_wake(v);
    do_softirq();
    assert_ptr_equal(current_vcpu(), v);
    assert_true(sched_vcpu_on_cpu(v));
}

/* How far apart the two start: even rounds the move comes first (the
 * switch away finds it asked for), every third the switch away does (the
 * move finds v saved), the rest at random, where the windows overlap. */
static void choose_spins(struct round *r, unsigned int i)
{
    if ((i % 2U) == 0U) {
        r->spin_move = 0U;
        r->spin_switch = 200000U;
    } else if ((i % 3U) == 0U) {
        r->spin_move = 200000U;
        r->spin_switch = 0U;
    } else {
        r->spin_move = (unsigned int)rand() % 3000U;
        r->spin_switch = (unsigned int)rand() % 3000U;
    }
}

static void test_move_racing_the_switch_away_happens_once(void **state)
{
    struct vcpu *v;
    unsigned int moved_later = 0U;  /* left to the switch away: v was on its CPU */
    unsigned int moved_by_then = 0U; /* by the move, or by a switch faster than it */

    (void)state;
    /* Nothing here may assert on the threads (cmocka's failures jump back
     * to the main thread's stack): each round is checked after the join. */
    fake_set_switch_hook(NULL);
    srand(13U);
    v = add_vcpu(ALL_CPUS);
    for (unsigned int i = 0U; i < ROUNDS; i++) {
        struct round r = { .v = v };
        pthread_t a;
        pthread_t b;
        unsigned int moved_before;

        run_at_home(v);
        moved_before = fake_hook_calls(FAKE_ARCH_VCPU_MOVED);
        choose_spins(&r, i);
        assert_int_equal(pthread_create(&a, NULL, switch_away, &r), 0);
        assert_int_equal(pthread_create(&b, NULL, move, &r), 0);
        __atomic_store_n(&r.go, 1U, __ATOMIC_RELEASE);
        assert_int_equal(pthread_join(a, NULL), 0);
        assert_int_equal(pthread_join(b, NULL), 0);

        assert_int_equal(r.move_rc, 0);
        assert_int_equal(v->processor, TARGET);
        assert_false(sched_vcpu_on_cpu(v));
        assert_int_equal(v->state, VCPU_BLOCKED);
        assert_int_equal(fake_hook_calls(FAKE_ARCH_VCPU_MOVED), moved_before + 1U);
        assert_int_equal(sched_cpu_load(HOME), 0);
        assert_int_equal(sched_cpu_load(TARGET), 1);
        if (r.seen_after_move == TARGET) {
            moved_by_then++;
        } else {
            moved_later++;
        }
        /* What the move may have asked of HOME (choose again) is done. */
        run_softirqs(HOME);
        assert_null(running_on(HOME));
    }
    /* Both ways were taken, not only one. */
    assert_true(moved_later > 0U);
    assert_true(moved_by_then > 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_move_racing_the_switch_away_happens_once, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
