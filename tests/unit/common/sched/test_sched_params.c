/* sched= (common/sched/sched_params.c): Xen's scheduler names; the ones
 * this build has (here the shared fake registry's five) are
 * chosen for new pools, Xen's others are refused as not supported
 * (-EOPNOTSUPP), any other name as invalid; a refused value leaves the
 * choice as it was. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_default_and_the_built_schedulers),
        cmocka_unit_test(other_names_are_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
