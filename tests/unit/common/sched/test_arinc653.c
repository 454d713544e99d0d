/* The ARINC 653 scheduler (common/sched/arinc653.c) through the real core:
 * a schedule set with XEN_SYSCTL_scheduler_op runs each minor frame for
 * exactly its run time in every major frame, idle where no entry is; the
 * default frame of dom0's vCPUs; Xen's checks of a schedule; getinfo.
 *
 * The environment is sched_ops_env.h's. The ARINC 653 pool has CPU 0 (and
 * CPU 1 for the test of two CPUs); the toolstack's vCPU, which makes the
 * sysctl, runs on CPU 3 in Pool-0 and has one page of guest memory at
 * ARG_GVA, where the schedule is passed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/arch/mm.h>
#include <proxenos/errno.h>
#include <proxenos/page_alloc.h>
#include <proxenos/sched.h>
#include <proxenos/sched_ops.h>
#include <proxenos/softirq.h>
#include <fake_arch.h>
#include "heap_env.h"
#include "sched_ops_env.h"

#define POOL 1U
#define CTL_CPU 3U
#define ARG_GVA 0x80000000ULL
#define UNMAPPED_GVA 0x90000000ULL

/* ---- The toolstack's side ---------------------------------------------------- */

static struct sched_pool *pool;
static struct vcpu *ctl;
static mfn_t arg_page;
static struct xen_sysctl_arinc653_schedule *arg;   /* host view of ARG_GVA */

/* An ARINC 653 pool on cpus and the toolstack's vCPU, running on CTL_CPU. */
static void a653_world(uint64_t cpus)
{
    struct domain *d;

    pool = make_pool(POOL, "arinc653", cpus);
    d = new_domain(0U);
    ctl = add_dom_vcpu(d, ON_CPU(CTL_CPU));
    vcpu_wake(ctl);
    run_softirqs(CTL_CPU);
    fake_set_cpu(0U);
    assert_ptr_equal(running_on(CTL_CPU), ctl);
    arg_page = alloc_pages(0U, ALLOC_ZERO);
    assert_false(mfn_eq(arg_page, INVALID_MFN));
    arg = arch_maddr_to_virt(mfn_to_paddr(arg_page));
    fake_guest_map(d, ARG_GVA, mfn_to_paddr(arg_page), PAGE_SIZE);
}

static int a653_teardown(void **state)
{
    free_pages(arg_page, 0U);
    return teardown(state);
}

/* XEN_SYSCTL_scheduler_op on the pool, made by ctl (so the schedule is
 * copied from and to ctl's memory at gva), as the core hands it over. */
static long scheduler_op(uint32_t cmd, uint64_t gva)
{
    struct xen_sysctl_scheduler_op op = { .cpupool_id = POOL, .cmd = cmd };
    unsigned int me = arch_cpu_id();
    long rc;

    op.sched_id = pool->ops->sched_id;
    op.u.sched_arinc653.schedule = gva;
    fake_set_cpu(CTL_CPU);
    rc = pool->ops->adjust_global(pool, &op);
    fake_set_cpu(me);
    return rc;
}

static long put_schedule(const struct xen_sysctl_arinc653_schedule *s)
{
    *arg = *s;
    return scheduler_op(XEN_SYSCTL_SCHEDOP_putinfo, ARG_GVA);
}

static long get_schedule(struct xen_sysctl_arinc653_schedule *s)
{
    long rc;

    memset(arg, 0, sizeof(*arg));
    rc = scheduler_op(XEN_SYSCTL_SCHEDOP_getinfo, ARG_GVA);
    *s = *arg;
    return rc;
}

static void set_entry(struct xen_sysctl_arinc653_schedule *s, unsigned int i, uint8_t handle,
                      uint32_t vcpu_id, s_time_t runtime)
{
    memset(s->sched_entries[i].dom_handle, handle, sizeof(s->sched_entries[i].dom_handle));
    s->sched_entries[i].vcpu_id = vcpu_id;
    s->sched_entries[i].runtime = (uint64_t)runtime;
}

/* v, built by hand (affinities set), joins d: its next vCPU, by id. */
static void join(struct domain *d, struct vcpu *v)
{
    assert_true(d->max_vcpus < MAX_TEST_VCPUS);
    v->domain = d;
    v->vcpu_id = d->max_vcpus;
    d->vcpu[d->max_vcpus] = v;
    d->max_vcpus++;
    if (d->sched_pool == NULL) {
        assert_int_equal(sched_add_domain(d), 0);
    }
    assert_int_equal(sched_add_vcpu(v), 0);
}

/* A domain of the pool whose handle is all bytes h, with n vCPUs. */
static struct domain *partition(uint8_t h, struct vcpu **v, unsigned int n)
{
    struct domain *d = new_domain(POOL);

    memset(d->handle, h, sizeof(d->handle));
    for (unsigned int i = 0U; i < n; i++) {
        v[i] = new_vcpu(ALL_CPUS);
        join(d, v[i]);
        vcpu_wake(v[i]);
    }
    return d;
}

/* ---- What ran when -------------------------------------------------------- */

#define SAMPLES 400U
static const struct vcpu *seen[NR_ONLINE][SAMPLES];    /* each ms, from the start */

static void sample(s_time_t started)
{
    s_time_t t = NOW() - started;

    if (((t % MILLISECS(1)) == 0) && ((t / MILLISECS(1)) < (s_time_t)SAMPLES)) {
        for (unsigned int cpu = 0U; cpu < 2U; cpu++) {
            seen[cpu][t / MILLISECS(1)] = running_on(cpu);
        }
    }
}

static void run_sampled(uint64_t cpus, s_time_t duration)
{
    memset(seen, 0, sizeof(seen));
    run_cpus_with(cpus, duration, MICROSECS(100), sample);
}

/* cpu ran v (NULL: idle) through [from, to) ms of the sampled run. */
static void assert_ran(unsigned int cpu, const struct vcpu *v, unsigned int from, unsigned int to)
{
    for (unsigned int ms = from; ms < to; ms++) {
        if (seen[cpu][ms] != v) {
            fail_msg("CPU %u at %u ms: ran %p, not %p", cpu, ms, (const void *)seen[cpu][ms],
                     (const void *)v);
        }
    }
}

/* ---- A schedule set by the toolstack --------------------------------------- */

static void test_each_minor_frame_runs_exactly_its_runtime_then_idle(void **state)
{
    struct xen_sysctl_arinc653_schedule s = { .major_frame = (uint64_t)MILLISECS(100) };
    struct vcpu *a[1];
    struct vcpu *b[1];
    struct vcpu *c[1];
    uint64_t idle0;

    (void)state;
    a653_world(ON_CPU(0));
    (void)partition(0xaa, a, 1U);
    (void)partition(0xbb, b, 1U);
    (void)partition(0xcc, c, 1U);
    s.num_sched_entries = 3U;
    set_entry(&s, 0U, 0xaa, 0U, MILLISECS(20));
    set_entry(&s, 1U, 0xbb, 0U, MILLISECS(30));
    set_entry(&s, 2U, 0xcc, 0U, MILLISECS(10));
    assert_int_equal(put_schedule(&s), 0);
    /* It takes effect at once: CPU 0 is asked to choose. */
    assert_true(softirq_pending(0U));
    idle0 = sched_cpu_idle_time(0U);
    run_sampled(ON_CPU(0), MILLISECS(300));
    for (unsigned int frame = 0U; frame < 3U; frame++) {
        unsigned int at = frame * 100U;

        assert_ran(0U, a[0], at, at + 20U);
        assert_ran(0U, b[0], at + 20U, at + 50U);
        assert_ran(0U, c[0], at + 50U, at + 60U);
        assert_ran(0U, NULL, at + 60U, at + 100U);
    }
    /* To the nanosecond: 3 frames of each, and 3 x 40 ms idle. */
    assert_int_equal(run_time(a[0]), MILLISECS(60));
    assert_int_equal(run_time(b[0]), MILLISECS(90));
    assert_int_equal(run_time(c[0]), MILLISECS(30));
    assert_int_equal(sched_cpu_idle_time(0U) - idle0, MILLISECS(120));
}

/* An entry whose domain is absent is idle time; a domain created later
 * with that handle gets its slot; a vCPU that blocks idles its slot. */
static void test_entries_name_domains_by_handle(void **state)
{
    struct xen_sysctl_arinc653_schedule s = { .major_frame = (uint64_t)MILLISECS(40) };
    struct vcpu *a[1];
    struct vcpu *late[2];

    (void)state;
    a653_world(ON_CPU(0));
    (void)partition(0xaa, a, 1U);
    s.num_sched_entries = 3U;
    set_entry(&s, 0U, 0xaa, 0U, MILLISECS(10));
    set_entry(&s, 1U, 0x11, 1U, MILLISECS(10));
    set_entry(&s, 2U, 0xaa, 0U, MILLISECS(10));
    assert_int_equal(put_schedule(&s), 0);
    run_sampled(ON_CPU(0), MILLISECS(80));
    for (unsigned int at = 0U; at < 80U; at += 40U) {
        assert_ran(0U, a[0], at, at + 10U);
        assert_ran(0U, NULL, at + 10U, at + 20U);
        assert_ran(0U, a[0], at + 20U, at + 30U);
        assert_ran(0U, NULL, at + 30U, at + 40U);
    }
    /* Domain 0x11 comes, with two vCPUs: vCPU 1 is the one named. */
    (void)partition(0x11, late, 2U);
    run_sampled(ON_CPU(0), MILLISECS(40));
    assert_ran(0U, a[0], 0U, 10U);
    assert_ran(0U, late[1], 10U, 20U);
    assert_ran(0U, a[0], 20U, 30U);
    assert_ran(0U, NULL, 30U, 40U);
    assert_int_equal(run_time(late[0]), 0U);
    assert_int_equal(run_time(late[1]), MILLISECS(10));
}

/* Until a schedule is set, each of dom0's vCPUs has 10 ms (Xen 4.17's
 * a653sched_alloc_udata); other domains have none. */
static void test_default_frame_gives_each_dom0_vcpu_10ms(void **state)
{
    struct xen_sysctl_arinc653_schedule s;
    struct vcpu *dom0[2];
    struct vcpu *other[1];
    struct domain *d;

    (void)state;
    a653_world(ON_CPU(0));
    d = partition(0x00, dom0, 0U);
    d->domain_id = 0U;
    for (unsigned int i = 0U; i < 2U; i++) {
        dom0[i] = new_vcpu(ALL_CPUS);
        join(d, dom0[i]);
        vcpu_wake(dom0[i]);
    }
    (void)partition(0xaa, other, 1U);
    run_sampled(ON_CPU(0), MILLISECS(60));
    for (unsigned int at = 0U; at < 60U; at += 20U) {
        assert_ran(0U, dom0[0], at, at + 10U);
        assert_ran(0U, dom0[1], at + 10U, at + 20U);
    }
    assert_int_equal(run_time(dom0[0]), MILLISECS(30));
    assert_int_equal(run_time(dom0[1]), MILLISECS(30));
    assert_int_equal(run_time(other[0]), 0U);
    /* The toolstack reads it as a schedule of two entries. */
    assert_int_equal(get_schedule(&s), 0);
    assert_int_equal(s.major_frame, MILLISECS(20));
    assert_int_equal(s.num_sched_entries, 2U);
    for (unsigned int i = 0U; i < 2U; i++) {
        static const xen_domain_handle_t zero;

        assert_memory_equal(s.sched_entries[i].dom_handle, zero, sizeof(zero));
        assert_int_equal(s.sched_entries[i].vcpu_id, i);
        assert_int_equal(s.sched_entries[i].runtime, MILLISECS(10));
    }
}

/* No dom0 and no schedule: the pool idles, its CPU asleep (no timer), and
 * a schedule set later runs at once. */
static void test_no_schedule_idles_until_one_is_set(void **state)
{
    struct xen_sysctl_arinc653_schedule s = { .major_frame = (uint64_t)MILLISECS(20) };
    struct vcpu *v[1];

    (void)state;
    a653_world(ON_CPU(0));
    (void)partition(0xaa, v, 1U);
    run_cpus(ON_CPU(0), MILLISECS(50));
    assert_int_equal(run_time(v[0]), 0U);
    assert_null(running_on(0U));
    assert_int_equal(timer_queue_length(0U), 0);
    s.num_sched_entries = 1U;
    set_entry(&s, 0U, 0xaa, 0U, MILLISECS(5));
    assert_int_equal(put_schedule(&s), 0);
    run_sampled(ON_CPU(0), MILLISECS(40));
    assert_ran(0U, v[0], 0U, 5U);
    assert_ran(0U, NULL, 5U, 20U);
    assert_ran(0U, v[0], 20U, 25U);
    assert_int_equal(run_time(v[0]), MILLISECS(10));
}

/* ---- Xen's checks, and getinfo ----------------------------------------------- */

static void test_a_bad_schedule_is_refused_and_changes_nothing(void **state)
{
    struct xen_sysctl_arinc653_schedule good = { .major_frame = 100U, .num_sched_entries = 2U };
    struct xen_sysctl_arinc653_schedule s;
    struct xen_sysctl_arinc653_schedule now;

    (void)state;
    a653_world(ON_CPU(0));
    set_entry(&good, 0U, 0xaa, 0U, 60);
    set_entry(&good, 1U, 0xbb, 0U, 40);
    /* The whole frame taken is fine. */
    assert_int_equal(put_schedule(&good), 0);

    s = good;
    s.major_frame = 0U;
    assert_int_equal(put_schedule(&s), -EINVAL);
    s = good;
    s.num_sched_entries = 0U;
    assert_int_equal(put_schedule(&s), -EINVAL);
    s = good;
    s.num_sched_entries = ARINC653_MAX_DOMAINS_PER_SCHEDULE + 1U;
    assert_int_equal(put_schedule(&s), -EINVAL);
    s = good;
    s.sched_entries[1].runtime = 0U;
    assert_int_equal(put_schedule(&s), -EINVAL);
    /* One ns more than the frame. */
    s = good;
    s.sched_entries[1].runtime = 41U;
    assert_int_equal(put_schedule(&s), -EINVAL);
    /* Run times whose sum wraps to within the frame. */
    s = good;
    s.sched_entries[0].runtime = 1ULL << 63;
    s.sched_entries[1].runtime = 1ULL << 63;
    assert_int_equal(put_schedule(&s), -EINVAL);
    /* A frame no s_time_t holds. */
    s = good;
    s.major_frame = 1ULL << 63;
    assert_int_equal(put_schedule(&s), -EINVAL);
    /* An address the caller cannot read or write. */
    assert_int_equal(scheduler_op(XEN_SYSCTL_SCHEDOP_putinfo, UNMAPPED_GVA), -EFAULT);
    assert_int_equal(scheduler_op(XEN_SYSCTL_SCHEDOP_getinfo, UNMAPPED_GVA), -EFAULT);

    /* The good one is still in place. */
    assert_int_equal(get_schedule(&now), 0);
    assert_int_equal(now.major_frame, 100U);
    assert_int_equal(now.num_sched_entries, 2U);
    assert_int_equal(now.sched_entries[0].runtime, 60U);
    assert_int_equal(now.sched_entries[1].runtime, 40U);
}

static void test_getinfo_returns_what_was_put(void **state)
{
    struct xen_sysctl_arinc653_schedule s = { .major_frame = (uint64_t)MILLISECS(100) };
    struct xen_sysctl_arinc653_schedule got;
    uint8_t ff[sizeof(got.sched_entries[0])];

    (void)state;
    a653_world(ON_CPU(0));
    s.num_sched_entries = 3U;
    set_entry(&s, 0U, 0x01, 0U, MILLISECS(20));
    set_entry(&s, 1U, 0x02, 3U, MILLISECS(30));
    set_entry(&s, 2U, 0x01, 1U, MILLISECS(10));
    s.sched_entries[1].dom_handle[15] = 0x7e;
    assert_int_equal(put_schedule(&s), 0);
    assert_int_equal(get_schedule(&got), 0);
    assert_int_equal(got.major_frame, MILLISECS(100));
    assert_int_equal(got.num_sched_entries, 3U);
    for (unsigned int i = 0U; i < 3U; i++) {
        assert_memory_equal(got.sched_entries[i].dom_handle, s.sched_entries[i].dom_handle,
                            sizeof(s.sched_entries[i].dom_handle));
        assert_int_equal(got.sched_entries[i].vcpu_id, s.sched_entries[i].vcpu_id);
        assert_int_equal(got.sched_entries[i].runtime, s.sched_entries[i].runtime);
        assert_int_equal(got.sched_entries[i].pad, 0xffffffffU);
    }
    /* Beyond the entries, and the padding, 0xff as Xen leaves them. */
    memset(ff, 0xff, sizeof(ff));
    for (unsigned int i = 3U; i < ARINC653_MAX_DOMAINS_PER_SCHEDULE; i++) {
        assert_memory_equal(&got.sched_entries[i], ff, sizeof(ff));
    }
    assert_memory_equal(got.pad, ff, sizeof(got.pad));
}

/* ---- More than one CPU, and the console ----------------------------------------- */

/* Xen 4.17 takes a pool of several CPUs: they share one frame, and each
 * runs an entry only if its vCPU is on it, so one vCPU runs at a time. */
static void test_two_cpus_follow_one_frame(void **state)
{
    struct xen_sysctl_arinc653_schedule s = { .major_frame = (uint64_t)MILLISECS(30) };
    struct domain *da;
    struct domain *db;
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    a653_world(ON_CPU(0) | ON_CPU(1));
    da = new_domain(POOL);
    memset(da->handle, 0xaa, sizeof(da->handle));
    db = new_domain(POOL);
    memset(db->handle, 0xbb, sizeof(db->handle));
    a = new_vcpu(ON_CPU(0));
    join(da, a);
    b = new_vcpu(ON_CPU(1));
    join(db, b);
    vcpu_wake(a);
    vcpu_wake(b);
    s.num_sched_entries = 2U;
    set_entry(&s, 0U, 0xaa, 0U, MILLISECS(10));
    set_entry(&s, 1U, 0xbb, 0U, MILLISECS(10));
    assert_int_equal(put_schedule(&s), 0);
    run_sampled(ON_CPU(0) | ON_CPU(1), MILLISECS(60));
    for (unsigned int at = 0U; at < 60U; at += 30U) {
        assert_ran(0U, a, at, at + 10U);
        assert_ran(1U, NULL, at, at + 10U);
        assert_ran(0U, NULL, at + 10U, at + 30U);
        assert_ran(1U, b, at + 10U, at + 20U);
        assert_ran(1U, NULL, at + 20U, at + 30U);
    }
    assert_int_equal(run_time(a), MILLISECS(20));
    assert_int_equal(run_time(b), MILLISECS(20));
}

static void test_dump_shows_the_frame_and_where_the_cpu_is(void **state)
{
    struct xen_sysctl_arinc653_schedule s = { .major_frame = (uint64_t)MILLISECS(100) };
    struct vcpu *a[1];

    (void)state;
    a653_world(ON_CPU(0));
    (void)partition(0xaa, a, 1U);
    s.num_sched_entries = 2U;
    set_entry(&s, 0U, 0xaa, 0U, MILLISECS(20));
    set_entry(&s, 1U, 0xbb, 0U, MILLISECS(30));
    assert_int_equal(put_schedule(&s), 0);
    run_cpus(ON_CPU(0), MILLISECS(25));
    fake_log_clear();
    sched_dump_cpu(0U);
    assert_true(fake_log_contains("CPU[00] arinc653: major frame 100000000 ns, 2 entries, "
                                  "25000000 ns in, entry 1"));
    assert_true(fake_log_contains("0: aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa v0 20000000 ns: d"));
    assert_true(fake_log_contains("1: bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb v0 30000000 ns: "
                                  "absent, idle"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_each_minor_frame_runs_exactly_its_runtime_then_idle,
                                        setup, a653_teardown),
        cmocka_unit_test_setup_teardown(test_entries_name_domains_by_handle, setup, a653_teardown),
        cmocka_unit_test_setup_teardown(test_default_frame_gives_each_dom0_vcpu_10ms, setup,
                                        a653_teardown),
        cmocka_unit_test_setup_teardown(test_no_schedule_idles_until_one_is_set, setup,
                                        a653_teardown),
        cmocka_unit_test_setup_teardown(test_a_bad_schedule_is_refused_and_changes_nothing, setup,
                                        a653_teardown),
        cmocka_unit_test_setup_teardown(test_getinfo_returns_what_was_put, setup, a653_teardown),
        cmocka_unit_test_setup_teardown(test_two_cpus_follow_one_frame, setup, a653_teardown),
        cmocka_unit_test_setup_teardown(test_dump_shows_the_frame_and_where_the_cpu_is, setup,
                                        a653_teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
