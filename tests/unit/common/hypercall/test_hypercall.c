/* The hypercall table: numbers reach their family's handler with the
 * arguments untouched; anything else is -ENOSYS. The handlers are the
 * shared fake's recorders (fake_hypercalls.c), standing in for the real
 * families. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/errno.h>
#include <proxenos/hypercall.h>
#include <fake_arch.h>
#include "fake_hypercalls.h"

/* The families are the shared fake_hypercalls.c: each handler records its
 * name and arguments and answers ANSWER. */
#define ANSWER 7

static int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_hypercalls_reset();
    fake_hypercalls_set_answer(ANSWER);
    return 0;
}

static void routes_each_family(void **state)
{
    static const struct {
        uint64_t nr;
        const char *fn;
        unsigned int nargs;
    } cases[] = {
        { 7U, "do_platform_op", 1U },
        { 12U, "do_memory_op", 2U },
        { 13U, "multicall_run", 2U },
        { 17U, "do_xen_version", 2U },
        { 18U, "do_console_io", 3U },
        { 20U, "do_grant_table_op", 3U },
        { 21U, "do_vm_assist", 2U },
        { 24U, "do_vcpu_op", 3U },
        { 29U, "do_sched_op", 2U },
        { 32U, "do_event_channel_op", 2U },
        { 33U, "do_physdev_op", 2U },
        { 34U, "do_hvm_op", 2U },
        { 35U, "do_sysctl", 1U },
        { 36U, "do_domctl", 1U },
        { 41U, "do_dm_op", 3U },
    };

    (void)state;
    for (unsigned int i = 0U; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct hcall_args a = { { 1U, 2U, 3U, 4U, 5U + i } };
        struct hcall_args seen;
        const char *called;

        assert_int_equal(hypercall_dispatch(cases[i].nr, &a), ANSWER);
        assert_int_equal(fake_hypercalls_calls(), i + 1U);
        called = fake_hypercall_last(&seen);
        assert_non_null(called);
        assert_string_equal(called, cases[i].fn);
        for (unsigned int n = 0U; n < 5U; n++) {
            assert_int_equal(seen.a[n], a.a[n]);
        }
        assert_int_equal(hypercall_nr_args(cases[i].nr), cases[i].nargs);
    }
    /* The multicall entry of the table hands the batch runner the table's
     * own dispatcher. */
    assert_ptr_equal(fake_multicall_dispatch(), hypercall_dispatch);
}

static void unknown_numbers_are_enosys(void **state)
{
    /* Inside the table but unused (x86 only, xsm_op) and far outside
     * it, including values that would wrap an index. */
    static const uint64_t nrs[] = {
        0U, 1U, 6U, 16U, 19U, 26U, 27U, 55U, 56U, 1000U,
        0x80000000ULL, UINT64_MAX,
    };
    struct hcall_args a = { { 0U } };

    (void)state;
    for (unsigned int i = 0U; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
        assert_int_equal(hypercall_dispatch(nrs[i], &a), -ENOSYS);
        assert_int_equal(hypercall_nr_args(nrs[i]), 0U);
    }
    assert_null(fake_hypercall_last(NULL));
    assert_int_equal(fake_hypercalls_calls(), 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(routes_each_family, setup),
        cmocka_unit_test_setup(unknown_numbers_are_enosys, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
