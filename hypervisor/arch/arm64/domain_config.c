/* The arm64 half of XEN_DOMCTL_createdomain's checks (Xen's
 * arch_sanitise_domain_config for Arm) and of what the caller reads back.
 * Arm guests are HVM with hardware paging, may ask for an IOMMU or a PMU
 * and nothing else; the only interrupt controller this host emulates is a
 * GICv3 (a GICv3 without GICv2 compatibility cannot give a guest a GICv2),
 * and there is no TEE mediator. */
#include <proxenos/arch/domain.h>
#include <proxenos/domain_create.h>
#include <proxenos/errno.h>
#include <proxenos/hostinfo.h>
#include <public/domctl.h>

#define CDF_ARM_REQUIRED (XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap)
#define CDF_ARM_OPTIONAL (XEN_DOMCTL_CDF_iommu | XEN_DOMCTL_CDF_vpmu)

long arch_domctl_check_config(struct xen_domctl_createdomain *cfg, struct domain_create_args *a)
{
    if (((cfg->flags & ~CDF_ARM_OPTIONAL) != CDF_ARM_REQUIRED) ||
        ((cfg->iommu_opts & XEN_DOMCTL_IOMMU_no_sharept) != 0U)) {
        return -EINVAL;
    }
    /* NATIVE is written back as the host's. */
    if (cfg->arch.gic_version == XEN_DOMCTL_CONFIG_GIC_NATIVE) {
        cfg->arch.gic_version = XEN_DOMCTL_CONFIG_GIC_V3;
    }
    if ((cfg->arch.gic_version != XEN_DOMCTL_CONFIG_GIC_V3) ||
        (cfg->max_vcpus > MAX_VCPUS_PER_DOMAIN)) {
        return -EINVAL;
    }
    if (cfg->arch.tee_type != XEN_DOMCTL_CONFIG_TEE_NONE) {
        return -EINVAL;
    }
    a->arch = cfg->arch;
    return 0;
}

void arch_domctl_config_created(struct xen_domctl_createdomain *cfg)
{
    /* The guest's timer runs at the host's frequency; the toolstack
     * writes it into the guest's device tree. */
    cfg->arch.clock_frequency = hostinfo()->timer_dt_frequency;
}
