/* SCHEDOP_watchdog's watchdogs (common/sched/watchdog.c) with Xen 4.17's
 * semantics: id 0 takes a free one (ids 1 and 2, then Xen's -ENOSPC as a
 * 32-bit value) and arms
 * it; an id in use is re-armed, or stopped and freed by a timeout of 0;
 * other ids are -EINVAL. A watchdog not re-armed in time shuts its domain
 * down with reason watchdog, once; one re-armed or stopped does not;
 * expiry leaves a stopping or dying domain alone; destruction leaves no
 * timer queued. The clock is the fake's, the timers the real ones. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/domain.h>
#include <proxenos/domain_watchdog.h>
#include <proxenos/errno.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
#include <fake_arch.h>
#include "fake_shutdown.h"

static struct domain dom;

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
    fake_console_quiet(true);
    fake_shutdown_reset();
    memset(&dom, 0, sizeof(dom));
    dom.domain_id = 4U;
    dom.state = DOMAIN_RUNNING;
    spin_lock_init(&dom.lock);
    domain_watchdog_init(&dom);
    fake_set_now(SECONDS(100));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    domain_watchdog_destroy(&dom);
    return 0;
}

/* Move the clock on and run what is due, as the timer interrupt would. */
static void pass(s_time_t ns)
{
    fake_advance(ns);
    timer_interrupt();
    do_softirq();
}

static unsigned int shutdowns_for_watchdog(void)
{
    struct domain *d = NULL;
    int reason = -1;
    unsigned int n = fake_shutdowns(&d, &reason);

    if (n != 0U) {
        assert_ptr_equal(d, &dom);
        assert_int_equal(reason, SHUTDOWN_watchdog);
    }
    return n;
}

static void test_ids_are_handed_out_until_none_is_free(void **state)
{
    (void)state;
    assert_int_equal(domain_watchdog_op(&dom, 0U, 30U, domain_shutdown), 1);
    assert_int_equal(domain_watchdog_op(&dom, 0U, 30U, domain_shutdown), 2);
    /* Xen 4.17's -ENOSPC, cut to 32 bits on its way out. */
    assert_int_equal(domain_watchdog_op(&dom, 0U, 30U, domain_shutdown), 0xffffffe4L);
    assert_true(timer_is_queued(&dom.watchdog_timer[0]));
    assert_true(timer_is_queued(&dom.watchdog_timer[1]));
    assert_int_equal(dom.watchdog_timer[0].expires, SECONDS(130));
}

static void test_bad_ids(void **state)
{
    (void)state;
    assert_int_equal(domain_watchdog_op(&dom, 3U, 10U, domain_shutdown), -EINVAL);
    assert_int_equal(domain_watchdog_op(&dom, 0xffffffffU, 10U, domain_shutdown), -EINVAL);
    /* Not taken yet: neither re-armed nor stopped. */
    assert_int_equal(domain_watchdog_op(&dom, 1U, 10U, domain_shutdown), -EINVAL);
    assert_int_equal(domain_watchdog_op(&dom, 2U, 0U, domain_shutdown), -EINVAL);
    assert_false(timer_is_queued(&dom.watchdog_timer[0]));
    assert_false(timer_is_queued(&dom.watchdog_timer[1]));
}

/* Re-armed every 5 s with a 10 s timeout: never fires. Then left alone:
 * fires 10 s after the last re-arm, with Xen's line, once. */
static void test_rearmed_watchdog_fires_only_when_left(void **state)
{
    (void)state;
    assert_int_equal(domain_watchdog_op(&dom, 0U, 10U, domain_shutdown), 1);
    for (unsigned int i = 0U; i < 6U; i++) {
        pass(SECONDS(5));
        assert_int_equal(domain_watchdog_op(&dom, 1U, 10U, domain_shutdown), 0);
    }
    assert_int_equal(shutdowns_for_watchdog(), 0U);
    pass(SECONDS(10) - 1);
    assert_int_equal(shutdowns_for_watchdog(), 0U);
    pass(1);
    assert_int_equal(shutdowns_for_watchdog(), 1U);
    assert_true(fake_log_contains("Watchdog timer fired for domain 4"));
    pass(SECONDS(60));
    assert_int_equal(shutdowns_for_watchdog(), 1U);
}

/* A stopped watchdog never fires, and its id is free again. */
static void test_cancel_frees_the_id(void **state)
{
    (void)state;
    assert_int_equal(domain_watchdog_op(&dom, 0U, 10U, domain_shutdown), 1);
    assert_int_equal(domain_watchdog_op(&dom, 0U, 20U, domain_shutdown), 2);
    assert_int_equal(domain_watchdog_op(&dom, 1U, 0U, domain_shutdown), 0);
    assert_false(timer_is_queued(&dom.watchdog_timer[0]));
    assert_int_equal(domain_watchdog_op(&dom, 1U, 10U, domain_shutdown), -EINVAL);
    assert_int_equal(domain_watchdog_op(&dom, 2U, 0U, domain_shutdown), 0);
    pass(SECONDS(60));
    assert_int_equal(shutdowns_for_watchdog(), 0U);
    assert_int_equal(domain_watchdog_op(&dom, 0U, 10U, domain_shutdown), 1);
}

/* Either watchdog stops the domain: the second one here. */
static void test_second_watchdog_fires_alone(void **state)
{
    (void)state;
    assert_int_equal(domain_watchdog_op(&dom, 0U, 100U, domain_shutdown), 1);
    assert_int_equal(domain_watchdog_op(&dom, 0U, 3U, domain_shutdown), 2);
    pass(SECONDS(3));
    assert_int_equal(shutdowns_for_watchdog(), 1U);
    assert_true(timer_is_queued(&dom.watchdog_timer[0]));
}

/* As Xen: a new watchdog with timeout 0 is armed for now. */
static void test_new_watchdog_of_zero_fires_at_once(void **state)
{
    (void)state;
    assert_int_equal(domain_watchdog_op(&dom, 0U, 0U, domain_shutdown), 1);
    pass(0);
    assert_int_equal(shutdowns_for_watchdog(), 1U);
}

/* A domain already shutting down (or crashed), or dying: left alone. */
static void test_expiry_leaves_stopping_domains_alone(void **state)
{
    (void)state;
    assert_int_equal(domain_watchdog_op(&dom, 0U, 1U, domain_shutdown), 1);
    dom.state = DOMAIN_SHUTDOWN;
    pass(SECONDS(1));
    dom.state = DOMAIN_RUNNING;
    dom.dying = true;
    assert_int_equal(domain_watchdog_op(&dom, 1U, 1U, domain_shutdown), 0);
    pass(SECONDS(1));
    assert_int_equal(shutdowns_for_watchdog(), 0U);
    assert_false(fake_log_contains("Watchdog timer fired"));
}

/* Destruction stops every watchdog: none is left queued to fire on the
 * freed domain. */
static void test_destroy_leaves_no_timer(void **state)
{
    unsigned int before = timer_queue_length(0U);

    (void)state;
    assert_int_equal(domain_watchdog_op(&dom, 0U, 5U, domain_shutdown), 1);
    assert_int_equal(domain_watchdog_op(&dom, 0U, 7U, domain_shutdown), 2);
    assert_int_equal(timer_queue_length(0U), before + 2U);
    domain_watchdog_destroy(&dom);
    assert_int_equal(timer_queue_length(0U), before);
    assert_false(timer_is_queued(&dom.watchdog_timer[0]));
    assert_false(timer_is_queued(&dom.watchdog_timer[1]));
    pass(SECONDS(60));
    assert_int_equal(shutdowns_for_watchdog(), 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ids_are_handed_out_until_none_is_free, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rearmed_watchdog_fires_only_when_left, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cancel_frees_the_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_watchdog_fires_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_watchdog_of_zero_fires_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiry_leaves_stopping_domains_alone, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_destroy_leaves_no_timer, setup, teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
