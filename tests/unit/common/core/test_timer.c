/* Per-CPU timer queues (common/core/timer.c): timers kept in expiry
 * order, the hardware timer programmed with the head's deadline (by the
 * owning CPU; another CPU is kicked with a softirq instead), everything
 * due run from the timer softirq in order, a handler free to re-arm its
 * own timer, stop and re-arm anywhere in the queue, migration to another
 * CPU keeping the expiry, and kill_timer, which also waits for a run of
 * the handler on another CPU to end (two threads play the two CPUs). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <cmocka.h>

#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
#include <fake_arch.h>

static char order[16];
static unsigned int nr_fired;
static struct timer ta;
static struct timer tb;
static struct timer tc;

static void fired(void *data)
{
    order[nr_fired] = *(const char *)data;
    nr_fired++;
}

static unsigned int rearms_left;

/* Fires, then sets itself again 10 ms later, a few times. */
static void rearm(void *data)
{
    struct timer *t = data;

    order[nr_fired] = 'r';
    nr_fired++;
    if (rearms_left > 0U) {
        rearms_left--;
        set_timer(t, t->expires + MILLISECS(10));
    }
}

static int group_setup(void **state)
{
    (void)state;
    timer_subsys_init();
    return 0;
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_set_now(MILLISECS(1000));
    memset(order, 0, sizeof(order));
    nr_fired = 0U;
    init_timer(&ta, fired, "a", 0U);
    init_timer(&tb, fired, "b", 0U);
    init_timer(&tc, fired, "c", 0U);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    stop_timer(&ta);
    stop_timer(&tb);
    stop_timer(&tc);
    fake_set_cpu(1U);
    do_softirq();
    fake_set_cpu(0U);
    do_softirq();
    assert_int_equal(timer_queue_length(0U), 0U);
    assert_int_equal(timer_queue_length(1U), 0U);
    return 0;
}

/* The timer interrupt on CPU 0 at time now. */
static void tick(s_time_t now)
{
    fake_set_now(now);
    timer_interrupt();
    do_softirq();
}

static void timers_fire_in_expiry_order(void **state)
{
    uint64_t before = timer_fired_count(0U);

    (void)state;
    set_timer(&tb, MILLISECS(1020));
    assert_int_equal(fake_timer_deadline(), MILLISECS(1020));
    set_timer(&ta, MILLISECS(1010));
    /* A new head reprograms the hardware; a later timer does not. */
    assert_int_equal(fake_timer_deadline(), MILLISECS(1010));
    set_timer(&tc, MILLISECS(1030));
    assert_int_equal(fake_timer_deadline(), MILLISECS(1010));
    assert_int_equal(timer_queue_length(0U), 3U);
    assert_true(timer_is_queued(&tc));

    /* Early interrupt: nothing is due, the head is programmed again. */
    tick(MILLISECS(1005));
    assert_int_equal(nr_fired, 0U);
    assert_int_equal(fake_timer_deadline(), MILLISECS(1010));
    /* Two due at once run in order; the third stays. */
    tick(MILLISECS(1025));
    assert_string_equal(order, "ab");
    assert_false(timer_is_queued(&ta));
    assert_int_equal(fake_timer_deadline(), MILLISECS(1030));
    tick(MILLISECS(1030));
    assert_string_equal(order, "abc");
    /* Empty queue: the hardware timer is off. */
    assert_int_equal(fake_timer_deadline(), 0);
    assert_int_equal(timer_fired_count(0U) - before, 3U);
}

static void equal_expiries_keep_their_setting_order(void **state)
{
    (void)state;
    set_timer(&tc, MILLISECS(1010));
    set_timer(&ta, MILLISECS(1010));
    set_timer(&tb, MILLISECS(1010));
    tick(MILLISECS(1010));
    assert_string_equal(order, "cab");
}

static void stop_and_rearm_anywhere_in_the_queue(void **state)
{
    (void)state;
    set_timer(&ta, MILLISECS(1010));
    set_timer(&tb, MILLISECS(1020));
    set_timer(&tc, MILLISECS(1030));
    /* The middle one goes: the head stays programmed. */
    stop_timer(&tb);
    assert_false(timer_is_queued(&tb));
    assert_int_equal(timer_queue_length(0U), 2U);
    assert_int_equal(fake_timer_deadline(), MILLISECS(1010));
    /* Stopping a stopped timer does nothing. */
    stop_timer(&tb);
    assert_int_equal(timer_queue_length(0U), 2U);
    /* The head goes: the next one is programmed. */
    stop_timer(&ta);
    assert_int_equal(fake_timer_deadline(), MILLISECS(1030));
    /* The head moved later than the last one: it is now last. */
    set_timer(&ta, MILLISECS(1005));
    set_timer(&ta, MILLISECS(1040));
    assert_int_equal(fake_timer_deadline(), MILLISECS(1030));
    tick(MILLISECS(1050));
    assert_string_equal(order, "ca");
}

/* The head moved (a slice timer at each switch): still first, it is
 * programmed at its new expiry; to the next one's expiry, it goes after
 * it (as any timer set to an expiry already queued). */
static void the_head_moved_on(void **state)
{
    (void)state;
    set_timer(&ta, MILLISECS(1010));
    set_timer(&tb, MILLISECS(1030));
    set_timer(&ta, MILLISECS(1020));
    assert_int_equal(fake_timer_deadline(), MILLISECS(1020));
    set_timer(&ta, MILLISECS(1005));
    assert_int_equal(fake_timer_deadline(), MILLISECS(1005));
    set_timer(&ta, MILLISECS(1030));
    assert_int_equal(fake_timer_deadline(), MILLISECS(1030));
    assert_int_equal(timer_queue_length(0U), 2U);
    tick(MILLISECS(1030));
    assert_string_equal(order, "ba");
}

static void a_handler_may_rearm_its_timer(void **state)
{
    struct timer t;

    (void)state;
    init_timer(&t, rearm, &t, 0U);
    rearms_left = 2U;
    set_timer(&t, MILLISECS(1010));
    /* At 1035 the first run re-arms for 1020 (due), then 1030 (due),
     * and the last run does not re-arm. */
    tick(MILLISECS(1035));
    assert_string_equal(order, "rrr");
    assert_false(timer_is_queued(&t));
}

static void timers_of_another_cpu_kick_it(void **state)
{
    struct timer remote;

    (void)state;
    init_timer(&remote, fired, "x", 1U);
    set_timer(&remote, MILLISECS(1010));
    /* CPU 0 cannot program CPU 1's timer: CPU 1 gets the softirq. */
    assert_int_equal(fake_timer_deadline(), 0);
    assert_true(softirq_pending(1U));
    assert_int_equal(timer_queue_length(1U), 1U);
    fake_set_cpu(1U);
    fake_set_now(MILLISECS(1010));
    do_softirq();
    fake_set_cpu(0U);
    assert_string_equal(order, "x");
    /* A bad CPU number is a bug. */
    fake_expect_panic(init_timer(&remote, fired, "x", NR_CPUS));
}

static void migration_keeps_the_expiry(void **state)
{
    (void)state;
    set_timer(&ta, MILLISECS(1010));
    set_timer(&tb, MILLISECS(1020));
    /* The head moves to CPU 1: CPU 0's next deadline is tb's. */
    migrate_timer(&ta, 1U);
    assert_int_equal(ta.cpu, 1U);
    assert_int_equal(ta.expires, MILLISECS(1010));
    assert_int_equal(timer_queue_length(0U), 1U);
    assert_int_equal(timer_queue_length(1U), 1U);
    assert_int_equal(fake_timer_deadline(), MILLISECS(1020));
    /* To the CPU it is on: nothing to do. */
    migrate_timer(&ta, 1U);
    assert_int_equal(timer_queue_length(1U), 1U);
    /* A stopped timer only changes CPU. */
    migrate_timer(&tc, 1U);
    assert_int_equal(tc.cpu, 1U);
    assert_false(timer_is_queued(&tc));
    /* It fires there. */
    fake_set_cpu(1U);
    fake_set_now(MILLISECS(1015));
    do_softirq();
    fake_set_cpu(0U);
    assert_string_equal(order, "a");
    fake_expect_panic(migrate_timer(&tb, NR_CPUS));
}

/* ---- kill_timer ------------------------------------------------------------ */

static int handler_entered;     /* __atomic_* only */
static int handler_may_end;
static int handler_ended;

/* A handler that takes its time: runs until told to end. */
static void slow(void *data)
{
    (void)data;
    __atomic_store_n(&handler_entered, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&handler_may_end, __ATOMIC_SEQ_CST) == 0) {
        sched_yield();
    }
    __atomic_store_n(&handler_ended, 1, __ATOMIC_SEQ_CST);
}

/* CPU 1 runs its due timers. */
static void *cpu1_softirq(void *arg)
{
    (void)arg;
    fake_set_cpu(1U);
    do_softirq();
    return NULL;
}

/* Lets the slow handler end 20 ms from now. */
static void *end_handler_later(void *arg)
{
    struct timespec ts = { .tv_sec = 0, .tv_nsec = 20000000L };

    (void)arg;
    (void)nanosleep(&ts, NULL);
    __atomic_store_n(&handler_may_end, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void kill_waits_for_a_handler_running_elsewhere(void **state)
{
    struct timer t;
    pthread_t cpu1;
    pthread_t ender;

    (void)state;
    init_timer(&t, slow, NULL, 1U);
    set_timer(&t, MILLISECS(1000));
    assert_int_equal(pthread_create(&cpu1, NULL, cpu1_softirq, NULL), 0);
    while (__atomic_load_n(&handler_entered, __ATOMIC_SEQ_CST) == 0) {
        sched_yield();
    }
    assert_int_equal(pthread_create(&ender, NULL, end_handler_later, NULL), 0);
    kill_timer(&t);
    /* Returned only once the handler was done with its data. */
    assert_int_equal(__atomic_load_n(&handler_ended, __ATOMIC_SEQ_CST), 1);
    assert_int_equal(pthread_join(ender, NULL), 0);
    assert_int_equal(pthread_join(cpu1, NULL), 0);
    assert_false(timer_is_queued(&t));
}

static struct timer self;

static void kill_self(void *data)
{
    (void)data;
    nr_fired++;
    kill_timer(&self);
}

/* A queued timer is simply stopped; a handler may kill its own timer. */
static void kill_stops_a_queued_timer(void **state)
{
    (void)state;
    set_timer(&ta, MILLISECS(1010));
    kill_timer(&ta);
    assert_false(timer_is_queued(&ta));
    assert_int_equal(timer_queue_length(0U), 0U);
    init_timer(&self, kill_self, NULL, 0U);
    set_timer(&self, MILLISECS(1020));
    tick(MILLISECS(1030));
    assert_int_equal(nr_fired, 1U);
    assert_false(timer_is_queued(&self));
    assert_string_equal(order, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(timers_fire_in_expiry_order, setup, teardown),
        cmocka_unit_test_setup_teardown(equal_expiries_keep_their_setting_order, setup, teardown),
        cmocka_unit_test_setup_teardown(stop_and_rearm_anywhere_in_the_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(the_head_moved_on, setup, teardown),
        cmocka_unit_test_setup_teardown(a_handler_may_rearm_its_timer, setup, teardown),
        cmocka_unit_test_setup_teardown(timers_of_another_cpu_kick_it, setup, teardown),
        cmocka_unit_test_setup_teardown(migration_keeps_the_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(kill_waits_for_a_handler_running_elsewhere, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(kill_stops_a_queued_timer, setup, teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
