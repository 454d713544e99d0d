/* The device tree a dom0less domU boots with, built as Xen 4.17 builds it
 * (xen/arch/arm/domain_build.c: prepare_dtb_domU and the make_*_node
 * functions it calls), from a plain struct: nothing here reads a device
 * tree.
 *
 * The tree, in this order (all nodes children of the root; common code
 * writes the root, chosen and memory, the architecture the rest through
 * <proxenos/arch/domain_fdt.h>, on arm64 arch/arm64/domain_fdt_devices.c):
 *
 *   /                      #address-cells = #size-cells = 2, nothing else
 *                          (no compatible, no model: those are libxl's)
 *   chosen                 bootargs (if any); linux,initrd-start/-end (u64)
 *                          when there is a ramdisk
 *   psci                   "arm,psci-1.0" "arm,psci-0.2" "arm,psci"; method
 *                          "hvc"; cpu_off = 1; cpu_on = 2
 *   cpus                   #address-cells = 1, #size-cells = 0
 *     cpu@<aff>            one per vCPU: compatible (the host CPU's),
 *                          device_type "cpu", reg = <aff>, clock-frequency
 *                          (if given), enable-method "psci" (64-bit only)
 *   memory@<bank0>         ONE node for all banks: device_type "memory",
 *                          reg = every bank (2 + 2 cells each)
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
 * One deliberate difference: Xen 4.17.x writes linux,initrd-start/-end (as
 * 0, 0) even when there is no ramdisk, because make_chosen_node() tests the
 * kernel module instead of the ramdisk (fixed in 4.18 by commit ac547f0bed,
 * "Fix initrd placeholders generation"). We write them only with a ramdisk,
 * as Xen meant to; Linux ignores the zero-size ramdisk 4.17 describes.
 *
 * Not generated (yet): /reserved-memory for static shared memory and the
 * passthrough fragment (both optional in Xen 4.17 too).
 *
 * Size: Xen 4.17 builds this tree in a fixed 4 KiB buffer (DOMU_DTB_SIZE),
 * which limits a domU to 30 vCPUs; Xen 4.22 sizes the buffer as 2048 + 128
 * bytes per possible vCPU (DOMAIN_FDT_DOMU_SIZE here). With two RAM banks,
 * 63 characters of bootargs, a ramdisk, vpl011 and /hypervisor with two
 * extended regions the tree takes 1393 bytes for 1 vCPU, and each further
 * vCPU adds 92 bytes (with compatible "arm,armv8"; a longer host CPU
 * compatible adds its extra length, rounded up to 4, per vCPU). The unit
 * tests pin these numbers.
 */
#ifndef PROXENOS_DOMAIN_FDT_H
#define PROXENOS_DOMAIN_FDT_H

#include <proxenos/types.h>
#include <public/arch-arm.h>

/* The buffer Xen 4.17 gives a domU's tree. */
#define DOMAIN_FDT_XEN417_SIZE 4096U
/* Xen 4.22's rule (2048 + 128 per possible vCPU): room for GUEST_MAX_VCPUS
 * vCPUs (92 bytes each with "arm,armv8") and a few KiB of bootargs. */
#define DOMAIN_FDT_DOMU_SIZE   (2048U + (128U * (uint32_t)GUEST_MAX_VCPUS))

/* A range of guest physical addresses. */
struct domain_fdt_region {
    uint64_t base;
    uint64_t size;
};

enum domain_fdt_gic {
    DOMAIN_FDT_GIC_V3 = 0,     /* default */
    DOMAIN_FDT_GIC_V2,
};

/* What to build. Zero means "Xen's default" wherever a field says so, so a
 * caller sets only what differs from a plain domU. */
struct domain_fdt_config {
    unsigned int nr_vcpus;          /* 1..GUEST_MAX_VCPUS */
    bool aarch32;                   /* 32-bit guest: armv7 timer, no
                                       enable-method, no extended regions */

    /* The "compatible" of the host's first CPU node, copied as is (a list
     * of NUL-terminated strings, cpu_compatible_len bytes in all). NULL:
     * "arm,armv8". Xen copies the host CPU's clock-frequency the same way. */
    const char *cpu_compatible;
    uint32_t cpu_compatible_len;
    uint32_t cpu_clock_frequency;   /* 0: none */

    /* RAM banks, in guest address order; at least one. */
    const struct domain_fdt_region *mem;
    unsigned int nr_mem;

    const char *bootargs;           /* NULL or "": no bootargs */
    /* The ramdisk: size 0 means none. The properties are start and
     * start + size; when the load address is chosen only after the tree's
     * size is known, pass start 0 and fix them with domain_fdt_set_initrd(). */
    uint64_t initrd_start;
    uint64_t initrd_size;

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

    /* xen,enhanced: the /hypervisor node. Grant window size 0:
     * GUEST_GNTTAB_BASE/SIZE; event channel INTID 0: GUEST_EVTCHN_PPI
     * (a PPI, 16..31). Extended regions as arch_domu_ext_regions()
     * finds them (ignored for 32-bit guests, as Xen does). */
    bool enhanced;
    struct domain_fdt_region gnttab;
    uint32_t evtchn_intid;
    const struct domain_fdt_region *ext_regions;
    unsigned int nr_ext_regions;
};

/* For the architecture's node writers. ---------------------------------- */

/* "prefix@" + up to 16 hex digits + NUL; the longest prefix is
 * "interrupt-controller" (20). */
#define DOMAIN_FDT_UNIT_NAME_MAX 48U

struct fdt_writer;

/* "<prefix>@<unit in lowercase hex, no leading zeros>" into buf: a node
 * name as Xen writes it. */
void domain_fdt_unit_name(char buf[DOMAIN_FDT_UNIT_NAME_MAX], const char *prefix, uint64_t unit);
/* A region that is not empty and does not wrap. */
bool domain_fdt_region_ok(const struct domain_fdt_region *r);
/* n such regions (r may be NULL when n is 0). */
bool domain_fdt_regions_ok(const struct domain_fdt_region *r, unsigned int n);
/* Append one <address size> pair with the root's 2 + 2 cells to the open
 * property. */
void domain_fdt_append_region(struct fdt_writer *w, const struct domain_fdt_region *r);

/* Build the tree into buf[0..size). On success *out_size (if not NULL) is
 * the blob's size. -EINVAL for a bad config (no vCPUs or more than
 * GUEST_MAX_VCPUS, no RAM bank, an empty or wrapping region, an interrupt
 * of the wrong kind), -ENOSPC if it does not fit in size bytes. */
int domain_fdt_build_domu(const struct domain_fdt_config *cfg, void *buf, size_t size,
                          uint32_t *out_size);

/* Set /chosen's linux,initrd-start and linux,initrd-end of a built tree in
 * place (the tree does not change size). -ENOENT if the tree has no
 * ramdisk properties, -EINVAL if it is not a valid tree or end < start. */
int domain_fdt_set_initrd(void *blob, size_t size, uint64_t start, uint64_t end);

#endif
