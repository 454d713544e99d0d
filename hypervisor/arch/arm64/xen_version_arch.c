/* What xen_version answers on arm64, as Xen 4.17 does there (the
 * arch_xen_* hooks). */
#include <proxenos/arch/xen_version.h>
#include <public/features.h>

/* The start of Xen 4.17's own virtual mappings on arm64. */
#define XEN_ARM64_VIRT_START 0x00200000U

const char *arch_xen_capabilities(void)
{
    /* 64-bit guests only: no "xen-3.0-armv7l". */
    return "xen-3.0-aarch64 ";
}

uint64_t arch_xen_virt_start(void)
{
    return XEN_ARM64_VIRT_START;
}

uint32_t arch_xen_features(void)
{
    /* Guests may use SMCCC calls (PSCI, the architectural workarounds). */
    return 1U << XENFEAT_ARM_SMCCC_supported;
}
