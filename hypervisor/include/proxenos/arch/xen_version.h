/* What the xen_version hypercall (common/hypercall/xen_version.c) tells a guest that
 * depends on the architecture Xen runs on. */
#ifndef PROXENOS_ARCH_XEN_VERSION_H
#define PROXENOS_ARCH_XEN_VERSION_H

#include <proxenos/types.h>

/* XENVER_capabilities: the guest ABIs offered, each followed by a space
 * (arm64: "xen-3.0-aarch64 "; no 32-bit guests). */
const char *arch_xen_capabilities(void);

/* XENVER_platform_parameters' virt_start: where Xen 4.17's own virtual
 * mappings begin on this architecture. */
uint64_t arch_xen_virt_start(void);

/* Bits of feature submap 0 that every guest of this architecture gets
 * (arm64: XENFEAT_ARM_SMCCC_supported). */
uint32_t arch_xen_features(void);

#endif
