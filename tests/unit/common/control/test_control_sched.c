/* Schedulers and CPU pools (common/control/control_sched.c): sysctl
 * sched_id, sysctl cpupool_op (Xen's INFO walk over the boot-time pools,
 * and the answers to changes Proxenos cannot make), and domctl
 * scheduler_op and sysctl scheduler_op (handed to the pool's scheduler;
 * the null scheduler's nothing),
 * domctl set/getnodeaffinity (one NUMA node). */
#include "control_env.h"

static struct xen_sysctl *pool_op(uint32_t cmd, uint32_t id, long expect)
{
    struct xen_sysctl *op = sysctl_in(0U, XEN_SYSCTL_cpupool_op);

    op->u.cpupool_op.op = cmd;
    op->u.cpupool_op.cpupool_id = id;
    op->u.cpupool_op.cpumap.bitmap = BUF_GVA;
    op->u.cpupool_op.cpumap.nr_bits = 64U;
    assert_int_equal(call_sysctl(), expect);
    return op;
}

static void sched_id(void **state)
{
    struct xen_sysctl *op = sysctl_in(0U, XEN_SYSCTL_sched_id);

    (void)state;
    assert_int_equal(call_sysctl(), 0);
    assert_int_equal(op->u.sched_id.sched_id, XEN_SCHEDULER_CREDIT2);
    fake_sched_set_default_name("null");
    op = sysctl_in(0U, XEN_SYSCTL_sched_id);
    assert_int_equal(call_sysctl(), 0);
    assert_int_equal(op->u.sched_id.sched_id, XEN_SCHEDULER_NULL);
}

static void pool_info_walks_the_pools(void **state)
{
    uint8_t *map = garg(0U, BUF_OFF);
    struct xen_sysctl *op;

    (void)state;
    /* Pool-0 on CPUs 0-1 (credit2), pool 2 on CPUs 2-3 (null). */
    fake_cpupools_clear();
    env_add_pool(0U, 0x3U, "credit2");
    env_add_pool(2U, 0xcU, "null");
    doms[1].cpupool_id = 2U;
    memset(map, 0xee, 16U);
    op = pool_op(XEN_SYSCTL_CPUPOOL_OP_INFO, 0U, 0);
    assert_int_equal(op->u.cpupool_op.cpupool_id, 0U);
    assert_int_equal(op->u.cpupool_op.sched_id, XEN_SCHEDULER_CREDIT2);
    assert_int_equal(op->u.cpupool_op.n_dom, 2U);
    /* 4 CPU ids: one byte of bits, the caller's other bytes zeroed. */
    assert_int_equal(map[0], 0x3U);
    for (unsigned int i = 1U; i < 8U; i++) {
        assert_int_equal(map[i], 0U);
    }
    assert_int_equal(map[8], 0xeeU);
    /* The first pool at or above the id asked for. */
    op = pool_op(XEN_SYSCTL_CPUPOOL_OP_INFO, 1U, 0);
    assert_int_equal(op->u.cpupool_op.cpupool_id, 2U);
    assert_int_equal(op->u.cpupool_op.sched_id, XEN_SCHEDULER_NULL);
    assert_int_equal(op->u.cpupool_op.n_dom, 1U);
    assert_int_equal(map[0], 0xcU);
    /* Past the last: -ENOENT, which ends the toolstack's walk. */
    op = pool_op(XEN_SYSCTL_CPUPOOL_OP_INFO, 3U, -ENOENT);
    assert_int_equal(op->u.cpupool_op.cpupool_id, 3U);
    (void)pool_op(XEN_SYSCTL_CPUPOOL_OP_INFO, XEN_SYSCTL_CPUPOOL_PAR_ANY, -ENOENT);
    /* The bitmap must be writable. */
    op = sysctl_in(0U, XEN_SYSCTL_cpupool_op);
    op->u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
    op->u.cpupool_op.cpumap.bitmap = UNMAPPED;
    op->u.cpupool_op.cpumap.nr_bits = 8U;
    assert_int_equal(call_sysctl(), -EFAULT);
    /* A caller's bitmap of fewer bits than CPUs gets what fits. */
    op->u.cpupool_op.cpumap.bitmap = BUF_GVA;
    op->u.cpupool_op.cpumap.nr_bits = 1U;
    map[0] = 0xffU;
    assert_int_equal(call_sysctl(), 0);
    assert_int_equal(map[0], 0x3U);     /* Xen copies whole bytes */
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void pool_changes(void **state)
{
    const uint8_t *map = garg(0U, BUF_OFF);
    struct xen_sysctl *op;

    (void)state;
    op = pool_op(XEN_SYSCTL_CPUPOOL_OP_FREEINFO, 0U, 0);
    assert_int_equal(map[0], 0U);
    (void)pool_op(XEN_SYSCTL_CPUPOOL_OP_CREATE, XEN_SYSCTL_CPUPOOL_PAR_ANY, -EOPNOTSUPP);
    (void)pool_op(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 5U, -ENOENT);
    (void)pool_op(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 0U, -EOPNOTSUPP);
    /* ADDCPU: no pool, a CPU number out of range, then "no free CPU". */
    (void)pool_op(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 5U, -ENOENT);
    op = sysctl_in(0U, XEN_SYSCTL_cpupool_op);
    op->u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_ADDCPU;
    op->u.cpupool_op.cpu = ENV_CPU_IDS;
    assert_int_equal(call_sysctl(), -EINVAL);
    op->u.cpupool_op.cpu = 1U;
    assert_int_equal(call_sysctl(), -ENODEV);
    op->u.cpupool_op.cpu = XEN_SYSCTL_CPUPOOL_PAR_ANY;
    assert_int_equal(call_sysctl(), -ENODEV);
    op->u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_RMCPU;
    op->u.cpupool_op.cpu = ENV_CPU_IDS;
    assert_int_equal(call_sysctl(), -EINVAL);
    op->u.cpupool_op.cpu = 1U;
    assert_int_equal(call_sysctl(), -EOPNOTSUPP);
    op->u.cpupool_op.cpupool_id = 7U;
    assert_int_equal(call_sysctl(), -ENOENT);
    /* MOVEDOMAIN: the domain (16 bits of it) first, never the caller. */
    op = sysctl_in(0U, XEN_SYSCTL_cpupool_op);
    op->u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN;
    op->u.cpupool_op.domid = 2U;
    assert_int_equal(call_sysctl(), -ESRCH);
    op->u.cpupool_op.domid = 0U;
    assert_int_equal(call_sysctl(), -EPERM);
    op->u.cpupool_op.domid = 0x10001U;      /* domain 1 */
    assert_int_equal(call_sysctl(), 0);     /* already in pool 0 */
    op->u.cpupool_op.cpupool_id = 1U;
    assert_int_equal(call_sysctl(), -ENOENT);
    env_add_pool(1U, 0x8U, "credit2");
    assert_int_equal(call_sysctl(), -EOPNOTSUPP);
    (void)pool_op(8U, 0U, -ENOSYS);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static struct xen_domctl *sched_op(domid_t dom, uint32_t sched, uint32_t cmd, uint16_t weight,
                                   uint16_t cap, long expect)
{
    struct xen_domctl *op = domctl_in(0U, XEN_DOMCTL_scheduler_op, dom);

    op->u.scheduler_op.sched_id = sched;
    op->u.scheduler_op.cmd = cmd;
    op->u.scheduler_op.u.credit2.weight = weight;
    op->u.scheduler_op.u.credit2.cap = cap;
    assert_int_equal(call_domctl(), expect);
    return op;
}

/* The domain's pool's scheduler answers (each scheduler's own tests
 * check what it answers): the id must be that scheduler's, the command
 * one of Xen's four. */
static void handed_to_the_pools_scheduler(void **state)
{
    const uint32_t c2 = XEN_SCHEDULER_CREDIT2;

    (void)state;
    (void)sched_op(1U, c2, XEN_DOMCTL_SCHEDOP_getinfo, 0U, 0U, 0);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_ADJUST, NULL), 1U);
    assert_int_equal(fake_sched_adjusted()->domain_id, 1U);
    fake_sched_set_adjust_rc(-E2BIG);
    (void)sched_op(1U, c2, XEN_DOMCTL_SCHEDOP_putvcpuinfo, 0U, 0U, -E2BIG);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_ADJUST, NULL), 2U);
    /* Refused before the scheduler sees it. */
    (void)sched_op(1U, c2, 4U, 0U, 0U, -EINVAL);
    (void)sched_op(1U, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, 0U, 0U, -EINVAL);
    (void)sched_op(1U, XEN_SCHEDULER_NULL, XEN_DOMCTL_SCHEDOP_getinfo, 0U, 0U, -EINVAL);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_ADJUST, NULL), 2U);
}

static void null_scheduler_has_none(void **state)
{
    struct xen_domctl *op;

    (void)state;
    fake_cpupools_clear();
    env_add_pool(0U, 0x3U, "credit2");
    env_add_pool(1U, 0xcU, "null");
    doms[2].cpupool_id = 1U;
    op = sched_op(3U, XEN_SCHEDULER_NULL, XEN_DOMCTL_SCHEDOP_getinfo, 7U, 9U, 0);
    assert_int_equal(op->u.scheduler_op.u.credit2.weight, 7U);     /* untouched */
    (void)sched_op(3U, XEN_SCHEDULER_NULL, XEN_DOMCTL_SCHEDOP_putinfo, 7U, 9U, 0);
    (void)sched_op(3U, XEN_SCHEDULER_NULL, 9U, 0U, 0U, -EINVAL);
    (void)sched_op(3U, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_getinfo, 0U, 0U, -EINVAL);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_ADJUST, NULL), 0U);
}

static struct xen_sysctl *global_op(uint32_t pool, uint32_t sched, uint32_t cmd, long expect)
{
    struct xen_sysctl *op = sysctl_in(0U, XEN_SYSCTL_scheduler_op);

    op->u.scheduler_op.cpupool_id = pool;
    op->u.scheduler_op.sched_id = sched;
    op->u.scheduler_op.cmd = cmd;
    assert_int_equal(call_sysctl(), expect);
    return op;
}

/* sysctl scheduler_op: Xen's checks in Xen's order (command, pool,
 * scheduler id), then the pool's scheduler; none without parameters: 0. */
static void global_parameters(void **state)
{
    (void)state;
    fake_cpupools_clear();
    env_add_pool(0U, 0x3U, "credit2");
    env_add_pool(1U, 0xcU, "null");
    (void)global_op(0U, XEN_SCHEDULER_CREDIT2, XEN_SYSCTL_SCHEDOP_getinfo, 0);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_ADJUST_GLOBAL, NULL), 1U);
    fake_sched_set_adjust_rc(-EINVAL);
    (void)global_op(0U, XEN_SCHEDULER_CREDIT2, XEN_SYSCTL_SCHEDOP_putinfo, -EINVAL);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_ADJUST_GLOBAL, NULL), 2U);
    (void)global_op(1U, XEN_SCHEDULER_NULL, XEN_SYSCTL_SCHEDOP_putinfo, 0);
    (void)global_op(0U, XEN_SCHEDULER_CREDIT2, 2U, -EINVAL);
    (void)global_op(5U, XEN_SCHEDULER_CREDIT2, XEN_SYSCTL_SCHEDOP_getinfo, -ESRCH);
    (void)global_op(1U, XEN_SCHEDULER_CREDIT2, XEN_SYSCTL_SCHEDOP_getinfo, -EINVAL);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_ADJUST_GLOBAL, NULL), 2U);
}

static long nodes(uint32_t cmd, uint64_t at, uint32_t bits)
{
    struct xen_domctl *op = domctl_in(0U, cmd, 1U);

    op->u.nodeaffinity.nodemap.bitmap = at;
    op->u.nodeaffinity.nodemap.nr_bits = bits;
    return call_domctl();
}

static void node_affinity(void **state)
{
    uint8_t *map = garg(0U, BUF_OFF);

    (void)state;
    /* Node 0 in it: accepted (all nodes, or just node 0, the same here). */
    map[0] = 0xffU;
    assert_int_equal(nodes(XEN_DOMCTL_setnodeaffinity, BUF_GVA, 64U), 0);
    map[0] = 0x01U;
    assert_int_equal(nodes(XEN_DOMCTL_setnodeaffinity, BUF_GVA, 1U), 0);
    /* No online node: -EINVAL; an empty bitmap is one. */
    map[0] = 0xfeU;
    assert_int_equal(nodes(XEN_DOMCTL_setnodeaffinity, BUF_GVA, 8U), -EINVAL);
    assert_int_equal(nodes(XEN_DOMCTL_setnodeaffinity, BUF_GVA, 0U), -EINVAL);
    assert_int_equal(nodes(XEN_DOMCTL_setnodeaffinity, UNMAPPED, 8U), -EFAULT);
    /* Read back: node 0, the caller's extra bytes zeroed. */
    memset(map, 0xee, 4U);
    assert_int_equal(nodes(XEN_DOMCTL_getnodeaffinity, BUF_GVA, 16U), 0);
    assert_int_equal(map[0], 0x01U);
    assert_int_equal(map[1], 0U);
    assert_int_equal(map[2], 0xeeU);
    assert_int_equal(nodes(XEN_DOMCTL_getnodeaffinity, UNMAPPED, 8U), -EFAULT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(sched_id, env_test_setup),
        cmocka_unit_test_setup(pool_info_walks_the_pools, env_test_setup),
        cmocka_unit_test_setup(pool_changes, env_test_setup),
        cmocka_unit_test_setup(handed_to_the_pools_scheduler, env_test_setup),
        cmocka_unit_test_setup(global_parameters, env_test_setup),
        cmocka_unit_test_setup(null_scheduler_has_none, env_test_setup),
        cmocka_unit_test_setup(node_affinity, env_test_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
