/* The Arm nodes of a domU's device tree (arch/arm64/domain_fdt_devices.c):
 * what it offers beyond the arch_domain_fdt_* hooks. */
#ifndef ASM_DOMAIN_FDT_DEVICES_H
#define ASM_DOMAIN_FDT_DEVICES_H

#include <proxenos/types.h>

/* The MPIDR affinity (and cpu node reg) of vCPU n, as Xen 4.17's
 * vcpuid_to_vaffinity: Aff0 = n % 16 (GICv3 SGIs reach 16 CPUs per Aff0
 * group), Aff1 = n / 16. */
uint32_t domain_fdt_vcpu_affinity(unsigned int vcpu);

#endif
