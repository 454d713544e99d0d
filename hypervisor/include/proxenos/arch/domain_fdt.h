/* The architecture's nodes of a dom0less domU's device tree. Common code
 * (common/boot/domain_fdt.c) writes the root, /chosen and the memory node and
 * leaves two places in between to the architecture, so that the tree
 * keeps Xen's order: the CPUs (and what starts them) before memory, the
 * interrupt controller and the devices after it. */
#ifndef PROXENOS_ARCH_DOMAIN_FDT_H
#define PROXENOS_ARCH_DOMAIN_FDT_H

#include <proxenos/arch/guest_ram.h>
#include <proxenos/domain_fdt.h>

struct fdt_writer;
struct boot_info;
struct boot_range;

enum arch_domain_fdt_slot {
    ARCH_DOMAIN_FDT_CPUS,       /* after /chosen, before memory */
    ARCH_DOMAIN_FDT_DEVICES,    /* after memory, last in the root */
};

/* Whether the parts of cfg that only the architecture reads are sound
 * (the common parts are checked by domain_fdt_build_domu()). Called before
 * the first byte is written, so the hook below can only fail on space. */
bool arch_domain_fdt_config_ok(const struct domain_fdt_config *cfg);

/* Write the architecture's nodes for this slot as children of the root.
 * Returns the writer's state: 0, or its sticky error (-ENOSPC). */
int arch_domain_fdt_nodes(struct fdt_writer *w, const struct domain_fdt_config *cfg,
                          enum arch_domain_fdt_slot slot);

/* The extended regions of a domU (what its /hypervisor node offers for
 * foreign mappings) given ram_size[i], the RAM placed in guest bank i, and
 * the guest address bits (arch_guest_ipa_bits()). arm64, as Xen 4.17's
 * find_domU_holes: in each bank, what lies above its RAM, from the next
 * 2 MiB boundary to the end of the bank or of the IPA space, if at least
 * 64 MiB. Returns how many regions were written to out. */
unsigned int arch_domu_ext_regions(const uint64_t ram_size[GUEST_RAM_MAX_BANKS], unsigned int ipa_bits,
                                   struct domain_fdt_region out[GUEST_RAM_MAX_BANKS]);

/* Where a domU's grant table window lies in its guest address space
 * (arm64: Xen's GUEST_GNTTAB_BASE, 16 MiB). Nothing else may be mapped
 * there: a direct-mapped domU's shared memory is checked against it. */
struct domain_fdt_region arch_domu_grant_window(void);

/* The extended regions of a direct-mapped domU, whose guest addresses are
 * host addresses: host RAM minus cut[0..nr_cut) (what common code knows
 * is taken: every static memory bank, the domain's own among them, and
 * every static shared memory region, as Xen 4.17's reserved_mem holds
 * them), minus what the architecture knows (arm64: the /reserved-memory
 * children and the guest grant window), within the IPA space. arm64, as
 * Xen 4.17's find_unallocated_memory for a domain without an IOMMU: each
 * 2 MiB aligned and at least 64 MiB, in address order. Writes at most max
 * to out; returns how many. Not reentrant: domains are built one at a time
 * (at boot, and when the reaper rebuilds one). */
unsigned int arch_domu_direct_ext_regions(const struct boot_info *bi,
                                          const struct boot_range *cut, unsigned int nr_cut,
                                          unsigned int ipa_bits, struct domain_fdt_region *out,
                                          unsigned int max);

#endif
