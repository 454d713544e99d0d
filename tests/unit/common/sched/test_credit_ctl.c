/* The credit scheduler's parameters: XEN_DOMCTL_scheduler_op (weight, cap),
 * XEN_SYSCTL_scheduler_op (slice, rate limit, migration delay) with Xen's
 * answers and errors, the command line, and the 'r' key's lines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <proxenos/cmdline.h>
#include <proxenos/errno.h>
#include "credit_env.h"

static long dom_op(unsigned int d, uint32_t cmd, uint16_t weight, uint16_t cap,
                   struct xen_domctl_scheduler_op *out)
{
    struct xen_domctl_scheduler_op op = { .sched_id = XEN_SCHEDULER_CREDIT, .cmd = cmd };
    long rc;

    op.u.credit.weight = weight;
    op.u.credit.cap = cap;
    rc = ops->adjust(&pool, &doms[d], &op);
    if (out != NULL) {
        *out = op;
    }
    return rc;
}

static long sys_op(uint32_t cmd, uint32_t tslice_ms, uint32_t ratelimit_us, uint32_t migr_us,
                   struct xen_sysctl_credit_schedule *out)
{
    struct xen_sysctl_scheduler_op op = { .sched_id = XEN_SCHEDULER_CREDIT, .cmd = cmd };
    long rc;

    op.u.sched_credit.tslice_ms = tslice_ms;
    op.u.sched_credit.ratelimit_us = ratelimit_us;
    op.u.sched_credit.vcpu_migr_delay_us = migr_us;
    rc = ops->adjust_global(&pool, &op);
    if (out != NULL) {
        *out = op.u.sched_credit;
    }
    return rc;
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(ops->name, "credit");
    assert_int_equal(ops->sched_id, XEN_SCHEDULER_CREDIT);
}

/* getinfo: weight 256, no cap. putinfo: weight 0 and cap 0xffff leave
 * them; any other value is taken, a cap of 1000 on one vCPU too (xl, not
 * Xen, refuses more than 100 per vCPU). */
static void test_domctl_weight_cap(void **state)
{
    struct xen_domctl_scheduler_op op;

    (void)state;
    env_start(CPU(0));
    assert_int_equal(dom_op(0, XEN_DOMCTL_SCHEDOP_getinfo, 0U, 0U, &op), 0);
    assert_int_equal(op.u.credit.weight, 256);
    assert_int_equal(op.u.credit.cap, 0);

    assert_int_equal(dom_op(0, XEN_DOMCTL_SCHEDOP_putinfo, 65535U, 50U, NULL), 0);
    assert_int_equal(dom_op(0, XEN_DOMCTL_SCHEDOP_getinfo, 0U, 0U, &op), 0);
    assert_int_equal(op.u.credit.weight, 65535);
    assert_int_equal(op.u.credit.cap, 50);

    assert_int_equal(dom_op(0, XEN_DOMCTL_SCHEDOP_putinfo, 0U, 0xffffU, NULL), 0);
    assert_int_equal(dom_op(0, XEN_DOMCTL_SCHEDOP_getinfo, 0U, 0U, &op), 0);
    assert_int_equal(op.u.credit.weight, 65535);
    assert_int_equal(op.u.credit.cap, 50);

    assert_int_equal(dom_op(0, XEN_DOMCTL_SCHEDOP_putinfo, 1U, 0U, NULL), 0);
    assert_int_equal(dom_op(0, XEN_DOMCTL_SCHEDOP_getinfo, 0U, 0U, &op), 0);
    assert_int_equal(op.u.credit.weight, 1);
    assert_int_equal(op.u.credit.cap, 0);

    (void)env_vcpu(1, CPU(0), 0);
    assert_int_equal(dom_op(1, XEN_DOMCTL_SCHEDOP_putinfo, 0U, 1000U, NULL), 0);
    assert_int_equal(dom_op(1, XEN_DOMCTL_SCHEDOP_getinfo, 0U, 0U, &op), 0);
    assert_int_equal(op.u.credit.cap, 1000);
    /* The other domain is untouched. */
    assert_int_equal(dom_op(0, XEN_DOMCTL_SCHEDOP_getinfo, 0U, 0U, &op), 0);
    assert_int_equal(op.u.credit.weight, 1);
    env_stop();
}

/* Credit has no per-vCPU parameters: Xen answers -EINVAL. */
static void test_domctl_vcpu_commands_refused(void **state)
{
    (void)state;
    env_start(CPU(0));
    assert_int_equal(dom_op(0, XEN_DOMCTL_SCHEDOP_putvcpuinfo, 1U, 1U, NULL), -EINVAL);
    assert_int_equal(dom_op(0, XEN_DOMCTL_SCHEDOP_getvcpuinfo, 1U, 1U, NULL), -EINVAL);
    assert_int_equal(dom_op(0, 77U, 1U, 1U, NULL), -EINVAL);
    env_stop();
}

/* A weight changed while the domain's vCPU earns credit moves the pool's
 * total with it: the new weight counts at the next period. */
static void test_domctl_weight_while_active(void **state)
{
    struct vcpu *a;
    struct vcpu *b;

    (void)state;
    env_start(CPU(0));
    a = env_vcpu(0, CPU(0), 0);
    b = env_vcpu(1, CPU(0), 0);
    env_run(MILLISECS(300));
    assert_int_equal(dom_op(1, XEN_DOMCTL_SCHEDOP_putinfo, 768U, 0U, NULL), 0);
    memset(ran_ns, 0, sizeof(ran_ns));
    env_run(SECONDS(3));
    /* 1:3, within the 30 ms slices' grain. */
    assert_true(ran_ns[vcpu_index(b)] > 2.8 * ran_ns[vcpu_index(a)]);
    assert_true(ran_ns[vcpu_index(b)] < 3.2 * ran_ns[vcpu_index(a)]);
    env_stop();
}

/* Defaults: 30 ms, 1000 us, no migration delay. */
static void test_sysctl_getinfo_defaults(void **state)
{
    struct xen_sysctl_credit_schedule got;

    (void)state;
    env_start(CPU(0));
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_getinfo, 0U, 0U, 0U, &got), 0);
    assert_int_equal(got.tslice_ms, 30);
    assert_int_equal(got.ratelimit_us, 1000);
    assert_int_equal(got.vcpu_migr_delay_us, 0);
    env_stop();
}

/* putinfo answers with what it set; the ranges are Xen's. */
static void test_sysctl_putinfo(void **state)
{
    struct xen_sysctl_credit_schedule got;

    (void)state;
    env_start(CPU(0));
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_putinfo, 10U, 500U, 2000U, &got), 0);
    assert_int_equal(got.tslice_ms, 10);
    assert_int_equal(got.ratelimit_us, 500);
    assert_int_equal(got.vcpu_migr_delay_us, 2000);
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_getinfo, 0U, 0U, 0U, &got), 0);
    assert_int_equal(got.tslice_ms, 10);
    assert_int_equal(got.ratelimit_us, 500);
    assert_int_equal(got.vcpu_migr_delay_us, 2000);

    /* The edges that are allowed. */
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_putinfo, 1U, 0U, 100000U, NULL), 0);
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_putinfo, 1000U, 500000U, 0U, NULL), 0);
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_putinfo, 1U, 1000U, 0U, NULL), 0);
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_putinfo, 5U, 100U, 0U, NULL), 0);

    /* Refused, and nothing changed. */
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_putinfo, 0U, 0U, 0U, NULL), -EINVAL);
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_putinfo, 1001U, 0U, 0U, NULL), -EINVAL);
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_putinfo, 30U, 99U, 0U, NULL), -EINVAL);
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_putinfo, 1000U, 500001U, 0U, NULL), -EINVAL);
    /* The rate limit may not exceed the slice. */
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_putinfo, 1U, 1001U, 0U, NULL), -EINVAL);
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_putinfo, 30U, 1000U, 100001U, NULL), -EINVAL);
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_getinfo, 0U, 0U, 0U, &got), 0);
    assert_int_equal(got.tslice_ms, 5);
    assert_int_equal(got.ratelimit_us, 100);
    assert_int_equal(got.vcpu_migr_delay_us, 0);

    assert_int_equal(sys_op(7U, 30U, 1000U, 0U, NULL), -EINVAL);
    env_stop();
}

/* A new slice takes effect: two equal vCPUs now switch every 10 ms. */
static void test_sysctl_slice_takes_effect(void **state)
{
    (void)state;
    env_start(CPU(0));
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_putinfo, 10U, 1000U, 0U, NULL), 0);
    (void)env_vcpu(0, CPU(0), 0);
    (void)env_vcpu(1, CPU(0), 0);
    env_run(MILLISECS(55));
    for (unsigned int i = 0U; i < 5U; i++) {
        struct vcpu *was = pcpus[0].curr;

        env_run(slice_end[0] - NOW());
        assert_ptr_not_equal(pcpus[0].curr, was);
        assert_int_equal(slice_end[0] - NOW(), MILLISECS(10));
    }
    env_stop();
}

/* The command line is read as Xen reads it: out of range values fall back
 * (with Xen's warnings), a rate limit longer than the slice becomes the
 * slice. */
static void test_command_line(void **state)
{
    struct xen_sysctl_credit_schedule got;

    (void)state;
    fake_log_clear();
    assert_int_equal(cmdline_parse("sched_credit_tslice_ms=0 sched_ratelimit_us=40000 "
                                   "vcpu_migration_delay=100001"),
                     0);
    env_start(CPU(0));
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_getinfo, 0U, 0U, 0U, &got), 0);
    assert_int_equal(got.tslice_ms, 30);
    assert_int_equal(got.ratelimit_us, 30000);
    assert_int_equal(got.vcpu_migr_delay_us, 0);
    assert_true(fake_log_contains("sched_credit_tslice_ms outside of valid range [1,1000]"));
    assert_true(fake_log_contains("Setting ratelimit to tslice"));
    assert_true(fake_log_contains("vcpu_migration_delay outside of valid range [0,100000]us"));
    env_stop();

    assert_int_equal(cmdline_parse("sched_credit_tslice_ms=5 sched_ratelimit_us=0 "
                                   "vcpu_migration_delay=1000"),
                     0);
    env_start(CPU(0));
    assert_int_equal(sys_op(XEN_SYSCTL_SCHEDOP_getinfo, 0U, 0U, 0U, &got), 0);
    assert_int_equal(got.tslice_ms, 5);
    assert_int_equal(got.ratelimit_us, 0);
    assert_int_equal(got.vcpu_migr_delay_us, 1000);
    env_stop();
    assert_int_equal(cmdline_parse("sched_credit_tslice_ms=30 sched_ratelimit_us=1000 "
                                   "vcpu_migration_delay=0"),
                     0);
}

/* 'r': the pool's settings with its first CPU, then each CPU's running
 * and queued vCPUs, in Xen's words. */
static void test_dump(void **state)
{
    unsigned long flags;

    (void)state;
    env_start(CPU(0) | CPU(1));
    env_set_weight_cap(1, 512U, 40U);
    /* Both pinned, so that idle CPU 1 does not take the second. */
    (void)env_vcpu(0, CPU(0), 0);
    (void)env_vcpu(1, CPU(0), 0);
    settle();
    fake_log_clear();
    for (unsigned int c = 0U; c < 2U; c++) {
        flags = spin_lock_irqsave(pcpus[c].lock);
        ops->dump_cpu(&pool, c);
        spin_unlock_irqrestore(pcpus[c].lock, flags);
    }
    assert_true(fake_log_contains("credit: ncpus=2 master=0 credit=600"));
    assert_true(fake_log_contains("tslice=30ms ratelimit=1000us"));
    assert_true(fake_log_contains("CPU[00] nr_run=2"));
    assert_true(fake_log_contains("\trun: [1.0] pri=0 flags=0 cpu=0 credit=0 [w=256,cap=0]"));
    assert_true(fake_log_contains("\t  1: [2.1] pri=0 flags=0 cpu=0 credit=0 [w=512,cap=40]"));
    assert_true(fake_log_contains("CPU[01] nr_run=0, sort=0, idler=1"));
    env_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_domctl_weight_cap),
        cmocka_unit_test(test_domctl_vcpu_commands_refused),
        cmocka_unit_test(test_domctl_weight_while_active),
        cmocka_unit_test(test_sysctl_getinfo_defaults),
        cmocka_unit_test(test_sysctl_putinfo),
        cmocka_unit_test(test_sysctl_slice_takes_effect),
        cmocka_unit_test(test_command_line),
        cmocka_unit_test(test_dump),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
