/* xen_version's architecture answers on the host: recognisably not any
 * real architecture's, so a common test cannot pass by accident on Arm's
 * values. Weak: arch/arm64/test_xen_version_arch links the real ones. */
#include <proxenos/arch/xen_version.h>

__attribute__((weak)) const char *arch_xen_capabilities(void)
{
    return "xen-3.0-fake ";
}

__attribute__((weak)) uint64_t arch_xen_virt_start(void)
{
    return 0x1000U;
}

__attribute__((weak)) uint32_t arch_xen_features(void)
{
    return 0U;
}
