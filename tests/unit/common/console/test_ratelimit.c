/* The token bucket of common/console/ratelimit.c: a full bucket lets a
 * burst through, then one event per 1/rate of time; credit stops at the
 * burst; "recovered" means half full; rate 0 is no limit; long idle
 * times and a clock read out of order neither overflow nor earn. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/ratelimit.h>

#define MS 1000000LL

static unsigned int take_all(struct ratelimit *rl, s_time_t now)
{
    unsigned int n = 0U;

    while (ratelimit_take(rl, now) && (n < 1000000U)) {
        n++;
    }
    return n;
}

static void a_burst_then_the_rate(void **state)
{
    struct ratelimit rl;

    (void)state;
    ratelimit_init(&rl, 100U, 10U, 5 * MS);
    assert_int_equal(take_all(&rl, 5 * MS), 10U);
    /* 10 ms a line: 9.999 ms earns nothing, 10 ms one. */
    assert_false(ratelimit_take(&rl, 5 * MS + 10 * MS - 1));
    assert_true(ratelimit_take(&rl, 15 * MS));
    assert_false(ratelimit_take(&rl, 15 * MS));
    /* 35 ms later: three lines. */
    assert_int_equal(take_all(&rl, 50 * MS), 3U);
}

static void credit_stops_at_the_burst(void **state)
{
    struct ratelimit rl;

    (void)state;
    ratelimit_init(&rl, 100U, 10U, 0);
    assert_int_equal(take_all(&rl, 0), 10U);
    /* An hour idle is still one burst. */
    assert_int_equal(take_all(&rl, 3600000 * MS), 10U);
    /* As is the longest idle time the clock can show. */
    assert_int_equal(take_all(&rl, INT64_MAX), 10U);
}

static void recovered_at_half_full(void **state)
{
    struct ratelimit rl;

    (void)state;
    ratelimit_init(&rl, 100U, 10U, 0);
    assert_true(ratelimit_recovered(&rl, 0));
    assert_int_equal(take_all(&rl, 0), 10U);
    assert_false(ratelimit_recovered(&rl, 49 * MS));
    assert_true(ratelimit_recovered(&rl, 50 * MS));
    /* Looking takes nothing. */
    assert_int_equal(take_all(&rl, 50 * MS), 5U);
}

static void a_burst_of_one(void **state)
{
    struct ratelimit rl;

    (void)state;
    /* Burst 0 counts as 1; half of one line's credit is not a line. */
    ratelimit_init(&rl, 10U, 0U, 0);
    assert_int_equal(take_all(&rl, 0), 1U);
    assert_false(ratelimit_recovered(&rl, 50 * MS));
    assert_true(ratelimit_recovered(&rl, 100 * MS));
}

static void rate_zero_is_no_limit(void **state)
{
    struct ratelimit rl;

    (void)state;
    ratelimit_init(&rl, 0U, 10U, 0);
    assert_int_equal(take_all(&rl, 0), 1000000U);
    assert_true(ratelimit_recovered(&rl, 0));
}

static void the_largest_settings_do_not_overflow(void **state)
{
    struct ratelimit rl;

    (void)state;
    /* One line a second, 2^32 - 1 of them at once. */
    ratelimit_init(&rl, 1U, UINT32_MAX, 0);
    assert_int_equal(rl.cap_ns, (uint64_t)UINT32_MAX * 1000000000ULL);
    assert_int_equal(take_all(&rl, 0), 1000000U);
    assert_true(ratelimit_recovered(&rl, 0));
}

static void an_earlier_time_earns_nothing(void **state)
{
    struct ratelimit rl;

    (void)state;
    ratelimit_init(&rl, 100U, 2U, 100 * MS);
    assert_int_equal(take_all(&rl, 100 * MS), 2U);
    /* Another CPU's older reading: no credit, and the later one still
     * counts from the newest time seen. */
    assert_false(ratelimit_take(&rl, 50 * MS));
    assert_false(ratelimit_take(&rl, 109 * MS));
    assert_true(ratelimit_take(&rl, 110 * MS));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_burst_then_the_rate),
        cmocka_unit_test(credit_stops_at_the_burst),
        cmocka_unit_test(recovered_at_half_full),
        cmocka_unit_test(a_burst_of_one),
        cmocka_unit_test(rate_zero_is_no_limit),
        cmocka_unit_test(the_largest_settings_do_not_overflow),
        cmocka_unit_test(an_earlier_time_earns_nothing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
