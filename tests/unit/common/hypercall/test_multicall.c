/* __HYPERVISOR_multicall (multicall.c): each entry of the guest's list goes
 * through the dispatcher with its five arguments, its result lands in the
 * entry and nothing else is relied on; a batch inside a batch fails alone
 * (-EINVAL); a list the guest cannot read or write ends the batch with
 * -EFAULT; a sub-call that wants continuing (-ERESTART) keeps its
 * progress in its entry and the batch continues from there. */
#include "test_pv_hcall_env.h"

#include <public/xen.h>

#define LIST_OFF 0x200U
#define LIST (GUEST_BASE + LIST_OFF)

/* The dispatcher the test hands in: records each call, answers nr * 10,
 * or -ERESTART for op 99 until it has been called `restarts` times, each
 * time moving its first argument on (its progress). */
static unsigned int calls;
static uint64_t ops[16];
static uint64_t args_seen[16][5];
static unsigned int restarts;

static long dispatch(uint64_t nr, struct hcall_args *a)
{
    if (calls < 16U) {
        ops[calls] = nr;
        for (unsigned int i = 0U; i < 5U; i++) {
            args_seen[calls][i] = a->a[i];
        }
    }
    calls++;
    if (nr == 99U) {
        if (restarts > 0U) {
            restarts--;
            a->a[0] += 100U;
            return -ERESTART;
        }
        return (long)a->a[0];
    }
    return (long)(nr * 10U);
}

static struct multicall_entry *entry(unsigned int i)
{
    return (struct multicall_entry *)garg(1U, LIST_OFF + (i * sizeof(struct multicall_entry)));
}

static void fill(unsigned int i, uint64_t op)
{
    struct multicall_entry *e = entry(i);

    e->op = op;
    e->result = 12345;
    for (unsigned int k = 0U; k < 6U; k++) {
        e->args[k] = (op * 100U) + k;
    }
}

static long batch(uint64_t list, uint64_t nr, struct hcall_args *a)
{
    a->a[0] = list;
    a->a[1] = nr;
    return multicall_run(a, dispatch);
}

static int setup(void **state)
{
    (void)state;
    env_setup();
    as(1U, 0U);
    calls = 0U;
    restarts = 0U;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(fake_domain_refs_total(), 0U);
    return 0;
}

static void runs_each_entry_in_order(void **state)
{
    struct hcall_args a = { { 0 } };

    (void)state;
    fill(0U, 17U);
    fill(1U, 29U);
    fill(2U, 33U);
    assert_int_equal(batch(LIST, 3U, &a), 0);
    assert_int_equal(calls, 3U);
    assert_int_equal(ops[0], 17U);
    assert_int_equal(ops[1], 29U);
    assert_int_equal(ops[2], 33U);
    /* Five arguments reach the sub-call; the sixth is not an argument on
     * Arm (the ABI passes five). */
    for (unsigned int k = 0U; k < 5U; k++) {
        assert_int_equal(args_seen[1][k], (29U * 100U) + k);
    }
    assert_int_equal(entry(0U)->result, 170);
    assert_int_equal(entry(1U)->result, 290);
    assert_int_equal(entry(2U)->result, 330);
    /* An empty batch does nothing. */
    calls = 0U;
    assert_int_equal(batch(LIST, 0U, &a), 0);
    assert_int_equal(calls, 0U);
}

static void nested_batch_fails_alone(void **state)
{
    struct hcall_args a = { { 0 } };

    (void)state;
    fill(0U, 17U);
    fill(1U, (uint64_t)__HYPERVISOR_multicall);
    fill(2U, 18U);
    assert_int_equal(batch(LIST, 3U, &a), 0);
    assert_int_equal(calls, 2U);
    assert_int_equal(entry(0U)->result, 170);
    assert_int_equal(entry(1U)->result, -EINVAL);
    assert_int_equal(entry(2U)->result, 180);
}

static void unreadable_list_stops_the_batch(void **state)
{
    struct hcall_args a = { { 0 } };
    uint64_t last = GUEST_BASE + (ENV_PAGES * PAGE_SIZE) - sizeof(struct multicall_entry);

    (void)state;
    /* The list runs off the end of the guest's RAM: the entries inside
     * run, the first outside ends the batch with -EFAULT. */
    *(struct multicall_entry *)garg(1U, last - GUEST_BASE) =
        (struct multicall_entry){ .op = 17U, .result = 0 };
    assert_int_equal(batch(last, 2U, &a), -EFAULT);
    assert_int_equal(calls, 1U);
    assert_int_equal(((struct multicall_entry *)garg(1U, last - GUEST_BASE))->result, 170);
    /* A list that cannot be written back: the sub-call ran, -EFAULT. */
    calls = 0U;
    fill(0U, 17U);
    fake_guest_fault(LIST, sizeof(struct multicall_entry), true);
    assert_int_equal(batch(LIST, 1U, &a), -EFAULT);
    assert_int_equal(calls, 1U);
    /* Not even readable: nothing runs. */
    calls = 0U;
    fake_guest_fault(LIST, sizeof(struct multicall_entry), false);
    assert_int_equal(batch(LIST, 1U, &a), -EFAULT);
    assert_int_equal(calls, 0U);
}

static void continuation_resumes_at_the_entry(void **state)
{
    struct hcall_args a = { { 0 } };
    long rc;

    (void)state;
    fill(0U, 17U);
    fill(1U, 99U);
    fill(2U, 18U);
    restarts = 2U;
    rc = batch(LIST, 3U, &a);
    /* Entry 1 asked to continue: the batch resumes at it, two entries
     * left, with the sub-call's progress saved in the entry. */
    assert_int_equal(rc, -ERESTART);
    assert_int_equal(a.a[0], LIST + sizeof(struct multicall_entry));
    assert_int_equal(a.a[1], 2U);
    assert_int_equal(entry(0U)->result, 170);
    assert_int_equal(entry(1U)->args[0], (99U * 100U) + 100U);
    /* The guest's PC is rewound and it calls again with what it was
     * given back, until the sub-call is done. */
    assert_int_equal(multicall_run(&a, dispatch), -ERESTART);
    assert_int_equal(entry(1U)->args[0], (99U * 100U) + 200U);
    assert_int_equal(multicall_run(&a, dispatch), 0);
    assert_int_equal(entry(1U)->result, (99 * 100) + 200);
    assert_int_equal(entry(2U)->result, 180);
    assert_int_equal(calls, 5U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(runs_each_entry_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(nested_batch_fails_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(unreadable_list_stops_the_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(continuation_resumes_at_the_entry, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
