/* Domain creation, RAM and the 'q' key (common/domain/domain.c): a domain
 * is created with its vCPUs (pinned one per CPU of the affinity when
 * asked, wrapping), its PV state and the toolstack's choices (handle,
 * paused by the controller, port and grant-frame limits); any failure
 * leaves nothing behind; RAM goes in at a guest address or 1:1 in sorted,
 * merged banks; the 'q' key lists each domain and its vCPUs. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "heap_env.h"
#include "fake_console_api.h"
#include "fake_sched.h"
#include "domain_internal.h"
#include "evtchn_internal.h"
#include <proxenos/domain_create.h>
#include <proxenos/errno.h>
#include <proxenos/gnttab.h>
#include <proxenos/keyhandler.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
#include <proxenos/arch/domain.h>
#include <fake_arch.h>
#include <fake_domain.h>
#include <fake_p2m.h>

extern const struct keyhandler __keyhandler_start[], __keyhandler_end[];

#define HEAP_BASE 0x80000000ULL
#define HEAP_SIZE (64ULL << 20)
#define MIB       (1ULL << 20)

static uint64_t free_before;
static uint64_t objs_before;

static uint64_t free_pages_now(void)
{
    struct page_alloc_stats st;

    xmalloc_trim();
    page_alloc_stats(&st);
    return st.free_pages;
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
    fake_p2m_reset();
    fake_sched_reset();
    fake_console_api_reset();
    fake_console_quiet(true);
    heap_env_init(HEAP_BASE, (size_t)HEAP_SIZE);
    keyhandler_set_table(__keyhandler_start, __keyhandler_end);
    free_before = free_pages_now();
    objs_before = heap_env_objs_live();
    return 0;
}

/* Destroy what the test made; everything must come back. */
static int teardown(void **state)
{
    (void)state;
    for (struct domain *d = domain_get_next(NULL); d != NULL; d = domain_get_next(d)) {
        domain_destroy(d);
    }
    fake_set_cpu(0U);
    timer_interrupt();
    do_softirq();
    assert_int_equal(domain_count_in_memory(), 0U);
    assert_int_equal(free_pages_now(), free_before);
    assert_int_equal(heap_env_objs_live(), objs_before);
    return 0;
}

static struct domain *create(domid_t id, const char *name, unsigned int vcpus)
{
    struct domain_create_args a = { .name = name, .max_vcpus = vcpus };
    struct domain *d = NULL;

    assert_int_equal(domain_create(id, &a, &d), 0);
    return d;
}

static void expect_nothing_left(void)
{
    assert_int_equal(domain_count_in_memory(), 0U);
    assert_int_equal(free_pages_now(), free_before);
    assert_int_equal(heap_env_objs_live(), objs_before);
}

/* ---- Creation -------------------------------------------------------------- */

static void pinned_vcpus_take_one_cpu_each_in_turn(void **state)
{
    struct domain_create_args a = { .name = "pinned", .max_vcpus = 3U, .cpu_affinity = 0xaU,
                                     .pin_vcpus = true };
    struct domain_create_args b = { .name = "free", .max_vcpus = 2U, .cpu_affinity = 0xaU };
    struct domain *d;
    struct domain *e;
    struct domain *f;

    (void)state;
    assert_int_equal(domain_create(1U, &a, &d), 0);
    assert_int_equal(d->vcpu[0]->hard_affinity, 0x2U);
    assert_int_equal(d->vcpu[1]->hard_affinity, 0x8U);
    assert_int_equal(d->vcpu[2]->hard_affinity, 0x2U);
    assert_int_equal(d->vcpu[2]->soft_affinity, ~0ULL);
    assert_int_equal(d->state, DOMAIN_BUILDING);
    assert_int_equal(d->vcpu[0]->state, VCPU_OFFLINE);
    /* Without pinning, every vCPU may use the whole affinity. */
    assert_int_equal(domain_create(2U, &b, &e), 0);
    assert_int_equal(e->vcpu[1]->hard_affinity, 0xaU);
    /* No affinity: any CPU. */
    f = create(3U, "any", 1U);
    assert_int_equal(f->vcpu[0]->hard_affinity, ~0ULL);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_ADD, NULL), 6U);
}

static void the_toolstack_choices_apply(void **state)
{
    static const uint8_t handle[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
    struct domain_create_args a = { .name = "xl", .max_vcpus = 1U, .handle = handle,
                                     .controller_paused = true, .toolstack_limits = true,
                                     .max_evtchn_port = 1023U, .max_grant_frames = 4U };
    struct domain *d;

    (void)state;
    assert_int_equal(domain_create(7U, &a, &d), 0);
    assert_memory_equal(d->handle, handle, sizeof(handle));
    assert_int_equal(d->pause_count, 1U);
    assert_int_equal(d->controller_pause_count, 1U);
    assert_int_equal(d->evtchn->max_port, 1023U);
    /* A bad grant limit fails the creation and leaves nothing. */
    a.max_grant_frames = 0U;
    assert_int_equal(domain_create(8U, &a, &d), -EINVAL);
    assert_null(domain_get_by_id(8U));
}

static void bad_arguments_are_refused(void **state)
{
    struct domain_create_args a = { .name = "x", .max_vcpus = 0U };
    struct domain *d = NULL;

    (void)state;
    assert_int_equal(domain_create(1U, &a, &d), -EINVAL);
    a.max_vcpus = MAX_VCPUS_PER_DOMAIN + 1U;
    assert_int_equal(domain_create(1U, &a, &d), -EINVAL);
    a.max_vcpus = 1U;
    assert_int_equal(domain_create(DOMID_FIRST_RESERVED, &a, &d), -EINVAL);
    (void)create(1U, "first", 1U);
    assert_int_equal(domain_create(1U, &a, &d), -EEXIST);
    assert_int_equal(domain_count(), 1U);
}

static void failed_creations_leave_nothing(void **state)
{
    struct domain_create_args a = { .name = "x", .max_vcpus = 3U };
    struct domain *d = NULL;

    (void)state;
    fake_hook_fail(FAKE_ARCH_DOMAIN_CREATE, 1U, -ENODEV);
    assert_int_equal(domain_create(1U, &a, &d), -ENODEV);
    expect_nothing_left();
    /* The second vCPU cannot be made: the first goes again. */
    fake_hook_fail(FAKE_ARCH_VCPU_CREATE, 2U, -ENOMEM);
    assert_int_equal(domain_create(1U, &a, &d), -ENOMEM);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_VCPU_DESTROY), 2U);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_REMOVE, NULL), 2U);
    expect_nothing_left();
    assert_null(domain_get_by_id(1U));
}

/* ---- RAM ---------------------------------------------------------------------- */

static void ram_at_a_guest_address(void **state)
{
    struct domain *d;
    paddr_t ma;

    (void)state;
    d = create(1U, "ram", 1U);
    assert_int_equal(domain_populate_ram(d, 0x40000000U, 3U * MIB), 0);
    assert_int_equal(d->tot_pages, (3U * MIB) >> PAGE_SHIFT);
    assert_int_equal(arch_guest_ram_to_maddr(d, 0x40000000U + 3U * MIB - 1U, &ma), 0);
    assert_int_equal(domain_populate_ram(d, 0x40000800U, PAGE_SIZE), -EINVAL);
    assert_int_equal(domain_populate_ram(d, 0x50000000U, 100U), -EINVAL);
    /* The stage 2 refuses: the block goes back. */
    fake_p2m_fail_maps(1U);
    assert_int_equal(domain_populate_ram(d, 0x50000000U, PAGE_SIZE), -ENOMEM);
    assert_int_equal(d->tot_pages, (3U * MIB) >> PAGE_SHIFT);
    /* Copies need the RAM. */
    assert_int_equal(domain_copy_to_guest_phys(d, 0x40000000U + 3U * MIB - 2U, "abcd", 4U),
                     -ENOENT);
    assert_int_equal(domain_copy_to_guest_phys(d, 0x40000ffeU, "abcd", 4U), 0);
    assert_int_equal(arch_guest_ram_to_maddr(d, 0x40000ffeU, &ma), 0);
    assert_memory_equal(arch_maddr_to_virt(ma), "ab", 2U);
    assert_int_equal(arch_guest_ram_to_maddr(d, 0x40001000U, &ma), 0);
    assert_memory_equal(arch_maddr_to_virt(ma), "cd", 2U);
}

static void one_to_one_ram_in_sorted_merged_banks(void **state)
{
    struct domain *d;
    paddr_t start[8];
    uint64_t size[8];
    unsigned int nr = 8U;
    uint64_t total = 0U;

    (void)state;
    d = create(0U, "dom0", 1U);
    assert_int_equal(domain_populate_ram_direct(d, 6U * MIB + PAGE_SIZE, start, size, &nr), 0);
    assert_true((nr >= 1U) && (nr <= 3U));
    for (unsigned int i = 0U; i < nr; i++) {
        paddr_t ma;

        total += size[i];
        /* Guest-physical is host-physical, through the whole bank. */
        assert_int_equal(arch_guest_ram_to_maddr(d, start[i], &ma), 0);
        assert_int_equal(ma, start[i]);
        assert_int_equal(arch_guest_ram_to_maddr(d, start[i] + size[i] - 1U, &ma), 0);
        assert_int_equal(ma, start[i] + size[i] - 1U);
        /* Sorted, and banks that touch are one. */
        if (i > 0U) {
            assert_true(start[i - 1U] + size[i - 1U] < start[i]);
        }
    }
    assert_int_equal(total, 6U * MIB + PAGE_SIZE);
    assert_int_equal(d->tot_pages, total >> PAGE_SHIFT);
    nr = 8U;
    assert_int_equal(domain_populate_ram_direct(d, 100U, start, size, &nr), -EINVAL);
    /* More than there is. */
    nr = 8U;
    assert_int_equal(domain_populate_ram_direct(d, HEAP_SIZE, start, size, &nr), -ENOMEM);
}

static void one_to_one_ram_over_fragmented_memory(void **state)
{
    static mfn_t held[64];
    unsigned int nr_held = 0U;
    struct domain *d;
    paddr_t start[2];
    uint64_t size[2];
    unsigned int nr;

    (void)state;
    d = create(0U, "dom0", 1U);
    /* Free memory in 2 MiB blocks with taken ones between them. */
    for (;;) {
        mfn_t m = alloc_pages(9U, 0U);

        if (mfn_eq(m, INVALID_MFN)) {
            break;
        }
        assert_true(nr_held < 64U);
        held[nr_held] = m;
        nr_held++;
    }
    for (unsigned int i = 0U; i < nr_held; i += 2U) {
        free_pages(held[i], 9U);
    }
    /* Two banks that do not touch. */
    nr = 2U;
    assert_int_equal(domain_populate_ram_direct(d, 4U * MIB, start, size, &nr), 0);
    assert_int_equal(nr, 2U);
    assert_int_equal(size[0], 2U * MIB);
    assert_int_equal(size[1], 2U * MIB);
    assert_true(start[0] + size[0] < start[1]);
    /* Room for one bank only: refused. */
    nr = 1U;
    assert_int_equal(domain_populate_ram_direct(d, 4U * MIB, start, size, &nr), -ENOSPC);
    domain_destroy(d);
    fake_set_cpu(0U);
    timer_interrupt();
    do_softirq();
    for (unsigned int i = 1U; i < nr_held; i += 2U) {
        free_pages(held[i], 9U);
    }
}

/* ---- Teardown and the 'q' key --------------------------------------------------- */

static void destroy_twice_is_harmless(void **state)
{
    struct domain *d;

    (void)state;
    d = create(4U, "twice", 1U);
    domain_destroy(d);
    domain_destroy(d);
    assert_null(domain_get_by_id(4U));
}

static void poll_timeout_never_fires(void *data)
{
    (void)data;
    fail_msg("the poll timer of a destroyed vCPU fired");
}

/* A vCPU destroyed while a SCHEDOP_poll timeout is armed leaves no timer
 * behind in the queue (fuzz_hypercall found the freed vCPU's timer fired
 * later, from memory already handed out again). */
static void destroy_stops_an_armed_poll_timer(void **state)
{
    struct domain *d = create(3U, "poller", 2U);
    unsigned int queued = timer_queue_length(0U);

    (void)state;
    init_timer(&d->vcpu[1]->poll_timer, poll_timeout_never_fires, d->vcpu[1], 0U);
    set_timer(&d->vcpu[1]->poll_timer, NOW() + 1000000);
    assert_int_equal(timer_queue_length(0U), queued + 1U);
    domain_destroy(d);
    assert_int_equal(timer_queue_length(0U), queued);
    fake_advance(2000000);
    timer_interrupt();
    do_softirq();
}

static void the_q_key_lists_domains_and_vcpus(void **state)
{
    struct domain_create_args a = { .name = "Domain-0", .max_vcpus = 2U, .privileged = true };
    struct domain *dom0;
    struct domain *domu;

    (void)state;
    handle_keypress('q');
    assert_true(fake_log_contains("'q' pressed -> dump domain (and guest debug) info"));
    assert_true(fake_log_contains("Domains: none"));

    assert_int_equal(domain_create(0U, &a, &dom0), 0);
    assert_int_equal(domain_populate_ram(dom0, 0x40000000U, MIB), 0);
    domu = create(1U, "guest", 4U);
    domu->state = DOMAIN_RUNNING;
    domu->vcpu[1]->state = VCPU_RUNNABLE;
    domu->vcpu[2]->state = VCPU_RUNNING;
    domu->vcpu[2]->processor = 1U;
    domu->vcpu[3]->state = VCPU_BLOCKED;
    fake_log_clear();
    handle_keypress('q');
    assert_true(fake_log_contains("Domain 0 (Domain-0): building, 1024 KiB RAM, 2 vCPUs, "
                                  "privileged\n"));
    assert_true(fake_log_contains("Domain 1 (guest): running, 0 KiB RAM, 4 vCPUs\n"));
    assert_true(fake_log_contains("  vCPU 0: offline on CPU 0"));
    assert_true(fake_log_contains("  vCPU 1: runnable on CPU 0"));
    assert_true(fake_log_contains("  vCPU 2: running on CPU 1"));
    assert_true(fake_log_contains("  vCPU 3: blocked on CPU 0"));
    assert_int_equal(fake_hook_calls(FAKE_ARCH_DUMP_DOMAIN), 2U);
    domu->state = DOMAIN_SHUTDOWN;
    dom0->state = DOMAIN_CRASHED;
    fake_log_clear();
    handle_keypress('q');
    assert_true(fake_log_contains("Domain 0 (Domain-0): crashed,"));
    assert_true(fake_log_contains("Domain 1 (guest): shut down,"));
    domu->vcpu[2]->state = VCPU_OFFLINE;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pinned_vcpus_take_one_cpu_each_in_turn, setup, teardown),
        cmocka_unit_test_setup_teardown(the_toolstack_choices_apply, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_arguments_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_creations_leave_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(ram_at_a_guest_address, setup, teardown),
        cmocka_unit_test_setup_teardown(one_to_one_ram_in_sorted_merged_banks, setup, teardown),
        cmocka_unit_test_setup_teardown(one_to_one_ram_over_fragmented_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(destroy_twice_is_harmless, setup, teardown),
        cmocka_unit_test_setup_teardown(destroy_stops_an_armed_poll_timer, setup, teardown),
        cmocka_unit_test_setup_teardown(the_q_key_lists_domains_and_vcpus, setup, teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
