/* A domU's extended regions on arm64 (the arch_domu_ext_regions hook), as
 * Xen 4.17's find_domU_holes finds them: free guest address space in the
 * Arm guest RAM banks, which a PV guest's foreign and grant mappings use
 * instead of stealing its RAM. A direct-mapped domU's are host RAM no one
 * has, as dom0's (arch_domu_direct_ext_regions). */
#include <asm/host_ext_regions.h>
#include <proxenos/arch/domain_fdt.h>
#include <proxenos/lib.h>
#include <public/arch-arm.h>

/* The host ranges common code gives, plus the grant window. */
#define DIRECT_MAX_CUTS 192U

/* The minimum size and alignment of an extended region. */
#define EXT_REGION_MIN      MiB(64)
#define EXT_REGION_ALIGN    MiB(2)

unsigned int arch_domu_ext_regions(const uint64_t ram_size[GUEST_RAM_MAX_BANKS], unsigned int ipa_bits,
                                   struct domain_fdt_region out[GUEST_RAM_MAX_BANKS])
{
    static const uint64_t bank_base[GUEST_RAM_BANKS] = GUEST_RAM_BANK_BASES;
    static const uint64_t bank_size[GUEST_RAM_BANKS] = GUEST_RAM_BANK_SIZES;
    uint64_t ipa_last = UINT64_MAX;
    unsigned int n = 0U;
    unsigned int i;

    if (ipa_bits == 0U) {
        return 0U;
    }
    if (ipa_bits < 64U) {
        ipa_last = (1ULL << ipa_bits) - 1U;
    }
    for (i = 0U; i < (unsigned int)GUEST_RAM_BANKS; i++) {
        uint64_t start;
        uint64_t last;

        if (ram_size[i] >= bank_size[i]) {
            continue;
        }
        /* Banks end below 2^41, so none of this can wrap. */
        start = ALIGN_UP(bank_base[i] + ram_size[i], EXT_REGION_ALIGN);
        last = MIN(ipa_last, bank_base[i] + bank_size[i] - 1U);
        if ((last <= start) || ((last - start + 1U) < EXT_REGION_MIN)) {
            continue;
        }
        out[n].base = start;
        out[n].size = last - start + 1U;
        n++;
    }
    return n;
}

struct domain_fdt_region arch_domu_grant_window(void)
{
    return (struct domain_fdt_region){ GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE };
}

unsigned int arch_domu_direct_ext_regions(const struct boot_info *bi,
                                          const struct boot_range *cut, unsigned int nr_cut,
                                          unsigned int ipa_bits, struct domain_fdt_region *out,
                                          unsigned int max)
{
    static struct boot_range cuts[DIRECT_MAX_CUTS];
    static struct boot_range found[DIRECT_MAX_CUTS];
    unsigned int n;

    /* A cut left out could put a region over the domain's RAM: none. */
    if (nr_cut >= DIRECT_MAX_CUTS) {
        return 0U;
    }
    for (unsigned int i = 0U; i < nr_cut; i++) {
        cuts[i] = cut[i];
    }
    /* The grant window is guest address space the domain maps frames at,
     * whatever host RAM lies at the same address (Xen's gnttab_start). */
    cuts[nr_cut] = (struct boot_range){ arch_domu_grant_window().base,
                                        arch_domu_grant_window().size };
    n = host_ext_regions(bi, cuts, nr_cut + 1U, ipa_bits, found, MIN(max, DIRECT_MAX_CUTS));
    for (unsigned int i = 0U; i < n; i++) {
        out[i] = (struct domain_fdt_region){ found[i].start, found[i].size };
    }
    return n;
}
