/* The Arm nodes of a dom0less domU's device tree
 * (arch/arm64/domain_fdt_devices.c, the arch_domain_fdt_* hooks): what
 * they read, and what they offer beyond the hooks.
 *
 * Common code (<proxenos/domain_fdt.h>) writes the root, /chosen and the
 * memory node; these go around them, in Xen 4.17's order
 * (xen/arch/arm/domain_build.c: prepare_dtb_domU and the make_*_node
 * functions it calls):
 *
 *   psci                   "arm,psci-1.0" "arm,psci-0.2" "arm,psci"; method
 *                          "hvc"; cpu_off = 1; cpu_on = 2
 *   cpus                   #address-cells = 1, #size-cells = 0
 *     cpu@<aff>            one per vCPU: compatible (the host CPU's),
 *                          device_type "cpu", reg = <aff>, clock-frequency
 *                          (if given), enable-method "psci" (64-bit only)
 *   (memory@<bank0>: common)
 *   interrupt-controller@<gicd>
 *                          #address-cells = 0, #interrupt-cells = 3,
 *                          interrupt-controller, compatible "arm,gic-v3"
 *                          (GICv2: "arm,gic-400"), reg = GICD then the
 *                          GICR region(s) (GICv2: GICC), linux,phandle and
 *                          phandle = 65000
 *   timer                  "arm,armv8-timer" ("arm,armv7-timer" for 32-bit),
 *                          interrupts = secure, non-secure physical and
 *                          virtual timer PPIs (13, 14, 11), each active-low
 *                          level on all CPUs (flags 0xf08), interrupt-parent,
 *                          clock-frequency (if given)
 *   sbsa-uart@<base>       when vpl011: "arm,sbsa-uart", reg, interrupts =
 *                          SPI 0 (INTID 32), flags 0xf04 (level-high; Xen
 *                          sets the PPI CPU mask 0xf even for an SPI),
 *                          interrupt-parent, current-speed = 115200
 *   hypervisor             when enhanced: "xen,xen-4.17" "xen,xen"; reg =
 *                          grant-table window, then the extended regions;
 *                          interrupts = event-channel PPI, flags 0xf08;
 *                          interrupt-parent
 *
 * Size: Xen 4.17 builds this tree in a fixed 4 KiB buffer (DOMU_DTB_SIZE),
 * which limits a domU to 30 vCPUs; Xen 4.22 sizes the buffer as 2048 + 128
 * bytes per possible vCPU (DOMAIN_FDT_DOMU_SIZE). With two RAM banks, 63
 * characters of bootargs, a ramdisk, vpl011 and /hypervisor with two
 * extended regions the tree takes 1393 bytes for 1 vCPU, and each further
 * vCPU adds 92 bytes (with compatible "arm,armv8"; a longer host CPU
 * compatible adds its extra length, rounded up to 4, per vCPU). The unit
 * tests (tests/unit/arch/arm64/test_domain_fdt_devices.c) pin these
 * numbers.
 */
#ifndef ASM_DOMAIN_FDT_DEVICES_H
#define ASM_DOMAIN_FDT_DEVICES_H

#include <proxenos/domain_fdt.h>
#include <proxenos/types.h>

enum domain_fdt_gic {
    DOMAIN_FDT_GIC_V3 = 0,     /* default */
    DOMAIN_FDT_GIC_V2,
};

/* The Arm part of struct domain_fdt_config (its arch pointer; NULL reads
 * as this struct all zeroes). As there, zero means "Xen's default"
 * wherever a field says so. */
struct arch_domain_fdt_config {
    bool aarch32;                   /* 32-bit guest: armv7 timer, no
                                       enable-method, no extended regions */

    /* The "compatible" of the host's first CPU node, copied as is (a list
     * of NUL-terminated strings, cpu_compatible_len bytes in all). NULL:
     * "arm,armv8". Xen copies the host CPU's clock-frequency the same way. */
    const char *cpu_compatible;
    uint32_t cpu_compatible_len;
    uint32_t cpu_clock_frequency;   /* 0: none */

    /* Interrupt controller. Sizes 0: GUEST_GICV3_GICD_* and one region
     * GUEST_GICV3_GICR0_* (v3), GUEST_GICD_* and GUEST_GICC_* (v2).
     * gicr (v3) may list several redistributor regions (nr_gicr of them;
     * NULL or 0: the default one). gicc is used for v2 only. */
    enum domain_fdt_gic gic;
    struct domain_fdt_region gicd;
    const struct domain_fdt_region *gicr;
    unsigned int nr_gicr;
    struct domain_fdt_region gicc;

    uint32_t timer_clock_frequency; /* 0: none (the host timer node had none) */

    /* The emulated SBSA UART. Base 0: GUEST_PL011_BASE; intid 0:
     * GUEST_VPL011_SPI (a GIC INTID, >= 32). */
    bool vpl011;
    uint64_t vpl011_base;
    uint32_t vpl011_intid;

    /* The /hypervisor node's event-channel interrupt (when enhanced):
     * 0: GUEST_EVTCHN_PPI (a PPI, 16..31). */
    uint32_t evtchn_intid;
};

/* The MPIDR affinity (and cpu node reg) of vCPU n, as Xen 4.17's
 * vcpuid_to_vaffinity: Aff0 = n % 16 (GICv3 SGIs reach 16 CPUs per Aff0
 * group), Aff1 = n / 16. */
uint32_t domain_fdt_vcpu_affinity(unsigned int vcpu);

#endif
