/* Schedulers and CPU pools (common/control/control_sched.c): sysctl
 * sched_id, sysctl cpupool_op (Xen's INFO walk over the boot-time pools,
 * and the answers to changes Proxenos cannot make), and domctl
 * scheduler_op and sysctl scheduler_op (handed to the pool's scheduler;
 * the null scheduler's nothing),
 * domctl set/getnodeaffinity (one NUMA node). */
#include "control_env.h"
#include <proxenos/sched_ops.h>

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

static long pool_cpu(uint32_t cmd, uint32_t id, uint32_t cpu)
{
    struct xen_sysctl *op = sysctl_in(0U, XEN_SYSCTL_cpupool_op);

    op->u.cpupool_op.op = cmd;
    op->u.cpupool_op.cpupool_id = id;
    op->u.cpupool_op.cpu = cpu;
    return call_sysctl();
}

static long pool_create(uint32_t id, uint32_t sched, uint32_t *made)
{
    struct xen_sysctl *op = sysctl_in(0U, XEN_SYSCTL_cpupool_op);
    long rc;

    op->u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_CREATE;
    op->u.cpupool_op.cpupool_id = id;
    op->u.cpupool_op.sched_id = sched;
    rc = call_sysctl();
    *made = op->u.cpupool_op.cpupool_id;
    return rc;
}

static long move_domain(uint32_t domid, uint32_t id)
{
    struct xen_sysctl *op = sysctl_in(0U, XEN_SYSCTL_cpupool_op);

    op->u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN;
    op->u.cpupool_op.domid = domid;
    op->u.cpupool_op.cpupool_id = id;
    return call_sysctl();
}

/* xl cpupool-create, -cpu-add, -cpu-remove, -migrate and -destroy, with
 * Xen 4.17's answers in Xen's order of checks. */
static void pool_changes(void **state)
{
    const uint8_t *map = garg(0U, BUF_OFF);
    uint32_t id = 0U;

    (void)state;
    /* Every CPU is in Pool-0: none free. */
    (void)pool_op(XEN_SYSCTL_CPUPOOL_OP_FREEINFO, 0U, 0);
    assert_int_equal(map[0], 0U);
    /* CREATE: a scheduler this build has not; any id (one above the
     * highest); an id in use; an id asked for. */
    assert_int_equal(pool_create(XEN_SYSCTL_CPUPOOL_PAR_ANY, 77U, &id), -ENOENT);
    assert_int_equal(pool_create(XEN_SYSCTL_CPUPOOL_PAR_ANY, XEN_SCHEDULER_NULL, &id), 0);
    assert_int_equal(id, 1U);
    assert_int_equal(pool_create(1U, XEN_SCHEDULER_CREDIT2, &id), -EEXIST);
    assert_int_equal(pool_create(5U, XEN_SCHEDULER_RTDS, &id), 0);
    assert_int_equal(id, 5U);
    /* RMCPU: no such pool; CPU 0 stays in Pool-0; out of range; another
     * pool's CPU; then CPU 3 leaves Pool-0 and is free. */
    assert_int_equal(pool_cpu(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 7U, 3U), -ENOENT);
    assert_int_equal(pool_cpu(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0U, 0U), -EINVAL);
    assert_int_equal(pool_cpu(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0U, ENV_CPU_IDS), -EINVAL);
    assert_int_equal(pool_cpu(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 1U, 3U), -EADDRNOTAVAIL);
    assert_int_equal(pool_cpu(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0U, XEN_SYSCTL_CPUPOOL_PAR_ANY), 0);
    (void)pool_op(XEN_SYSCTL_CPUPOOL_OP_FREEINFO, 0U, 0);
    assert_int_equal(map[0], 0x8U);
    /* ADDCPU: no such pool; out of range; a CPU in a pool; any free one;
     * then none is free. */
    assert_int_equal(pool_cpu(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 7U, 3U), -ENOENT);
    assert_int_equal(pool_cpu(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 1U, ENV_CPU_IDS), -EINVAL);
    assert_int_equal(pool_cpu(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 1U, 2U), -ENODEV);
    assert_int_equal(pool_cpu(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 1U, XEN_SYSCTL_CPUPOOL_PAR_ANY), 0);
    assert_int_equal(sched_pool_by_id(1U)->cpus, 0x8U);
    assert_int_equal(pool_cpu(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 1U, XEN_SYSCTL_CPUPOOL_PAR_ANY),
                     -ENODEV);
    /* A CPU with vCPUs still on it: -EAGAIN (Xen's toolstack calls again),
     * and the CPU is the pool's until it has gone. */
    fake_sched_cpu_busy(2U);
    assert_int_equal(pool_cpu(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0U, 2U), -EAGAIN);
    assert_int_equal(pool_cpu(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0U, 2U), 0);
    /* MOVEDOMAIN: the domain (16 bits of it) first, never the caller; a
     * pool without CPUs; then domain 1 moves, paused meanwhile. */
    assert_int_equal(move_domain(7U, 1U), -ESRCH);
    assert_int_equal(move_domain(0U, 1U), -EPERM);
    assert_int_equal(move_domain(0x10001U, 0U), 0);     /* already there */
    assert_int_equal(move_domain(1U, 5U), -ENOENT);
    assert_int_equal(move_domain(1U, 9U), -ENOENT);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_MOVE_DOMAIN, NULL), 0U);
    assert_int_equal(move_domain(1U, 1U), 0);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_MOVE_DOMAIN, NULL), 1U);
    assert_int_equal(doms[1].cpupool_id, 1U);
    assert_int_equal(doms[1].pause_count, 0U);
    /* The last CPU of a pool with a domain stays, and so does the pool. */
    assert_int_equal(pool_cpu(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 1U, 3U), -EBUSY);
    (void)pool_op(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 1U, -EBUSY);
    (void)pool_op(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 5U, 0);
    (void)pool_op(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 5U, -ENOENT);
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
