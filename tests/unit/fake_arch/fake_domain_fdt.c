/* A domU device tree with no architecture nodes unless a test writes
 * some: see fake_domain_fdt.h. */
#include <stddef.h>

#include <proxenos/arch/domain_fdt.h>
#include "fake_domain_fdt.h"
#include "fake_internal.h"

#define NR_SLOTS 2U     /* ARCH_DOMAIN_FDT_CPUS, ARCH_DOMAIN_FDT_DEVICES */

static bool config_ok = true;
static unsigned int checks;
static fake_domain_fdt_writer writer;
static unsigned int slot_calls[NR_SLOTS];

void fake_domain_fdt_reset(void)
{
    config_ok = true;
    checks = 0U;
    writer = NULL;
    for (unsigned int i = 0U; i < NR_SLOTS; i++) {
        slot_calls[i] = 0U;
    }
}

void fake_domain_fdt_set_config_ok(bool ok)
{
    config_ok = ok;
}

unsigned int fake_domain_fdt_checks(void)
{
    return checks;
}

void fake_domain_fdt_set_writer(fake_domain_fdt_writer fn)
{
    writer = fn;
}

unsigned int fake_domain_fdt_slot_calls(enum arch_domain_fdt_slot slot)
{
    return ((unsigned int)slot < NR_SLOTS) ? slot_calls[slot] : 0U;
}

__attribute__((weak)) bool arch_domain_fdt_config_ok(const struct domain_fdt_config *cfg)
{
    (void)cfg;
    checks++;
    return config_ok;
}

__attribute__((weak)) int arch_domain_fdt_nodes(struct fdt_writer *w,
                                                const struct domain_fdt_config *cfg,
                                                enum arch_domain_fdt_slot slot)
{
    if ((unsigned int)slot < NR_SLOTS) {
        slot_calls[slot]++;
    }
    return (writer != NULL) ? writer(w, cfg, slot) : 0;
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

/* Arm's GUEST_GNTTAB_BASE and size, as the real hook answers. */
__attribute__((weak)) struct domain_fdt_region arch_domu_grant_window(void)
{
    return (struct domain_fdt_region){ 0x38000000ULL, 0x1000000ULL };
}

__attribute__((weak)) unsigned int arch_domu_direct_ext_regions(const struct boot_info *bi,
                                                                const struct boot_range *cut,
                                                                unsigned int nr_cut,
                                                                unsigned int ipa_bits,
                                                                struct domain_fdt_region *out,
                                                                unsigned int max)
{
    (void)bi;
    (void)cut;
    (void)nr_cut;
    (void)ipa_bits;
    (void)out;
    (void)max;
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
