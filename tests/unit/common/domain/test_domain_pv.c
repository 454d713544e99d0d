/* A domain's Xen PV state (common/domain/domain_pv.c) and its shared info
 * page (shared_info.c), with the real event channels, grant tables, PV
 * console and wall clock behind them: init gives every vCPU a vcpu_info
 * (vCPU 0 in the shared page, the others their dummy until they register
 * one: XEN_LEGACY_MAX_VCPUS is 1 on Arm), publishes the wall clock, and
 * sets up the event channels, a one-frame grant table and the console;
 * destroy gives back every page and object, also after a half-done init
 * or a registered vcpu_info page; marking events pending raises the
 * upcall once until the guest clears it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/domain_pv.h>
#include <proxenos/console_io.h>
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/arch/mm.h>
#include <fake_arch.h>
#include "heap_env.h"
#include "pv_mem.h"
#include "fake_console_api.h"
#include "fake_domains.h"
#include "fake_sched.h"

#define RAM0      0x40000000ULL
#define RAM_SIZE  (8ULL << 20)
#define GUEST_RAM 0x80000000ULL
#define NR_VCPUS  2U

static struct domain dom;
static struct vcpu vcpus[NR_VCPUS];
static struct vcpu *vcpu_ptrs[NR_VCPUS];
static struct page_alloc_stats before;
static uint64_t objs_before;

static void make_domain(struct domain *d, struct vcpu *vs, struct vcpu **ptrs, domid_t id)
{
    memset(d, 0, sizeof(*d));
    d->domain_id = id;
    d->state = DOMAIN_RUNNING;
    d->max_vcpus = NR_VCPUS;
    d->vcpu = ptrs;
    for (unsigned int i = 0U; i < NR_VCPUS; i++) {
        memset(&vs[i], 0, sizeof(vs[i]));
        vs[i].vcpu_id = i;
        vs[i].domain = d;
        vs[i].vcpu_info = &vs[i].vcpu_info_dummy;
        ptrs[i] = &vs[i];
    }
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_console_quiet(true);
    fake_domains_reset();
    fake_sched_reset();
    fake_console_api_reset();
    heap_env_init(RAM0, (size_t)RAM_SIZE);
    fake_set_evtchn_default_irq(19U);
    make_domain(&dom, vcpus, vcpu_ptrs, 1U);
    fake_domain_list(&dom);
    page_alloc_stats(&before);
    objs_before = heap_env_objs_live();
    return 0;
}

/* Everything init took came back (xmalloc keeps an empty slab per size
 * class unless trimmed). */
static void expect_heap_as_before(void)
{
    struct page_alloc_stats now;

    xmalloc_trim();
    page_alloc_stats(&now);
    assert_int_equal(now.free_pages, before.free_pages);
    assert_int_equal(heap_env_objs_live(), objs_before);
}

static void init_sets_up_every_part_and_destroy_undoes_it(void **state)
{
    (void)state;
    assert_int_equal(domain_pv_init(&dom), 0);
    assert_non_null(dom.shared_info);
    assert_non_null(dom.evtchn);
    assert_non_null(dom.gnttab);
    /* vCPU 0's upcall state is in the shared page; vCPU 1 has none there. */
    assert_ptr_equal(vcpus[0].vcpu_info, &dom.shared_info->vcpu_info[0]);
    assert_ptr_equal(vcpus[1].vcpu_info, &vcpus[1].vcpu_info_dummy);
    /* The page is the domain's shared info frame, zeroed but for the wall
     * clock, published with an even (stable) version. */
    assert_int_equal(mfn_x(domain_shared_info_mfn(&dom)),
                     arch_virt_to_maddr(dom.shared_info) >> PAGE_SHIFT);
    assert_int_not_equal(dom.shared_info->wc_version, 0U);
    assert_int_equal(dom.shared_info->wc_version % 2U, 0U);
    assert_int_equal(dom.shared_info->evtchn_pending[0], 0U);
    /* The upcall line: the architecture's default when none was chosen. */
    assert_int_equal(dom.evtchn_irq, 19U);

    domain_pv_destroy(&dom);
    assert_null(dom.shared_info);
    assert_null(dom.evtchn);
    assert_null(dom.gnttab);
    assert_int_equal(mfn_x(domain_shared_info_mfn(&dom)), mfn_x(INVALID_MFN));
    expect_heap_as_before();
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void a_chosen_upcall_line_is_kept(void **state)
{
    (void)state;
    dom.evtchn_irq = 31U;
    assert_int_equal(domain_pv_init(&dom), 0);
    assert_int_equal(dom.evtchn_irq, 31U);
    domain_pv_destroy(&dom);
    expect_heap_as_before();
}

static void the_control_domain_takes_console_input(void **state)
{
    const char *name = NULL;

    (void)state;
    dom.is_privileged = true;
    assert_int_equal(domain_pv_init(&dom), 0);
    assert_int_equal(fake_sinks_registered(), 1U);
    assert_non_null(fake_sink(1U, &name));
    domain_pv_destroy(&dom);
    assert_int_equal(fake_sinks_removed(), 1U);
    assert_null(fake_sink(1U, NULL));
    expect_heap_as_before();
}

static void init_fails_cleanly_without_a_page(void **state)
{
    mfn_t held[2048];
    unsigned int n = 0U;

    (void)state;
    /* Take every free page: the shared info page cannot be had. */
    for (;;) {
        mfn_t m = alloc_pages(0U, 0U);

        if (mfn_eq(m, INVALID_MFN)) {
            break;
        }
        assert_true(n < 2048U);
        held[n] = m;
        n++;
    }
    assert_int_equal(domain_pv_init(&dom), -ENOMEM);
    assert_null(dom.shared_info);
    assert_null(dom.evtchn);
    while (n > 0U) {
        n--;
        free_pages(held[n], 0U);
    }
    expect_heap_as_before();
}

static void init_fails_cleanly_without_a_console(void **state)
{
    static struct domain others[MAX_DOMAINS];
    static struct vcpu other_vcpus[MAX_DOMAINS][NR_VCPUS];
    static struct vcpu *other_ptrs[MAX_DOMAINS][NR_VCPUS];

    (void)state;
    /* Every PV console slot taken by other domains. */
    for (unsigned int i = 0U; i < MAX_DOMAINS; i++) {
        make_domain(&others[i], other_vcpus[i], other_ptrs[i], (domid_t)(10U + i));
        assert_int_equal(console_io_domain_init(&others[i]), 0);
    }
    page_alloc_stats(&before);
    objs_before = heap_env_objs_live();
    /* The last step fails: the first ones are undone. */
    assert_int_equal(domain_pv_init(&dom), -ENOSPC);
    assert_null(dom.shared_info);
    assert_null(dom.evtchn);
    assert_null(dom.gnttab);
    assert_ptr_equal(vcpus[0].vcpu_info, &vcpus[0].vcpu_info_dummy);
    expect_heap_as_before();
    for (unsigned int i = 0U; i < MAX_DOMAINS; i++) {
        console_io_domain_destroy(&others[i]);
    }
    /* A slot free again: init works. */
    assert_int_equal(domain_pv_init(&dom), 0);
    domain_pv_destroy(&dom);
}

static void a_registered_vcpu_info_page_is_released(void **state)
{
    mfn_t ram = alloc_pages(0U, ALLOC_ZERO);
    struct vcpu_info *vi;

    (void)state;
    assert_false(mfn_eq(ram, INVALID_MFN));
    fake_guest_map(&dom, GUEST_RAM, mfn_to_paddr(ram), PAGE_SIZE);
    assert_int_equal(domain_pv_init(&dom), 0);
    /* vCPU 1 registers a vcpu_info at offset 64 of a guest page (what
     * VCPUOP_register_vcpu_info does): the page is pinned. */
    assert_int_equal(guest_page_get(&dom, gfn(GUEST_RAM >> PAGE_SHIFT), &vcpus[1].vcpu_info_page), 0);
    vi = (struct vcpu_info *)((uint8_t *)vcpus[1].vcpu_info_page.va + 64U);
    vcpu_set_vcpu_info(&vcpus[1], vi);
    assert_ptr_equal(vcpus[1].vcpu_info, vi);
    assert_true(guest_page_pinned(mfn_to_page(ram)));
    /* Back to the default: vCPU 0's is in the shared page. */
    vcpu_set_vcpu_info(&vcpus[0], NULL);
    assert_ptr_equal(vcpus[0].vcpu_info, &dom.shared_info->vcpu_info[0]);

    domain_pv_destroy(&dom);
    assert_false(guest_page_pinned(mfn_to_page(ram)));
    assert_null(vcpus[1].vcpu_info_page.pg);
    assert_ptr_equal(vcpus[1].vcpu_info, &vcpus[1].vcpu_info_dummy);
    assert_ptr_equal(vcpus[0].vcpu_info, &vcpus[0].vcpu_info_dummy);
    /* Without a shared page, the default is the dummy for every vCPU. */
    vcpu_set_vcpu_info(&vcpus[0], NULL);
    assert_ptr_equal(vcpus[0].vcpu_info, &vcpus[0].vcpu_info_dummy);
    free_pages(ram, 0U);
    expect_heap_as_before();
}

/* A guest may put its vcpu_info on one of its grant frames (mapped into
 * its RAM by add_to_physmap): destroy releases that pin before the frame is
 * freed, so no write through the vcpu_info can land in a page the heap has
 * handed on. */
/* The machine address of the domain's grant frame 0. */
static paddr_t grant_frame0(void)
{
    mfn_t m = INVALID_MFN;

    assert_int_equal(gnttab_resource_frames(&dom, 0U, 1U, &m), 0);
    return mfn_to_paddr(m);
}

static void a_vcpu_info_on_a_grant_frame_goes_before_the_frame(void **state)
{
    struct vcpu_info *vi;
    paddr_t frame;

    (void)state;
    assert_int_equal(domain_pv_init(&dom), 0);
    frame = grant_frame0();
    fake_guest_map(&dom, GUEST_RAM, frame, PAGE_SIZE);
    assert_int_equal(guest_page_get(&dom, gfn(GUEST_RAM >> PAGE_SHIFT), &vcpus[1].vcpu_info_page), 0);
    vi = (struct vcpu_info *)((uint8_t *)vcpus[1].vcpu_info_page.va + 64U);
    vcpu_set_vcpu_info(&vcpus[1], vi);
    assert_true(guest_page_pinned(mfn_to_page(paddr_to_mfn(frame))));

    domain_pv_destroy(&dom);
    assert_false(fake_log_contains("still in use at destroy"));
    assert_null(vcpus[1].vcpu_info_page.pg);
    expect_heap_as_before();
}

/* Should a pin outlive destroy all the same, the frame is kept, never freed
 * under its user. */
static void a_grant_frame_still_pinned_is_kept(void **state)
{
    struct guest_page held = { 0 };
    paddr_t frame;

    (void)state;
    assert_int_equal(domain_pv_init(&dom), 0);
    frame = grant_frame0();
    fake_guest_map(&dom, GUEST_RAM, frame, PAGE_SIZE);
    assert_int_equal(guest_page_get(&dom, gfn(GUEST_RAM >> PAGE_SHIFT), &held), 0);

    domain_pv_destroy(&dom);
    assert_true(fake_log_contains("d1: grant frame 0 still in use at destroy: kept"));
    assert_true(guest_page_pinned(mfn_to_page(paddr_to_mfn(frame))));
    guest_page_put(&held);
    free_xenheap_page(arch_maddr_to_virt(frame));
    expect_heap_as_before();
}

static void destroy_is_safe_on_a_domain_never_set_up(void **state)
{
    (void)state;
    dom.vcpu = NULL;
    domain_pv_destroy(&dom);
    assert_null(dom.shared_info);
    dom.vcpu = vcpu_ptrs;
    vcpu_ptrs[1] = NULL;
    shared_info_destroy(&dom);
    assert_ptr_equal(vcpus[0].vcpu_info, &vcpus[0].vcpu_info_dummy);
    expect_heap_as_before();
}

static void events_pending_raise_the_upcall_once(void **state)
{
    (void)state;
    assert_int_equal(domain_pv_init(&dom), 0);
    vcpu_mark_events_pending(&vcpus[0]);
    assert_int_equal(dom.shared_info->vcpu_info[0].evtchn_upcall_pending, 1U);
    assert_int_equal(fake_upcalls(&vcpus[0]), 1U);
    /* Still pending: no second interrupt. */
    vcpu_mark_events_pending(&vcpus[0]);
    assert_int_equal(fake_upcalls(&vcpus[0]), 1U);
    /* The guest cleared it: the next event raises it again. */
    dom.shared_info->vcpu_info[0].evtchn_upcall_pending = 0U;
    vcpu_mark_events_pending(&vcpus[0]);
    assert_int_equal(fake_upcalls(&vcpus[0]), 2U);
    /* vCPU 1's dummy works the same way, on its own. */
    vcpu_mark_events_pending(&vcpus[1]);
    assert_int_equal(vcpus[1].vcpu_info_dummy.evtchn_upcall_pending, 1U);
    assert_int_equal(fake_upcalls(&vcpus[1]), 1U);
    domain_pv_destroy(&dom);
    expect_heap_as_before();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(init_sets_up_every_part_and_destroy_undoes_it, setup),
        cmocka_unit_test_setup(a_chosen_upcall_line_is_kept, setup),
        cmocka_unit_test_setup(the_control_domain_takes_console_input, setup),
        cmocka_unit_test_setup(init_fails_cleanly_without_a_page, setup),
        cmocka_unit_test_setup(init_fails_cleanly_without_a_console, setup),
        cmocka_unit_test_setup(a_registered_vcpu_info_page_is_released, setup),
        cmocka_unit_test_setup(a_vcpu_info_on_a_grant_frame_goes_before_the_frame, setup),
        cmocka_unit_test_setup(a_grant_frame_still_pinned_is_kept, setup),
        cmocka_unit_test_setup(destroy_is_safe_on_a_domain_never_set_up, setup),
        cmocka_unit_test_setup(events_pending_raise_the_upcall_once, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
