#ifndef ASM_DOM0_FDT_H
#define ASM_DOM0_FDT_H

#include <proxenos/bootinfo.h>
#include <proxenos/domain.h>
#include <proxenos/domain_fdt.h>

/* Xen's default gnttab_max_frames: dom0's grant window holds at most this
 * many frames (fewer when the hypervisor's text is smaller). */
#define DOM0_GNTTAB_MAX_FRAMES  64U
/* dom0's RAM banks and further ranges its extended regions leave out. */
#define DOM0_MAX_BANKS_CUT      16U
#define DOM0_EXT_MAX_CUTS       192U
/* Xen 4.17's event-channel PPI is the first free one of 16..31. */
#define DOM0_PPI_FIRST          16U
#define DOM0_PPI_LAST           31U

struct dom0_fdt_info {
    const struct boot_info *bi;
    int hidden_uart;            /* the hypervisor's console node, or -1 */
    unsigned int nr_vcpus;
    const paddr_t *bank_start;
    const uint64_t *bank_size;
    unsigned int nr_banks;
    paddr_t rdist_size;         /* dom0's redistributor region */
    const char *bootargs;
    uint64_t initrd_start;
    uint64_t initrd_size;       /* 0: no ramdisk */

    /* The /hypervisor node (written when evtchn_intid is not 0): the grant
     * table window, the extended regions, the event-channel PPI. */
    struct boot_range gnttab;
    const struct boot_range *ext_regions;
    unsigned int nr_ext_regions;
    /* What else the extended regions leave out (dom0_build: the static
     * memory banks and shared regions, Xen's reserved_mem, and where
     * dom0's own shared regions are mapped). */
    const struct boot_range *ext_cuts;
    unsigned int nr_ext_cuts;
    /* dom0's static shared memory (xen,domain-shared-memory-v1 under
     * /chosen): /reserved-memory children as a domU's, added to the
     * host's /reserved-memory node or, without one, in a new one. */
    const struct domain_fdt_shm *shm;
    unsigned int nr_shm;
    uint32_t evtchn_intid;
};

/* Write dom0's tree into buf. 0, or the writer's error (-ENOSPC). */
int dom0_fdt_build(const struct dom0_fdt_info *in, void *buf, size_t size, uint32_t *out_size);
/* Whether dom0's /chosen keeps the host's /chosen property 'name' (Xen
 * 4.17 keeps all but the command lines, the host's ramdisk and console,
 * and the EFI tables: rng-seed and kaslr-seed among others). */
bool dom0_chosen_prop_kept(const char *name);
/* Map 1:1 the MMIO of every device node dom0's tree keeps; returns how
 * many ranges were mapped. */
int dom0_map_devices(struct domain *d, const struct dom0_fdt_info *in);

/* Called for each interrupt, in the interrupt controller's numbering
 * (the GIC's INTID) with the specifier's flags cell, of each available
 * device node dom0's tree keeps, the timer's aside. */
typedef void (*dom0_irq_fn)(void *ctx, int node, uint32_t intid, uint32_t flags);
void dom0_for_each_irq(const struct dom0_fdt_info *in, dom0_irq_fn fn, void *ctx);

/* The event-channel PPI Xen 4.17 gives dom0 (vgic_allocate_ppi after the
 * hardware domain's PPIs are registered): the first of 16..31 that is
 * neither one of the host timer's secure, non-secure and virtual PPIs nor
 * a PPI of a device dom0 keeps. 0 if all are taken. */
uint32_t dom0_evtchn_ppi(const struct dom0_fdt_info *in);

/* Xen 4.17's extended regions of a direct-mapped dom0 without an IOMMU
 * (find_unallocated_memory): host RAM minus dom0's banks, the
 * /reserved-memory regions, the grant window and in->ext_cuts, within the
 * IPA space (ipa_bits), each 2 MiB aligned and at least 64 MiB, in
 * address order (host_ext_regions). Writes at most max to out; returns
 * how many (0 when there are more banks or cuts than it can take). */
unsigned int dom0_ext_regions(const struct dom0_fdt_info *in, unsigned int ipa_bits,
                              struct boot_range *out, unsigned int max);

#endif
