/* Ranges kept for one back end and a domain held until they are claimed
 * (common/ioreq/ioreq_reserve.c, the dom0less virtio devices): what
 * ioreq_reserve() refuses, that only the named back end may map a
 * reserved memory range (other types and other addresses stay free), and
 * that a held domain is unpaused exactly once, when enabled servers of
 * its back end claim every range, in whichever order the back end
 * enables and maps. Domains: evtchn_env.c (dom0, domU 1 the target with
 * two vCPUs, domU 2 standing in for another would-be back end). */
#define EVTCHN_TEST_MAIN
#include "../evtchn_env.c"

#include <proxenos/ioreq.h>
#include <proxenos/ioreq_reserve.h>
#include <public/dm_op.h>
#include "ioreq_internal.h"

#define DEV0 0x2000000ULL
#define DEV1 0x2000200ULL
#define DEV_LAST(b) ((b) + 0x1ffULL)

static const struct ioreq_reservation two_for_dom0[2] = {
    { DEV0, DEV_LAST(DEV0), 0U },
    { DEV1, DEV_LAST(DEV1), 0U },
};

static int map(unsigned int cur, ioservid_t id, uint32_t type, uint64_t s, uint64_t e)
{
    return ioreq_server_map_range(D(cur), D(1U), id, type, s, e, true);
}

static ioservid_t server_of(unsigned int cur)
{
    ioservid_t id = 0xffffU;

    assert_int_equal(ioreq_server_create(D(cur), D(1U), 0U, &id), 0);
    return id;
}

static int iteardown(void **state)
{
    for (unsigned int i = 0U; i < NR_DOMS; i++) {
        ioreq_domain_destroy(D(i));
        D(i)->nr_ioreq_reserved = 0U;
        D(i)->ioreq_held = false;
        D(i)->pause_count = 0U;
    }
    return teardown(state);
}

static void test_reserve_refuses(void **state)
{
    struct ioreq_reservation many[IOREQ_MAX_RESERVED + 1U] = { 0 };
    const struct ioreq_reservation backwards = { DEV1, DEV0, 0U };

    (void)state;
    assert_int_equal(ioreq_reserve(D(1U), many, IOREQ_MAX_RESERVED + 1U, true), -EINVAL);
    assert_int_equal(ioreq_reserve(D(1U), &backwards, 1U, true), -EINVAL);
    /* Refused: nothing kept, nothing paused. */
    assert_int_equal(D(1U)->nr_ioreq_reserved, 0U);
    assert_int_equal(D(1U)->pause_count, 0U);
    assert_false(ioreq_held(D(1U)));
    /* None to wait for: no hold. */
    assert_int_equal(ioreq_reserve(D(1U), NULL, 0U, true), 0);
    assert_false(ioreq_held(D(1U)));
    assert_int_equal(D(1U)->pause_count, 0U);
}

static void test_only_the_backend_maps(void **state)
{
    const struct ioreq_reservation for_d2 = { DEV0, DEV_LAST(DEV0), 2U };
    ioservid_t mine;
    ioservid_t other;

    (void)state;
    assert_int_equal(ioreq_reserve(D(1U), &for_d2, 1U, false), 0);
    assert_false(ioreq_held(D(1U)));
    mine = server_of(0U);
    /* dom0 may not take domU 2's device, wholly, partly or around it. */
    assert_int_equal(map(0U, mine, XEN_DMOP_IO_RANGE_MEMORY, DEV0, DEV_LAST(DEV0)), -EPERM);
    assert_int_equal(map(0U, mine, XEN_DMOP_IO_RANGE_MEMORY, DEV0 + 0x100U, DEV0 + 0x103U),
                     -EPERM);
    assert_int_equal(map(0U, mine, XEN_DMOP_IO_RANGE_MEMORY, DEV0 - 0x1000U, DEV0), -EPERM);
    assert_int_equal(map(0U, mine, XEN_DMOP_IO_RANGE_MEMORY, DEV_LAST(DEV0), DEV1), -EPERM);
    /* Next to it, and port ranges, are free. */
    assert_int_equal(map(0U, mine, XEN_DMOP_IO_RANGE_MEMORY, DEV0 - 0x1000U, DEV0 - 1U), 0);
    assert_int_equal(map(0U, mine, XEN_DMOP_IO_RANGE_MEMORY, DEV1, DEV_LAST(DEV1)), 0);
    assert_int_equal(map(0U, mine, XEN_DMOP_IO_RANGE_PORT, DEV0, DEV_LAST(DEV0)), 0);
    assert_false(ioreq_reserved_for(D(1U), 0U, DEV0, DEV0));
    assert_true(ioreq_reserved_for(D(1U), 2U, DEV0, DEV0));
    /* domU 2, its back end, may. */
    other = server_of(2U);
    assert_int_equal(map(2U, other, XEN_DMOP_IO_RANGE_MEMORY, DEV0, DEV_LAST(DEV0)), 0);
    /* Unmapping is never refused by a reservation. */
    assert_int_equal(ioreq_server_map_range(D(2U), D(1U), other, XEN_DMOP_IO_RANGE_MEMORY, DEV0,
                                            DEV_LAST(DEV0), false), 0);
}

static void test_held_until_all_claimed(void **state)
{
    ioservid_t id;

    (void)state;
    assert_int_equal(ioreq_reserve(D(1U), two_for_dom0, 2U, true), 0);
    assert_true(ioreq_held(D(1U)));
    assert_int_equal(D(1U)->pause_count, 1U);
    id = server_of(0U);
    /* Mapped but not enabled: nobody answers yet. */
    assert_int_equal(map(0U, id, XEN_DMOP_IO_RANGE_MEMORY, DEV0, DEV_LAST(DEV0)), 0);
    assert_int_equal(D(1U)->pause_count, 1U);
    /* Enabled with one of two claimed. */
    assert_int_equal(ioreq_server_set_state(D(0U), D(1U), id, true), 0);
    assert_true(ioreq_held(D(1U)));
    /* Half of the second one. */
    assert_int_equal(map(0U, id, XEN_DMOP_IO_RANGE_MEMORY, DEV1, DEV1 + 0xffU), 0);
    assert_true(ioreq_held(D(1U)));
    assert_int_equal(D(1U)->pause_count, 1U);
    /* The rest: released. */
    assert_int_equal(map(0U, id, XEN_DMOP_IO_RANGE_MEMORY, DEV1 + 0x100U, DEV_LAST(DEV1)), 0);
    assert_false(ioreq_held(D(1U)));
    assert_int_equal(D(1U)->pause_count, 0U);
    /* Once only: the back end's later calls do not unpause again. */
    assert_int_equal(ioreq_server_set_state(D(0U), D(1U), id, false), 0);
    assert_int_equal(ioreq_server_set_state(D(0U), D(1U), id, true), 0);
    assert_int_equal(map(0U, id, XEN_DMOP_IO_RANGE_MEMORY, 0x3000000U, 0x3000fffU), 0);
    ioreq_release_if_claimed(D(1U));
    assert_int_equal(D(1U)->pause_count, 0U);
}

/* libxendevicemodel's order: enable first, map after; and the ranges in
 * two servers of the same back end. */
static void test_held_enable_then_map(void **state)
{
    ioservid_t a;
    ioservid_t b;

    (void)state;
    assert_int_equal(ioreq_reserve(D(1U), two_for_dom0, 2U, true), 0);
    a = server_of(0U);
    b = server_of(0U);
    assert_int_equal(ioreq_server_set_state(D(0U), D(1U), a, true), 0);
    assert_int_equal(map(0U, a, XEN_DMOP_IO_RANGE_MEMORY, DEV0, DEV_LAST(DEV0)), 0);
    /* b claims the second range while disabled: still held. */
    assert_int_equal(map(0U, b, XEN_DMOP_IO_RANGE_MEMORY, DEV1, DEV_LAST(DEV1)), 0);
    assert_true(ioreq_held(D(1U)));
    assert_int_equal(ioreq_server_set_state(D(0U), D(1U), b, true), 0);
    assert_false(ioreq_held(D(1U)));
    assert_int_equal(D(1U)->pause_count, 0U);
}

/* A domain the toolstack also paused stays paused by it. */
static void test_release_keeps_other_pauses(void **state)
{
    ioservid_t id;

    (void)state;
    assert_int_equal(ioreq_reserve(D(1U), two_for_dom0, 1U, true), 0);
    domain_pause(D(1U));
    assert_int_equal(D(1U)->pause_count, 2U);
    id = server_of(0U);
    assert_int_equal(ioreq_server_set_state(D(0U), D(1U), id, true), 0);
    assert_int_equal(map(0U, id, XEN_DMOP_IO_RANGE_MEMORY, DEV0, DEV_LAST(DEV0)), 0);
    assert_false(ioreq_held(D(1U)));
    assert_int_equal(D(1U)->pause_count, 1U);
    domain_unpause(D(1U));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reserve_refuses, setup, iteardown),
        cmocka_unit_test_setup_teardown(test_only_the_backend_maps, setup, iteardown),
        cmocka_unit_test_setup_teardown(test_held_until_all_claimed, setup, iteardown),
        cmocka_unit_test_setup_teardown(test_held_enable_then_map, setup, iteardown),
        cmocka_unit_test_setup_teardown(test_release_keeps_other_pauses, setup, iteardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
