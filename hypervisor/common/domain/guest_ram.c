/* A domain's RAM over the architecture's guest RAM banks, filled in
 * order: what dom0less builds and what the memory ops take as a domain's
 * highest frame. */
#include <proxenos/guest_ram.h>
#include <proxenos/lib.h>

unsigned int guest_ram_layout(uint64_t bytes, uint64_t size[GUEST_RAM_MAX_BANKS])
{
    const struct guest_ram_bank *b = NULL;
    unsigned int n = arch_guest_ram_banks(&b);
    unsigned int used = 0U;
    uint64_t left = bytes;

    for (unsigned int i = 0U; i < GUEST_RAM_MAX_BANKS; i++) {
        size[i] = 0U;
    }
    for (unsigned int i = 0U; (i < n) && (i < GUEST_RAM_MAX_BANKS) && (left != 0U); i++) {
        size[i] = MIN(left, b[i].size);
        left -= size[i];
        used = i + 1U;
    }
    return (left == 0U) ? used : 0U;
}

uint64_t guest_ram_last_gfn(uint64_t pages)
{
    const struct guest_ram_bank *b = NULL;
    unsigned int n = arch_guest_ram_banks(&b);
    uint64_t left = pages;
    uint64_t last = 0U;

    for (unsigned int i = 0U; (i < n) && (left != 0U); i++) {
        uint64_t in_bank = MIN(left, b[i].size >> PAGE_SHIFT);

        last = (b[i].base >> PAGE_SHIFT) + in_bank - 1U;
        left -= in_bank;
    }
    return last;
}
