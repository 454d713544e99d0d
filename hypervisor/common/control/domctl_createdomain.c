/* XEN_DOMCTL_createdomain: a domain for the toolstack to build (xl create),
 * with Xen 4.17's checks, in Xen's order and with its error codes:
 *
 * 1. the id: one asked for in 1..0x7fef must be free (-EEXIST; a dying
 *    domain still in memory keeps its id), any other value takes the next
 *    free id above a rover kept across calls, wrapping to 1 (-ENOMEM when
 *    there is none; also when MAX_DOMAINS domains are in memory);
 * 2. the configuration as a whole (Xen's sanitise_domain_config, then
 *    the architecture's, arch_domctl_check_config): -EINVAL;
 * 3. what Xen's domain_create checks on the way: grant table version and
 *    sizes (-EINVAL), the CPU pool (-ESRCH none, -ENODEV no CPUs).
 *
 * The domain is then made with domain_create(), which gives everything
 * back if it fails: paused by the toolstack (count 1), being built, no
 * RAM, every vCPU offline, Xen's guest layout (GICv3 at GUEST_GICV3_*,
 * event channels on PPI 31, the virtual timer), a paging pool of 0 pages
 * (the toolstack sizes it with set_paging_mempool_size) and no vpl011
 * (vuart_op's). Nothing that can fail comes after it. The caller reads
 * back the id and what the architecture fills in of cfg->arch (on arm64,
 * gic_version with NATIVE made V3, and clock_frequency). */
#include "control.h"
#include <proxenos/arch/domain.h>
#include <proxenos/cpupool.h>
#include <proxenos/domain_create.h>
#include <proxenos/errno.h>
#include <proxenos/gnttab.h>
#include <proxenos/hostinfo.h>
#include <proxenos/printk.h>
#include <proxenos/smp.h>

#define CDF_KNOWN (XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_s3_integrity | \
                   XEN_DOMCTL_CDF_oos_off | XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_iommu | \
                   XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu)
/* What Arm requires and what it merely allows. */
/* Xen on Arm offers grant table version 1 only (GNTTAB_MAX_VERSION). */
#define GRANT_MAX_VERSION 1U

/* Where the last automatic pick stopped (Xen's rover). */
static domid_t rover;

static bool id_free(domid_t id)
{
    return (id < DOMID_FIRST_RESERVED) && !domain_id_in_use(id);
}

static long pick_id(domid_t asked, domid_t *out)
{
    domid_t id = asked;

    if ((asked > 0U) && (asked < DOMID_FIRST_RESERVED)) {
        if (!id_free(asked)) {
            return -EEXIST;
        }
    } else {
        for (id = (domid_t)(rover + 1U); id != rover; id++) {
            if (id == DOMID_FIRST_RESERVED) {
                id = 1U;
            }
            if (id_free(id)) {
                break;
            }
        }
        if (id == rover) {
            return -ENOMEM;
        }
    }
    /* Proxenos's own limit on domains in memory (Xen has none). */
    if (domain_count_in_memory() >= MAX_DOMAINS) {
        return -ENOMEM;
    }
    if (id != asked) {
        rover = id;
    }
    *out = id;
    return 0;
}

/* Xen's sanitise_domain_config, the architecture-free part. */
static long check_common(const struct xen_domctl_createdomain *cfg)
{
    bool hvm = (cfg->flags & XEN_DOMCTL_CDF_hvm) != 0U;
    bool hap = (cfg->flags & XEN_DOMCTL_CDF_hap) != 0U;
    bool iommu = (cfg->flags & XEN_DOMCTL_CDF_iommu) != 0U;
    bool vpmu = (cfg->flags & XEN_DOMCTL_CDF_vpmu) != 0U;

    if (((cfg->flags & ~CDF_KNOWN) != 0U) ||
        ((cfg->grant_opts & ~XEN_DOMCTL_GRANT_version_mask) != 0U) ||
        (cfg->max_vcpus == 0U) || (hap && !hvm)) {
        return -EINVAL;
    }
    /* There is no IOMMU to give (nor, then, options for it). */
    if (iommu || (cfg->iommu_opts != 0U)) {
        return -EINVAL;
    }
    /* No processor trace either. */
    if (cfg->vmtrace_size != 0U) {
        return -EINVAL;
    }
    return (vpmu && !hostinfo()->has_pmu) ? -EINVAL : 0;
}

/* Xen's gnttab_init checks; negative sizes ask for the defaults. */
static long check_grants(const struct xen_domctl_createdomain *cfg, struct domain_create_args *a)
{
    uint32_t version = cfg->grant_opts & XEN_DOMCTL_GRANT_version_mask;
    int64_t frames = (cfg->max_grant_frames < 0) ? (int64_t)GNTTAB_MAX_FRAMES :
                     (int64_t)cfg->max_grant_frames;
    int64_t maptrack = (cfg->max_maptrack_frames < 0) ? (int64_t)GNTTAB_MAX_MAPTRACK_FRAMES :
                       (int64_t)cfg->max_maptrack_frames;

    if ((version == 0U) || (version > GRANT_MAX_VERSION)) {
        return -EINVAL;
    }
    if ((frames < 1) || (frames > (int64_t)GNTTAB_MAX_FRAMES) ||
        (maptrack > (int64_t)GNTTAB_MAX_MAPTRACK_FRAMES)) {
        return -EINVAL;
    }
    a->max_grant_frames = (uint32_t)frames;
    return 0;
}

/* The pool's online CPUs become the vCPUs' affinity (Xen's
 * cpupool_add_domain). */
static long check_pool(uint32_t pool_id, struct domain_create_args *a)
{
    struct cpupool_info info;
    uint64_t online = 0U;

    if (!cpupool_info(pool_id, &info) || (info.id != pool_id)) {
        return -ESRCH;
    }
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if (cpu_online(cpu)) {
            online |= 1ULL << cpu;
        }
    }
    if ((info.cpus & online) == 0U) {
        return -ENODEV;
    }
    a->cpupool_id = pool_id;
    a->cpu_affinity = info.cpus & online;
    return 0;
}

long domctl_createdomain(struct xen_domctl *op, struct domain *d, const struct control_caller *c)
{
    struct xen_domctl_createdomain *cfg = &op->u.createdomain;
    struct domain_create_args a = { 0 };
    char name[16];
    domid_t id = 0U;
    long rc;

    (void)d;
    (void)c;
    rc = pick_id(op->domain, &id);
    if (rc == 0) {
        rc = check_common(cfg);
    }
    if (rc == 0) {
        rc = arch_domctl_check_config(cfg, &a);
    }
    if (rc == 0) {
        rc = check_grants(cfg, &a);
    }
    if (rc == 0) {
        rc = check_pool(cfg->cpupool_id, &a);
    }
    if (rc != 0) {
        return rc;
    }
    (void)snprintf(name, sizeof(name), "d%u", (unsigned int)id);
    a.name = name;
    a.max_vcpus = cfg->max_vcpus;
    a.xen_enhanced = true;
    a.handle = cfg->handle;
    a.controller_paused = true;
    a.toolstack_limits = true;
    a.max_evtchn_port = cfg->max_evtchn_port;
    rc = domain_create(id, &a, &d);
    if (rc != 0) {
        return rc;
    }
    /* When it stops, it waits for xl (domain_shutdown.c). */
    d->toolstack_built = true;
    arch_domctl_config_created(cfg);
    op->domain = id;
    return 0;
}
