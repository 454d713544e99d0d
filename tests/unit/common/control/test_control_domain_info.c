/* domctl getdomaininfo and sysctl getdomaininfolist
 * (common/control/control_domain_info.c): every field of Xen 4.17's
 * struct xen_domctl_getdomaininfo as Xen on Arm fills it, its "next domain
 * up" lookup, its errors, and the list's window and faults. */
#include "control_env.h"

#include <proxenos/arch/mm.h>

#define INFO_SIZE sizeof(struct xen_domctl_getdomaininfo)
/* Bits 31:16 of a running domain's flags: Xen's "no shutdown code" (~0). */
#define NO_CODE_FLAGS 0xffff0000U

static struct xen_domctl_getdomaininfo *getinfo(domid_t id, long expect)
{
    struct xen_domctl *op = domctl_in(0U, XEN_DOMCTL_getdomaininfo, id);

    assert_int_equal(call_domctl(), expect);
    return &op->u.getdomaininfo;
}

static void every_field_of_dom0(void **state)
{
    struct xen_domctl_getdomaininfo *info;
    static const uint8_t handle[16] = { 1U, 2U, 3U, 4U, 5U, 6U, 7U, 8U, 9U, 10U, 11U, 12U,
                                        13U, 14U, 15U, 16U };

    (void)state;
    memcpy(doms[0].handle, handle, sizeof(handle));
    doms[0].cpupool_id = 0U;
    vcpus[0][0].runstate_time[VCPU_RUNNING] = 1000U;
    vcpus[0][1].runstate_time[VCPU_RUNNING] = 500U;
    /* vCPU 0 has been running for 250 ns more. */
    fake_set_now(250);
    info = getinfo(0U, 0);
    assert_int_equal(info->domain, 0U);
    assert_int_equal(info->flags, XEN_DOMINF_running | XEN_DOMINF_hvm_guest | XEN_DOMINF_hap |
                                  NO_CODE_FLAGS);
    assert_int_equal(info->tot_pages, 1024U);
    assert_int_equal(info->max_pages, 1024U);      /* no limit set: what it has */
    assert_int_equal(info->outstanding_pages, 0U);
    assert_int_equal(info->shr_pages, 0U);
    assert_int_equal(info->paged_pages, 0U);
    assert_int_equal(info->shared_info_frame, arch_virt_to_maddr(doms[0].shared_info) >> 12);
    assert_int_equal(info->cpu_time, 1750U);
    assert_int_equal(info->nr_online_vcpus, 1U);
    assert_int_equal(info->max_vcpu_id, 1U);
    assert_int_equal(info->ssidref, 0U);
    assert_memory_equal(info->handle, handle, sizeof(handle));
    assert_int_equal(info->cpupool, 0U);
    assert_int_equal(info->gpaddr_bits, 40U);
    assert_int_equal(info->arch_config.gic_version, 0U);
    assert_int_equal(info->arch_config.nr_spis, 0U);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void ids_nobody_has(void **state)
{
    struct xen_domctl *op;

    (void)state;
    /* Xen 4.17 answers the next domain up, and says which in both places. */
    op = domctl_in(0U, XEN_DOMCTL_getdomaininfo, 2U);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(op->domain, 3U);
    assert_int_equal(op->u.getdomaininfo.domain, 3U);
    (void)getinfo(4U, -ESRCH);
    (void)getinfo(0x7fefU, -ESRCH);
    /* Reserved ids, DOMID_SELF included, are refused outright. */
    (void)getinfo(DOMID_SELF, -EINVAL);
    (void)getinfo(DOMID_IDLE, -EINVAL);
    (void)getinfo(0xffffU, -EINVAL);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void domus_may_not(void **state)
{
    (void)state;
    as(1U, 0U);
    /* Lookup first, privilege after: the errors tell the ids apart. */
    (void)domctl_in(1U, XEN_DOMCTL_getdomaininfo, 1U);
    assert_int_equal(call_domctl(), -EPERM);
    (void)domctl_in(1U, XEN_DOMCTL_getdomaininfo, 2U);
    assert_int_equal(call_domctl(), -EPERM);
    (void)domctl_in(1U, XEN_DOMCTL_getdomaininfo, 4U);
    assert_int_equal(call_domctl(), -ESRCH);
    (void)domctl_in(1U, XEN_DOMCTL_getdomaininfo, DOMID_SELF);
    assert_int_equal(call_domctl(), -EINVAL);
    as(1U, 0U);
    (void)sysctl_in(1U, XEN_SYSCTL_getdomaininfolist);
    assert_int_equal(call_sysctl(), -EPERM);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void flags_follow_the_domain(void **state)
{
    const uint32_t base = XEN_DOMINF_hvm_guest | XEN_DOMINF_hap;

    (void)state;
    /* Every online vCPU waiting: blocked. */
    vcpus[1][0].state = VCPU_BLOCKED;
    assert_int_equal(getinfo(1U, 0)->flags, base | XEN_DOMINF_blocked | NO_CODE_FLAGS);
    /* One runnable: neither blocked nor running. */
    vcpus[1][1].state = VCPU_RUNNABLE;
    assert_int_equal(getinfo(1U, 0)->flags, base | NO_CODE_FLAGS);
    assert_int_equal(getinfo(1U, 0)->nr_online_vcpus, 2U);
    /* No vCPU up: no run state at all. */
    vcpus[1][0].state = VCPU_OFFLINE;
    vcpus[1][1].state = VCPU_OFFLINE;
    assert_int_equal(getinfo(1U, 0)->flags, base | NO_CODE_FLAGS);
    assert_int_equal(getinfo(1U, 0)->nr_online_vcpus, 0U);
    /* Paused by the toolstack. */
    doms[1].controller_pause_count = 2U;
    assert_int_equal(getinfo(1U, 0)->flags, base | XEN_DOMINF_paused | NO_CODE_FLAGS);
    doms[1].controller_pause_count = 0U;
    /* A code given in advance (SCHEDOP_shutdown_code) shows at once. */
    doms[1].shutdown_code_set = true;
    doms[1].pending_shutdown_code = SHUTDOWN_crash;
    assert_int_equal(getinfo(1U, 0)->flags, base | (3U << 16));
    /* Shut down, with its reason. */
    doms[1].state = DOMAIN_SHUTDOWN;
    doms[1].shutdown_code = SHUTDOWN_reboot;
    assert_int_equal(getinfo(1U, 0)->flags, base | XEN_DOMINF_shutdown | (1U << 16));
    doms[1].state = DOMAIN_CRASHED;
    doms[1].shutdown_code = SHUTDOWN_crash;
    assert_int_equal(getinfo(1U, 0)->flags, base | XEN_DOMINF_shutdown | (3U << 16));
    /* Its vCPUs that were up when it stopped still count, neither running
     * nor blocked, as on Xen (which only pauses them): xl list's VCPUs. */
    for (unsigned int i = 0U; i < 2U; i++) {
        vcpus[1][i].pause_flags = true;
        vcpus[1][i].up_at_shutdown = (i == 0U);
    }
    assert_int_equal(getinfo(1U, 0)->nr_online_vcpus, 1U);
    assert_int_equal(getinfo(1U, 0)->flags, base | XEN_DOMINF_shutdown | (3U << 16));
    /* A limit set by the toolstack is reported as set. */
    doms[1].max_pages = 4096U;
    assert_int_equal(getinfo(1U, 0)->max_pages, 4096U);
}

static struct xen_sysctl *list(uint16_t first, uint32_t max, uint64_t buffer, long expect)
{
    struct xen_sysctl *op = sysctl_in(0U, XEN_SYSCTL_getdomaininfolist);

    op->u.getdomaininfolist.first_domain = first;
    op->u.getdomaininfolist.max_domains = max;
    op->u.getdomaininfolist.buffer = buffer;
    op->u.getdomaininfolist.num_domains = 0xdeadU;
    assert_int_equal(call_sysctl(), expect);
    assert_int_equal(fake_domain_refs_total(), 0U);
    return op;
}

static void list_window(void **state)
{
    const struct xen_domctl_getdomaininfo *e = garg(0U, BUF_OFF);
    struct xen_domctl_getdomaininfo one;

    (void)state;
    assert_int_equal(list(0U, 10U, BUF_GVA, 0)->u.getdomaininfolist.num_domains, 3U);
    assert_int_equal(e[0].domain, 0U);
    assert_int_equal(e[1].domain, 1U);
    assert_int_equal(e[2].domain, 3U);
    /* Each entry is what getdomaininfo says. */
    one = *getinfo(3U, 0);
    assert_memory_equal(&e[2], &one, INFO_SIZE);
    assert_int_equal(list(1U, 1U, BUF_GVA, 0)->u.getdomaininfolist.num_domains, 1U);
    assert_int_equal(e[0].domain, 1U);
    assert_int_equal(list(2U, 10U, BUF_GVA, 0)->u.getdomaininfolist.num_domains, 1U);
    assert_int_equal(e[0].domain, 3U);
    assert_int_equal(list(4U, 10U, BUF_GVA, 0)->u.getdomaininfolist.num_domains, 0U);
    /* An empty buffer is never touched. */
    assert_int_equal(list(0U, 0U, UNMAPPED, 0)->u.getdomaininfolist.num_domains, 0U);
}

static void list_faults(void **state)
{
    (void)state;
    /* Nothing copied back on a fault. */
    assert_int_equal(list(0U, 3U, UNMAPPED, -EFAULT)->u.getdomaininfolist.num_domains, 0xdeadU);
    /* The second entry crosses into unmapped memory. */
    (void)list(0U, 3U, GUEST_BASE + (ENV_PAGES * PAGE_SIZE) - INFO_SIZE - 8U, -EFAULT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(every_field_of_dom0, env_test_setup),
        cmocka_unit_test_setup(ids_nobody_has, env_test_setup),
        cmocka_unit_test_setup(domus_may_not, env_test_setup),
        cmocka_unit_test_setup(flags_follow_the_domain, env_test_setup),
        cmocka_unit_test_setup(list_window, env_test_setup),
        cmocka_unit_test_setup(list_faults, env_test_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
