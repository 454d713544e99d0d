/* The hypercall table: numbers reach their family's handler with the
 * arguments untouched; anything else is -ENOSYS. The handlers here are
 * recorders standing in for the real families. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/errno.h>
#include <proxenos/hypercall.h>
#include <fake_arch.h>

static const char *called;
static uint64_t seen[5];

static long record(const char *name, struct hcall_args *args)
{
    called = name;
    for (unsigned int i = 0U; i < 5U; i++) {
        seen[i] = args->a[i];
    }
    return 7;
}

#define RECORDER(fn) long fn(struct hcall_args *args) { return record(#fn, args); }
RECORDER(do_xen_version)
RECORDER(do_console_io)
RECORDER(do_sched_op)
RECORDER(do_vcpu_op)
RECORDER(do_vm_assist)
RECORDER(do_memory_op)
RECORDER(do_event_channel_op)
RECORDER(do_grant_table_op)
RECORDER(do_hvm_op)
RECORDER(do_physdev_op)
RECORDER(do_platform_op)
/* The multicall entry of the table hands the batch runner the table's own
 * dispatcher. */
long multicall_run(struct hcall_args *args, hcall_dispatch_fn dispatch)
{
    assert_ptr_equal(dispatch, hypercall_dispatch);
    return record("multicall_run", args);
}
RECORDER(do_sysctl)
RECORDER(do_domctl)

static int setup(void **state)
{
    (void)state;
    fake_reset();
    called = NULL;
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
    };

    (void)state;
    for (unsigned int i = 0U; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct hcall_args a = { { 1U, 2U, 3U, 4U, 5U + i } };

        called = NULL;
        assert_int_equal(hypercall_dispatch(cases[i].nr, &a), 7);
        assert_non_null(called);
        assert_string_equal(called, cases[i].fn);
        assert_int_equal(seen[4], 5U + i);
        assert_int_equal(seen[0], 1U);
        assert_int_equal(hypercall_nr_args(cases[i].nr), cases[i].nargs);
    }
}

static void unknown_numbers_are_enosys(void **state)
{
    /* Inside the table but unused (x86 only, xsm_op, dm_op) and far
     * outside it, including values that would wrap an index. */
    static const uint64_t nrs[] = {
        0U, 1U, 6U, 16U, 19U, 26U, 27U, 41U, 55U, 56U, 1000U,
        0x80000000ULL, UINT64_MAX,
    };
    struct hcall_args a = { { 0U } };

    (void)state;
    for (unsigned int i = 0U; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
        assert_int_equal(hypercall_dispatch(nrs[i], &a), -ENOSYS);
        assert_int_equal(hypercall_nr_args(nrs[i]), 0U);
    }
    assert_null(called);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(routes_each_family, setup),
        cmocka_unit_test_setup(unknown_numbers_are_enosys, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
