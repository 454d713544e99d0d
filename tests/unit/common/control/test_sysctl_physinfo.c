/* The machine as sysctl describes it (common/control/sysctl_physinfo.c):
 * physinfo, cputopoinfo, numainfo and getcpuinfo with Xen 4.17 on Arm's
 * answers (one NUMA node, no topology), counts only when asked with null
 * buffers, and -EFAULT for buffers that cannot be written. The machine is
 * control_env.h's: 2 GiB of RAM at 1 GiB, 4 CPU ids, CPUs 0-3 online. */
#include "control_env.h"

static void physinfo(void **state)
{
    struct xen_sysctl *op = sysctl_in(0U, XEN_SYSCTL_physinfo);
    const struct xen_sysctl_physinfo *pi = &op->u.physinfo;
    struct page_alloc_stats st;

    (void)state;
    memset(&op->u, 0xff, sizeof(op->u));
    fake_set_online_cpus(0x7U);      /* CPU 3 never came up */
    assert_int_equal(call_sysctl(), 0);
    page_alloc_stats(&st);
    assert_int_equal(pi->threads_per_core, 1U);
    assert_int_equal(pi->cores_per_socket, 1U);
    assert_int_equal(pi->nr_cpus, 3U);
    assert_int_equal(pi->max_cpu_id, 3U);
    assert_int_equal(pi->nr_nodes, 1U);
    assert_int_equal(pi->max_node_id, 0U);
    assert_int_equal(pi->cpu_khz, ENV_CPU_KHZ);
    assert_int_equal(pi->capabilities, XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap |
                                       XEN_SYSCTL_PHYSCAP_vpmu | XEN_SYSCTL_PHYSCAP_gnttab_v1);
    assert_int_equal(pi->arch_capabilities, 0U);
    assert_int_equal(pi->pad, 0U);
    assert_int_equal(pi->total_pages, ENV_RAM_END_MFN - ENV_RAM_START_MFN);
    assert_int_equal(pi->free_pages, st.free_pages);
    assert_int_equal(pi->scrub_pages, 0U);
    assert_int_equal(pi->outstanding_pages, 0U);
    assert_int_equal(pi->max_mfn, ENV_RAM_END_MFN - 1U);
    for (unsigned int i = 0U; i < 8U; i++) {
        assert_int_equal(pi->hw_cap[i], 0U);
    }
}

static void physinfo_without_pmu(void **state)
{
    struct host_info hi = *hostinfo();
    struct xen_sysctl *op = sysctl_in(0U, XEN_SYSCTL_physinfo);

    (void)state;
    hi.has_pmu = false;
    hostinfo_set(&hi);
    assert_int_equal(call_sysctl(), 0);
    assert_int_equal(op->u.physinfo.capabilities, XEN_SYSCTL_PHYSCAP_hvm |
                     XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_gnttab_v1);
}

static struct xen_sysctl *topo(uint32_t num, uint64_t buf, long expect)
{
    struct xen_sysctl *op = sysctl_in(0U, XEN_SYSCTL_cputopoinfo);

    op->u.cputopoinfo.num_cpus = num;
    op->u.cputopoinfo.cputopo = buf;
    assert_int_equal(call_sysctl(), expect);
    return op;
}

static void cputopoinfo(void **state)
{
    struct xen_sysctl_cputopo *t = garg(0U, BUF_OFF);

    (void)state;
    /* A null buffer asks for the count: every CPU id, online or not. */
    fake_set_online_cpus(0x1U);
    assert_int_equal(topo(0U, 0U, 0)->u.cputopoinfo.num_cpus, ENV_CPU_IDS);
    memset(t, 0xff, 8U * sizeof(*t));
    assert_int_equal(topo(8U, BUF_GVA, 0)->u.cputopoinfo.num_cpus, ENV_CPU_IDS);
    for (unsigned int i = 0U; i < ENV_CPU_IDS; i++) {
        assert_int_equal(t[i].core, 0U);
        assert_int_equal(t[i].socket, 0U);
        assert_int_equal(t[i].node, 0U);
    }
    /* Entries past the CPUs are left alone. */
    assert_int_equal(t[ENV_CPU_IDS].core, 0xffffffffU);
    /* A shorter buffer gets what fits. */
    memset(t, 0xff, 8U * sizeof(*t));
    assert_int_equal(topo(2U, BUF_GVA, 0)->u.cputopoinfo.num_cpus, 2U);
    assert_int_equal(t[2].core, 0xffffffffU);
    assert_int_equal(topo(4U, UNMAPPED, -EFAULT)->u.cputopoinfo.num_cpus, 4U);
}

static struct xen_sysctl *numa(uint32_t num, uint64_t mem, uint64_t dist, long expect)
{
    struct xen_sysctl *op = sysctl_in(0U, XEN_SYSCTL_numainfo);

    op->u.numainfo.num_nodes = num;
    op->u.numainfo.meminfo = mem;
    op->u.numainfo.distance = dist;
    assert_int_equal(call_sysctl(), expect);
    return op;
}

static void numainfo(void **state)
{
    struct xen_sysctl_meminfo *m = garg(0U, BUF_OFF);
    uint32_t *dist = garg(0U, BUF_OFF + 0x100U);
    struct page_alloc_stats st;

    (void)state;
    assert_int_equal(numa(0U, 0U, 0U, 0)->u.numainfo.num_nodes, 1U);
    assert_int_equal(numa(64U, 0U, 0U, 0)->u.numainfo.num_nodes, 1U);
    memset(m, 0xff, 2U * sizeof(*m));
    dist[0] = 0U;
    dist[1] = 7U;
    assert_int_equal(numa(4U, BUF_GVA, BUF_GVA + 0x100U, 0)->u.numainfo.num_nodes, 1U);
    page_alloc_stats(&st);
    assert_int_equal(m[0].memsize, (ENV_RAM_END_MFN - ENV_RAM_START_MFN) << 12);
    assert_int_equal(m[0].memfree, st.free_pages << 12);
    assert_int_equal(m[1].memsize, UINT64_MAX);
    assert_int_equal(dist[0], 20U);
    assert_int_equal(dist[1], 7U);
    /* One array alone. */
    dist[0] = 0U;
    assert_int_equal(numa(1U, 0U, BUF_GVA + 0x100U, 0)->u.numainfo.num_nodes, 1U);
    assert_int_equal(dist[0], 20U);
    /* Room for no node: nothing written, 0 nodes returned. */
    dist[0] = 0U;
    assert_int_equal(numa(0U, BUF_GVA, BUF_GVA + 0x100U, 0)->u.numainfo.num_nodes, 0U);
    assert_int_equal(dist[0], 0U);
    (void)numa(1U, UNMAPPED, 0U, -EFAULT);
    (void)numa(1U, BUF_GVA, UNMAPPED, -EFAULT);
}

static void getcpuinfo(void **state)
{
    struct xen_sysctl_cpuinfo *ci = garg(0U, BUF_OFF);
    struct xen_sysctl *op;

    (void)state;
    fake_set_online_cpus(0xbU);      /* CPU 2 offline */
    for (unsigned int i = 0U; i < 4U; i++) {
        fake_sched_set_idle_time(i, 1000U * (i + 1U));
    }
    memset(ci, 0xff, 8U * sizeof(*ci));
    op = sysctl_in(0U, XEN_SYSCTL_getcpuinfo);
    op->u.getcpuinfo.max_cpus = 8U;
    op->u.getcpuinfo.info = BUF_GVA;
    assert_int_equal(call_sysctl(), 0);
    assert_int_equal(op->u.getcpuinfo.nr_cpus, ENV_CPU_IDS);
    assert_int_equal(ci[0].idletime, 1000U);
    assert_int_equal(ci[1].idletime, 2000U);
    assert_int_equal(ci[2].idletime, 0U);
    assert_int_equal(ci[3].idletime, 4000U);
    assert_int_equal(ci[4].idletime, UINT64_MAX);
    op = sysctl_in(0U, XEN_SYSCTL_getcpuinfo);
    op->u.getcpuinfo.max_cpus = 1U;
    op->u.getcpuinfo.info = BUF_GVA;
    assert_int_equal(call_sysctl(), 0);
    assert_int_equal(op->u.getcpuinfo.nr_cpus, 1U);
    op = sysctl_in(0U, XEN_SYSCTL_getcpuinfo);
    op->u.getcpuinfo.max_cpus = 0U;
    op->u.getcpuinfo.info = UNMAPPED;
    assert_int_equal(call_sysctl(), 0);
    assert_int_equal(op->u.getcpuinfo.nr_cpus, 0U);
    op->u.getcpuinfo.max_cpus = 2U;
    assert_int_equal(call_sysctl(), -EFAULT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(physinfo, env_test_setup),
        cmocka_unit_test_setup(physinfo_without_pmu, env_test_setup),
        cmocka_unit_test_setup(cputopoinfo, env_test_setup),
        cmocka_unit_test_setup(numainfo, env_test_setup),
        cmocka_unit_test_setup(getcpuinfo, env_test_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
