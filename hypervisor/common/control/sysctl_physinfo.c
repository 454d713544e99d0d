/* The machine as Xen 4.17 on Arm describes it to the toolstack (physinfo,
 * cputopoinfo, numainfo, getcpuinfo). Xen 4.17 on Arm knows no NUMA and
 * no CPU topology: one node (0), every CPU its own core, in socket 0 and
 * core 0 for cputopoinfo, and a node distance of 20. The facts come from
 * <proxenos/hostinfo.h>, gathered at boot. */
#include "control.h"
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/hostinfo.h>
#include <proxenos/page_alloc.h>
#include <proxenos/sched.h>
#include <proxenos/smp.h>
#include <proxenos/string.h>

/* Xen 4.17's distance between (and within) nodes without NUMA on Arm. */
#define NODE_DISTANCE 20U

/* CPU numbers there can be (Xen's nr_cpu_ids): every cpu node of the
 * device tree, whether it came online or not. */
static uint32_t nr_cpu_ids(void)
{
    unsigned int n = hostinfo()->nr_cpu_ids;

    return (n != 0U) ? n : 1U;
}

static uint64_t pages_free(void)
{
    struct page_alloc_stats st;

    page_alloc_stats(&st);
    return st.free_pages;
}

long sysctl_physinfo(struct xen_sysctl *op, const struct control_caller *c)
{
    struct xen_sysctl_physinfo *pi = &op->u.physinfo;
    const struct host_info *h = hostinfo();

    (void)c;
    (void)memset(pi, 0, sizeof(*pi));
    pi->threads_per_core = 1U;
    pi->cores_per_socket = 1U;
    pi->nr_cpus = num_online_cpus();
    pi->max_cpu_id = nr_cpu_ids() - 1U;
    pi->nr_nodes = 1U;
    pi->max_node_id = 0U;
    pi->cpu_khz = h->cpu_khz;
    /* As Xen on Arm: HVM guests with hardware-assisted paging, grant
     * tables v1 only, a vPMU where the CPU has a PMU; no IOMMU here. */
    pi->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap |
                       XEN_SYSCTL_PHYSCAP_gnttab_v1;
    if (h->has_pmu) {
        pi->capabilities |= XEN_SYSCTL_PHYSCAP_vpmu;
    }
    pi->total_pages = h->ram_pages;
    pi->free_pages = pages_free();
    pi->max_mfn = (h->ram_end_mfn != 0U) ? (h->ram_end_mfn - 1U) : 0U;
    return 0;
}

long sysctl_cputopoinfo(struct xen_sysctl *op, const struct control_caller *c)
{
    struct xen_sysctl_cputopoinfo *ti = &op->u.cputopoinfo;
    const struct xen_sysctl_cputopo topo = { 0U, 0U, 0U };
    uint32_t n = nr_cpu_ids();
    uint32_t i = n;

    (void)c;
    /* A zero address asks how many entries there are. */
    if (ti->cputopo != 0U) {
        n = MIN(n, ti->num_cpus);
        for (i = 0U; i < n; i++) {
            if (copy_to_guest(ti->cputopo + ((uint64_t)i * sizeof(topo)), &topo,
                              sizeof(topo)) != 0) {
                return -EFAULT;
            }
        }
    }
    ti->num_cpus = i;
    return 0;
}

long sysctl_numainfo(struct xen_sysctl *op, const struct control_caller *c)
{
    struct xen_sysctl_numainfo *ni = &op->u.numainfo;
    const struct host_info *h = hostinfo();
    /* Node 0 spans all of RAM, holes included (Xen's node_spanned_pages). */
    const struct xen_sysctl_meminfo mem = {
        (h->ram_end_mfn - h->ram_start_mfn) << PAGE_SHIFT,
        pages_free() << PAGE_SHIFT,
    };
    const uint32_t dist = NODE_DISTANCE;
    uint32_t n = 1U;

    (void)c;
    /* Zero addresses for both arrays ask how many nodes there are. */
    if ((ni->meminfo != 0U) || (ni->distance != 0U)) {
        n = MIN(n, ni->num_nodes);
        /* With one node there is at most one entry in each array. */
        if ((n != 0U) && (ni->meminfo != 0U) &&
            (copy_to_guest(ni->meminfo, &mem, sizeof(mem)) != 0)) {
            return -EFAULT;
        }
        if ((n != 0U) && (ni->distance != 0U) &&
            (copy_to_guest(ni->distance, &dist, sizeof(dist)) != 0)) {
            return -EFAULT;
        }
    }
    ni->num_nodes = n;
    return 0;
}

long sysctl_getcpuinfo(struct xen_sysctl *op, const struct control_caller *c)
{
    struct xen_sysctl_getcpuinfo *gc = &op->u.getcpuinfo;
    uint32_t n = MIN(gc->max_cpus, nr_cpu_ids());

    (void)c;
    for (uint32_t i = 0U; i < n; i++) {
        struct xen_sysctl_cpuinfo info = { 0U };

        /* A CPU that never came online was never idle, as in Xen. */
        if (cpu_online(i)) {
            info.idletime = sched_cpu_idle_time(i);
        }
        if (copy_to_guest(gc->info + ((uint64_t)i * sizeof(info)), &info, sizeof(info)) != 0) {
            return -EFAULT;
        }
    }
    gc->nr_cpus = n;
    return 0;
}
