/* Domain lifetimes: a domain found by id stays in memory after it is
 * destroyed until the finder lets go; a dying domain cannot be found,
 * except by the toolstack's lookups while it is in memory; the last
 * reference frees everything the domain held (from CPU 0's timer when
 * domain_put() drops it). The toolstack's life cycle: created paused and
 * being built, the first unpause ends the build, domain_kill, a creation
 * that fails half way leaves nothing behind. Links the real domain.c,
 * domain_ref.c and domain_pause.c, and the real timers; the arch hooks
 * are the fake arch's (<fake_domain.h> counts them), the scheduler the
 * shared fake_sched.c (no vCPU ever runs: pausing finds them all off their
 * CPUs), the PV calls they make the shared fake_domain_pv.c and
 * fake_evtchn.c. A domain's watchdogs (SCHEDOP_watchdog, the real
 * watchdog.c) go with its memory: no timer is left queued for it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/arch/domain.h>
#include <proxenos/bootmem.h>
#include <proxenos/domain_create.h>
#include <proxenos/domain_pv.h>
#include <proxenos/domain_watchdog.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/page_alloc.h>
#include <proxenos/sched.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
#include <proxenos/xmalloc.h>
#include <fake_arch.h>
#include <fake_domain.h>
#include <fake_p2m.h>
#include "fake_domain_pv.h"
#include "fake_evtchn.h"
#include "fake_sched.h"
#include "domain_internal.h"

#define RAM0     0x40000000ULL
#define GUEST_RAM 0x80000000ULL

/* ---- What domain.c and domain_ref.c call ------------------------------- */

/* The PV calls are the shared fake_domain_pv.c's and fake_evtchn.c's. */
static unsigned int nr_pv_destroy(void)
{
    return fake_pv_calls(FAKE_PV_DESTROY, NULL);
}

/* VIRQ_DOM_EXC notifications. */
static unsigned int nr_exceptions(void)
{
    return fake_pv_calls(FAKE_PV_NOTIFY_EXCEPTION, NULL);
}

static unsigned int nr_grant_releases(void)
{
    return fake_pv_calls(FAKE_PV_GNTTAB_RELEASE, NULL);
}

static uint32_t max_port_set(void)
{
    uint32_t max_port = 0U;

    (void)fake_max_port_sets(NULL, &max_port);
    return max_port;
}

/* CPU 0's timer softirq runs the queued timer (the real timer.c's). */
static void fire_timer(void)
{
    fake_set_cpu(0U);
    assert_int_equal(timer_queue_length(0U), 1U);
    timer_interrupt();
    do_softirq();
    assert_int_equal(timer_queue_length(0U), 0U);
}

/* ---- Set-up ---------------------------------------------------------------- */

static uint64_t initial_free;

/* Free pages, once xmalloc has given back its empty slabs. */
static uint64_t free_now(void)
{
    struct page_alloc_stats st;

    xmalloc_trim();
    page_alloc_stats(&st);
    return st.free_pages;
}

static uint64_t objs_live(void)
{
    struct xmalloc_stats st;

    xmalloc_stats(&st);
    return st.nr_allocs - st.nr_frees;
}

/* The timers, once: domain_ref.c's own timer lives across the tests. */
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
    fake_console_quiet(true);
    bootmem_reset();
    (void)fake_ram_alloc(RAM0, (size_t)MiB(16));
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + MiB(16)), 0);
    assert_int_equal(page_alloc_init(), 0);
    xmalloc_reset();
    initial_free = free_now();
    fake_domain_pv_reset();
    fake_evtchn_reset();
    /* The previous test left no timer behind. */
    assert_int_equal(timer_queue_length(0U), 0U);
    return 0;
}

/* Domain id with two vCPUs and 64 KiB of RAM. */
static struct domain *make(domid_t id)
{
    struct domain_create_args args = { .name = "t", .max_vcpus = 2U };
    struct domain *d = NULL;

    assert_int_equal(domain_create(id, &args, &d), 0);
    assert_non_null(d);
    assert_int_equal(domain_populate_ram(d, GUEST_RAM, KiB(64)), 0);
    d->state = DOMAIN_RUNNING;
    return d;
}

/* ---- Tests ------------------------------------------------------------------ */

static void test_lookup_counts(void **state)
{
    struct domain *d = make(3U);
    struct domain *g;

    (void)state;
    assert_int_equal(d->refcnt, 1U);        /* the list's */
    g = domain_get_by_id(3U);
    assert_ptr_equal(g, d);
    assert_int_equal(d->refcnt, 2U);
    assert_null(domain_get_by_id(4U));
    domain_put(g);
    assert_int_equal(d->refcnt, 1U);
    assert_int_equal(timer_queue_length(0U), 0U);     /* not the last: nothing queued */
    domain_destroy(d);
    assert_int_equal(nr_pv_destroy(), 1U);    /* no other holder: freed at once */
    assert_int_equal(free_now(), initial_free);
    assert_int_equal(objs_live(), 0U);
}

static void test_destroyed_stays_until_put(void **state)
{
    struct domain *d = make(1U);
    struct domain *g = domain_get_by_id(1U);
    uint64_t before_destroy = free_now();

    (void)state;
    assert_ptr_equal(g, d);
    domain_destroy(d);
    /* Gone from the list and dying, but nothing released yet. */
    assert_true(g->dying);
    assert_null(domain_get_by_id(1U));
    assert_int_equal(domain_count(), 0U);
    assert_int_equal(nr_pv_destroy(), 0U);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_DOMAIN_DESTROY), 0U);
    assert_int_equal(free_now(), before_destroy);
    assert_int_equal(g->domain_id, 1U);
    assert_int_equal(g->tot_pages, KiB(64) / PAGE_SIZE);
    assert_non_null(g->vcpu);

    /* The last put queues the free for CPU 0 instead of doing it. */
    domain_put(g);
    assert_int_equal(nr_pv_destroy(), 0U);
    assert_int_equal(timer_queue_length(0U), 1U);     /* on CPU 0 */
    assert_int_equal(nr_exceptions(), 0U);
    fire_timer();
    assert_int_equal(nr_pv_destroy(), 1U);
    /* Only now is the domain gone for xenstored. */
    assert_int_equal(nr_exceptions(), 1U);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_DOMAIN_DESTROY), 1U);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_VCPU_DESTROY), 2U);
    assert_int_equal(free_now(), initial_free);
    assert_int_equal(objs_live(), 0U);
}

static void test_reaper_frees_queue(void **state)
{
    struct domain *a = make(1U);
    struct domain *b = make(2U);
    struct domain *ga = domain_get_by_id(1U);
    struct domain *gb = domain_get_by_id(2U);

    (void)state;
    domain_destroy(a);
    domain_destroy(b);
    domain_put(gb);
    domain_put(ga);
    assert_int_equal(nr_pv_destroy(), 0U);
    /* The reaper frees what is queued without waiting for the timer. */
    domain_free_queued();
    assert_int_equal(nr_pv_destroy(), 2U);
    assert_int_equal(free_now(), initial_free);
    fire_timer();                           /* finds nothing left */
    assert_int_equal(nr_pv_destroy(), 2U);
    assert_int_equal(objs_live(), 0U);
}

static void test_walk(void **state)
{
    struct domain *d0 = make(0U);
    struct domain *d5 = make(5U);
    struct domain *d9 = make(9U);
    struct domain *w;
    domid_t seen[4];
    unsigned int n = 0U;

    (void)state;
    for (w = domain_get_next(NULL); w != NULL; w = domain_get_next(w)) {
        assert_int_equal(w->refcnt, 2U);    /* the list's and the walk's */
        seen[n] = w->domain_id;
        n++;
        if (w == d5) {
            /* Destroyed while visited: still readable, and the walk
             * goes on past it by id. */
            domain_destroy(w);
            assert_int_equal(nr_pv_destroy(), 0U);
            assert_int_equal(w->domain_id, 5U);
        }
    }
    assert_int_equal(n, 3U);
    assert_int_equal(seen[0], 0U);
    assert_int_equal(seen[1], 5U);
    assert_int_equal(seen[2], 9U);
    /* The walk's step past d5 dropped its last reference. */
    assert_int_equal(timer_queue_length(0U), 1U);
    fire_timer();
    assert_int_equal(nr_pv_destroy(), 1U);
    assert_int_equal(d0->refcnt, 1U);
    assert_int_equal(d9->refcnt, 1U);
    domain_destroy(d9);
    domain_destroy(d0);
    assert_int_equal(free_now(), initial_free);
    assert_int_equal(objs_live(), 0U);
}

static void test_id_reuse_while_dying(void **state)
{
    struct domain *old = make(2U);
    struct domain *g = domain_get_by_id(2U);
    struct domain *fresh;
    struct domain_create_args args = { .name = "t", .max_vcpus = 1U };
    struct domain *dup = NULL;

    (void)state;
    domain_destroy(old);
    /* A reboot builds the id again while the old one is still held. */
    fresh = make(2U);
    assert_ptr_not_equal(fresh, g);
    assert_int_equal(domain_create(2U, &args, &dup), -EEXIST);
    assert_null(dup);
    assert_ptr_equal(domain_get_by_id(2U), fresh);
    domain_put(fresh);
    domain_put(g);
    fire_timer();
    assert_int_equal(nr_pv_destroy(), 1U);
    assert_int_equal(fresh->refcnt, 1U);
    domain_destroy(fresh);
    assert_int_equal(free_now(), initial_free);
    assert_int_equal(objs_live(), 0U);
}

static void test_get_any(void **state)
{
    struct domain *cur = make(0U);
    struct domain *other = make(1U);
    struct domain *d;

    (void)state;
    /* The caller's own domain, by DOMID_SELF or by id: no reference. */
    assert_ptr_equal(domain_get_any(cur, DOMID_SELF), cur);
    assert_ptr_equal(domain_get_any(cur, 0U), cur);
    assert_int_equal(cur->refcnt, 1U);
    domain_put_any(cur, cur);
    assert_int_equal(cur->refcnt, 1U);
    /* Another: counted. */
    d = domain_get_any(cur, 1U);
    assert_ptr_equal(d, other);
    assert_int_equal(other->refcnt, 2U);
    domain_put_any(cur, d);
    assert_int_equal(other->refcnt, 1U);
    /* Reserved ids, and DOMID_SELF with no caller, name nobody. */
    assert_null(domain_get_any(cur, DOMID_IO));
    assert_null(domain_get_any(NULL, DOMID_SELF));
    domain_put_any(cur, NULL);
    domain_destroy(other);
    domain_destroy(cur);
    assert_int_equal(objs_live(), 0U);
}

/* What createdomain asks for. */
static struct domain *make_toolstack(domid_t id)
{
    static const uint8_t h[16] = { 1U, 2U, 3U };
    struct domain_create_args args = { .name = "t", .max_vcpus = 2U, .handle = h,
                                       .controller_paused = true, .toolstack_limits = true,
                                       .max_evtchn_port = 1023U, .max_grant_frames = 32U };
    struct domain *d = NULL;

    assert_int_equal(domain_create(id, &args, &d), 0);
    return d;
}

static void test_toolstack_life_cycle(void **state)
{
    struct domain *d = make_toolstack(1U);
    struct domain *g;

    (void)state;
    /* Paused by the toolstack, being built, its limits applied. */
    assert_int_equal(d->state, DOMAIN_BUILDING);
    assert_int_equal(d->pause_count, 1U);
    assert_int_equal(d->controller_pause_count, 1U);
    assert_int_equal(d->handle[2], 3U);
    assert_int_equal(max_port_set(), 1023U);
    assert_int_equal(fake_gnttab_max_frames(), 32U);
    assert_int_equal(d->vcpu[0]->state, VCPU_OFFLINE);
    /* dom0 populates it; the first unpause ends the build, once. */
    assert_int_equal(domain_populate_ram(d, GUEST_RAM, KiB(64)), 0);
    assert_int_equal(domain_unpause_by_controller(d), 0);
    assert_int_equal(d->state, DOMAIN_RUNNING);
    assert_int_equal(d->pause_count, 0U);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_DOMAIN_CREATION_FINISHED), 1U);
    assert_int_equal(domain_pause_by_controller(d), 0);
    assert_int_equal(domain_unpause_by_controller(d), 0);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_DOMAIN_CREATION_FINISHED), 1U);

    /* dom0 holds it (a foreign mapping, say) while xl destroys it. */
    g = domain_get_by_id(1U);
    assert_int_equal(nr_exceptions(), 0U);
    assert_int_equal(domain_kill(d), 0);
    assert_true(d->dying);
    /* dom0 hears of it now, not when it is freed: dom0 letting go of
     * what it maps is what frees it. What it maps of others goes now. */
    assert_int_equal(nr_exceptions(), 1U);
    assert_int_equal(nr_grant_releases(), 1U);
    assert_int_equal(d->pause_count, 1U);           /* stopped for good */
    assert_null(domain_get_by_id(1U));
    assert_int_equal(domain_count(), 0U);
    /* The toolstack still sees it, and its id stays taken. */
    assert_ptr_equal(domain_get_by_id_dying(1U), d);
    domain_put(d);
    assert_ptr_equal(domain_get_next_dying(NULL), d);
    domain_put(d);
    assert_true(domain_id_in_use(1U));
    assert_int_equal(domain_count_in_memory(), 1U);
    /* Again: nothing more to do. */
    assert_int_equal(domain_kill(d), 0);
    assert_int_equal(d->refcnt, 1U);
    assert_int_equal(nr_exceptions(), 1U);
    assert_int_equal(nr_pv_destroy(), 0U);

    /* The last holder lets go: freed from CPU 0's timer, all of it. */
    domain_put(g);
    /* Between the last put and the free, no lookup takes it again. */
    assert_null(domain_get_by_id_dying(1U));
    assert_null(domain_get_next_dying(NULL));
    fire_timer();
    assert_int_equal(nr_pv_destroy(), 1U);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_VCPU_DESTROY), 2U);
    assert_int_equal(nr_exceptions(), 2U);        /* and again when it is gone */
    assert_false(domain_id_in_use(1U));
    assert_int_equal(domain_count_in_memory(), 0U);
    assert_int_equal(free_now(), initial_free);
    assert_int_equal(objs_live(), 0U);
}

static void test_dying_walk_order(void **state)
{
    struct domain *a = make(1U);
    struct domain *b = make(2U);
    struct domain *c = make(3U);
    struct domain *hold = domain_get_by_id(2U);
    struct domain *w;
    domid_t seen[4];
    unsigned int n = 0U;

    (void)state;
    (void)b;
    assert_int_equal(domain_kill(hold), 0);
    /* Live and dying together, by id. */
    for (w = domain_get_next_dying(NULL); w != NULL; w = domain_get_next_dying(w)) {
        seen[n] = w->domain_id;
        n++;
    }
    assert_int_equal(n, 3U);
    assert_int_equal(seen[0], 1U);
    assert_int_equal(seen[1], 2U);
    assert_int_equal(seen[2], 3U);
    /* A reboot may build the id again at once: the live one is found. */
    w = make(2U);
    assert_ptr_equal(domain_get_by_id_dying(2U), w);
    domain_put(w);
    domain_put(hold);
    fire_timer();
    domain_destroy(w);
    domain_destroy(c);
    domain_destroy(a);
    assert_int_equal(free_now(), initial_free);
    assert_int_equal(objs_live(), 0U);
}

static void test_create_fails_half_way(void **state)
{
    struct domain_create_args args = { .name = "t", .max_vcpus = 3U, .controller_paused = true };
    struct domain *d = NULL;

    (void)state;
    /* The third vCPU cannot be made: the two before it, the arch part
     * and the structure are given back. */
    fake_hook_fail(FAKE_ARCH_VCPU_CREATE, 3U, -ENOMEM);
    assert_int_equal(domain_create(4U, &args, &d), -ENOMEM);
    assert_null(d);
    assert_false(domain_id_in_use(4U));
    assert_int_equal(fake_hook_calls(FAKE_ARCH_DOMAIN_DESTROY), 1U);
    assert_int_equal(free_now(), initial_free);
    assert_int_equal(objs_live(), 0U);
}

/* Armed watchdogs of a domain destroyed at once, and of one destroyed
 * while held: none stays queued once the domain is freed, and one that
 * expires in between (dying) does not stop it again. */
static void test_watchdogs_go_with_the_domain(void **state)
{
    struct domain *a = make(5U);
    struct domain *b = make(6U);
    struct domain *g;

    (void)state;
    fake_set_cpu(0U);
    assert_int_equal(domain_watchdog_op(a, 0U, 10U, domain_shutdown), 1);
    assert_int_equal(domain_watchdog_op(a, 0U, 20U, domain_shutdown), 2);
    assert_int_equal(domain_watchdog_op(b, 0U, 1U, domain_shutdown), 1);
    assert_int_equal(timer_queue_length(0U), 3U);
    domain_destroy(a);
    assert_int_equal(timer_queue_length(0U), 1U);
    g = domain_get_by_id(6U);
    domain_destroy(b);
    /* b dying but held: its watchdog expires and leaves it alone. */
    fake_advance(SECONDS(1));
    timer_interrupt();
    do_softirq();
    assert_int_equal(timer_queue_length(0U), 0U);
    assert_int_equal(g->state, DOMAIN_RUNNING);
    assert_int_equal(domain_watchdog_op(g, 1U, 5U, domain_shutdown), 0);
    assert_int_equal(timer_queue_length(0U), 1U);
    domain_put(g);
    /* The queued free, then nothing of b's. */
    assert_int_equal(timer_queue_length(0U), 2U);
    timer_interrupt();
    do_softirq();
    assert_int_equal(timer_queue_length(0U), 0U);
    assert_int_equal(nr_pv_destroy(), 2U);
    assert_int_equal(free_now(), initial_free);
    assert_int_equal(objs_live(), 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_lookup_counts, setup),
        cmocka_unit_test_setup(test_destroyed_stays_until_put, setup),
        cmocka_unit_test_setup(test_reaper_frees_queue, setup),
        cmocka_unit_test_setup(test_walk, setup),
        cmocka_unit_test_setup(test_id_reuse_while_dying, setup),
        cmocka_unit_test_setup(test_get_any, setup),
        cmocka_unit_test_setup(test_toolstack_life_cycle, setup),
        cmocka_unit_test_setup(test_dying_walk_order, setup),
        cmocka_unit_test_setup(test_create_fails_half_way, setup),
        cmocka_unit_test_setup(test_watchdogs_go_with_the_domain, setup),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
