/* vCPU commands (common/control/domctl_vcpu.c): max_vcpus,
 * set/getvcpuaffinity with their masks through struct xenctl_bitmap,
 * getvcpuinfo. */
#include "control_env.h"

#define HARD_OFF (BUF_OFF)
#define SOFT_OFF (BUF_OFF + 0x40U)

static void max_vcpus(void **state)
{
    struct xen_domctl *op;

    (void)state;
    /* Only the number the domain was created with, any number of times. */
    op = domctl_in(0U, XEN_DOMCTL_max_vcpus, 1U);
    op->u.max_vcpus.max = ENV_VCPUS;
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(call_domctl(), 0);
    op->u.max_vcpus.max = ENV_VCPUS + 1U;
    assert_int_equal(call_domctl(), -EINVAL);
    op->u.max_vcpus.max = 0U;
    assert_int_equal(call_domctl(), -EINVAL);
    /* Not on the caller's own domain. */
    op = domctl_in(0U, XEN_DOMCTL_max_vcpus, 0U);
    op->u.max_vcpus.max = ENV_VCPUS;
    assert_int_equal(call_domctl(), -EINVAL);
}

static struct xen_domctl *affinity(uint32_t cmd, domid_t dom, uint32_t vcpu, uint32_t flags,
                                   uint32_t bits)
{
    struct xen_domctl *op = domctl_in(0U, cmd, dom);

    op->u.vcpuaffinity.vcpu = vcpu;
    op->u.vcpuaffinity.flags = flags;
    op->u.vcpuaffinity.cpumap_hard.bitmap = GUEST_BASE + HARD_OFF;
    op->u.vcpuaffinity.cpumap_hard.nr_bits = bits;
    op->u.vcpuaffinity.cpumap_soft.bitmap = GUEST_BASE + SOFT_OFF;
    op->u.vcpuaffinity.cpumap_soft.nr_bits = bits;
    return op;
}

static void affinity_checks(void **state)
{
    struct xen_domctl *op;
    const uint32_t both = XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT;

    (void)state;
    op = affinity(XEN_DOMCTL_setvcpuaffinity, 1U, ENV_VCPUS, both, 8U);
    assert_int_equal(call_domctl(), -EINVAL);
    op->u.vcpuaffinity.vcpu = 0xffffffffU;
    assert_int_equal(call_domctl(), -EINVAL);
    /* A slot without a vCPU. */
    vcpu_ptrs[1][1] = NULL;
    op->u.vcpuaffinity.vcpu = 1U;
    assert_int_equal(call_domctl(), -ESRCH);
    vcpu_ptrs[1][1] = &vcpus[1][1];
    /* No flag, or a flag whose bitmap address is null. */
    op = affinity(XEN_DOMCTL_setvcpuaffinity, 1U, 0U, 0U, 8U);
    assert_int_equal(call_domctl(), -EINVAL);
    op = affinity(XEN_DOMCTL_getvcpuaffinity, 1U, 0U, XEN_VCPUAFFINITY_SOFT, 8U);
    op->u.vcpuaffinity.cpumap_soft.bitmap = 0U;
    assert_int_equal(call_domctl(), -EINVAL);
    /* Bitmaps that cannot be read or written. */
    op = affinity(XEN_DOMCTL_setvcpuaffinity, 1U, 0U, XEN_VCPUAFFINITY_HARD, 8U);
    op->u.vcpuaffinity.cpumap_hard.bitmap = UNMAPPED;
    assert_int_equal(call_domctl(), -EFAULT);
    assert_int_equal(vcpus[1][0].hard_affinity, ~0ULL);
}

static void set_and_get_affinity(void **state)
{
    uint8_t *hard = garg(0U, HARD_OFF);
    uint8_t *soft = garg(0U, SOFT_OFF);
    const uint32_t both = XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT;

    (void)state;
    /* Defaults: all CPUs, shown over the 4 CPU ids there are, the
     * caller's longer bitmap zero-filled. */
    memset(hard, 0xee, 4U);
    memset(soft, 0xee, 4U);
    (void)affinity(XEN_DOMCTL_getvcpuaffinity, 1U, 1U, both, 24U);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(hard[0], 0x0fU);
    assert_int_equal(hard[1], 0U);
    assert_int_equal(hard[2], 0U);
    assert_int_equal(hard[3], 0xeeU);
    assert_int_equal(soft[0], 0x0fU);
    /* vCPU 1 of dom1 is on CPU 1: hard {1,2}, soft {0,2,7}. The answers
     * are what the scheduler uses: hard within the pool's online CPUs,
     * soft within that and the hard mask. */
    fake_set_online_cpus(0x7U);
    hard[0] = 0x06U;
    soft[0] = 0x85U;
    (void)affinity(XEN_DOMCTL_setvcpuaffinity, 1U, 1U, both, 8U);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(vcpus[1][1].hard_affinity, 0x06U);
    assert_int_equal(vcpus[1][1].soft_affinity, 0x05U);    /* bit 7: no such CPU */
    assert_int_equal(hard[0], 0x06U);
    assert_int_equal(soft[0], 0x04U);
    /* get reports the masks as set. */
    hard[0] = 0U;
    soft[0] = 0U;
    (void)affinity(XEN_DOMCTL_getvcpuaffinity, 1U, 1U, both, 8U);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(hard[0], 0x06U);
    assert_int_equal(soft[0], 0x05U);
    /* Bits past the caller's nr_bits are not read. */
    hard[0] = 0xf2U;
    (void)affinity(XEN_DOMCTL_setvcpuaffinity, 1U, 1U, XEN_VCPUAFFINITY_HARD, 2U);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(vcpus[1][1].hard_affinity, 0x02U);
}

static void affinity_refusals(void **state)
{
    uint8_t *hard = garg(0U, HARD_OFF);

    (void)state;
    /* No CPU of the domain's pool in it: -EINVAL. */
    fake_set_online_cpus(0x3U);
    hard[0] = 0x0cU;
    (void)affinity(XEN_DOMCTL_setvcpuaffinity, 1U, 0U, XEN_VCPUAFFINITY_HARD, 8U);
    assert_int_equal(call_domctl(), -EINVAL);
    fake_set_online_cpus(0xfU);
    fake_cpupools_clear();
    env_add_pool(0U, 0x1U, "credit2");
    hard[0] = 0x02U;
    vcpus[1][0].processor = 1U;
    assert_int_equal(call_domctl(), -EINVAL);
    /* A mask without the vCPU's CPU moves it; its domain is not paused
     * for that (the scheduler moves a running vCPU once off its CPU). */
    fake_cpupools_clear();
    env_add_pool(0U, 0xfU, "credit2");
    hard[0] = 0x01U;
    env_restart_moves();
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(vcpus[1][0].hard_affinity, 0x01U);
    assert_int_equal(vcpus[1][0].processor, 0U);
    assert_int_equal(env_moves(), 1U);
    assert_int_equal(doms[1].pause_count, 0U);
    /* A vCPU of the caller's own domain moves as well, as on Xen. */
    vcpus[0][0].processor = 1U;
    (void)affinity(XEN_DOMCTL_setvcpuaffinity, 0U, 0U, XEN_VCPUAFFINITY_HARD, 8U);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(vcpus[0][0].hard_affinity, 0x01U);
    assert_int_equal(vcpus[0][0].processor, 0U);
    assert_int_equal(env_moves(), 2U);
    vcpus[0][0].hard_affinity = ~0ULL;
    /* Back to an unpinned vCPU for what follows. */
    vcpus[1][0].hard_affinity = ~0ULL;
    (void)affinity(XEN_DOMCTL_setvcpuaffinity, 1U, 0U, XEN_VCPUAFFINITY_HARD, 8U);
    /* A soft mask that fails puts the hard one back. */
    hard[0] = 0x03U;
    (void)affinity(XEN_DOMCTL_setvcpuaffinity, 1U, 0U,
                   XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT, 8U);
    fake_guest_fault(GUEST_BASE + SOFT_OFF, 1U, false);
    assert_int_equal(call_domctl(), -EFAULT);
    assert_int_equal(vcpus[1][0].hard_affinity, ~0ULL);
}

static void getvcpuinfo(void **state)
{
    struct xen_domctl *op;

    (void)state;
    vcpus[2][1].state = VCPU_BLOCKED;
    vcpus[2][1].processor = 3U;
    vcpus[2][1].runstate_time[VCPU_RUNNING] = 12345U;
    op = domctl_in(0U, XEN_DOMCTL_getvcpuinfo, 3U);
    op->u.getvcpuinfo.vcpu = 1U;
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(op->u.getvcpuinfo.online, 1U);
    assert_int_equal(op->u.getvcpuinfo.blocked, 1U);
    assert_int_equal(op->u.getvcpuinfo.running, 0U);
    assert_int_equal(op->u.getvcpuinfo.cpu_time, 12345U);
    assert_int_equal(op->u.getvcpuinfo.cpu, 3U);
    op->u.getvcpuinfo.vcpu = 0U;
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(op->u.getvcpuinfo.online, 1U);
    assert_int_equal(op->u.getvcpuinfo.running, 1U);
    assert_int_equal(op->u.getvcpuinfo.blocked, 0U);
    vcpus[2][0].state = VCPU_OFFLINE;
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(op->u.getvcpuinfo.online, 0U);
    op->u.getvcpuinfo.vcpu = ENV_VCPUS;
    assert_int_equal(call_domctl(), -EINVAL);
    vcpu_ptrs[2][1] = NULL;
    op->u.getvcpuinfo.vcpu = 1U;
    assert_int_equal(call_domctl(), -ESRCH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(max_vcpus, env_test_setup),
        cmocka_unit_test_setup(affinity_checks, env_test_setup),
        cmocka_unit_test_setup(set_and_get_affinity, env_test_setup),
        cmocka_unit_test_setup(affinity_refusals, env_test_setup),
        cmocka_unit_test_setup(getvcpuinfo, env_test_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
