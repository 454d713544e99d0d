/* sched= (common/sched/sched_params.c): Xen's scheduler names; the ones
 * this build has (here the shared fake registry's five) are
 * chosen for new pools, Xen's others are refused as not supported
 * (-EOPNOTSUPP), any other name as invalid; a refused value leaves the
 * choice as it was. sched_ratelimit_us= is one value for every scheduler. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/cmdline.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/sched_ops.h>
#include <proxenos/sched_params.h>
#include <fake_arch.h>

static void the_default_and_the_built_schedulers(void **state)
{
    (void)state;
    fake_reset();
    assert_string_equal(sched_default_name(), SCHED_DEFAULT_NAME);
    assert_int_equal(cmdline_parse("sched=rtds"), 0);
    assert_string_equal(sched_default_name(), "rtds");
    /* The registry's own string: the command line may be reused. */
    assert_ptr_equal(sched_default_name(), sched_ops_by_name("rtds")->name);
    assert_int_equal(cmdline_parse("sched=credit2"), 0);
    assert_string_equal(sched_default_name(), "credit2");
}

static void other_names_are_refused(void **state)
{
    const char *before;

    (void)state;
    fake_reset();
    before = sched_default_name();
    assert_int_equal(cmdline_parse("sched=fifo"), -EINVAL);
    assert_int_equal(cmdline_parse("sched=Credit2"), -EINVAL);
    assert_string_equal(sched_default_name(), before);
}

static void one_rate_limit_for_all(void **state)
{
    (void)state;
    assert_int_equal(sched_ratelimit_us, SCHED_DEFAULT_RATELIMIT_US);
    assert_int_equal(SCHED_DEFAULT_RATELIMIT_US, 1000U);    /* Xen's */
    assert_int_equal(cmdline_parse("sched_ratelimit_us=500"), 0);
    assert_int_equal(sched_ratelimit_us, 500U);
    assert_int_equal(cmdline_parse("sched_ratelimit_us=0"), 0);
    assert_int_equal(sched_ratelimit_us, 0U);
    sched_ratelimit_us = SCHED_DEFAULT_RATELIMIT_US;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_default_and_the_built_schedulers),
        cmocka_unit_test(other_names_are_refused),
        cmocka_unit_test(one_rate_limit_for_all),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
