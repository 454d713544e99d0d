/* The device tree a dom0less domU boots with, built as Xen 4.17 builds it
 * (xen/arch/arm/domain_build.c: prepare_dtb_domU), from a plain struct:
 * nothing here reads a device tree.
 *
 * Common code (common/boot/domain_fdt.c) writes the root, /chosen and the
 * memory node; the architecture writes its own nodes in two places between
 * them, through <proxenos/arch/domain_fdt.h> (on arm64 PSCI, the CPUs, the
 * GIC, the timer, the vpl011 and /hypervisor: their list and the tree's
 * size figures are in arch/arm64/include/asm/domain_fdt_devices.h):
 *
 *   /                      #address-cells = #size-cells = 2, nothing else
 *                          (no compatible, no model: those are libxl's)
 *   chosen                 bootargs (if any); linux,initrd-start/-end (u64)
 *                          when there is a ramdisk
 *   (the architecture's first place: CPUs and what starts them)
 *   memory@<bank0>         ONE node for all banks: device_type "memory",
 *                          reg = every bank (2 + 2 cells each)
 *   reserved-memory        only with static shared memory: ranges (empty),
 *                          #address-cells = #size-cells = 2, and per region
 *     xen-shmem@<gaddr>    compatible "xen,shared-memory-v1", reg, xen,id
 *                          (the xen,shm-id string), xen,offset = u64 0
 *   (the architecture's second place: interrupt controller, devices)
 *
 * One deliberate difference: Xen 4.17.x writes linux,initrd-start/-end (as
 * 0, 0) even when there is no ramdisk, because make_chosen_node() tests the
 * kernel module instead of the ramdisk (fixed in 4.18 by commit ac547f0bed,
 * "Fix initrd placeholders generation"). We write them only with a ramdisk,
 * as Xen meant to; Linux ignores the zero-size ramdisk 4.17 describes.
 *
 * Not generated (yet): the passthrough fragment (optional in Xen 4.17 too).
 */
#ifndef PROXENOS_DOMAIN_FDT_H
#define PROXENOS_DOMAIN_FDT_H

#include <proxenos/domain.h>
#include <proxenos/types.h>

/* The buffer Xen 4.17 gives a domU's tree. */
#define DOMAIN_FDT_XEN417_SIZE 4096U
/* Xen 4.22's rule (2048 + 128 per possible vCPU): room for the most vCPUs
 * a domain may have and a few KiB of bootargs. */
#define DOMAIN_FDT_DOMU_SIZE   (2048U + (128U * MAX_VCPUS_PER_DOMAIN))

/* A range of guest physical addresses. */
struct domain_fdt_region {
    uint64_t base;
    uint64_t size;
};

/* A static shared memory region as the guest sees it. */
struct domain_fdt_shm {
    uint64_t base;                  /* its guest address */
    uint64_t size;
    const char *id;                 /* xen,shm-id */
};

/* A virtio-mmio device as the guest sees it (dom0less_virtio.h): the
 * architecture writes its "virtio,mmio" node. */
struct domain_fdt_virtio {
    uint64_t base;
    uint64_t size;
    uint32_t intid;                 /* the SPI's INTID */
};

/* The architecture's part of a configuration (arm64: the CPUs' compatible,
 * the GIC, the timer, the vpl011, the event-channel interrupt), defined by
 * the architecture; common code only carries the pointer. */
struct arch_domain_fdt_config;

/* What to build. Zero means "Xen's default" wherever a field says so, so a
 * caller sets only what differs from a plain domU. */
struct domain_fdt_config {
    unsigned int nr_vcpus;          /* 1..MAX_VCPUS_PER_DOMAIN */

    /* RAM banks, in guest address order; at least one. */
    const struct domain_fdt_region *mem;
    unsigned int nr_mem;

    const char *bootargs;           /* NULL or "": no bootargs */
    /* The ramdisk: size 0 means none. The properties are start and
     * start + size; when the load address is chosen only after the tree's
     * size is known, pass start 0 and fix them with domain_fdt_set_initrd(). */
    uint64_t initrd_start;
    uint64_t initrd_size;

    /* xen,enhanced: the architecture's node for Xen's interfaces (arm64:
     * /hypervisor). Grant window size 0: the architecture's default
     * window. Extended regions as arch_domu_ext_regions() finds them. */
    bool enhanced;
    struct domain_fdt_region gnttab;
    const struct domain_fdt_region *ext_regions;
    unsigned int nr_ext_regions;

    /* Static shared memory: /reserved-memory when nr_shm is not 0. */
    const struct domain_fdt_shm *shm;
    unsigned int nr_shm;

    /* virtio-mmio devices, written by the architecture after its own
     * devices; regions not empty nor wrapping. */
    const struct domain_fdt_virtio *virtio;
    unsigned int nr_virtio;

    /* NULL: the architecture's defaults for all of its part. */
    const struct arch_domain_fdt_config *arch;
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

/* The /reserved-memory children of n static shared memory regions, as
 * Xen 4.17's make_shm_memory_node writes them (xen-shmem@<gaddr>,
 * compatible "xen,shared-memory-v1", reg in ac + sc cells, xen,id,
 * xen,offset 0), into the open node: a domU's tree and dom0's share it. */
void domain_fdt_shm_nodes(struct fdt_writer *w, const struct domain_fdt_shm *shm, unsigned int n,
                          uint32_t ac, uint32_t sc);

/* Build the tree into buf[0..size). On success *out_size (if not NULL) is
 * the blob's size. -EINVAL for a bad config (no vCPUs or more than
 * MAX_VCPUS_PER_DOMAIN, no RAM bank, an empty or wrapping region, or what
 * arch_domain_fdt_config_ok() refuses), -ENOSPC if it does not fit in size
 * bytes. */
int domain_fdt_build_domu(const struct domain_fdt_config *cfg, void *buf, size_t size,
                          uint32_t *out_size);

/* Set /chosen's linux,initrd-start and linux,initrd-end of a built tree in
 * place (the tree does not change size). -ENOENT if the tree has no
 * ramdisk properties, -EINVAL if it is not a valid tree or end < start. */
int domain_fdt_set_initrd(void *blob, size_t size, uint64_t start, uint64_t end);

#endif
