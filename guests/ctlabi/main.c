/*
 * ctlabi: the toolstack's sysctl and domctl as dom0 sees them, with the
 * answers Xen 4.17 gives on QEMU's virt machine. Run it as dom0 (a
 * guest-loader kernel module), alone, with every host CPU as a dom0 vCPU.
 *
 * bootargs: host_mib=<n> (the machine's RAM, QEMU -m), pmu=<0|1> (the CPUs
 * have a PMU: QEMU's cortex-a57 has one), domu_mib=<n> (a dom0less domU
 * with one vCPU and that much RAM runs beside dom0 as domain 1: the
 * commands on another domain are checked on it; 0, the default: dom0 is
 * alone).
 *
 * What does not depend on the machine is checked exactly; what does
 * (memory, CPU count) against the bootargs and the device tree; values
 * that differ between hypervisors by design (free memory, time) only for
 * sanity. Each checked value is printed too, so that a run on Xen can be
 * compared line by line with a run on Proxenos.
 */
#include "guest.h"
#include "bootargs.h"
#include "hypercall.h"
#include "sysreg.h"

#include <public/sysctl.h>
#include <public/version.h>

#define RAM_BASE UINT64_C(0x40000000)       /* QEMU virt */
#define NOT_MAPPED UINT64_C(0x01000000)
#define POOL_BITS 64U

static struct xen_sysctl sc;
static struct xen_domctl dc;
static uint8_t buf[4096] __attribute__((aligned(16)));
static uint8_t buf2[256] __attribute__((aligned(16)));

static long sysctl(uint32_t cmd)
{
    sc.cmd = cmd;
    sc.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    return xen_hypercall(__HYPERVISOR_sysctl, (uint64_t)(uintptr_t)&sc, 0U, 0U);
}

static void sysctl_reset(uint32_t cmd)
{
    memset(&sc, 0, sizeof(sc));
    sc.cmd = cmd;
}

static long domctl(uint32_t cmd, uint16_t dom)
{
    dc.cmd = cmd;
    dc.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    dc.domain = dom;
    return xen_hypercall(__HYPERVISOR_domctl, (uint64_t)(uintptr_t)&dc, 0U, 0U);
}

static void domctl_reset(void)
{
    memset(&dc, 0, sizeof(dc));
}

static uint64_t ptr(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

static void physinfo(const struct platform *p, uint32_t cpus, uint64_t host_pages, bool pmu)
{
    const struct xen_sysctl_physinfo *pi = &sc.u.physinfo;
    uint32_t caps = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_gnttab_v1;
    /* Xen: the timer node's clock-frequency if there is one, else CNTFRQ. */
    uint64_t hz = (p->timer_dt_freq != 0U) ? p->timer_dt_freq : (SYSREG_READ(cntfrq_el0) & 0xffffffffU);
    uint64_t khz = hz / 1000U;

    if (pmu) {
        caps |= XEN_SYSCTL_PHYSCAP_vpmu;
    }
    sysctl_reset(XEN_SYSCTL_physinfo);
    if (!xen_expect("physinfo", sysctl(XEN_SYSCTL_physinfo), 0)) {
        return;
    }
    printf("physinfo: threads %u cores %u cpus %u max_cpu_id %u nodes %u max_node %u khz %u "
           "caps 0x%x arch_caps 0x%x\n", pi->threads_per_core, pi->cores_per_socket, pi->nr_cpus,
           pi->max_cpu_id, pi->nr_nodes, pi->max_node_id, pi->cpu_khz, pi->capabilities,
           pi->arch_capabilities);
    printf("physinfo: total %lu free %lu scrub %lu outstanding %lu max_mfn 0x%lx\n",
           pi->total_pages, pi->free_pages, pi->scrub_pages, pi->outstanding_pages, pi->max_mfn);
    test_check("physinfo_topology", (pi->threads_per_core == 1U) && (pi->cores_per_socket == 1U) &&
               (pi->nr_nodes == 1U) && (pi->max_node_id == 0U), "see above");
    test_check("physinfo_cpus", (pi->nr_cpus == cpus) && (pi->max_cpu_id == (cpus - 1U)),
               "%u CPUs expected", cpus);
    test_check("physinfo_khz", pi->cpu_khz == khz, "CNTFRQ says %lu kHz", khz);
    test_check("physinfo_caps", (pi->capabilities == caps) && (pi->arch_capabilities == 0U),
               "0x%x expected", caps);
    test_check("physinfo_memory", (pi->total_pages == host_pages) &&
               (pi->max_mfn == (((RAM_BASE >> 12) + host_pages) - 1U)) && (pi->free_pages != 0U) &&
               (pi->free_pages < host_pages) && (pi->scrub_pages == 0U) &&
               (pi->outstanding_pages == 0U), "%lu pages of RAM expected", host_pages);
}

static void topology(uint32_t cpus, uint64_t host_pages)
{
    const struct xen_sysctl_cputopo *t = (const struct xen_sysctl_cputopo *)buf;
    const struct xen_sysctl_meminfo *m = (const struct xen_sysctl_meminfo *)buf;
    const uint32_t *dist = (const uint32_t *)buf2;
    bool zero = true;

    sysctl_reset(XEN_SYSCTL_cputopoinfo);
    xen_expect("cputopoinfo_count", sysctl(XEN_SYSCTL_cputopoinfo), 0);
    test_check("cputopoinfo_count_cpus", sc.u.cputopoinfo.num_cpus == cpus, "%u",
               sc.u.cputopoinfo.num_cpus);
    sysctl_reset(XEN_SYSCTL_cputopoinfo);
    memset(buf, 0xff, sizeof(buf));
    sc.u.cputopoinfo.num_cpus = 64U;
    sc.u.cputopoinfo.cputopo = ptr(buf);
    xen_expect("cputopoinfo", sysctl(XEN_SYSCTL_cputopoinfo), 0);
    for (uint32_t i = 0U; i < cpus; i++) {
        zero = zero && (t[i].core == 0U) && (t[i].socket == 0U) && (t[i].node == 0U);
    }
    test_check("cputopoinfo_all_zero", zero && (sc.u.cputopoinfo.num_cpus == cpus) &&
               (t[cpus].core == 0xffffffffU), "num %u", sc.u.cputopoinfo.num_cpus);

    sysctl_reset(XEN_SYSCTL_numainfo);
    xen_expect("numainfo_count", sysctl(XEN_SYSCTL_numainfo), 0);
    test_check("numainfo_one_node", sc.u.numainfo.num_nodes == 1U, "%u", sc.u.numainfo.num_nodes);
    sysctl_reset(XEN_SYSCTL_numainfo);
    memset(buf2, 0, sizeof(buf2));
    sc.u.numainfo.num_nodes = 4U;
    sc.u.numainfo.meminfo = ptr(buf);
    sc.u.numainfo.distance = ptr(buf2);
    xen_expect("numainfo", sysctl(XEN_SYSCTL_numainfo), 0);
    printf("numainfo: memsize 0x%lx memfree 0x%lx distance %u\n", m[0].memsize, m[0].memfree,
           dist[0]);
    test_check("numainfo_node0", (sc.u.numainfo.num_nodes == 1U) &&
               (m[0].memsize == (host_pages << 12)) && (m[0].memfree != 0U) && (dist[0] == 20U) &&
               (dist[1] == 0U), "see above");

    sysctl_reset(XEN_SYSCTL_getcpuinfo);
    sc.u.getcpuinfo.max_cpus = 64U;
    sc.u.getcpuinfo.info = ptr(buf);
    xen_expect("getcpuinfo", sysctl(XEN_SYSCTL_getcpuinfo), 0);
    test_check("getcpuinfo_cpus", sc.u.getcpuinfo.nr_cpus == cpus, "%u", sc.u.getcpuinfo.nr_cpus);
}

static uint32_t nr_domains = 1U;

static void pools(uint32_t cpus)
{
    sysctl_reset(XEN_SYSCTL_sched_id);
    xen_expect("sched_id", sysctl(XEN_SYSCTL_sched_id), 0);
    test_check("sched_id_credit2", sc.u.sched_id.sched_id == XEN_SCHEDULER_CREDIT2, "%u",
               sc.u.sched_id.sched_id);
    sysctl_reset(XEN_SYSCTL_cpupool_op);
    memset(buf, 0xee, 16U);
    sc.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
    sc.u.cpupool_op.cpumap.bitmap = ptr(buf);
    sc.u.cpupool_op.cpumap.nr_bits = POOL_BITS;
    xen_expect("cpupool_info_0", sysctl(XEN_SYSCTL_cpupool_op), 0);
    printf("cpupool: id %u sched %u n_dom %u map %02x %02x\n", sc.u.cpupool_op.cpupool_id,
           sc.u.cpupool_op.sched_id, sc.u.cpupool_op.n_dom, buf[0], buf[1]);
    test_check("cpupool_0", (sc.u.cpupool_op.cpupool_id == 0U) &&
               (sc.u.cpupool_op.sched_id == XEN_SCHEDULER_CREDIT2) &&
               (sc.u.cpupool_op.n_dom == nr_domains) &&
               (buf[0] == ((1U << cpus) - 1U)) && (buf[7] == 0U) && (buf[8] == 0xeeU), "see above");
    sc.u.cpupool_op.cpupool_id = 1U;
    xen_expect("cpupool_info_past_last", sysctl(XEN_SYSCTL_cpupool_op), -XEN_ENOENT);
    sysctl_reset(XEN_SYSCTL_cpupool_op);
    memset(buf, 0xee, 16U);
    sc.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_FREEINFO;
    sc.u.cpupool_op.cpumap.bitmap = ptr(buf);
    sc.u.cpupool_op.cpumap.nr_bits = 8U;
    xen_expect("cpupool_freeinfo", sysctl(XEN_SYSCTL_cpupool_op), 0);
    test_check("cpupool_no_free_cpu", (buf[0] == 0U) && (buf[1] == 0xeeU), "%02x", buf[0]);
    sysctl_reset(XEN_SYSCTL_cpupool_op);
    sc.u.cpupool_op.op = 99U;
    xen_expect("cpupool_unknown_op", sysctl(XEN_SYSCTL_cpupool_op), -XEN_ENOSYS);
}

static void check_dom0_info(const char *name, const struct xen_domctl_getdomaininfo *i,
                            uint32_t cpus, uint64_t dom0_pages)
{
    const uint32_t flags = XEN_DOMINF_hvm_guest | XEN_DOMINF_hap | XEN_DOMINF_running;

    printf("%s: dom %u flags 0x%x tot %lu max %lu out %lu shr %lu paged %lu si_frame %s "
           "online %u max_vcpu %u ssid %u pool %u gpaddr_bits %u\n", name, i->domain, i->flags,
           i->tot_pages, i->max_pages, i->outstanding_pages, i->shr_pages, i->paged_pages,
           (i->shared_info_frame != 0U) ? "set" : "0", i->nr_online_vcpus, i->max_vcpu_id,
           i->ssidref, i->cpupool, i->gpaddr_bits);
    /* Bits 31:16 hold Xen's "no shutdown code" (~0) while dom0 runs. */
    test_check(name, (i->domain == 0U) && (i->flags == (flags | 0xffff0000U)) &&
               (i->tot_pages == dom0_pages) && (i->max_pages == dom0_pages) &&
               (i->outstanding_pages == 0U) && (i->shr_pages == 0U) && (i->paged_pages == 0U) &&
               (i->shared_info_frame != 0U) && (i->cpu_time != 0U) && (i->nr_online_vcpus == 1U) &&
               (i->max_vcpu_id == (cpus - 1U)) && (i->ssidref == 0U) && (i->cpupool == 0U) &&
               (i->arch_config.nr_spis == 0U), "see above");
}

static void domain_info(uint32_t cpus, uint64_t dom0_pages)
{
    const struct xen_domctl_getdomaininfo *e = (const struct xen_domctl_getdomaininfo *)buf;

    sysctl_reset(XEN_SYSCTL_getdomaininfolist);
    sc.u.getdomaininfolist.max_domains = 8U;
    sc.u.getdomaininfolist.buffer = ptr(buf);
    xen_expect("getdomaininfolist", sysctl(XEN_SYSCTL_getdomaininfolist), 0);
    if (test_check("getdomaininfolist_all", sc.u.getdomaininfolist.num_domains == nr_domains,
                   "%u", sc.u.getdomaininfolist.num_domains)) {
        check_dom0_info("getdomaininfolist_dom0", &e[0], cpus, dom0_pages);
    }
    sc.u.getdomaininfolist.first_domain = 1U;
    xen_expect("getdomaininfolist_from_1", sysctl(XEN_SYSCTL_getdomaininfolist), 0);
    test_check("getdomaininfolist_from_1_count", sc.u.getdomaininfolist.num_domains ==
               (nr_domains - 1U), "%u", sc.u.getdomaininfolist.num_domains);
    domctl_reset();
    if (xen_expect("getdomaininfo_0", domctl(XEN_DOMCTL_getdomaininfo, 0U), 0)) {
        check_dom0_info("getdomaininfo_dom0", &dc.u.getdomaininfo, cpus, dom0_pages);
    }
    domctl_reset();
    xen_expect("getdomaininfo_none_above", domctl(XEN_DOMCTL_getdomaininfo, (uint16_t)nr_domains),
               -XEN_ESRCH);
    xen_expect("getdomaininfo_domid_self", domctl(XEN_DOMCTL_getdomaininfo, XEN_DOMID_SELF),
               -XEN_EINVAL);
    dc.interface_version = 0x14U;
    xen_expect("domctl_old_version",
               xen_hypercall(__HYPERVISOR_domctl, ptr(&dc), 0U, 0U), -XEN_EACCES);
    sysctl_reset(XEN_SYSCTL_physinfo);
    sc.interface_version = 0x16U;
    xen_expect("sysctl_new_version",
               xen_hypercall(__HYPERVISOR_sysctl, ptr(&sc), 0U, 0U), -XEN_EACCES);
    xen_expect("sysctl_unmapped", xen_hypercall(__HYPERVISOR_sysctl, NOT_MAPPED, 0U, 0U), -XEN_EFAULT);
    sysctl_reset(0U);
    xen_expect("sysctl_unknown", sysctl(30U), -XEN_ENOSYS);
    domctl_reset();
    xen_expect("domctl_unknown", domctl(70U, 0U), -XEN_ENOSYS);
    xen_expect("domctl_unknown_nobody", domctl(70U, 5U), -XEN_ESRCH);
}

static void vcpus(uint32_t cpus)
{
    const uint8_t all = (uint8_t)((1U << cpus) - 1U);

    domctl_reset();
    dc.u.getvcpuinfo.vcpu = 0U;
    xen_expect("getvcpuinfo_0", domctl(XEN_DOMCTL_getvcpuinfo, 0U), 0);
    printf("getvcpuinfo 0: online %u blocked %u running %u cpu %u\n", dc.u.getvcpuinfo.online,
           dc.u.getvcpuinfo.blocked, dc.u.getvcpuinfo.running, dc.u.getvcpuinfo.cpu);
    test_check("getvcpuinfo_running", (dc.u.getvcpuinfo.online == 1U) &&
               (dc.u.getvcpuinfo.blocked == 0U) && (dc.u.getvcpuinfo.running == 1U) &&
               (dc.u.getvcpuinfo.cpu < cpus) && (dc.u.getvcpuinfo.cpu_time != 0U), "see above");
    if (cpus > 1U) {
        domctl_reset();
        dc.u.getvcpuinfo.vcpu = 1U;
        xen_expect("getvcpuinfo_1", domctl(XEN_DOMCTL_getvcpuinfo, 0U), 0);
        test_check("getvcpuinfo_offline", (dc.u.getvcpuinfo.online == 0U) &&
                   (dc.u.getvcpuinfo.running == 0U), "online %u", dc.u.getvcpuinfo.online);
    }
    domctl_reset();
    dc.u.getvcpuinfo.vcpu = cpus;
    xen_expect("getvcpuinfo_past_last", domctl(XEN_DOMCTL_getvcpuinfo, 0U), -XEN_EINVAL);

    domctl_reset();
    memset(buf, 0xee, 32U);
    dc.u.vcpuaffinity.vcpu = 0U;
    dc.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT;
    dc.u.vcpuaffinity.cpumap_hard.bitmap = ptr(buf);
    dc.u.vcpuaffinity.cpumap_hard.nr_bits = 64U;
    dc.u.vcpuaffinity.cpumap_soft.bitmap = ptr(&buf[16]);
    dc.u.vcpuaffinity.cpumap_soft.nr_bits = 64U;
    xen_expect("getvcpuaffinity", domctl(XEN_DOMCTL_getvcpuaffinity, 0U), 0);
    printf("getvcpuaffinity 0: hard %02x soft %02x\n", buf[0], buf[16]);
    test_check("getvcpuaffinity_all", (buf[0] == all) && (buf[7] == 0U) && (buf[8] == 0xeeU) &&
               (buf[16] == all) && (buf[23] == 0U), "see above");
    dc.u.vcpuaffinity.flags = 0U;
    xen_expect("getvcpuaffinity_no_flag", domctl(XEN_DOMCTL_getvcpuaffinity, 0U), -XEN_EINVAL);

    domctl_reset();
    dc.u.max_vcpus.max = cpus;
    xen_expect("max_vcpus_self", domctl(XEN_DOMCTL_max_vcpus, 0U), -XEN_EINVAL);
    domctl_reset();
    dc.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2;
    dc.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    xen_expect("scheduler_op_getinfo", domctl(XEN_DOMCTL_scheduler_op, 0U), 0);
    test_check("scheduler_op_defaults", (dc.u.scheduler_op.u.credit2.weight == 256U) &&
               (dc.u.scheduler_op.u.credit2.cap == 0U), "weight %u cap %u",
               dc.u.scheduler_op.u.credit2.weight, dc.u.scheduler_op.u.credit2.cap);
    dc.u.scheduler_op.sched_id = XEN_SCHEDULER_NULL;
    xen_expect("scheduler_op_wrong_sched", domctl(XEN_DOMCTL_scheduler_op, 0U), -XEN_EINVAL);
}

static void domain_settings(const struct platform *p, uint64_t dom0_pages)
{
    static const uint8_t h[16] = { 0x11U, 0x22U, 0x33U, 0x44U, 1U, 2U, 3U, 4U,
                                   5U, 6U, 7U, 8U, 9U, 10U, 11U, 12U };
    uint8_t got[16];

    domctl_reset();
    xen_expect("pause_self", domctl(XEN_DOMCTL_pausedomain, 0U), -XEN_EINVAL);
    xen_expect("unpause_not_paused", domctl(XEN_DOMCTL_unpausedomain, 0U), -XEN_EINVAL);
    xen_expect("pause_nobody", domctl(XEN_DOMCTL_pausedomain, 7U), -XEN_ESRCH);
    domctl_reset();
    memcpy(dc.u.setdomainhandle.handle, h, sizeof(h));
    xen_expect("setdomainhandle", domctl(XEN_DOMCTL_setdomainhandle, 0U), 0);
    memset(got, 0, sizeof(got));
    xen_expect("guest_handle", hyp_xen_version(XENVER_guest_handle, got), 0);
    test_check("guest_handle_is_set", memcmp(got, h, sizeof(h)) == 0, "%02x", got[0]);
    domctl_reset();
    xen_expect("settimeoffset", domctl(XEN_DOMCTL_settimeoffset, 0U), 0);
    domctl_reset();
    dc.u.max_mem.max_memkb = dom0_pages * 4U;
    xen_expect("max_mem", domctl(XEN_DOMCTL_max_mem, 0U), 0);
    domctl_reset();
    dc.u.address_size.size = 64U;
    xen_expect("set_address_size_has_memory", domctl(XEN_DOMCTL_set_address_size, 0U), -XEN_EBUSY);
    dc.u.address_size.size = 16U;
    xen_expect("set_address_size_16", domctl(XEN_DOMCTL_set_address_size, 0U), -XEN_EINVAL);
    domctl_reset();
    dc.u.cacheflush.start_pfn = p->mem[0].base >> 12;
    dc.u.cacheflush.nr_pfns = 16U;
    xen_expect("cacheflush", domctl(XEN_DOMCTL_cacheflush, 0U), 0);
    dc.u.cacheflush.nr_pfns = (UINT64_C(1) << 18) + 1U;
    xen_expect("cacheflush_too_many", domctl(XEN_DOMCTL_cacheflush, 0U), -XEN_EINVAL);
    domctl_reset();
    xen_expect("get_paging_mempool_size", domctl(XEN_DOMCTL_get_paging_mempool_size, 0U), 0);
    printf("paging mempool: %lu KiB\n", dc.u.paging_mempool.size >> 10);
    test_check("paging_mempool_pages", (dc.u.paging_mempool.size != 0U) &&
               ((dc.u.paging_mempool.size & 0xfffU) == 0U), "0x%lx", dc.u.paging_mempool.size);
    dc.u.paging_mempool.size = 4097U;
    xen_expect("set_paging_mempool_unaligned", domctl(XEN_DOMCTL_set_paging_mempool_size, 0U),
               -XEN_EINVAL);
    /* dom0 holds the MMIO of its devices (QEMU's PL031 RTC at 0x9010000),
     * not RAM; interrupt numbers are checked before anything else. */
    domctl_reset();
    dc.u.iomem_permission.first_mfn = 0x9010U;
    dc.u.iomem_permission.nr_mfns = 1U;
    dc.u.iomem_permission.allow_access = 1U;
    xen_expect("iomem_permission_own_device", domctl(XEN_DOMCTL_iomem_permission, 0U), 0);
    dc.u.iomem_permission.first_mfn = RAM_BASE >> 12;
    xen_expect("iomem_permission_ram", domctl(XEN_DOMCTL_iomem_permission, 0U), -XEN_EPERM);
    dc.u.iomem_permission.nr_mfns = 0U;
    xen_expect("iomem_permission_wraps", domctl(XEN_DOMCTL_iomem_permission, 0U), -XEN_EINVAL);
    domctl_reset();
    dc.u.irq_permission.pirq = 1024U;
    xen_expect("irq_permission_too_big", domctl(XEN_DOMCTL_irq_permission, 0U), -XEN_EINVAL);
    dc.u.irq_permission.pirq = 0U;
    xen_expect("irq_permission_zero", domctl(XEN_DOMCTL_irq_permission, 0U), -XEN_EPERM);
    domctl_reset();
    dc.u.vuart_op.pad[0] = 1U;
    xen_expect("vuart_op_pad", domctl(XEN_DOMCTL_vuart_op, 0U), -XEN_EINVAL);
    dc.u.vuart_op.pad[0] = 0U;
    xen_expect("vuart_op_after_creation", domctl(XEN_DOMCTL_vuart_op, 0U), -XEN_EPERM);
}

static uint32_t domu_flags(const char *name)
{
    domctl_reset();
    if (!xen_expect(name, domctl(XEN_DOMCTL_getdomaininfo, 1U), 0)) {
        return 0U;
    }
    printf("%s: flags 0x%x tot %lu max %lu online %u max_vcpu %u pool %u\n", name,
           dc.u.getdomaininfo.flags, dc.u.getdomaininfo.tot_pages, dc.u.getdomaininfo.max_pages,
           dc.u.getdomaininfo.nr_online_vcpus, dc.u.getdomaininfo.max_vcpu_id,
           dc.u.getdomaininfo.cpupool);
    return dc.u.getdomaininfo.flags;
}

static long sched(uint32_t cmd, uint16_t weight, uint16_t cap)
{
    domctl_reset();
    dc.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2;
    dc.u.scheduler_op.cmd = cmd;
    dc.u.scheduler_op.u.credit2.weight = weight;
    dc.u.scheduler_op.u.credit2.cap = cap;
    return domctl(XEN_DOMCTL_scheduler_op, 1U);
}

/* The commands on another domain: the dom0less domU 1. */
static void other_domain(uint32_t cpus, uint64_t domu_pages)
{
    const uint32_t base = XEN_DOMINF_hvm_guest | XEN_DOMINF_hap | 0xffff0000U;
    uint32_t f = domu_flags("domu_info");

    test_check("domu_info_fields", ((f & ~(XEN_DOMINF_blocked | XEN_DOMINF_running)) == base) &&
               (dc.u.getdomaininfo.domain == 1U) && (dc.u.getdomaininfo.tot_pages == domu_pages) &&
               (dc.u.getdomaininfo.max_pages == domu_pages) &&
               (dc.u.getdomaininfo.nr_online_vcpus == 1U) && (dc.u.getdomaininfo.max_vcpu_id == 0U) &&
               (dc.u.getdomaininfo.cpupool == 0U), "flags 0x%x", f);
    /* Paused: it stays off every CPU until unpaused; pauses nest. */
    domctl_reset();
    xen_expect("domu_pause", domctl(XEN_DOMCTL_pausedomain, 1U), 0);
    f = domu_flags("domu_info_paused");
    test_check("domu_paused", (f & (XEN_DOMINF_paused | XEN_DOMINF_running)) == XEN_DOMINF_paused,
               "flags 0x%x", f);
    domctl_reset();
    xen_expect("domu_vcpu_info_paused", domctl(XEN_DOMCTL_getvcpuinfo, 1U), 0);
    test_check("domu_vcpu_not_running", (dc.u.getvcpuinfo.online == 1U) &&
               (dc.u.getvcpuinfo.running == 0U) && (dc.u.getvcpuinfo.cpu < cpus),
               "running %u", dc.u.getvcpuinfo.running);
    xen_expect("domu_pause_again", domctl(XEN_DOMCTL_pausedomain, 1U), 0);
    xen_expect("domu_unpause", domctl(XEN_DOMCTL_unpausedomain, 1U), 0);
    test_check("domu_still_paused", (domu_flags("domu_info_once") & XEN_DOMINF_paused) != 0U, "no");
    xen_expect("domu_unpause_last", domctl(XEN_DOMCTL_unpausedomain, 1U), 0);
    test_check("domu_unpaused", (domu_flags("domu_info_unpaused") & XEN_DOMINF_paused) == 0U, "no");
    xen_expect("domu_unpause_too_often", domctl(XEN_DOMCTL_unpausedomain, 1U), -XEN_EINVAL);
    /* credit2 parameters. */
    xen_expect("domu_sched_put_weight", sched(XEN_DOMCTL_SCHEDOP_putinfo, 512U, 0U), 0);
    xen_expect("domu_sched_cap_too_big", sched(XEN_DOMCTL_SCHEDOP_putinfo, 0U, 101U), -XEN_EINVAL);
    xen_expect("domu_sched_put_cap", sched(XEN_DOMCTL_SCHEDOP_putinfo, 0U, 50U), 0);
    xen_expect("domu_sched_get", sched(XEN_DOMCTL_SCHEDOP_getinfo, 0U, 0U), 0);
    test_check("domu_sched_params", (dc.u.scheduler_op.u.credit2.weight == 512U) &&
               (dc.u.scheduler_op.u.credit2.cap == 50U), "weight %u cap %u",
               dc.u.scheduler_op.u.credit2.weight, dc.u.scheduler_op.u.credit2.cap);
    xen_expect("domu_sched_reset", sched(XEN_DOMCTL_SCHEDOP_putinfo, 256U, 0U), 0);
    xen_expect("domu_sched_vcpuinfo", sched(XEN_DOMCTL_SCHEDOP_getvcpuinfo, 0U, 0U), -XEN_EINVAL);
    /* Affinity: all CPUs, answered as the CPUs there are. */
    domctl_reset();
    memset(buf, 0, 16U);
    buf[0] = 0xffU;
    dc.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
    dc.u.vcpuaffinity.cpumap_hard.bitmap = ptr(buf);
    dc.u.vcpuaffinity.cpumap_hard.nr_bits = 8U;
    xen_expect("domu_setvcpuaffinity", domctl(XEN_DOMCTL_setvcpuaffinity, 1U), 0);
    test_check("domu_setvcpuaffinity_answer", buf[0] == ((1U << cpus) - 1U), "%02x", buf[0]);
    dc.u.vcpuaffinity.vcpu = 1U;
    xen_expect("domu_setvcpuaffinity_no_vcpu", domctl(XEN_DOMCTL_setvcpuaffinity, 1U), -XEN_EINVAL);
    /* NUMA: one node, node 0. */
    domctl_reset();
    memset(buf, 0xee, 4U);
    buf[0] = 0xffU;
    dc.u.nodeaffinity.nodemap.bitmap = ptr(buf);
    dc.u.nodeaffinity.nodemap.nr_bits = 8U;
    xen_expect("domu_setnodeaffinity", domctl(XEN_DOMCTL_setnodeaffinity, 1U), 0);
    buf[0] = 0x02U;
    xen_expect("domu_setnodeaffinity_offline", domctl(XEN_DOMCTL_setnodeaffinity, 1U), -XEN_EINVAL);
    dc.u.nodeaffinity.nodemap.nr_bits = 16U;
    xen_expect("domu_getnodeaffinity", domctl(XEN_DOMCTL_getnodeaffinity, 1U), 0);
    test_check("domu_nodeaffinity_node0", (buf[0] == 1U) && (buf[1] == 0U) && (buf[2] == 0xeeU),
               "%02x %02x %02x", buf[0], buf[1], buf[2]);
    /* The rest of what the toolstack does to a domain it builds. */
    domctl_reset();
    dc.u.max_vcpus.max = 1U;
    xen_expect("domu_max_vcpus_same", domctl(XEN_DOMCTL_max_vcpus, 1U), 0);
    dc.u.max_vcpus.max = 2U;
    xen_expect("domu_max_vcpus_other", domctl(XEN_DOMCTL_max_vcpus, 1U), -XEN_EINVAL);
    domctl_reset();
    dc.u.address_size.size = 64U;
    xen_expect("domu_set_address_size", domctl(XEN_DOMCTL_set_address_size, 1U), -XEN_EBUSY);
    domctl_reset();
    dc.u.settimeoffset.time_offset_seconds = 10;
    xen_expect("domu_settimeoffset", domctl(XEN_DOMCTL_settimeoffset, 1U), 0);
    domctl_reset();
    dc.u.max_mem.max_memkb = domu_pages * 4U;
    xen_expect("domu_max_mem", domctl(XEN_DOMCTL_max_mem, 1U), 0);
    domctl_reset();
    dc.u.cacheflush.start_pfn = RAM_BASE >> 12;
    dc.u.cacheflush.nr_pfns = 256U;
    xen_expect("domu_cacheflush", domctl(XEN_DOMCTL_cacheflush, 1U), 0);
    domctl_reset();
    xen_expect("domu_paging_pool", domctl(XEN_DOMCTL_get_paging_mempool_size, 1U), 0);
    printf("domu paging mempool: %lu KiB\n", dc.u.paging_mempool.size >> 10);
    xen_expect("domu_paging_pool_same", domctl(XEN_DOMCTL_set_paging_mempool_size, 1U), 0);
    domctl_reset();
    dc.u.iomem_permission.first_mfn = 0x9010U;
    dc.u.iomem_permission.nr_mfns = 1U;
    dc.u.iomem_permission.allow_access = 1U;
    xen_expect("domu_iomem_grant", domctl(XEN_DOMCTL_iomem_permission, 1U), 0);
    dc.u.iomem_permission.allow_access = 0U;
    xen_expect("domu_iomem_revoke", domctl(XEN_DOMCTL_iomem_permission, 1U), 0);
    domctl_reset();
    xen_expect("domu_vuart_op", domctl(XEN_DOMCTL_vuart_op, 1U), -XEN_EPERM);
}

static void console_ring(void)
{
    sysctl_reset(XEN_SYSCTL_readconsole);
    sc.u.readconsole.count = sizeof(buf);
    sc.u.readconsole.buffer = ptr(buf);
    xen_expect("readconsole", sysctl(XEN_SYSCTL_readconsole), 0);
    /* The ring opens with the hypervisor's own first lines (it has not
     * gone round yet: the index is where reading stopped, from 0). */
    test_check("readconsole_text", (sc.u.readconsole.count != 0U) &&
               (sc.u.readconsole.count <= sizeof(buf)) &&
               (sc.u.readconsole.index == sc.u.readconsole.count) && (buf[0] == (uint8_t)'('),
               "count %u index %u", sc.u.readconsole.count, sc.u.readconsole.index);
    sc.u.readconsole.buffer = NOT_MAPPED;
    xen_expect("readconsole_unmapped", sysctl(XEN_SYSCTL_readconsole), -XEN_EFAULT);
    sysctl_reset(XEN_SYSCTL_debug_keys);
    sc.u.debug_keys.keys = NOT_MAPPED;
    xen_expect("debug_keys_none", sysctl(XEN_SYSCTL_debug_keys), 0);
    sc.u.debug_keys.nr_keys = 1U;
    xen_expect("debug_keys_unmapped", sysctl(XEN_SYSCTL_debug_keys), -XEN_EFAULT);
}

void guest_main(const struct platform *p)
{
    uint64_t host_pages = bootarg_u64(p->bootargs, "host_mib", 0U) << 8;
    bool pmu = bootarg_u64(p->bootargs, "pmu", 1U) != 0U;
    uint32_t cpus = p->cpu_count;
    uint64_t dom0_pages = p->mem_total >> 12;
    uint64_t domu_pages = bootarg_u64(p->bootargs, "domu_mib", 0U) << 8;

    printf("ctlabi: dom0 with %u vCPUs and %lu MiB, host %lu MiB\n", cpus, p->mem_total >> 20,
           host_pages >> 8);
    if (!test_check("ctlabi_setup", (host_pages != 0U) && (cpus >= 1U) && (cpus <= 8U),
                    "needs host_mib= and 1-8 CPUs")) {
        return;
    }
    nr_domains = (domu_pages != 0U) ? 2U : 1U;
    physinfo(p, cpus, host_pages, pmu);
    topology(cpus, host_pages);
    pools(cpus);
    domain_info(cpus, dom0_pages);
    vcpus(cpus);
    domain_settings(p, dom0_pages);
    if (domu_pages != 0U) {
        other_domain(cpus, domu_pages);
    }
    console_ring();
}
