/* A domU device tree with no architecture nodes: every configuration the
 * common checks pass is accepted, nothing is written in the
 * architecture's places and there are no extended regions. Weak: a test that pins the whole tree links the
 * real writers, one that looks at the places defines its own. */
#include <proxenos/arch/domain_fdt.h>

__attribute__((weak)) bool arch_domain_fdt_config_ok(const struct domain_fdt_config *cfg)
{
    (void)cfg;
    return true;
}

__attribute__((weak)) int arch_domain_fdt_nodes(struct fdt_writer *w,
                                                const struct domain_fdt_config *cfg,
                                                enum arch_domain_fdt_slot slot)
{
    (void)w;
    (void)cfg;
    (void)slot;
    return 0;
}

__attribute__((weak)) unsigned int arch_domu_ext_regions(const uint64_t ram_size[GUEST_RAM_MAX_BANKS],
                                                         unsigned int ipa_bits,
                                                         struct domain_fdt_region out[GUEST_RAM_MAX_BANKS])
{
    (void)ram_size;
    (void)ipa_bits;
    (void)out;
    return 0U;
}

/* The host fake's guest RAM: two banks, Arm's layout (which the tests of
 * the memory ops were written against). */
static const struct guest_ram_bank fake_banks[2] = {
    { 0x40000000ULL, 0xc0000000ULL },
    { 0x200000000ULL, 0xfe00000000ULL },
};

__attribute__((weak)) unsigned int arch_guest_ram_banks(const struct guest_ram_bank **banks)
{
    *banks = fake_banks;
    return 2U;
}
