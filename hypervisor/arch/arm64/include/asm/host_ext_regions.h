/* Extended regions of a direct-mapped domain (dom0, or a dom0less domU
 * with direct-map): its guest addresses are host addresses, so the room
 * it may use for foreign and grant mappings is host RAM that nothing of
 * its own sits on. Xen 4.17's find_unallocated_memory, its choice without
 * an IOMMU. */
#ifndef ASM_HOST_EXT_REGIONS_H
#define ASM_HOST_EXT_REGIONS_H

#include <proxenos/bootinfo.h>

/* Extended regions are 2 MiB aligned and at least 64 MiB (Xen 4.17). */
#define HOST_EXT_REGION_ALIGN   0x200000ULL
#define HOST_EXT_REGION_MIN     0x4000000ULL

/* Host RAM (bi->ram) minus the cut[0..nr_cut) ranges and the
 * /reserved-memory children (not /memreserve/ entries, which Xen does not
 * count), within the IPA space (ipa_bits; 0: none), each region rounded
 * in to 2 MiB and kept if at least 64 MiB, in address order. Writes at
 * most max to out; returns how many. Not reentrant (one static work area):
 * called while building domains, at boot and in the reaper's rebuilds,
 * which run one at a time. */
unsigned int host_ext_regions(const struct boot_info *bi, const struct boot_range *cut,
                              unsigned int nr_cut, unsigned int ipa_bits,
                              struct boot_range *out, unsigned int max);

#endif
